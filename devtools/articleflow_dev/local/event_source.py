"""Lambda's SQS event source mapping, played locally for the four real handlers.

As on AWS (and as `template.yaml` configures it): each stage's queue is polled for batches of up
to the stage's batch size; the handler gets the same event shape and a context whose remaining
time runs down; the messages it reports in `batchItemFailures` (all of them when it raises or
runs past its timeout) stay on the queue and come back when their visibility timeout ends, and
SQS's own redrive policy moves a message to the DLQ after `MAX_RECEIVE_COUNT` receives.

Differences from AWS, on purpose: one invocation at a time (no concurrency), short polling, and
`retry_after` can shorten the wait before a failed message is retried (the local runner waits
one second instead of the template's minutes; `articleflow serve` waits the queue's own timeout).
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote_plus

from articleflow.adapters.aws import client
from articleflow.topology import Stage
from articleflow_dev.local.provision import QueueInfo

LOCAL_ACCOUNT_ID = "123456789012"  # moto's default account
# SQS returns at most 10 messages per ReceiveMessage; a bigger batch size would take several.
SQS_MAX_RECEIVE = 10


class InvocationTimedOut(BaseException):
    """Raised inside a handler whose invocation ran past its timeout.

    A BaseException, so the handler's own `except Exception` cannot swallow it: like Lambda
    stopping the function, it ends the whole invocation.
    """


@dataclass
class LocalLambdaContext:
    """The parts of Lambda's context object a handler reads; the remaining time runs down."""

    function_name: str
    memory_limit_in_mb: int
    deadline: float  # time.monotonic() at which the invocation times out
    region: str = "us-east-1"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{LOCAL_ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class Mapping:
    """One event source mapping: a stage's queue to its function."""

    stage: Stage
    queue: QueueInfo
    region: str
    function_name: str
    timeout_seconds: float  # the function's timeout (the template's Timeout)

    @property
    def batch_size(self) -> int:
        return min(self.stage.batch_size, SQS_MAX_RECEIVE)


@dataclass
class BatchResult:
    stage: str
    received: int
    failed: int = 0
    timed_out: bool = False
    error: str | None = None


@dataclass
class PumpStats:
    invocations: int = 0
    records: int = 0
    failed_records: int = 0
    timeouts: int = 0


Invoke = Callable[[Stage, dict[str, Any], LocalLambdaContext], dict[str, Any]]


def aws_encoded_body(body: str) -> str:
    """An S3 event from moto as AWS sends it: AWS URL-encodes the key (a space as `+`), moto does not."""
    try:
        event = json.loads(body)
        event["detail"]["object"]["key"] = quote_plus(event["detail"]["object"]["key"], safe="/")
    except (ValueError, TypeError, KeyError):
        return body  # not an S3 event: handed on as it is, for the handler to reject
    return json.dumps(event)


def sqs_event(records: list[dict[str, Any]], queue: QueueInfo, region: str = "us-east-1") -> dict[str, Any]:
    """The event Lambda's SQS event source hands a function (S3 keys encoded as AWS does)."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": aws_encoded_body(message["Body"]),
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue.arn,
                "awsRegion": region,
            }
            for message in records
        ]
    }


def log_json(stream: IO[str], level: str, message: str, **fields: Any) -> None:
    """One JSON log line, the shape the handlers' own logs have."""
    entry = {"level": level, "message": message, "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    print(json.dumps({**entry, **fields}, ensure_ascii=False, default=str), file=stream, flush=True)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise InvocationTimedOut in the block once `seconds` have passed.

    A real-time timer signal, as close as a process gets to Lambda stopping a function; Python
    delivers signals to the main thread only, so elsewhere the block runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise InvocationTimedOut(f"the invocation timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def queue_depth(queue_url: str) -> int:
    """The messages on a queue, waiting or in flight."""
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return sum(int(value) for value in attributes.values())


class SqsEventSource:
    """Polls every mapping's queue and invokes its function, as Lambda's event source would."""

    def __init__(
        self,
        mappings: list[Mapping],
        invoke: Invoke,
        *,
        log_stream: IO[str],
        retry_after: float | None = None,
        on_timeout: Callable[[Stage], None] | None = None,
    ) -> None:
        self.mappings = mappings
        self.invoke = invoke
        self.log_stream = log_stream
        self.retry_after = retry_after
        # Lambda discards an execution environment whose invocation timed out.
        self.on_timeout = on_timeout
        self.stats = PumpStats()

    def poll(self, mapping: Mapping) -> BatchResult:
        """One poll of one queue and, when it returned messages, one invocation."""
        sqs = client("sqs")
        messages = sqs.receive_message(
            QueueUrl=mapping.queue.url,
            MaxNumberOfMessages=mapping.batch_size,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        result = BatchResult(mapping.stage.name, len(messages))
        if not messages:
            return result
        context = LocalLambdaContext(
            function_name=mapping.function_name,
            memory_limit_in_mb=mapping.stage.memory_mb,
            deadline=time.monotonic() + mapping.timeout_seconds,
            region=mapping.region,
        )
        ids = {message["MessageId"] for message in messages}
        try:
            with time_limit(mapping.timeout_seconds):
                response = self.invoke(mapping.stage, sqs_event(messages, mapping.queue, mapping.region), context)
            failed = {item.get("itemIdentifier") for item in response.get("batchItemFailures", [])}
            if not failed <= ids:  # Lambda's rule: an identifier it cannot match fails the whole batch
                failed = ids
        except InvocationTimedOut as timeout:
            result.timed_out, result.error, failed = True, str(timeout), ids
            self.stats.timeouts += 1
            if self.on_timeout:
                self.on_timeout(mapping.stage)
        except Exception as error:  # a handler that raises fails the whole batch, as on Lambda
            result.error, failed = repr(error), ids
        result.failed = len(failed)
        self.stats.invocations += 1
        self.stats.records += len(messages)
        self.stats.failed_records += len(failed)
        if result.error:
            log_json(self.log_stream, "ERROR", "invocation failed", function=mapping.function_name, error=result.error)
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=mapping.queue.url, ReceiptHandle=message["ReceiptHandle"])
            elif self.retry_after is not None:
                # Otherwise it stays invisible for the queue's own visibility timeout, as on AWS.
                sqs.change_message_visibility(
                    QueueUrl=mapping.queue.url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=math.ceil(self.retry_after),
                )
        return result

    def poll_all(self, stop: threading.Event | None = None) -> list[BatchResult]:
        """Poll each stage once, in pipeline order; stops between batches once `stop` is set."""
        results = []
        for mapping in self.mappings:
            if stop is not None and stop.is_set():
                break
            results.append(self.poll(mapping))
        return results

    def pending(self) -> int:
        """Messages on the stage queues, waiting or in flight (invisible until a retry)."""
        return sum(queue_depth(mapping.queue.url) for mapping in self.mappings)

    def run_until_settled(
        self, *, idle_wait: float = 0.1, max_busy_rounds: int = 10_000, after_round: Callable[[], None] | None = None
    ) -> PumpStats:
        """Poll until no stage queue holds a message (waiting out retries); the local runner's loop."""
        busy_rounds = 0
        while True:
            received = sum(result.received for result in self.poll_all())
            if after_round:
                after_round()
            if not received:
                if not self.pending():
                    return self.stats
                time.sleep(idle_wait)  # every message left is invisible until its retry
                continue
            busy_rounds += 1
            if busy_rounds > max_busy_rounds:
                # Every busy round moves a message forward or toward its DLQ: only a bug gets here.
                raise RuntimeError(f"the pipeline did not settle after {max_busy_rounds} busy rounds")

    def run_until_stopped(self, stop: threading.Event, *, idle_wait: float = 0.2) -> PumpStats:
        """Poll until `stop` is set, finishing the batch in hand; `articleflow serve`'s loop."""
        while not stop.is_set():
            if not any(result.received for result in self.poll_all(stop)):
                stop.wait(idle_wait)
        return self.stats
