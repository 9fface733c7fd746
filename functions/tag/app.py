"""Tag: find the entities in a normalized article with the configured tagger backend."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from articleflow.core.tagging import get_default_tagger
from articleflow.models.events import ObjectRef
from articleflow.models.records import NormalizedRecord, TaggedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.runtime.tagger import check_backend, load_tagger
from articleflow.topology import TAGGED_PREFIX, lane_of, record_key


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    record = NormalizedRecord.model_validate_json(ctx.services.storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    entities = tagger.get().tag(record.article)
    tagged = TaggedRecord(
        **record.model_dump(exclude={"processing"}),
        entities=entities,
        processing=[*record.processing, ctx.stage_run()],
    )
    key = record_key(TAGGED_PREFIX, record.article_id, record.revision, lane_of(ref.key))
    if not ctx.services.storage.create_json(ref.bucket, key, tagged.model_dump_json()):
        return Outcome.ALREADY_WRITTEN  # a retry: rewriting it would run the later stages again
    return Outcome.WRITTEN


def _fallback(reason: str) -> None:
    # a backend that could not do its job (unsupported language, no model) and used the offline tagger
    runtime.metrics.add_metric(name="TaggerFallback", unit=MetricUnit.Count, value=1)
    runtime.logger.warning("tagger fell back to the offline tagger", extra={"reason": reason})


def _open_models() -> None:
    # Before a SnapStart snapshot: open the default tagger's Arabic model, which otherwise the first
    # Arabic article in an environment opens.
    get_default_tagger()


runtime = StageRuntime("tag", process, warm_before_snapshot=_open_models)
check_backend(runtime.settings)  # a misconfigured backend fails the init, not every event
# Built once per execution environment, before the SnapStart snapshot (or on the first event): the
# backend, its gazetteer or model (from S3 to /tmp) and the alias table.
tagger = runtime.prepared(lambda: load_tagger(runtime.settings, on_fallback=_fallback))
lambda_handler = runtime.handler
