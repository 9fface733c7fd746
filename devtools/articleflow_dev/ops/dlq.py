"""Dead letters: look at them without consuming them, and move them back to their source queue.

The move uses SQS's own message move task (StartMessageMoveTask) when no `--max` is given and
the endpoint has it; otherwise it receives, sends to the source queue, then deletes from the DLQ.
An interruption between the send and the delete leaves the message in both queues: the DLQ copy
comes back after its visibility timeout and a later redrive sends it again, which the stages
absorb (each is idempotent on the S3 object version it reads, and publish never sends a revision
twice; on the FIFO publish queue the resend carries a deduplication id of its own), so nothing is
lost and nothing is published twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from articleflow.adapters.aws import client, session_client

SQS_MAX_BATCH = 10
# Long enough for a send and a delete; short so that a message left behind by an interrupted
# redrive is visible again soon.
REDRIVE_VISIBILITY_SECONDS = 30
MOVE_TASK_POLL_SECONDS = 1.0
NOT_IMPLEMENTED = ("InvalidAction", "NotImplemented", "UnsupportedOperation")


@dataclass(frozen=True)
class Queues:
    source_url: str
    source_arn: str
    dlq_url: str
    dlq_arn: str


def lookup(source_name: str, dlq_name: str) -> Queues:
    sqs = client("sqs")

    def url_and_arn(name: str) -> tuple[str, str]:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    return Queues(*url_and_arn(source_name), *url_and_arn(dlq_name))


def peek(dlq_url: str) -> Iterator[dict[str, Any]]:
    """Every dead letter once, left on the queue (visibility timeout 0: visible again at once)."""
    seen: set[str] = set()
    while True:
        messages = (
            client("sqs")
            .receive_message(
                QueueUrl=dlq_url,
                MaxNumberOfMessages=SQS_MAX_BATCH,
                VisibilityTimeout=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            .get("Messages", [])
        )
        fresh = [message for message in messages if message["MessageId"] not in seen]
        if not fresh:  # a round with nothing new: all seen
            return
        for message in fresh:
            seen.add(message["MessageId"])
            yield message


def move_with_task(queues: Queues) -> int | None:
    """SQS's message move task; None when the endpoint does not implement it. Returns the count moved."""
    # One attempt: a missing operation answers at once (moto's server: HTTP 500), no point retrying it.
    sqs = session_client("sqs", config=Config(retries={"max_attempts": 1}))
    try:
        sqs.start_message_move_task(SourceArn=queues.dlq_arn, DestinationArn=queues.source_arn)
    except NotImplementedError:  # moto in-process (`articleflow run`'s mock) raises this directly
        return None
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if error.response.get("Error", {}).get("Code") in NOT_IMPLEMENTED or status in (500, 501):
            return None
        raise
    while True:
        tasks = sqs.list_message_move_tasks(SourceArn=queues.dlq_arn, MaxResults=1).get("Results", [])
        if tasks and tasks[0].get("Status") in ("COMPLETED", "CANCELLED", "FAILED"):
            if tasks[0]["Status"] != "COMPLETED":
                raise RuntimeError(f"message move task {tasks[0]['Status']}: {tasks[0].get('FailureReason', '')}")
            return int(tasks[0].get("ApproximateNumberOfMessagesMoved", 0))
        time.sleep(MOVE_TASK_POLL_SECONDS)


def resend(message: dict[str, Any], queue_url: str) -> dict[str, Any]:
    """The SendMessage arguments that put a dead letter back on its source queue.

    A FIFO dead letter (the publish queue's) keeps its message group, so the article's order holds,
    and takes a deduplication id of its own: the original's would be dropped as a duplicate within
    five minutes of the first send, while this one makes a repeated redrive of it a no-op.
    """
    send: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": message["Body"]}
    if message.get("MessageAttributes"):
        send["MessageAttributes"] = message["MessageAttributes"]
    group = message.get("Attributes", {}).get("MessageGroupId")
    if group:
        send["MessageGroupId"] = group
        send["MessageDeduplicationId"] = f"redrive-{message['MessageId']}"
    return send


def move_by_hand(queues: Queues, limit: int | None, on_moved: Callable[[dict[str, Any]], None]) -> int:
    """Receive, send to the source queue, delete: at most `limit` messages. Returns the count moved."""
    sqs, moved = client("sqs"), 0
    while limit is None or moved < limit:
        batch = SQS_MAX_BATCH if limit is None else min(SQS_MAX_BATCH, limit - moved)
        messages = sqs.receive_message(
            QueueUrl=queues.dlq_url,
            MaxNumberOfMessages=batch,
            VisibilityTimeout=REDRIVE_VISIBILITY_SECONDS,
            AttributeNames=["MessageGroupId"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            sqs.send_message(**resend(message, queues.source_url))  # a crash here leaves the DLQ copy, never nothing
            sqs.delete_message(QueueUrl=queues.dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
            on_moved(message)
    return moved
