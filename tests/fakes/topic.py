"""The publish topic in memory (a `Topic`): what was sent, in order, once per deduplication id."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from articleflow.core.publish import Attributes, Delivery


@dataclass(frozen=True)
class SentMessage:
    topic_arn: str
    body: str
    attributes: Attributes
    message_id: str
    delivery: Delivery


class FakeTopic:
    """Like a FIFO topic inside its deduplication window: a repeated deduplication id is accepted
    (the same message id comes back) and not delivered again."""

    def __init__(self, journal: list[str] | None = None) -> None:
        self.sent: list[SentMessage] = []
        self.journal = journal if journal is not None else []
        self._ids = itertools.count(1)
        self._by_deduplication_id: dict[str, str] = {}

    def publish_to_topic(self, topic_arn: str, body: str, attributes: Attributes, delivery: Delivery) -> str:
        self.journal.append("publish")
        if delivery.deduplication_id in self._by_deduplication_id:
            return self._by_deduplication_id[delivery.deduplication_id]
        message_id = f"m{next(self._ids)}"
        self._by_deduplication_id[delivery.deduplication_id] = message_id
        self.sent.append(SentMessage(topic_arn, body, dict(attributes), message_id, delivery))
        return message_id
