"""Records the stages write to S3 for the next stage. Internal, but versioned all the same."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from articleflow.models.article import Model, NormalizedArticle
from articleflow.models.entities import Entity

RECORD_SCHEMA_VERSION = "1"


class SourceRef(Model):
    bucket: str
    key: str = Field(description="The uploaded object's key, decoded.")
    version_id: str | None = None
    publisher: str | None = None
    url: str | None = None


class StageRun(Model):
    stage: str
    version: str
    duration_ms: float


class PublisherMetadata(Model):
    """What the publisher set as S3 object metadata (x-amz-meta-*)."""

    publisher: str | None = None
    source_url: str | None = None
    language: str | None = None
    title: str | None = None


class ReprocessRequest(Model):
    """Why a revision was made from stored records rather than an upload (`articleflow reprocess`)."""

    from_stage: str = Field(description="The first stage that ran again: normalize, tag or publish.")
    reason: str | None = None
    request_id: str = Field(description="Same stage and reason, same id: what makes a reprocess idempotent.")
    previous_revision: int = Field(ge=1, description="The revision whose stored record was reprocessed.")
    requested_at: datetime


class Envelope(Model):
    schema_version: str = RECORD_SCHEMA_VERSION
    article_id: str
    revision: int = Field(ge=1)
    content_sha256: str
    source: SourceRef
    metadata: PublisherMetadata = Field(default_factory=PublisherMetadata)
    received_at: datetime
    # When the upload landed in S3 (its Last-Modified): publish measures end-to-end latency from it.
    uploaded_at: datetime | None = None
    processing: list[StageRun] = Field(default_factory=list)
    reprocessed: ReprocessRequest | None = None  # set on a revision made by `articleflow reprocess`


class IngestedRecord(Envelope):
    media_type: str = Field(description="Sniffed from the content, e.g. 'text/plain'.")
    encoding: str = Field(description="Encoding the upload was decoded from ('binary' for a .docx).")
    text: str = Field(description="The decoded text; empty for a binary container format (.docx).")
    payload_base64: str | None = Field(
        default=None,
        description="The upload's bytes, base64, for binary container formats (.docx) only.",
    )
    repairs: list[str] = Field(
        default_factory=list, description="Repairs made while decoding, e.g. 'mojibake:windows-1252'."
    )


class NormalizedRecord(Envelope):
    article: NormalizedArticle


class TaggedRecord(NormalizedRecord):
    entities: list[Entity] = Field(default_factory=list)
