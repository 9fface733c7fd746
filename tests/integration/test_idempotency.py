"""Once-per-object-version processing on moto's DynamoDB: claims, skips, takeovers, releases."""

from __future__ import annotations

import json

import pytest

from articleflow.adapters import idempotency, storage
from articleflow.adapters.aws import client
from articleflow.runtime.stage import BatchFailed
from articleflow.topology import INGESTED_PREFIX, STAGES_BY_NAME
from articleflow_dev.local.embedded import EmbeddedPipeline, sqs_event
from tests.integration.test_pipeline import s3_event_body, version_of

pytestmark = pytest.mark.integration

WINDOW = 3600
NOW = 1_800_000_000.0


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def _claim(table: str, item_id: str, now: float = NOW, deadline: float = NOW + 60) -> idempotency.Claim | str:
    return idempotency.claim(table, item_id, now=now, window_seconds=WINDOW, deadline=deadline)


def _held(table: str, item_id: str, **times: float) -> idempotency.Claim:
    held = _claim(table, item_id, **times)
    assert isinstance(held, idempotency.Claim)
    return held


def _item(table: str, item_id: str) -> dict:
    return client("dynamodb").get_item(TableName=table, Key={"id": {"S": item_id}}, ConsistentRead=True).get("Item", {})


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
    held = _held(pipeline.table, item, deadline=NOW + 60)
    assert idempotency.complete(held, "written", now=NOW + 5, window_seconds=WINDOW)
    assert _claim(pipeline.table, item, now=NOW + 10) == "written"
    assert _claim(pipeline.table, item, now=NOW + 600) == "written"  # past the run's deadline, inside the window
    assert isinstance(_claim(pipeline.table, item, now=NOW + 5 + WINDOW + 1), idempotency.Claim)  # expired


def test_a_live_claim_blocks_others_until_its_holder_runs_out_of_time(pipeline):
    item = idempotency.claim_id("tag", pipeline.bucket, "normalized/x/r000001.json", "v1")
    _held(pipeline.table, item, deadline=NOW + 60)
    with pytest.raises(idempotency.ClaimInProgress):
        _claim(pipeline.table, item, now=NOW + 30)
    _held(pipeline.table, item, now=NOW + 61)  # the holder timed out or crashed: taken over


def test_a_released_claim_can_be_taken_at_once(pipeline):
    item = idempotency.claim_id("publish", pipeline.bucket, "tagged/x/r000001.json", "v1")
    assert idempotency.release(_held(pipeline.table, item))
    assert _item(pipeline.table, item) == {}
    _held(pipeline.table, item, now=NOW + 1)


def test_a_holder_that_was_taken_over_cannot_release_or_complete_its_successors_claim(pipeline):
    item = idempotency.claim_id("normalize", pipeline.bucket, "ingested/x/r000001.json", "v1")
    late = _held(pipeline.table, item, deadline=NOW + 60)
    successor = _held(pipeline.table, item, now=NOW + 61, deadline=NOW + 121)
    assert not idempotency.release(late)
    assert not idempotency.complete(late, "written", now=NOW + 70, window_seconds=WINDOW)
    stored = _item(pipeline.table, item)
    assert (stored["status"]["S"], stored["token"]["S"]) == (idempotency.IN_PROGRESS, successor.token)
    with pytest.raises(idempotency.ClaimInProgress):  # still the successor's, still live
        _claim(pipeline.table, item, now=NOW + 80)
    assert idempotency.complete(successor, "written", now=NOW + 90, window_seconds=WINDOW)
    assert _claim(pipeline.table, item, now=NOW + 100) == "written"


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

    def s3_unavailable(bucket: str, key: str) -> None:
        raise ConnectionError("S3 is unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(storage, "head", s3_unavailable)
        queue = pipeline.queues["ingest"]
        messages = client("sqs").receive_message(QueueUrl=queue.url, AttributeNames=["All"])["Messages"]
        with pytest.raises(BatchFailed):  # its only record failed
            pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, queue))
    assert _item(pipeline.table, item) == {}  # released: the retry is not mistaken for work in progress
    client("sqs").send_message(
        QueueUrl=queue.url, MessageBody=s3_event_body(pipeline.bucket, key, version_of(pipeline, key))
    )
    pipeline.drain()
    assert len(pipeline.take_published()) == 1


def test_a_failed_release_does_not_hide_the_failure_that_caused_it(pipeline, monkeypatch):
    pipeline.upload("story.txt", b"A story with one paragraph that is long enough to publish.")

    def s3_unavailable(bucket: str, key: str) -> None:
        raise ConnectionError("S3 is unavailable")

    def dynamodb_unavailable(held: idempotency.Claim) -> bool:
        raise TimeoutError("DynamoDB is unavailable")

    monkeypatch.setattr(storage, "head", s3_unavailable)
    monkeypatch.setattr(idempotency, "release", dynamodb_unavailable)
    queue = pipeline.queues["ingest"]
    messages = client("sqs").receive_message(QueueUrl=queue.url, AttributeNames=["All"])["Messages"]
    with pytest.raises(BatchFailed):
        pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, queue))
    logs = [json.loads(line) for line in pipeline.log_stream.getvalue().splitlines() if line.startswith("{")]
    (released,) = [entry for entry in logs if str(entry.get("message")).startswith("could not release the idempotency")]
    assert released["exception_name"] == "TimeoutError"
    (failed,) = [entry for entry in logs if entry.get("message") == "record failed; SQS will retry it"]
    assert failed["exception_name"] == "ConnectionError"
