"""Per-stage costs without AWS.

Two levels, on the same synthetic articles (`bench.articles`):

* **core**: the pure function of each stage, as the issue names them: ingest `inspect_upload`
  (size check, BOM/binary checks, UTF-8 decode, format sniff, SHA-256) + `article_id_for`;
  `normalize_text`; the offline tagger's `.tag(article)`; publish `build_message` +
  `model_dump_json()` + `publish_payload`.
* **handler**: the real `process(ref, ctx)` of `functions/<stage>/app.py` with S3, DynamoDB and SNS
  replaced by the in-memory fakes of the tests (`tests/fakes`), so it adds what the Lambda does
  besides the core: reading and validating the previous stage's JSON record (pydantic), building
  and serialising its own.
  Not included: the batch loop and powertools idempotency wrapper and the AWS calls (the embedded pipeline
  run measures those, see `bench.pipeline`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from types import ModuleType
from typing import Any

from articleflow.topology import STAGE_NAMES
from bench.articles import build_article
from bench.env import apply_handler_env

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
BUCKET = "articleflow-bench-articles"


@cache
def offline_tagger() -> Any:
    from articleflow.core.tagging import get_tagger

    return get_tagger("offline")


@dataclass
class Inputs:
    """One article and what each stage receives for it (computed once, outside the timings)."""

    corpus: str
    size: int
    text: str
    data: bytes
    article: Any = None  # NormalizedArticle
    entities: list[Any] = field(default_factory=list)
    tagged: Any = None  # TaggedRecord
    records: dict[str, bytes] = field(default_factory=dict)  # stage -> its input document (S3 body)


def prepare(corpus: str, size: int, *, with_records: bool = True) -> Inputs:
    from articleflow.core.normalize.text import normalize_text
    from articleflow.models.records import (
        PublisherMetadata,
        SourceRef,
        StageRun,
        TaggedRecord,
    )

    text = build_article(corpus, size)
    inputs = Inputs(corpus, size, text, text.encode("utf-8"))
    inputs.article = normalize_text(text)
    inputs.entities = offline_tagger().tag(inputs.article)
    inputs.tagged = TaggedRecord(
        article_id="00000000-0000-5000-8000-000000000000",
        revision=1,
        content_sha256="0" * 64,
        source=SourceRef(bucket=BUCKET, key=f"incoming/{corpus}-{size}.txt", version_id="v1"),
        metadata=PublisherMetadata(),
        received_at=datetime.now(UTC),
        article=inputs.article,
        entities=inputs.entities,
        processing=[StageRun(stage=s, version="bench", duration_ms=1.0) for s in STAGE_NAMES[:3]],
    )
    if with_records:
        inputs.records = handler_chain_records(inputs)
    return inputs


# -- core ------------------------------------------------------------------------------------


def core_calls(inputs: Inputs) -> dict[str, Callable[[], object]]:
    from articleflow.core.ingest import article_id_for, inspect_upload
    from articleflow.core.normalize.text import normalize_text
    from articleflow.core.publish import build_message, publish_payload
    from articleflow.models.records import StageRun

    tagger = offline_tagger()
    now = datetime.now(UTC)
    run = StageRun(stage="publish", version="bench", duration_ms=1.0)
    key = f"published/{inputs.tagged.article_id}/r000001.json"

    def ingest() -> object:
        article_id_for(f"incoming/{inputs.corpus}.txt")
        return inspect_upload(inputs.data, MAX_UPLOAD_BYTES)

    def normalize() -> object:
        return normalize_text(inputs.text)

    def tag() -> object:
        return tagger.tag(inputs.article)

    def publish() -> object:
        message = build_message(inputs.tagged, now, run)
        document = message.model_dump_json()
        return publish_payload(message, document, BUCKET, key, "v1")

    return {"ingest": ingest, "normalize": normalize, "tag": tag, "publish": publish}


def published_bytes(inputs: Inputs) -> int:
    """UTF-8 size of the published message document (what goes to published/ and, inline, to SQS)."""
    from articleflow.core.publish import build_message
    from articleflow.models.records import StageRun

    message = build_message(inputs.tagged, datetime.now(UTC), StageRun(stage="publish", version="b", duration_ms=1))
    return len(message.model_dump_json().encode("utf-8"))


# -- handlers with in-memory AWS ---------------------------------------------------------------


@cache
def handler_module(name: str) -> ModuleType:
    """`functions/<name>/app.py`, imported once (as in one warm execution environment)."""
    apply_handler_env()
    from articleflow.topology import STAGES_BY_NAME
    from articleflow_dev.local.embedded import load_handler_module

    return load_handler_module(STAGES_BY_NAME[name])


def handler_modules() -> dict[str, ModuleType]:
    return {name: handler_module(name) for name in STAGE_NAMES}


class BenchWorld:
    """The shared in-memory fakes (`tests/fakes`) holding each stage's input, for timing `process`.

    Every call starts from the same article state, so a repeated call does the whole write path
    again (ingest claims a new revision, publish takes the send) instead of finding its own earlier
    work and stopping short.
    """

    def __init__(self) -> None:
        from tests.fakes import Fakes

        self.fakes = Fakes()
        self.versions: dict[str, str] = {}
        self._state_before: dict[str, dict[str, dict[str, Any]]] = {}

    def put_input(self, stage: str, document: bytes) -> None:
        key = INPUT_KEYS[stage]
        self.versions[stage] = self.fakes.storage.upload(BUCKET, key, document, content_type="text/plain")
        # publish sends only the article's latest revision: the state ingest would have left
        self._state_before[stage] = {}
        if stage == "publish":
            record = json.loads(document)
            self._state_before[stage] = {record["article_id"]: {"revision": record["revision"]}}

    def call(self, module: ModuleType, stage: str) -> Callable[[], Any]:
        from articleflow.models.events import ObjectRef
        from articleflow.runtime.stage import StageContext

        runtime, state = module.runtime, self.fakes.state
        ref = ObjectRef(bucket=BUCKET, key=INPUT_KEYS[stage], version_id=self.versions[stage])
        services = self.fakes.services
        before = self._state_before[stage]

        def run() -> Any:
            state.items = {article: dict(item) for article, item in before.items()}
            ctx = StageContext(stage=runtime.stage, settings=runtime.settings, logger=runtime.logger, services=services)
            return module.process(ref, ctx)

        return run

    def last_written(self) -> bytes:
        """The document the last call wrote (the next stage's input)."""
        key = self.fakes.journal[-1].removeprefix("put ")
        return self.fakes.storage.read(BUCKET, key)


INPUT_KEYS = {
    "ingest": "incoming/bench.txt",
    "normalize": "ingested/bench.json",
    "tag": "normalized/bench.json",
    "publish": "tagged/bench.json",
}


def handler_chain_records(inputs: Inputs) -> dict[str, bytes]:
    """Run the four handlers once in a chain; return each stage's input document."""
    modules = handler_modules()
    world = BenchWorld()
    records = {"ingest": inputs.data}
    for stage, next_stage in zip(STAGE_NAMES, (*STAGE_NAMES[1:], None), strict=True):
        world.put_input(stage, records[stage])
        outcome = world.call(modules[stage], stage)()
        if str(outcome) != "written":
            raise RuntimeError(f"{stage} did not write its output for {inputs.corpus}/{inputs.size}")
        if next_stage:
            records[next_stage] = world.last_written()
    return records


def handler_calls(inputs: Inputs) -> dict[str, Callable[[], object]]:
    """Callables running each stage's real `process` on its input, on the shared fakes."""
    modules = handler_modules()
    world = BenchWorld()
    for stage, document in inputs.records.items():
        world.put_input(stage, document)
    return {stage: world.call(modules[stage], stage) for stage in STAGE_NAMES}
