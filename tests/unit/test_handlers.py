"""Each stage's real `process` (functions/<stage>/app.py) on the in-memory fakes.

What each handler writes, when it skips (unchanged content, a superseded version or revision),
what it quarantines and why, and the order of publish's writes. The AWS adapters behind the same
ports are held to the fakes' behaviour by tests/integration/test_ports_contract.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType

import pytest

from articleflow.core.errors import RejectedInput
from articleflow.models.events import ObjectRef
from articleflow.models.records import IngestedRecord, NormalizedRecord, TaggedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import STAGE_NAMES, STAGES_BY_NAME
from articleflow_dev.local.embedded import load_handler_module
from tests.conftest import REPO_ROOT
from tests.fakes import Fakes
from tests.fakes.events import lambda_context, s3_event_body, sqs_event

BUCKET = "articles"
TOPIC = "arn:aws:sns:us-east-1:123456789012:published"
SAMPLE = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes()
# What Lambda sets; the handler modules read it when imported. No AWS is contacted: the tests hand
# every handler the fakes through its context.
HANDLER_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "TABLE_NAME": "state",
    "PUBLISH_TOPIC_ARN": TOPIC,
    "TAGGER_BACKEND": "offline",
    "STAGE_NAME": "test",
}


@pytest.fixture(scope="module")
def handlers() -> Iterator[dict[str, ModuleType]]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in HANDLER_ENV.items():
            env.setenv(name, value)
        yield {name: load_handler_module(STAGES_BY_NAME[name]) for name in STAGE_NAMES}


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


def run(handlers: dict[str, ModuleType], fakes: Fakes, stage: str, key: str, version_id: str | None) -> Outcome:
    """One record through the stage's `process`, as the runtime calls it."""
    runtime: StageRuntime = handlers[stage].runtime
    ctx = StageContext(stage=runtime.stage, settings=runtime.settings, logger=runtime.logger, services=fakes.services)
    outcome: Outcome = handlers[stage].process(ObjectRef(bucket=BUCKET, key=key, version_id=version_id), ctx)
    return outcome


def only_key(fakes: Fakes, prefix: str) -> str:
    (key,) = fakes.storage.keys(BUCKET, prefix)
    return key


def current_version(fakes: Fakes, key: str) -> str | None:
    head = fakes.storage.head(BUCKET, key)
    assert head is not None
    return head.version_id


def ingest(handlers: dict[str, ModuleType], fakes: Fakes, body: bytes, key: str = "incoming/story.txt") -> Outcome:
    version = fakes.storage.upload(BUCKET, key, body, content_type="text/plain", metadata={"publisher": "Gazette"})
    return run(handlers, fakes, "ingest", key, version)


def through(handlers: dict[str, ModuleType], fakes: Fakes, stage: str, key: str) -> Outcome:
    return run(handlers, fakes, stage, key, current_version(fakes, key))


def test_ingest_writes_the_first_revision(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    assert ingest(handlers, fakes, SAMPLE) == Outcome.WRITTEN
    record = IngestedRecord.model_validate_json(fakes.storage.read(BUCKET, only_key(fakes, "ingested/")))
    assert record.revision == 1
    assert record.metadata.publisher == "Gazette"
    assert record.text is not None and "library" in record.text
    assert fakes.state.items[record.article_id]["ingested_revision"] == 1


def test_ingest_an_unchanged_reupload_writes_nothing(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    ingest(handlers, fakes, SAMPLE)
    assert ingest(handlers, fakes, SAMPLE) == Outcome.UNCHANGED
    assert len(fakes.storage.keys(BUCKET, "ingested/")) == 1
    assert ingest(handlers, fakes, SAMPLE + b"\nA correction.\n") == Outcome.WRITTEN
    assert [k.rsplit("/", 1)[1] for k in fakes.storage.keys(BUCKET, "ingested/")] == ["r000001.json", "r000002.json"]


def test_ingest_skips_a_superseded_version(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    first = fakes.storage.upload(BUCKET, "incoming/story.txt", SAMPLE)
    second = fakes.storage.upload(BUCKET, "incoming/story.txt", SAMPLE + b"\nNewer.\n")
    assert run(handlers, fakes, "ingest", "incoming/story.txt", first) == Outcome.SUPERSEDED
    fakes.storage.delete(BUCKET, "incoming/story.txt")
    assert run(handlers, fakes, "ingest", "incoming/story.txt", second) == Outcome.SUPERSEDED
    assert fakes.storage.keys(BUCKET, "ingested/") == []
    assert fakes.state.items == {}


def test_ingest_a_newer_upload_during_the_claim_wins(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    """The upload stops being current between the state read and the claim: the newer event carries it."""
    version = fakes.storage.upload(BUCKET, "incoming/story.txt", SAMPLE)
    real_head = fakes.storage.head
    calls = 0

    def head_then_reupload(bucket: str, key: str):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:  # the check inside claim_revision, after the handler's own head
            fakes.storage.upload(BUCKET, key, SAMPLE + b"\nNewer.\n")
        return real_head(bucket, key)

    fakes.storage.head = head_then_reupload  # type: ignore[method-assign]
    assert run(handlers, fakes, "ingest", "incoming/story.txt", version) == Outcome.SUPERSEDED
    assert fakes.storage.keys(BUCKET, "ingested/") == []


@pytest.mark.parametrize(("body", "kind"), [(b"", "empty"), (b"\x00\x01\x02binary\x00" * 20, "binary")])
def test_ingest_rejects_bad_uploads_with_a_reason(
    handlers: dict[str, ModuleType], fakes: Fakes, body: bytes, kind: str
) -> None:
    with pytest.raises(RejectedInput) as rejected:
        ingest(handlers, fakes, body)
    assert rejected.value.kind == kind and rejected.value.reason
    assert fakes.storage.keys(BUCKET, "ingested/") == []


def test_a_rejected_upload_is_quarantined_through_the_runtime(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    runtime = StageRuntime(
        "ingest", handlers["ingest"].process, handlers["ingest"].runtime.settings, services=fakes.services
    )
    version = fakes.storage.upload(BUCKET, "incoming/empty.txt", b"")
    event = s3_event_body(BUCKET, "incoming/empty.txt", version, size=0)
    assert runtime.handler(sqs_event(event), lambda_context()) == {"batchItemFailures": []}
    reason = json.loads(fakes.storage.read(BUCKET, "quarantine/ingest/empty.txt.reason.json"))
    assert (reason["stage"], reason["kind"]) == ("ingest", "empty")
    assert fakes.storage.keys(BUCKET, "incoming/") == []  # moved, not copied


def test_normalize_and_tag_write_their_records(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    ingest(handlers, fakes, SAMPLE)
    assert through(handlers, fakes, "normalize", only_key(fakes, "ingested/")) == Outcome.WRITTEN
    normalized = NormalizedRecord.model_validate_json(fakes.storage.read(BUCKET, only_key(fakes, "normalized/")))
    assert normalized.revision == 1 and normalized.article.paragraphs
    assert [run.stage for run in normalized.processing] == list(STAGE_NAMES[:2])
    assert through(handlers, fakes, "tag", only_key(fakes, "normalized/")) == Outcome.WRITTEN
    tagged = TaggedRecord.model_validate_json(fakes.storage.read(BUCKET, only_key(fakes, "tagged/")))
    assert tagged.entities
    assert [run.stage for run in tagged.processing] == list(STAGE_NAMES[:3])


def test_a_retried_stage_writes_each_revisions_record_once(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    """An attempt that wrote its record and then failed is retried: the retry writes no second
    version of it, so no second event runs the later stages (and publish) again much later."""
    ingest(handlers, fakes, SAMPLE)
    ingested = only_key(fakes, "ingested/")
    assert through(handlers, fakes, "normalize", ingested) == Outcome.WRITTEN
    assert through(handlers, fakes, "normalize", ingested) == Outcome.ALREADY_WRITTEN
    normalized = only_key(fakes, "normalized/")
    assert through(handlers, fakes, "tag", normalized) == Outcome.WRITTEN
    assert through(handlers, fakes, "tag", normalized) == Outcome.ALREADY_WRITTEN
    for key in (normalized, only_key(fakes, "tagged/")):
        assert len(fakes.storage.versions[(BUCKET, key)]) == 1


def test_a_backfilled_copy_is_the_same_article_and_stays_in_the_bulk_lane(
    handlers: dict[str, ModuleType], fakes: Fakes
) -> None:
    from articleflow.core.ingest import article_id_for

    assert ingest(handlers, fakes, SAMPLE, key="bulk/incoming/archive/story.txt") == Outcome.WRITTEN
    (key,) = fakes.storage.keys(BUCKET, "bulk/ingested/")
    assert key.split("/")[2] == article_id_for("incoming/archive/story.txt")
    assert through(handlers, fakes, "normalize", key) == Outcome.WRITTEN
    assert fakes.storage.keys(BUCKET, "normalized/") == [] and fakes.storage.keys(BUCKET, "bulk/normalized/")


def test_normalize_a_record_that_is_gone_fails_for_a_retry(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    from articleflow.core.ports import ObjectGone

    with pytest.raises(ObjectGone):
        run(handlers, fakes, "normalize", "ingested/missing.json", "v0")


def tagged_revision(handlers: dict[str, ModuleType], fakes: Fakes, body: bytes) -> str:
    """Take an upload to tagged/; returns the new tagged key."""
    before = set(fakes.storage.keys(BUCKET, "tagged/"))
    assert ingest(handlers, fakes, body) == Outcome.WRITTEN
    for stage, prefix in (("normalize", "ingested/"), ("tag", "normalized/")):
        newest = fakes.storage.keys(BUCKET, prefix)[-1]
        assert through(handlers, fakes, stage, newest) == Outcome.WRITTEN
    (key,) = set(fakes.storage.keys(BUCKET, "tagged/")) - before
    return key


def test_publish_records_its_intent_before_sending(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    key = tagged_revision(handlers, fakes, SAMPLE)
    fakes.journal.clear()
    assert through(handlers, fakes, "publish", key) == Outcome.WRITTEN
    published = only_key(fakes, "published/")
    assert fakes.journal == ["begin_send r1", f"put {published}", "publish", "finish_send r1"]
    (sent,) = fakes.topic.sent
    assert sent.topic_arn == TOPIC
    assert json.loads(sent.body)["revision"] == 1
    # the same tagged record again (a replayed event after the idempotency window): not resent
    assert through(handlers, fakes, "publish", key) == Outcome.SUPERSEDED
    assert len(fakes.topic.sent) == 1


def test_publish_repeats_a_send_of_unknown_outcome_under_the_same_deduplication_id(
    handlers: dict[str, ModuleType], fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The send was applied but its response was lost: the retry sends again, and the FIFO topic
    delivers the revision once because both sends carry the revision's deduplication id."""
    from articleflow.core.publish import Delivery

    key = tagged_revision(handlers, fakes, SAMPLE)
    deliveries: list[Delivery] = []
    real_publish = fakes.topic.publish_to_topic

    def publish_then_lose_the_response(topic_arn: str, body: str, attributes: dict, delivery: Delivery) -> str:
        deliveries.append(delivery)
        real_publish(topic_arn, body, attributes, delivery)
        if len(deliveries) == 1:
            raise TimeoutError("the response was lost")
        return "m"

    monkeypatch.setattr(fakes.topic, "publish_to_topic", publish_then_lose_the_response)
    with pytest.raises(TimeoutError):
        through(handlers, fakes, "publish", key)
    assert through(handlers, fakes, "publish", key) == Outcome.WRITTEN  # the retry resumes its own intent
    article_id = TaggedRecord.model_validate_json(fakes.storage.read(BUCKET, key)).article_id
    assert deliveries == [Delivery(group_id=article_id, deduplication_id=f"{article_id}:r000001")] * 2
    assert len(fakes.topic.sent) == 1


def test_publish_never_sends_a_superseded_revision(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    first = tagged_revision(handlers, fakes, SAMPLE)
    second = tagged_revision(handlers, fakes, SAMPLE + b"\nA correction.\n")
    assert through(handlers, fakes, "publish", first) == Outcome.SUPERSEDED  # revision 2 exists
    assert through(handlers, fakes, "publish", second) == Outcome.WRITTEN
    assert [json.loads(m.body)["revision"] for m in fakes.topic.sent] == [2]


def test_publish_waits_while_another_send_is_in_flight(handlers: dict[str, ModuleType], fakes: Fakes) -> None:
    from articleflow.core.ports import SendInProgress

    key = tagged_revision(handlers, fakes, SAMPLE)
    article_id = TaggedRecord.model_validate_json(fakes.storage.read(BUCKET, key)).article_id
    now = 1e10  # the other sender's lease runs far beyond this test
    assert fakes.state.begin_send("state", article_id, 1, "another sender", now=0, until=now)
    with pytest.raises(SendInProgress):
        through(handlers, fakes, "publish", key)
    assert fakes.topic.sent == []
