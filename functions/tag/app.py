"""Tag: find the entities in a normalized article with the configured tagger backend."""

from __future__ import annotations

from articleflow.adapters import storage
from articleflow.core.tagging import get_tagger
from articleflow.models.events import ObjectRef
from articleflow.models.records import NormalizedRecord, TaggedRecord
from articleflow.runtime.stage import Outcome, StageContext, StageRuntime
from articleflow.topology import TAGGED_PREFIX


def process(ref: ObjectRef, ctx: StageContext) -> Outcome:
    record = NormalizedRecord.model_validate_json(storage.get_bytes(ref.bucket, ref.key, ref.version_id))
    ctx.set_article(record.article_id)
    entities = tagger.tag(record.article)
    tagged = TaggedRecord(
        **record.model_dump(exclude={"processing"}),
        entities=entities,
        processing=[*record.processing, ctx.stage_run()],
    )
    key = f"{TAGGED_PREFIX}{record.article_id}/r{record.revision:06d}.json"
    storage.put_json(ref.bucket, key, tagged.model_dump_json())
    return Outcome.WRITTEN


runtime = StageRuntime("tag", process)
tagger = get_tagger(runtime.settings.tagger_backend)  # loaded once per execution environment
lambda_handler = runtime.handler
