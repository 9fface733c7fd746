"""Normalize: turn an ingested record's text into a structured article."""

from __future__ import annotations

from articleflow.adapters import storage
from articleflow.core.errors import RejectedInput
from articleflow.core.normalize import normalize_text
from articleflow.models.events import ObjectRef
from articleflow.models.records import IngestedRecord, NormalizedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import NORMALIZED_PREFIX

SUPPORTED_MEDIA_TYPES = {"text/plain"}


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    record = IngestedRecord.model_validate_json(storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    if record.media_type not in SUPPORTED_MEDIA_TYPES:
        raise RejectedInput("unsupported_format", f"{record.media_type} uploads are not supported yet")
    article = normalize_text(record.text, language_hint=record.metadata.language, title_hint=record.metadata.title)
    if not article.paragraphs:
        raise RejectedInput("empty", "no article text is left after removing page furniture")
    envelope = record.model_dump(exclude={"media_type", "encoding", "text", "processing"})
    normalized = NormalizedRecord(**envelope, article=article, processing=[*record.processing, ctx.stage_run()])
    key = f"{NORMALIZED_PREFIX}{record.article_id}/r{record.revision:06d}.json"
    storage.put_json(ref.bucket, key, normalized.model_dump_json())
    return Outcome.WRITTEN


runtime = StageRuntime("normalize", process)
lambda_handler = runtime.handler
