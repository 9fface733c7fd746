"""The published message: the contract downstream systems code against.

Fields may be added; none may be renamed or removed. `schemas/published-message.schema.json`
is generated from these models (`make schema`) and a test fails when it drifts.

The models here are the producer's and stay strict (`extra="forbid"`: a typo in the pipeline
fails loudly). What consumers validate against is open: the generated schemas allow unknown
fields everywhere (`articleflow.models.schema`), and the consumer kit's models keep them.
`schema_version` is semver, MAJOR.MINOR: a minor release only adds (fields, attributes); a
major one would break, and consumers should refuse a major they do not know.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from articleflow.models.article import (
    EXTRACTION,
    PUBLISHED_DATE,
    UPDATED_DATE,
    Byline,
    Caption,
    Direction,
    Model,
    Removed,
    TitleOrigin,
)
from articleflow.models.entities import Entity
from articleflow.models.records import SourceRef, StageRun

# 1.1: the pointer's `document_sha256`; the schemas accept added fields. 1.2: `reprocessed`.
MESSAGE_SCHEMA_VERSION = "1.2"


class ArticleText(Model):
    title: str | None
    title_origin: TitleOrigin
    body: str = Field(description="The story paragraphs joined by a blank line. Entity offsets index this.")
    paragraphs: list[str]
    language: str = Field(description="BCP 47 language tag.")
    script: str = Field(description="ISO 15924 script code, e.g. 'Arab', 'Latn'.")
    direction: Direction
    word_count: int = Field(ge=0)
    standfirst: str | None = Field(default=None, description="Summary or deck below the headline.")
    dateline: str | None = Field(default=None, description="Where (and when) the story was filed, as printed.")


class ArticleMetadata(Model):
    """What the upload said about itself (HTML meta, JSON-LD, front matter, NewsML ...)."""

    published_at: datetime | None = Field(default=None, description="The article's own publication time.")
    updated_at: datetime | None = None
    section: str | None = None
    tags: list[str] = Field(default_factory=list, description="Keywords the publisher gave.")
    subjects: list[str] = Field(default_factory=list, description="Subject codes, e.g. 'medtop:20000232'.")
    media_type: str | None = Field(default=None, description="The upload's format, sniffed from its content.")
    encoding: str | None = Field(default=None, description="The encoding the upload was decoded from.")
    published_date: date | None = Field(default=None, description=PUBLISHED_DATE)
    updated_date: date | None = Field(default=None, description=UPDATED_DATE)
    extraction: str | None = Field(default=None, description=EXTRACTION)


class Reprocessed(Model):
    """Set when this revision was made again from stored records (`articleflow reprocess`), not by an upload."""

    from_stage: str = Field(description="The first stage that ran again: normalize, tag or publish.")
    reason: str | None = None
    previous_revision: int = Field(ge=1, description="The revision that was reprocessed.")
    requested_at: datetime
    stage_versions: dict[str, str] = Field(description="Stage name -> version of each stage that ran again.")


class PublishedMessage(Model):
    schema_version: str = Field(
        default=MESSAGE_SCHEMA_VERSION, description="Semver MAJOR.MINOR; a minor release only adds fields."
    )
    article_id: str = Field(description="Stable for the same incoming key.")
    revision: int = Field(ge=1, description="Goes up by one each time the uploaded content changes.")
    content_sha256: str = Field(description="SHA-256 of the uploaded bytes.")
    published_at: datetime
    source: SourceRef
    text: ArticleText
    captions: list[Caption]
    byline: Byline
    removed: list[Removed] = Field(description="Page furniture taken out of the body, with its kind.")
    entities: list[Entity]
    ninjs: dict[str, Any] = Field(description="The same article as an IPTC ninjs 3.1 document.")
    processing: list[StageRun]
    metadata: ArticleMetadata = Field(default_factory=ArticleMetadata)
    reprocessed: Reprocessed | None = Field(
        default=None, description="Since 1.2: why this revision was made from stored records; null after an upload."
    )


class PublishedLocation(Model):
    bucket: str
    key: str
    version_id: str | None


class PublishedPointer(Model):
    """Sent instead of the message when it exceeds the SNS size limit (attribute `payload=s3-pointer`)."""

    schema_version: str = MESSAGE_SCHEMA_VERSION
    article_id: str
    revision: int = Field(ge=1)
    content_sha256: str
    document_sha256: str | None = Field(
        default=None, description="SHA-256 of the document at `published` (since 1.1): check what you read."
    )
    published: PublishedLocation = Field(description="Where the full PublishedMessage document is.")
