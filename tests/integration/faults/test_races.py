"""The two interleavings that published stale content, forced deterministically by hooks between steps.

A hook wraps one adapter call of one invocation; when that call returns, the hook runs other work
to completion (another upload's whole run) before the paused invocation goes on. No sleeps.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from articleflow.adapters import storage
from articleflow.topology import PUBLISHED_PREFIX, STAGES, STAGES_BY_NAME
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.integration.faults.harness import FaultInjector, FaultyPump, SimulatedClock

pytestmark = pytest.mark.integration

V1 = b"The council approved the harbour budget on Monday after a long debate about the river."
V2 = b"The council approved the harbour budget on Monday; the second version adds the vote count."
V3 = b"The council approved the harbour budget on Monday; the third version corrects the vote count."


@pytest.fixture
def pump(monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultyPump]:
    clock = SimulatedClock()
    monkeypatch.setattr(time, "time", clock.time)
    with EmbeddedPipeline() as pipeline:
        injector = FaultInjector(rate=0.0, rng=random.Random(0))
        injector.install(monkeypatch)
        yield FaultyPump(pipeline, injector, clock)


def run_without_waiting(pump: FaultyPump) -> None:
    """Everything that can run now; failed records wait for a visibility timeout that does not pass."""
    while sum(pump.step(stage) for stage in STAGES):
        pass


def hook_after(
    monkeypatch: pytest.MonkeyPatch, name: str, when: Callable[[tuple[Any, ...], int], bool], then: Callable[[], None]
) -> list[bool]:
    """After the call of `storage.<name>` for which `when(args, call_number)` holds, run `then` once."""
    real, fired, calls = getattr(storage, name), [], [0]

    def hooked(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls[0] += 1
        if not fired and when(args, calls[0]):
            fired.append(True)
            then()
        return result

    monkeypatch.setattr(storage, name, hooked)
    return fired


def published(pump: FaultyPump) -> list[tuple[int, bytes]]:
    return [(m["body"]["revision"], m["body"]["text"]["body"].encode()) for m in pump.pipeline.take_published()]


def upload_v3_and_run_it(pump: FaultyPump, key_name: str) -> Callable[[], None]:
    def then() -> None:
        pump.pipeline.upload(key_name, V3)
        run_without_waiting(pump)

    return then


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("get_bytes", 1),  # v2's ingest checked its version is current, then v3 came and went
        ("head", 2),  # v3 came and went between v2's last check and its revision claim
    ],
)
def test_an_older_upload_overlapping_a_newer_ones_whole_run_never_takes_the_newest_revision(
    pump: FaultyPump, monkeypatch: pytest.MonkeyPatch, name: str, call: int
) -> None:
    pump.pipeline.upload("story.txt", V1)
    pump.drain()
    pump.pipeline.upload("story.txt", V2)
    ingesting_v2 = [True]
    fired = hook_after(
        monkeypatch, name, lambda args, n: ingesting_v2[0] and n == call, upload_v3_and_run_it(pump, "story.txt")
    )
    pump.step(STAGES_BY_NAME["ingest"])  # v2's event: paused by the hook while v3 runs
    ingesting_v2[0] = False
    pump.drain()
    assert fired
    messages = published(pump)
    assert messages[-1][1].decode() == V3.decode()  # the newest revision carries the newest upload
    assert [revision for revision, _ in messages] == sorted({revision for revision, _ in messages})
    assert pump.pipeline.dead_letters() == {}


def test_publishes_that_overlap_never_send_an_older_revision_after_a_newer_one(
    pump: FaultyPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    pump.pipeline.upload("story.txt", V1)
    pump.drain()
    pump.pipeline.upload("story.txt", V2)
    fired = hook_after(
        monkeypatch,
        "put_json",  # r2's publish decided to send and wrote published/: r3 comes and goes
        lambda args, n: args[1].startswith(PUBLISHED_PREFIX) and args[1].endswith("r000002.json"),
        upload_v3_and_run_it(pump, "story.txt"),
    )
    pump.drain()
    assert fired
    assert published(pump) == [(1, V1), (2, V2), (3, V3)]
    assert pump.pipeline.dead_letters() == {}


def test_a_claim_whose_put_response_was_lost_and_retried_holds_its_claim(pump: FaultyPump) -> None:
    """The SDK retries a write whose response was lost: the retry meets the claim it made itself.

    Every DynamoDB write of the run is applied twice (the claims, the revision, the send records).
    """
    pump.injector.rate, pump.injector.kinds = 1.0, ("lost_retried",)
    pump.injector.operations = frozenset({"put_item", "update_item", "delete_item"})
    pump.pipeline.upload("story.txt", V1)
    pump.drain()
    assert published(pump) == [(1, V1)]
    assert pump.injector.injected["lost_retried"] > 0
    assert pump.pipeline.dead_letters() == {}


def test_an_ingested_record_that_failed_to_write_is_written_for_a_reupload_of_the_same_bytes(
    pump: FaultyPump, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revision was claimed, its record never written: a re-upload of the same bytes must not be skipped."""
    real = storage.put_json

    def throttled_once(bucket: str, key: str, document: str) -> str | None:
        monkeypatch.setattr(storage, "put_json", real)
        raise ConnectionError("S3 is throttling")

    monkeypatch.setattr(storage, "put_json", throttled_once)
    pump.pipeline.upload("story.txt", V1)
    pump.step(STAGES_BY_NAME["ingest"])  # claims r1, fails to write it
    pump.pipeline.upload("story.txt", V1)  # the publisher uploads the same bytes again
    pump.drain()
    assert published(pump) == [(1, V1)]
    assert pump.pipeline.dead_letters() == {}


def test_a_send_whose_record_failed_is_not_sent_again(pump: FaultyPump, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    from articleflow.adapters import state

    def throttled(*args: Any) -> None:
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "UpdateItem")

    monkeypatch.setattr(state, "finish_send", throttled)
    pump.pipeline.upload("story.txt", V1)
    pump.drain()
    assert published(pump) == [(1, V1)]
    assert pump.pipeline.dead_letters() == {}
