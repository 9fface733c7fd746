"""Ingest: validate an upload under incoming/, decode it, give it an id and a revision."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from articleflow.core.decoding import DECODING_LIBRARIES, preload
from articleflow.core.ingest import article_id_for, check_size, inspect_upload
from articleflow.core.metadata import decode_metadata
from articleflow.core.ports import ObjectHead, ObjectStore
from articleflow.models.events import ObjectRef
from articleflow.models.records import IngestedRecord, PublisherMetadata, SourceRef
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import INGESTED_PREFIX, lane_of, live_key, record_key


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    article_id = article_id_for(live_key(ref.key))  # a backfilled copy is the article its key names
    ctx.set_article(article_id)
    storage, state = ctx.services.storage, ctx.services.state
    current = storage.head(ref.bucket, ref.key)
    if current is None or not _names(ref, current):
        return Outcome.SUPERSEDED  # deleted or re-uploaded since: the newer event carries the work
    check_size(current.size, ctx.settings.max_upload_bytes)  # before reading a byte of it
    data = storage.get_bytes(ref.bucket, ref.key, ref.version_id)
    upload = inspect_upload(data, ctx.settings.max_upload_bytes, key=ref.key, content_type=current.content_type)
    table = ctx.settings.table_name
    claim = state.claim_revision(
        table, article_id, upload.content_sha256, ref.version_id, is_current=lambda: _is_current(storage, ref)
    )
    if claim is None:
        return Outcome.SUPERSEDED
    if not claim.needs_record:
        return Outcome.UNCHANGED
    decoded = decode_metadata(current.metadata)  # non-ASCII values arrive as RFC 2047 encoded words
    for warning in decoded.warnings:
        ctx.logger.warning(warning)
    meta = decoded.values
    record = IngestedRecord(
        article_id=article_id,
        revision=claim.revision,
        content_sha256=upload.content_sha256,
        source=SourceRef(
            bucket=ref.bucket,
            key=ref.key,
            version_id=ref.version_id,
            publisher=meta.get("publisher"),
            url=meta.get("source-url"),
        ),
        metadata=PublisherMetadata(
            publisher=meta.get("publisher"),
            source_url=meta.get("source-url"),
            language=meta.get("language"),
            title=meta.get("title"),
        ),
        received_at=datetime.now(UTC),
        uploaded_at=current.last_modified,
        media_type=upload.media_type,
        encoding=upload.encoding,
        text=upload.text,
        payload_base64=base64.b64encode(upload.payload).decode("ascii") if upload.payload else None,
        repairs=upload.repairs,
        processing=[ctx.stage_run()],
    )
    key = record_key(INGESTED_PREFIX, article_id, claim.revision, lane_of(ref.key))
    # Written once per revision: an earlier attempt that wrote it and failed before its claim was
    # done leaves the record for this one to finish.
    written = storage.create_json(ref.bucket, key, record.model_dump_json())
    state.record_ingested(table, article_id, claim.revision)  # only now is the claim done
    return Outcome.WRITTEN if written else Outcome.ALREADY_WRITTEN


def _names(ref: ObjectRef, current: ObjectHead) -> bool:
    """Whether the event names the key's current version."""
    return not ref.version_id or current.version_id == ref.version_id


def _is_current(storage: ObjectStore, ref: ObjectRef) -> bool:
    current = storage.head(ref.bucket, ref.key)
    return current is not None and _names(ref, current)


runtime = StageRuntime("ingest", process, warm_before_snapshot=lambda: preload(DECODING_LIBRARIES))
lambda_handler = runtime.handler
