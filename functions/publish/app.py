"""Publish: send the finished article to the publish topic and keep a copy under published/."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.metrics import MetricUnit

from articleflow.adapters import queue, state, storage
from articleflow.core.publish import build_message, publish_payload
from articleflow.models.events import ObjectRef
from articleflow.models.records import TaggedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import PUBLISHED_PREFIX


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    record = TaggedRecord.model_validate_json(storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    table = ctx.settings.table_name
    if not state.is_publishable(table, record.article_id, record.revision):
        return Outcome.SUPERSEDED
    message = build_message(record, datetime.now(UTC), ctx.stage_run())
    document = message.model_dump_json()
    key = f"{PUBLISHED_PREFIX}{record.article_id}/r{record.revision:06d}.json"
    version_id = storage.put_json(ref.bucket, key, document)
    body, attributes = publish_payload(message, document, ref.bucket, key, version_id)
    queue.publish_to_topic(ctx.settings.require_publish_topic_arn(), body, attributes)
    state.record_published(table, record.article_id, record.revision)
    if record.uploaded_at is not None:  # the on-call dashboard's upload-to-publish latency
        latency_ms = (datetime.now(UTC) - record.uploaded_at).total_seconds() * 1000
        ctx.add_metric("EndToEndLatency", MetricUnit.Milliseconds, max(latency_ms, 0.0))
    return Outcome.WRITTEN


runtime = StageRuntime("publish", process)
lambda_handler = runtime.handler
