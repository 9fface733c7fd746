"""Build the published message from a tagged record. Pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from articleflow.core.ninjs import to_ninjs
from articleflow.core.text.words import word_count
from articleflow.models.message import (
    ArticleMetadata,
    ArticleText,
    PublishedLocation,
    PublishedMessage,
    PublishedPointer,
    Reprocessed,
)
from articleflow.models.records import SourceRef, StageRun, TaggedRecord
from articleflow.topology import STAGES


def build_message(record: TaggedRecord, published_at: datetime, publish_run: StageRun) -> PublishedMessage:
    article = record.article
    source_url = record.metadata.source_url or article.source_url
    publisher = record.metadata.publisher
    source = SourceRef(
        bucket=record.source.bucket,
        key=record.source.key,
        version_id=record.source.version_id,
        publisher=publisher,
        url=source_url,
    )
    body = article.body
    return PublishedMessage(
        article_id=record.article_id,
        revision=record.revision,
        content_sha256=record.content_sha256,
        published_at=published_at,
        source=source,
        text=ArticleText(
            title=article.title,
            title_origin=article.title_origin,
            body=body,
            paragraphs=article.paragraphs,
            language=article.language,
            script=article.script,
            direction=article.direction,
            word_count=word_count(body),
            standfirst=article.standfirst,
            dateline=article.dateline,
        ),
        captions=article.captions,
        byline=article.byline,
        removed=article.removed,
        entities=record.entities,
        ninjs=to_ninjs(
            article_id=record.article_id,
            revision=record.revision,
            content_sha256=record.content_sha256,
            article=article,
            entities=record.entities,
            published_at=published_at,
            publisher=publisher,
            source_url=source_url,
        ),
        processing=[*record.processing, publish_run],
        metadata=ArticleMetadata(
            published_at=article.published_at,
            updated_at=article.updated_at,
            section=article.section,
            tags=article.tags,
            subjects=article.subjects,
            media_type=article.media_type,
            encoding=article.encoding,
            published_date=article.published_date,
            updated_date=article.updated_date,
            extraction=article.extraction,
        ),
        reprocessed=_reprocessed(record, publish_run),
    )


def _reprocessed(record: TaggedRecord, publish_run: StageRun) -> Reprocessed | None:
    request = record.reprocessed
    if request is None:
        return None
    stage_names = [stage.name for stage in STAGES]
    rerun = set(stage_names[stage_names.index(request.from_stage) :])
    runs = [*record.processing, publish_run]
    return Reprocessed(
        from_stage=request.from_stage,
        reason=request.reason,
        previous_revision=request.previous_revision,
        requested_at=request.requested_at,
        stage_versions={run.stage: run.version for run in runs if run.stage in rerun},
    )


# SNS takes at most 256 KiB per message: the body plus every attribute's name, type and value.
SNS_MAX_MESSAGE_BYTES = 256 * 1024

# An attribute is a string or, for a set consumers filter on, a list (sent as `String.Array`).
Attributes = dict[str, str | list[str]]


def message_attributes(message: PublishedMessage) -> Attributes:
    """What subscribers filter on (SNS filter policies), besides `payload`.

    Optional values are left out rather than sent empty (SNS rejects empty values, and an
    absent attribute is what a policy's `{"exists": false}` matches). At most 9 attributes
    with `payload`: raw delivery to SQS carries 10 at most.
    """
    attributes: Attributes = {
        "article_id": message.article_id,
        "revision": str(message.revision),
        "language": message.text.language,
        "schema_version": message.schema_version,
    }
    if message.source.publisher:
        attributes["publisher"] = message.source.publisher
    if message.metadata.section:
        attributes["section"] = message.metadata.section
    entity_types: list[str] = sorted({entity.type for entity in message.entities})
    entity_ids = sorted({entity.id for entity in message.entities if entity.id})
    if entity_types:
        attributes["entity_types"] = entity_types
    if entity_ids:
        attributes["entity_ids"] = entity_ids
    return attributes


def attribute_type(value: str | list[str]) -> str:
    return "String.Array" if isinstance(value, list) else "String"


def attribute_value(value: str | list[str]) -> str:
    """The attribute's wire value: a String.Array is a JSON array in a string."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def attributes_size(attributes: Attributes) -> int:
    """Bytes the attributes count toward the SNS message limit."""
    return sum(
        len(f"{name}{attribute_type(value)}{attribute_value(value)}".encode()) for name, value in attributes.items()
    )


@dataclass(frozen=True)
class Delivery:
    """How the FIFO topic delivers a message: in order within its group, once per deduplication id."""

    group_id: str
    deduplication_id: str


def delivery_for(article_id: str, revision: int) -> Delivery:
    """One message group per article (its revisions stay in order) and one deduplication id per revision."""
    return Delivery(group_id=article_id, deduplication_id=f"{article_id}:r{revision:06d}")


def publish_payload(
    message: PublishedMessage, document: str, bucket: str, key: str, version_id: str | None
) -> tuple[str, Attributes]:
    """The SNS body and attributes for a message.

    A message that fits in one SNS message with its attributes is sent whole (`payload=inline`).
    A larger one is sent as a pointer to the identical document under published/
    (`payload=s3-pointer`), the usual claim-check pattern: consumers read the document from S3
    and can check it against `document_sha256`.
    """
    attributes = message_attributes(message)
    inline = {**attributes, "payload": "inline"}
    encoded = document.encode("utf-8")
    if len(encoded) + attributes_size(inline) <= SNS_MAX_MESSAGE_BYTES:
        return document, inline
    pointer = PublishedPointer(
        article_id=message.article_id,
        revision=message.revision,
        content_sha256=message.content_sha256,
        document_sha256=hashlib.sha256(encoded).hexdigest(),
        published=PublishedLocation(bucket=bucket, key=key, version_id=version_id),
    )
    return pointer.model_dump_json(), {**attributes, "payload": "s3-pointer"}
