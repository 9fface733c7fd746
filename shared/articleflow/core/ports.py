"""The ports: what the stages need from the outside world, as small protocols.

The core and the handlers are written against these; `adapters/` implements them on AWS (each
adapter module is itself the implementation: `adapters.storage` is an `ObjectStore`, and so on),
and `tests/fakes/` implements them in memory with the same semantics for unit tests and the bench.
The values and errors that cross a port live here too, so nothing above the adapters imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from articleflow.core.publish import Attributes, Delivery


# -- object storage (S3) -----------------------------------------------------------------------


class ObjectGone(Exception):
    """The object (or the version the event names) no longer exists."""


@dataclass(frozen=True)
class ObjectHead:
    version_id: str | None
    size: int
    content_type: str | None
    metadata: dict[str, str]
    last_modified: datetime | None = None


class ObjectStore(Protocol):
    def head(self, bucket: str, key: str) -> ObjectHead | None:
        """The key's current version, or None when it is gone."""
        ...

    def get_bytes(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        """The object's bytes; `ObjectGone` when that version does not exist."""
        ...

    def put_json(self, bucket: str, key: str, document: str) -> str | None:
        """Write a JSON document; returns the new version id."""
        ...

    def create_json(self, bucket: str, key: str, document: str) -> bool:
        """Write a JSON document unless the key exists; False when it does (an earlier attempt wrote it).

        A stage's record of a revision is written once: a retry that wrote it again would make a new
        object version, and so a new event and a second run of every later stage."""
        ...

    def quarantine(
        self,
        bucket: str,
        key: str,
        version_id: str | None,
        *,
        quarantined_key: str,
        reason_key: str,
        reason: str,
        delete_original: bool,
    ) -> None:
        """Copy the object and a reason document under quarantine/; with `delete_original`, a move."""
        ...


# -- article state (DynamoDB): revisions and sends -----------------------------------------------


class SendInProgress(Exception):
    """Another invocation is sending a revision of this article; SQS retries this one later."""


@dataclass(frozen=True)
class RevisionClaim:
    revision: int
    needs_record: bool  # write the ingested record: new content, or a claim whose record was never written


class ArticleState(Protocol):
    """See adapters/state.py for the semantics every implementation keeps."""

    def claim_revision(
        self,
        table: str,
        article_id: str,
        content_sha256: str,
        version_id: str | None,
        is_current: Callable[[], bool],
        max_attempts: int = 5,
    ) -> RevisionClaim | None: ...

    def record_ingested(self, table: str, article_id: str, revision: int) -> None: ...

    def begin_send(
        self, table: str, article_id: str, revision: int, token: str, *, now: float, until: float
    ) -> bool: ...

    def finish_send(self, table: str, article_id: str, revision: int, token: str) -> None: ...


# -- idempotency claims (DynamoDB) ---------------------------------------------------------------


class ClaimInProgress(Exception):
    """Another invocation holds a live claim on this object version."""


@dataclass(frozen=True)
class Claim:
    """A claim this invocation holds: `complete` it with the outcome, or `release` it."""

    table: str
    item_id: str
    token: str


class IdempotencyClaims(Protocol):
    """See adapters/idempotency.py for the semantics every implementation keeps."""

    def claim(self, table: str, item_id: str, *, now: float, window_seconds: int, deadline: float) -> Claim | str: ...

    def complete(self, held: Claim, outcome: str, *, now: float, window_seconds: int) -> bool: ...

    def release(self, held: Claim) -> bool: ...


# -- the publish topic (SNS) -----------------------------------------------------------------------


class Topic(Protocol):
    def publish_to_topic(self, topic_arn: str, body: str, attributes: Attributes, delivery: Delivery) -> str:
        """Publish one message with its attributes, once per `delivery.deduplication_id`; returns the message id."""
        ...


# -- entity service (Amazon Comprehend) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DetectedEntity:
    """One entity as the service returns it: offsets are characters of the submitted text."""

    type: str
    text: str
    begin: int
    end: int
    score: float


@dataclass(slots=True)
class BatchResult:
    """Entities per submitted index, and the indexes the service failed (index -> error code)."""

    results: dict[int, list[DetectedEntity]] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


class EntityService(Protocol):
    def detect_entities(self, text: str, language: str) -> list[DetectedEntity]: ...

    def batch_detect_entities(self, texts: list[str], language: str) -> BatchResult: ...
