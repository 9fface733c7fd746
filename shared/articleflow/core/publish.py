"""Build the published message from a tagged record. Pure."""

from __future__ import annotations

from datetime import datetime

from articleflow.core.ninjs import to_ninjs
from articleflow.core.words import word_count
from articleflow.models.message import (
    ArticleMetadata,
    ArticleText,
    PublishedLocation,
    PublishedMessage,
    PublishedPointer,
)
from articleflow.models.records import SourceRef, StageRun, TaggedRecord


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
    )


# SQS takes at most 1 MiB per message, body and attributes together; keep a margin for attributes.
MAX_INLINE_BYTES = 1_048_576 - 8 * 1024


def queue_payload(
    message: PublishedMessage, document: str, bucket: str, key: str, version_id: str | None
) -> tuple[str, dict[str, str]]:
    """The SQS body and attributes for a message.

    A message that fits is sent whole (`payload=inline`). A larger one is sent as a pointer
    to the identical document under published/ (`payload=s3-pointer`), the usual claim-check
    pattern for SQS: consumers read the document from S3.
    """
    attributes = {
        "article_id": message.article_id,
        "revision": str(message.revision),
        "language": message.text.language,
        "schema_version": message.schema_version,
    }
    if len(document.encode("utf-8")) <= MAX_INLINE_BYTES:
        return document, {**attributes, "payload": "inline"}
    pointer = PublishedPointer(
        article_id=message.article_id,
        revision=message.revision,
        content_sha256=message.content_sha256,
        published=PublishedLocation(bucket=bucket, key=key, version_id=version_id),
    )
    return pointer.model_dump_json(), {**attributes, "payload": "s3-pointer"}
