"""StageRuntime on the in-memory fakes: batches, idempotency and quarantine, in milliseconds."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from articleflow.adapters.idempotency import claim_id
from articleflow.config import Settings
from articleflow.core.errors import RejectedInput
from articleflow.models.events import ObjectRef
from articleflow.runtime.stage import BatchFailed, Outcome, StageContext, StageRuntime
from tests.fakes import Fakes
from tests.fakes.events import lambda_context, s3_event_body, sqs_event

BUCKET = "articles"
SETTINGS = Settings(
    table_name="state", publish_topic_arn=None, max_upload_bytes=1024, tagger_backend="offline", deployment="test"
)


class Recorder:
    """A stage's `process`: copies its input to normalized/, rejects inputs starting with BAD."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, ref: ObjectRef, ctx: StageContext) -> Outcome:
        self.calls.append((ref.key, ref.version_id))
        data = ctx.services.storage.get_bytes(ref.bucket, ref.key, ref.version_id)
        if data.startswith(b"BAD"):
            raise RejectedInput("bad_input", "it starts with BAD")
        name = ref.key.rsplit("/", 1)[-1]
        ctx.services.storage.put_json(ref.bucket, f"normalized/{name}", json.dumps({"bytes": len(data)}))
        return Outcome.WRITTEN


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def process() -> Recorder:
    return Recorder()


def runtime_for(stage: str, fakes: Fakes, process: Any) -> StageRuntime:
    return StageRuntime(stage, process, SETTINGS, services=fakes.services)


def upload(fakes: Fakes, key: str, body: bytes) -> str:
    version = fakes.storage.upload(BUCKET, key, body)
    return s3_event_body(BUCKET, key, version, size=len(body))


def test_a_failed_record_fails_alone_and_its_retry_runs(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("normalize", fakes, process)
    events = [upload(fakes, f"ingested/{name}.json", b"{}") for name in ("a", "b", "c")]
    fakes.storage.broken.add("ingested/b.json")

    response = runtime.handler(sqs_event(*events), lambda_context())

    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert fakes.storage.keys(BUCKET, "normalized/") == ["normalized/a.json", "normalized/c.json"]
    fakes.storage.broken.clear()  # the outage is over: SQS delivers the failed record again
    assert runtime.handler(sqs_event(events[1]), lambda_context()) == {"batchItemFailures": []}
    assert "normalized/b.json" in fakes.storage.keys(BUCKET, "normalized/")


def test_a_batch_where_every_record_fails_raises(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("normalize", fakes, process)
    events = [upload(fakes, f"ingested/{name}.json", b"{}") for name in ("a", "b")]
    fakes.storage.broken |= {"ingested/a.json", "ingested/b.json"}
    with pytest.raises(BatchFailed, match="all 2 records"):
        runtime.handler(sqs_event(*events), lambda_context())
    assert fakes.claims.items == {}  # both claims were released, so the retries run


def test_the_same_event_twice_is_processed_once(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("normalize", fakes, process)
    event = upload(fakes, "ingested/a.json", b"{}")
    assert runtime.handler(sqs_event(event, event), lambda_context()) == {"batchItemFailures": []}
    runtime.handler(sqs_event(event), lambda_context())
    assert len(process.calls) == 1
    (item,) = fakes.claims.items.values()
    assert item["status"] == "completed" and item["outcome"] == "written"
    # a new version of the same key is new work
    runtime.handler(sqs_event(upload(fakes, "ingested/a.json", b"{ }")), lambda_context())
    assert len(process.calls) == 2


def test_a_live_claim_elsewhere_fails_the_record_for_a_retry(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("normalize", fakes, process)
    version = fakes.storage.upload(BUCKET, "ingested/a.json", b"{}")
    item_id = claim_id("normalize", BUCKET, "ingested/a.json", version)
    now = time.time()
    other = fakes.claims.claim("state", item_id, now=now, window_seconds=3600, deadline=now + 60)
    event = s3_event_body(BUCKET, "ingested/a.json", version)
    with pytest.raises(BatchFailed):
        runtime.handler(sqs_event(event), lambda_context())
    assert process.calls == []
    # the other holder's invocation ended without completing: once its deadline passes, ours runs
    fakes.claims.items[item_id]["in_progress_until_ms"] = int(now * 1000) - 1
    assert runtime.handler(sqs_event(event), lambda_context()) == {"batchItemFailures": []}
    assert process.calls == [("ingested/a.json", version)]
    assert not isinstance(other, str) and fakes.claims.complete(other, "written", now=now, window_seconds=60) is False


def test_quarantine_counts_as_handled_and_keeps_the_reason(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("normalize", fakes, process)
    event = upload(fakes, "ingested/x/bad.json", b"BAD input")
    assert runtime.handler(sqs_event(event), lambda_context()) == {"batchItemFailures": []}
    reason = json.loads(fakes.storage.read(BUCKET, "quarantine/normalize/x/bad.json.reason.json"))
    assert (reason["stage"], reason["kind"], reason["reason"]) == ("normalize", "bad_input", "it starts with BAD")
    assert fakes.storage.read(BUCKET, "quarantine/normalize/x/bad.json") == b"BAD input"
    assert fakes.storage.keys(BUCKET, "ingested/") == ["ingested/x/bad.json"]  # normalize copies
    (item,) = fakes.claims.items.values()
    assert item["outcome"] == "quarantined"  # a replay skips it


def test_ingest_moves_a_quarantined_upload(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("ingest", fakes, process)
    runtime.handler(sqs_event(upload(fakes, "incoming/bad.txt", b"BAD")), lambda_context())
    assert fakes.storage.keys(BUCKET, "incoming/") == []
    assert fakes.storage.read(BUCKET, "quarantine/ingest/bad.txt") == b"BAD"


def test_folder_markers_and_other_events_are_ignored(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("ingest", fakes, process)
    marker = s3_event_body(BUCKET, "incoming/folder/", "v0", size=0)
    deleted = s3_event_body(BUCKET, "incoming/a.txt", "v0", detail_type="Object Deleted")
    assert runtime.handler(sqs_event(marker, deleted), lambda_context()) == {"batchItemFailures": []}
    assert process.calls == []
    assert fakes.claims.items == {}


def test_an_event_that_is_not_json_fails_its_record(fakes: Fakes, process: Recorder) -> None:
    runtime = runtime_for("ingest", fakes, process)
    version = fakes.storage.upload(BUCKET, "incoming/a.txt", b"text")
    good = s3_event_body(BUCKET, "incoming/a.txt", version)
    assert runtime.handler(sqs_event("not json", good), lambda_context()) == {
        "batchItemFailures": [{"itemIdentifier": "m0"}]
    }
    assert process.calls == [("incoming/a.txt", version)]
