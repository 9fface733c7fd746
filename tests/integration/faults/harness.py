"""Fault injection for the real handlers on moto: a clock, faulty AWS clients, a Lambda-like pump.

The adapters reach AWS through `client(service)`; `FaultInjector.install` hands them a proxy that,
while a handler runs, fails a share of the calls the ways AWS calls fail:

- `throttled`: rejected before it is applied (the SDK's retries ran out);
- `lost_retried`: applied, the response lost, and the SDK's automatic retry sent again (the
  retry meets the first attempt's effect: a conditional write finds its own item);
- `lost`: applied, the response lost, and the SDK gave up: the caller sees an error;
- `crash`: applied, then the invocation dies (a timeout, an out-of-memory kill): nothing more of
  it runs, no claim is released, no partial batch response is returned.

`FaultyPump` plays Lambda's SQS event source without waiting in real time: a failed or crashed
record becomes visible again when the simulated clock passes its visibility timeout, and SQS's
redrive (moto's) moves it to the DLQ after `MAX_RECEIVE_COUNT` receives.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from articleflow.adapters import idempotency, queue, state, storage
from articleflow.topology import DEDUPLICATION_WINDOW_SECONDS, STAGES, Stage
from articleflow_dev.local.embedded import EmbeddedPipeline, sqs_event

FAULT_KINDS = ("throttled", "lost_retried", "lost", "crash")


class SimulatedCrash(BaseException):
    """The invocation died: not an Exception, so no handler code gets to clean up after it."""


class SimulatedClock:
    """`time.time` for the handlers: real time plus the visibility timeouts waited so far."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._real = time.time

    def time(self) -> float:
        return self._real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class FaultInjector:
    rate: float
    rng: random.Random
    kinds: tuple[str, ...] = FAULT_KINDS
    operations: frozenset[str] | None = None  # the API operations that may fail; None: all
    active: bool = False
    dead: bool = False  # the current invocation crashed: every later call of it fails too
    injected: Counter[str] = field(default_factory=Counter)
    calls: int = 0
    # Sends whose outcome the sender cannot know, so a retry repeats them under the same
    # deduplication id: the SDK resent after a lost response, or the attempt ended between its
    # send and its record of it.
    unrecorded_send: bool = False
    ambiguous_sends: int = 0
    # When (simulated time) each deduplication id was sent: a repeat more than the FIFO topic's
    # window after the first is one AWS would deliver again (moto deduplicates regardless of time).
    send_times: dict[str, list[float]] = field(default_factory=dict)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for module in (storage, state, idempotency, queue):
            real = module.client
            monkeypatch.setattr(module, "client", lambda service, real=real: FaultyClient(real(service), self))

    def end_invocation(self) -> None:
        if self.unrecorded_send:
            self.ambiguous_sends += 1
        self.unrecorded_send = self.dead = self.active = False

    def call(self, name: str, method: Any, kwargs: dict[str, Any]) -> Any:
        if not self.active:
            return method(**kwargs)
        if self.dead:
            raise SimulatedCrash(name)
        self.calls += 1
        eligible = self.operations is None or name in self.operations
        kind = self.rng.choice(self.kinds) if eligible and self.rng.random() < self.rate else None
        if kind:
            self.injected[kind] += 1
        if kind == "throttled":
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"}}, name)
        result = method(**kwargs)
        self._track_send(name, kwargs)
        if kind == "lost_retried":
            self.ambiguous_sends += name == PUBLISH_OPERATION
            self._track_send(name, kwargs, repeat=True)
            return method(**kwargs)
        if kind == "lost":
            raise ReadTimeoutError(endpoint_url=f"injected lost response of {name}")
        if kind == "crash":
            self.dead = True
            raise SimulatedCrash(name)
        return result

    def sends_beyond_deduplication_window(self) -> int:
        return sum(
            sum(1 for at in times[1:] if at - times[0] > DEDUPLICATION_WINDOW_SECONDS)
            for times in self.send_times.values()
        )

    def _track_send(self, name: str, kwargs: dict[str, Any], repeat: bool = False) -> None:
        if name == PUBLISH_OPERATION:
            self.send_times.setdefault(kwargs["MessageDeduplicationId"], []).append(time.time())
            if repeat:
                return
            if self.unrecorded_send:
                self.ambiguous_sends += 1
            self.unrecorded_send = True
        elif name == "update_item" and "published_revision = :revision" in kwargs.get("UpdateExpression", ""):
            self.unrecorded_send = False


# The call that hands an article to consumers (SNS Publish to the fan-out topic).
PUBLISH_OPERATION = "publish"


class FaultyClient:
    def __init__(self, real: Any, injector: FaultInjector) -> None:
        self._real, self._injector = real, injector

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._real, name)
        if not callable(method) or name.startswith(("get_paginator", "can_paginate", "meta", "exceptions")):
            return method
        return lambda **kwargs: self._injector.call(name, method, kwargs)


@dataclass
class FaultyPump:
    pipeline: EmbeddedPipeline
    injector: FaultInjector
    clock: SimulatedClock
    # Failed messages awaiting their visibility timeout: (stage, message, when it is visible again).
    in_flight: list[tuple[str, dict[str, Any], float]] = field(default_factory=list)
    invocations: int = 0
    crashes: int = 0

    def step(self, stage: Stage) -> int:
        """One poll and invocation of a stage; returns how many messages it received."""
        from articleflow.adapters.aws import client

        sqs, info = client("sqs"), self.pipeline.queues[stage.name]
        messages = sqs.receive_message(
            QueueUrl=info.url, MaxNumberOfMessages=min(stage.batch_size, 10), AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return 0
        self.invocations += 1
        self.injector.active = True
        try:
            response = self.pipeline.invoke(stage, sqs_event(messages, info))
            failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        except SimulatedCrash:
            self.crashes += 1
            failed = {message["MessageId"] for message in messages}
        except Exception:  # the whole batch failed (BatchFailed)
            failed = {message["MessageId"] for message in messages}
        finally:
            self.injector.end_invocation()
        for message in messages:
            if message["MessageId"] in failed:
                self.in_flight.append((stage.name, message, self.clock.time() + stage.visibility_timeout))
            else:
                sqs.delete_message(QueueUrl=info.url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def wait_visibility_timeout(self) -> bool:
        """Let the clock reach the next failed message's visibility timeout (its own stage's) and make
        every message whose timeout has passed visible again; False if nothing was waiting."""
        from articleflow.adapters.aws import client

        if not self.in_flight:
            return False
        self.clock.advance(max(0.0, min(at for _, _, at in self.in_flight) - self.clock.time()) + 1)
        now, waiting = self.clock.time(), []
        for name, message, at in self.in_flight:
            if at > now:
                waiting.append((name, message, at))
                continue
            client("sqs").change_message_visibility(
                QueueUrl=self.pipeline.queues[name].url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        self.in_flight = waiting
        return True

    def drain(self, max_rounds: int = 10_000) -> None:
        for _ in range(max_rounds):
            if sum(self.step(stage) for stage in STAGES) == 0 and not self.wait_visibility_timeout():
                return
        raise RuntimeError("the pipeline did not settle")


def s3_event(bucket: str, key: str, version_id: str) -> str:
    """The EventBridge event S3 sends for a new object version (as moto sends it, key not encoded)."""
    detail = {"bucket": {"name": bucket}, "object": {"key": key, "size": 1, "version-id": version_id}}
    return json.dumps({"version": "0", "detail-type": "Object Created", "source": "aws.s3", "detail": detail})
