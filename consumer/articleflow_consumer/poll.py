"""Long-poll an SQS queue and hand each article to a function; delete it once that returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from articleflow_consumer.errors import ConsumerError
from articleflow_consumer.message import Article
from articleflow_consumer.records import read_article

MAX_LONG_POLL_SECONDS = 20  # SQS's limit for WaitTimeSeconds
SQS_MAX_BATCH = 10


@dataclass
class PollResult:
    handled: int = 0
    unreadable: int = 0


def poll(
    sqs: Any,
    queue_url: str,
    handle: Callable[[Article], object],
    *,
    s3: Any = None,
    wait: int = MAX_LONG_POLL_SECONDS,
    max_messages: int | None = None,
    delete: bool = True,
    until_empty: bool = True,
    on_unreadable: Callable[[dict[str, Any], ConsumerError], None] | None = None,
) -> PollResult:
    """Receive, read (pointers resolved), `handle`, then delete; until a poll brings nothing.

    A message that cannot be read is left on the queue (it returns after the visibility timeout
    and, after the queue's maxReceiveCount, goes to its DLQ) and reported to `on_unreadable`. An
    exception from `handle` propagates with its message undeleted, so it is delivered again.
    `until_empty=False` keeps polling forever (a daemon).
    """
    result = PollResult()
    while max_messages is None or result.handled < max_messages:
        wanted = SQS_MAX_BATCH if max_messages is None else min(SQS_MAX_BATCH, max_messages - result.handled)
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=wanted, WaitTimeSeconds=wait, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not messages and until_empty:
            break
        for message in messages:
            try:
                article = read_article(message, s3)
            except ConsumerError as error:
                result.unreadable += 1
                if on_unreadable is not None:
                    on_unreadable(message, error)
                continue
            handle(article)
            result.handled += 1
            if delete:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return result
