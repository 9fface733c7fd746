"""The publish topic in memory (a `Topic`): what was sent, in order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from articleflow.core.publish import Attributes


@dataclass(frozen=True)
class SentMessage:
    topic_arn: str
    body: str
    attributes: Attributes
    message_id: str


class FakeTopic:
    def __init__(self, journal: list[str] | None = None) -> None:
        self.sent: list[SentMessage] = []
        self.journal = journal if journal is not None else []
        self._ids = itertools.count(1)

    def publish_to_topic(self, topic_arn: str, body: str, attributes: Attributes) -> str:
        message_id = f"m{next(self._ids)}"
        self.sent.append(SentMessage(topic_arn, body, dict(attributes), message_id))
        self.journal.append("publish")
        return message_id
