"""Normalize: turn an ingested record (any supported format) into a structured article."""

from __future__ import annotations

from articleflow.core.decoding import preload
from articleflow.core.formats import EXTRACTION_LIBRARIES
from articleflow.core.normalize import normalize_upload
from articleflow.models.events import ObjectRef
from articleflow.models.records import IngestedRecord, NormalizedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import NORMALIZED_PREFIX, lane_of, record_key


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    record = IngestedRecord.model_validate_json(ctx.services.storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    article = normalize_upload(
        record.media_type,
        record.text,
        payload_base64=record.payload_base64,
        language_hint=record.metadata.language,
        title_hint=record.metadata.title,
        encoding=record.encoding,
    )
    envelope = record.model_dump(exclude={"media_type", "encoding", "text", "payload_base64", "repairs", "processing"})
    normalized = NormalizedRecord(**envelope, article=article, processing=[*record.processing, ctx.stage_run()])
    key = record_key(NORMALIZED_PREFIX, record.article_id, record.revision, lane_of(ref.key))
    if not ctx.services.storage.create_json(ref.bucket, key, normalized.model_dump_json()):
        return Outcome.ALREADY_WRITTEN  # a retry: rewriting it would run the later stages again
    return Outcome.WRITTEN


runtime = StageRuntime("normalize", process, warm_before_snapshot=lambda: preload(EXTRACTION_LIBRARIES))
lambda_handler = runtime.handler
