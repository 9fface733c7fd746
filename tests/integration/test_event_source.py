"""Lambda's SQS event source as the local runner and `articleflow serve` play it, on moto."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from articleflow.adapters.aws import client, reset_clients
from articleflow.topology import MAX_RECEIVE_COUNT, STAGES_BY_NAME, Stage
from articleflow_dev.local.event_source import (
    InvocationTimedOut,
    LocalLambdaContext,
    Mapping,
    SqsEventSource,
    time_limit,
)
from articleflow_dev.local.provision import QueueInfo, create_queue_with_dlq

pytestmark = pytest.mark.integration

INGEST = STAGES_BY_NAME["ingest"]


@pytest.fixture
def queues(monkeypatch) -> Iterator[tuple[QueueInfo, QueueInfo]]:
    from moto import mock_aws

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        reset_clients()
        # A one-second visibility timeout, so "after the visibility timeout" comes quickly.
        yield create_queue_with_dlq("work", "work-dlq", visibility_timeout=1)
    reset_clients()


class Recorder:
    """A handler that records what it was given and answers as told."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.batches: list[list[str]] = []
        self.contexts: list[LocalLambdaContext] = []

    def __call__(self, stage: Stage, event: dict[str, Any], context: LocalLambdaContext) -> dict[str, Any]:
        self.batches.append([record["body"] for record in event["Records"]])
        self.contexts.append(context)
        result: dict[str, Any] = self.answer(event)
        return result


def source(queue: QueueInfo, handler: Recorder, timeout: float = 30, **options: Any) -> SqsEventSource:
    mapping = Mapping(INGEST, queue, "us-east-1", "articleflow-test-ingest", timeout_seconds=timeout)
    options.setdefault("log_stream", io.StringIO())
    return SqsEventSource([mapping], handler, **options)


def send(queue: QueueInfo, *bodies: str) -> None:
    for body in bodies:
        client("sqs").send_message(QueueUrl=queue.url, MessageBody=body)


def dlq_bodies(dlq: QueueInfo) -> list[str]:
    messages = client("sqs").receive_message(QueueUrl=dlq.url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(message["Body"] for message in messages)


def test_a_batch_is_the_lambda_event_and_successes_are_deleted(queues):
    queue, _ = queues
    send(queue, "a", "b", "c")
    handler = Recorder(lambda event: {"batchItemFailures": []})
    events = source(queue, handler)
    assert events.poll_all()[0].received == 3
    assert sorted(handler.batches[0]) == ["a", "b", "c"]
    context = handler.contexts[0]
    assert context.function_name == "articleflow-test-ingest"
    assert context.invoked_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:articleflow-test-ingest"
    assert 0 < context.get_remaining_time_in_millis() <= 30_000
    assert events.pending() == 0


def fail_poison(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "poison"]
    }


def test_a_failed_message_waits_out_the_queues_visibility_timeout(queues):
    queue, _ = queues
    sqs = client("sqs")
    sqs.set_queue_attributes(QueueUrl=queue.url, Attributes={"VisibilityTimeout": "600"})
    send(queue, "good", "poison")
    handler = Recorder(fail_poison)
    events = source(queue, handler)  # retry_after None: the queue's own visibility timeout, as on AWS
    events.poll_all()
    assert events.pending() == 1  # the poison message is in flight, invisible
    assert events.poll_all()[0].received == 0  # not retried at once
    assert handler.batches[1:] == []


def test_a_partial_failure_is_retried_then_dead_lettered_after_the_max_receive_count(queues):
    queue, dlq = queues  # its visibility timeout is 1 s
    send(queue, "good", "poison")
    handler = Recorder(fail_poison)
    events = source(queue, handler)
    events.run_until_settled()
    assert sorted(handler.batches[0]) == ["good", "poison"]
    assert handler.batches[1:] == [["poison"]] * (MAX_RECEIVE_COUNT - 1)
    assert dlq_bodies(dlq) == ["poison"]
    assert events.stats.failed_records == MAX_RECEIVE_COUNT


def test_a_handler_that_raises_fails_the_whole_batch(queues):
    queue, dlq = queues
    send(queue, "a", "b")

    def crash(event: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionError("S3 is unavailable")

    log = io.StringIO()
    events = source(queue, Recorder(crash), retry_after=0, log_stream=log)
    events.run_until_settled()
    assert dlq_bodies(dlq) == ["a", "b"]
    assert "ConnectionError" in log.getvalue()


def test_an_unknown_item_identifier_fails_the_whole_batch_as_on_lambda(queues):
    queue, _ = queues
    send(queue, "a")
    events = source(queue, Recorder(lambda event: {"batchItemFailures": [{"itemIdentifier": "nope"}]}), retry_after=0)
    assert events.poll_all()[0].failed == 1


def test_an_invocation_past_its_timeout_is_stopped_and_its_environment_replaced(queues):
    queue, dlq = queues
    send(queue, "slow")
    replaced: list[str] = []

    def sleep_past_the_timeout(event: dict[str, Any]) -> dict[str, Any]:
        time.sleep(30)
        return {"batchItemFailures": []}

    events = source(queue, Recorder(sleep_past_the_timeout), timeout=0.2, retry_after=0, on_timeout=replaced.append)
    (result,) = events.poll_all()
    assert result.timed_out and result.failed == 1
    assert "timed out after 0.2 s" in str(result.error)
    assert replaced == [INGEST]
    events.run_until_settled()
    assert dlq_bodies(dlq) == ["slow"]
    assert events.stats.timeouts == MAX_RECEIVE_COUNT


def test_the_time_limit_cannot_be_swallowed_by_the_handlers_own_except_exception():
    caught = []
    with pytest.raises(InvocationTimedOut), time_limit(0.1):
        try:
            time.sleep(5)
        except Exception as error:  # what the stage runtime does around each record
            caught.append(error)
    assert caught == []


def test_serve_loop_stops_after_the_batch_in_hand(queues):
    queue, _ = queues
    send(queue, "a")
    stop = threading.Event()

    def stop_while_working(event: dict[str, Any]) -> dict[str, Any]:
        stop.set()  # as SIGTERM would, in the middle of an invocation
        return {"batchItemFailures": []}

    handler = Recorder(stop_while_working)
    source(queue, handler).run_until_stopped(stop)
    assert handler.batches == [["a"]]
    assert client("sqs").receive_message(QueueUrl=queue.url).get("Messages", []) == []  # finished: deleted
