"""Once-per-object-version processing on moto's DynamoDB: claims, skips, takeovers, releases."""

from __future__ import annotations

import pytest

from articleflow.adapters import idempotency, storage
from articleflow.adapters.aws import client
from articleflow.local.embedded import EmbeddedPipeline, sqs_event
from articleflow.topology import INGESTED_PREFIX, STAGES_BY_NAME
from tests.integration.test_pipeline import s3_event_body, version_of

pytestmark = pytest.mark.integration

WINDOW = 3600
NOW = 1_800_000_000.0


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def _claim(table: str, item_id: str, now: float = NOW, deadline: float = NOW + 60) -> str | None:
    return idempotency.claim(table, item_id, now=now, window_seconds=WINDOW, deadline=deadline)


def test_claim_ids_differ_by_stage_and_version():
    ids = {
        idempotency.claim_id("ingest", "b", "incoming/a.txt", "v1"),
        idempotency.claim_id("ingest", "b", "incoming/a.txt", "v2"),
        idempotency.claim_id("normalize", "b", "incoming/a.txt", "v1"),
        idempotency.claim_id("ingest", "b", "incoming/a.txt", None),
    }
    assert len(ids) == 4
    assert all(i.startswith(idempotency.ID_PREFIX) for i in ids)


def test_a_completed_claim_returns_its_outcome_until_it_expires(pipeline):
    item = idempotency.claim_id("ingest", pipeline.bucket, "incoming/a.txt", "v1")
    assert _claim(pipeline.table, item) is None
    idempotency.complete(pipeline.table, item, "written", now=NOW, window_seconds=WINDOW)
    assert _claim(pipeline.table, item, now=NOW + 10) == "written"
    assert _claim(pipeline.table, item, now=NOW + WINDOW + 1) is None  # expired (TTL not yet run): claimable


def test_a_live_claim_blocks_others_until_its_holder_runs_out_of_time(pipeline):
    item = idempotency.claim_id("tag", pipeline.bucket, "normalized/x/r000001.json", "v1")
    assert _claim(pipeline.table, item, deadline=NOW + 60) is None
    with pytest.raises(idempotency.ClaimInProgress):
        _claim(pipeline.table, item, now=NOW + 30)
    assert _claim(pipeline.table, item, now=NOW + 61) is None  # the holder timed out or crashed


def test_a_released_claim_can_be_taken_at_once(pipeline):
    item = idempotency.claim_id("publish", pipeline.bucket, "tagged/x/r000001.json", "v1")
    assert _claim(pipeline.table, item) is None
    idempotency.release(pipeline.table, item)
    assert _claim(pipeline.table, item, now=NOW + 1) is None


def test_a_redelivered_event_is_skipped_without_doing_the_work_again(pipeline):
    key = pipeline.upload("story.txt", b"A story with one paragraph that is long enough to publish.")
    pipeline.drain()
    assert len(pipeline.take_published()) == 1
    queue = pipeline.queues["ingest"]
    client("sqs").send_message(
        QueueUrl=queue.url, MessageBody=s3_event_body(pipeline.bucket, key, version_of(pipeline, key))
    )
    messages = client("sqs").receive_message(QueueUrl=queue.url, AttributeNames=["All"])["Messages"]
    response = pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, queue))
    assert response == {"batchItemFailures": []}
    assert "already processed; skipped" in pipeline.log_stream.getvalue()
    (ingested,) = pipeline.keys(INGESTED_PREFIX)
    versions = client("s3").list_object_versions(Bucket=pipeline.bucket, Prefix=ingested).get("Versions", [])
    assert len(versions) == 1  # ingest did not write its output a second time


def test_a_failed_record_releases_its_claim_so_the_retry_runs(pipeline, monkeypatch):
    key = pipeline.upload("story.txt", b"A story with one paragraph that is long enough to publish.")
    item = idempotency.claim_id("ingest", pipeline.bucket, key, version_of(pipeline, key))

    def s3_unavailable(bucket: str, key: str) -> str:
        raise ConnectionError("S3 is unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(storage, "resolve_key", s3_unavailable)
        queue = pipeline.queues["ingest"]
        messages = client("sqs").receive_message(QueueUrl=queue.url, AttributeNames=["All"])["Messages"]
        response = pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, queue))
    assert response == {"batchItemFailures": [{"itemIdentifier": messages[0]["MessageId"]}]}
    stored = client("dynamodb").get_item(TableName=pipeline.table, Key={"id": {"S": item}}, ConsistentRead=True)
    assert "Item" not in stored  # released: the retry is not mistaken for work in progress
    assert _claim(pipeline.table, item, now=1e12) is None
    idempotency.release(pipeline.table, item)
    client("sqs").send_message(
        QueueUrl=queue.url, MessageBody=s3_event_body(pipeline.bucket, key, version_of(pipeline, key))
    )
    pipeline.drain()
    assert len(pipeline.take_published()) == 1
