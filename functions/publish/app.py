"""Publish: send the finished article to the publish topic and keep a copy under published/."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError

from articleflow.core.publish import build_message, delivery_for, publish_payload
from articleflow.models.events import ObjectRef
from articleflow.models.records import TaggedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import PUBLISHED_PREFIX, record_key


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    storage, state = ctx.services.storage, ctx.services.state
    record = TaggedRecord.model_validate_json(storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    table = ctx.settings.table_name
    # The same input keeps its sender token across retries, so a retry may resume its own intent.
    token = hashlib.sha256(f"{ref.bucket}\n{ref.key}\n{ref.version_id or ''}".encode()).hexdigest()
    now = time.time()
    if not state.begin_send(
        table, record.article_id, record.revision, token, now=now, until=now + ctx.stage.timeout_seconds
    ):
        return Outcome.SUPERSEDED  # a newer revision exists, or this one was already sent
    message = build_message(record, datetime.now(UTC), ctx.stage_run())
    document = message.model_dump_json()
    key = record_key(PUBLISHED_PREFIX, record.article_id, record.revision)
    version_id = storage.put_json(ref.bucket, key, document)
    body, attributes = publish_payload(message, document, ref.bucket, key, version_id)
    delivery = delivery_for(record.article_id, record.revision)
    ctx.services.topic.publish_to_topic(ctx.settings.require_publish_topic_arn(), body, attributes, delivery)
    try:
        state.finish_send(table, record.article_id, record.revision, token)
    except (ClientError, BotoCoreError):
        # Sent: failing the record now would send it again on the retry. The intent stays until
        # its lease ends; then the next revision's publish goes ahead (it never resends this one).
        ctx.logger.warning("sent, but the send could not be recorded", exc_info=True)
    if record.uploaded_at is not None:  # the on-call dashboard's upload-to-publish latency
        latency_ms = (datetime.now(UTC) - record.uploaded_at).total_seconds() * 1000
        ctx.add_metric("EndToEndLatency", MetricUnit.Milliseconds, max(latency_ms, 0.0))
    return Outcome.WRITTEN


runtime = StageRuntime("publish", process)
lambda_handler = runtime.handler
