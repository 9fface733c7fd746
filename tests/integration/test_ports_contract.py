"""The fakes (tests/fakes) and the AWS adapters (on moto) give the same answers to the same calls.

Every scenario runs twice, once per implementation of the ports, so the fakes the unit tests rely
on cannot drift from the adapters' semantics: revision claims in S3's version order, sends with
tokens and leases, idempotency claims, and versioned storage.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from articleflow.core.ports import Claim, ClaimInProgress, ObjectGone, SendInProgress
from articleflow.core.publish import Delivery
from articleflow.runtime.services import Services
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.fakes import Fakes

pytestmark = pytest.mark.integration

NOW = 1_800_000_000.0
WINDOW = 3600


@dataclass(frozen=True)
class World:
    services: Services
    table: str
    bucket: str
    topic_arn: str
    delivered: Callable[[], list[str]]  # the `text` of each message the topic's subscriber received so far


@pytest.fixture(scope="module")
def moto_pipeline() -> Iterator[EmbeddedPipeline]:
    with EmbeddedPipeline() as pipeline:
        yield pipeline


@pytest.fixture(params=["fake", "aws"])
def world(request: pytest.FixtureRequest) -> World:
    if request.param == "fake":
        fakes = Fakes()
        return World(
            fakes.services, "state", "articles", "topic", lambda: [json.loads(m.body)["text"] for m in fakes.topic.sent]
        )
    pipeline: EmbeddedPipeline = request.getfixturevalue("moto_pipeline")

    def delivered() -> list[str]:
        return [message["body"]["text"] for message in pipeline.take_published()]

    return World(Services.aws(), pipeline.table, pipeline.bucket, pipeline.publish_topic_arn, delivered)


def fresh(name: str) -> str:
    """A name no other scenario uses (the moto world is shared by the module)."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


def always() -> bool:
    return True


# -- article state ---------------------------------------------------------------------------------


def test_revisions_follow_content(world: World) -> None:
    state, table, article = world.services.state, world.table, fresh("article")
    first = state.claim_revision(table, article, "sha-a", "v1", always)
    assert first is not None and (first.revision, first.needs_record) == (1, True)
    retry = state.claim_revision(table, article, "sha-a", "v1", always)  # the record was never written
    assert retry is not None and (retry.revision, retry.needs_record) == (1, True)
    state.record_ingested(table, article, 1)
    same = state.claim_revision(table, article, "sha-a", "v2", always)
    assert same is not None and (same.revision, same.needs_record) == (1, False)
    changed = state.claim_revision(table, article, "sha-b", "v3", always)
    assert changed is not None and (changed.revision, changed.needs_record) == (2, True)
    state.record_ingested(table, article, 1)  # never lowers what was recorded
    again = state.claim_revision(table, article, "sha-b", "v3", always)
    assert again is not None and (again.revision, again.needs_record) == (2, True)


def test_an_upload_no_longer_current_claims_nothing(world: World) -> None:
    state, table, article = world.services.state, world.table, fresh("article")
    assert state.claim_revision(table, article, "sha-a", "v1", lambda: False) is None
    claim = state.claim_revision(table, article, "sha-b", "v2", always)
    assert claim is not None and claim.revision == 1


def test_a_claim_that_lands_between_read_and_write_wins(world: World) -> None:
    """Our read, then a newer upload's whole claim, then our write: ours must fail and re-check."""
    state, table, article = world.services.state, world.table, fresh("article")
    checks = 0

    def newer_upload_meanwhile() -> bool:
        nonlocal checks
        checks += 1
        if checks == 1:
            newer = state.claim_revision(table, article, "sha-new", "v2", always)
            assert newer is not None and newer.revision == 1
            return True  # we were still current when asked...
        return False  # ...but not when our retry asks again

    assert state.claim_revision(table, article, "sha-old", "v1", newer_upload_meanwhile) is None
    assert checks == 2
    after = state.claim_revision(table, article, "sha-new", "v2", always)
    assert after is not None and (after.revision, after.needs_record) == (1, True)


def test_sends_take_turns_and_never_go_backwards(world: World) -> None:
    state, table, article = world.services.state, world.table, fresh("article")
    with pytest.raises(RuntimeError, match="never ingested"):
        state.begin_send(table, article, 1, "t1", now=NOW, until=NOW + 60)
    state.claim_revision(table, article, "sha-a", "v1", always)
    assert state.begin_send(table, article, 1, "t1", now=NOW, until=NOW + 60)
    assert state.begin_send(table, article, 1, "t1", now=NOW + 1, until=NOW + 60)  # a retry: its own token
    with pytest.raises(SendInProgress):
        state.begin_send(table, article, 1, "t2", now=NOW + 2, until=NOW + 60)
    assert state.begin_send(table, article, 1, "t2", now=NOW + 61, until=NOW + 120)  # t1's lease ran out
    state.finish_send(table, article, 1, "t2")
    state.finish_send(table, article, 1, "t1")  # the overtaken sender finishes late: nothing changes
    state.finish_send(table, article, 1, "t2")  # a repeated call
    assert not state.begin_send(table, article, 1, "t3", now=NOW + 130, until=NOW + 190)  # already sent
    state.claim_revision(table, article, "sha-b", "v2", always)
    assert not state.begin_send(table, article, 1, "t4", now=NOW + 140, until=NOW + 200)  # superseded
    assert state.begin_send(table, article, 2, "t5", now=NOW + 150, until=NOW + 210)


# -- idempotency claims ------------------------------------------------------------------------------


def test_claims_complete_expire_and_release(world: World) -> None:
    claims, table, item = world.services.claims, world.table, fresh("once#stage")
    held = claims.claim(table, item, now=NOW, window_seconds=WINDOW, deadline=NOW + 60)
    assert isinstance(held, Claim)
    with pytest.raises(ClaimInProgress):
        claims.claim(table, item, now=NOW + 1, window_seconds=WINDOW, deadline=NOW + 61)
    assert claims.complete(held, "written", now=NOW + 5, window_seconds=WINDOW)
    assert claims.claim(table, item, now=NOW + 600, window_seconds=WINDOW, deadline=NOW + 660) == "written"
    expired = claims.claim(table, item, now=NOW + 5 + WINDOW + 1, window_seconds=WINDOW, deadline=NOW + WINDOW + 70)
    assert isinstance(expired, Claim)
    assert claims.release(expired)
    assert not claims.release(expired)  # already released
    assert isinstance(claims.claim(table, item, now=NOW, window_seconds=WINDOW, deadline=NOW + 60), Claim)


def test_a_claim_past_its_deadline_is_taken_over(world: World) -> None:
    claims, table, item = world.services.claims, world.table, fresh("once#stage")
    first = claims.claim(table, item, now=NOW, window_seconds=WINDOW, deadline=NOW + 60)
    second = claims.claim(table, item, now=NOW + 61, window_seconds=WINDOW, deadline=NOW + 121)
    assert isinstance(first, Claim) and isinstance(second, Claim)
    assert not claims.complete(first, "written", now=NOW + 62, window_seconds=WINDOW)
    assert not claims.release(first)
    assert claims.complete(second, "unchanged", now=NOW + 63, window_seconds=WINDOW)
    assert claims.claim(table, item, now=NOW + 64, window_seconds=WINDOW, deadline=NOW + 124) == "unchanged"


# -- storage ---------------------------------------------------------------------------------------------


def test_a_record_is_created_once(world: World) -> None:
    storage, bucket, key = world.services.storage, world.bucket, f"tagged/{fresh('doc')}/r000001.json"
    assert storage.create_json(bucket, key, '{"n": 1}') is True
    assert storage.create_json(bucket, key, '{"n": 2}') is False  # a retry: the first write stands
    assert storage.get_bytes(bucket, key) == b'{"n": 1}'


def test_storage_keeps_versions_and_quarantines_by_moving(world: World) -> None:
    storage, bucket, key = world.services.storage, world.bucket, f"ingested/{fresh('doc')}.json"
    assert storage.head(bucket, key) is None
    with pytest.raises(ObjectGone):
        storage.get_bytes(bucket, key)
    first = storage.put_json(bucket, key, '{"n": 1}')
    second = storage.put_json(bucket, key, '{"n": 22}')
    assert first and second and first != second
    head = storage.head(bucket, key)
    assert head is not None and (head.version_id, head.size) == (second, 9)
    assert storage.get_bytes(bucket, key, first) == b'{"n": 1}'
    assert storage.get_bytes(bucket, key) == b'{"n": 22}'
    storage.quarantine(
        bucket,
        key,
        first,
        quarantined_key=f"quarantine/{key}",
        reason_key=f"quarantine/{key}.reason.json",
        reason='{"kind": "bad"}',
        delete_original=True,
    )
    assert storage.get_bytes(bucket, f"quarantine/{key}") == b'{"n": 1}'  # the version named, not the latest
    assert storage.get_bytes(bucket, f"quarantine/{key}.reason.json") == b'{"kind": "bad"}'
    assert storage.head(bucket, key) is None
    assert storage.get_bytes(bucket, key, second) == b'{"n": 22}'  # versioning keeps the original


# -- publish topic ---------------------------------------------------------------------------------


def test_a_repeated_deduplication_id_is_delivered_once(world: World) -> None:
    article = fresh("article")
    attributes = {"payload": "inline"}
    sends = [("r1", f"{article}:r000001"), ("r1 again", f"{article}:r000001"), ("r2", f"{article}:r000002")]
    ids = [
        world.services.topic.publish_to_topic(
            world.topic_arn, json.dumps({"text": text}), attributes, Delivery(article, deduplication_id)
        )
        for text, deduplication_id in sends
    ]
    assert len(set(ids)) in (2, 3)  # SNS may answer a deduplicated send with a new message id
    assert world.delivered() == ["r1", "r2"]
