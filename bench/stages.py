"""Per-stage costs without AWS.

Two levels, on the same synthetic articles (`bench.articles`):

* **core**: the pure function of each stage, as the issue names them: ingest `inspect_upload`
  (size check, BOM/binary checks, UTF-8 decode, format sniff, SHA-256) + `article_id_for`;
  `normalize_text`; the offline tagger's `.tag(article)`; publish `build_message` +
  `model_dump_json()` + `publish_payload`.
* **handler**: the real `process(ref, ctx)` of `functions/<stage>/app.py` with S3, DynamoDB and SQS
  replaced by in-memory fakes, so it adds what the Lambda does besides the core: reading and
  validating the previous stage's JSON record (pydantic), building and serialising its own.
  Not included: the batch loop and powertools idempotency wrapper and the AWS calls (the embedded pipeline
  run measures those, see `bench.pipeline`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bench.articles import build_article
from bench.env import apply_handler_env

if TYPE_CHECKING:
    from articleflow.core.publish import Attributes

STAGE_NAMES = ("ingest", "normalize", "tag", "publish")
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
    from articleflow.local.embedded import load_handler_module
    from articleflow.topology import STAGES_BY_NAME

    return load_handler_module(STAGES_BY_NAME[name])


def handler_modules() -> dict[str, ModuleType]:
    return {name: handler_module(name) for name in STAGE_NAMES}


class FakeAws:
    """S3 objects in a dict; DynamoDB state answers 'new revision' / 'publishable'; SNS publishes kept in `sent`."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.metadata: dict[str, dict[str, str]] = {}
        self.last_put: tuple[str, str] | None = None
        self.sent: list[tuple[str, Attributes]] = []

    @contextlib.contextmanager
    def patched(self) -> Iterator[FakeAws]:
        from articleflow.adapters import queue, state, storage

        def head(bucket: str, key: str) -> storage.ObjectHead | None:
            if key not in self.objects:
                return None
            return storage.ObjectHead("v1", len(self.objects[key]), "text/plain", self.metadata.get(key, {}))

        def get_bytes(bucket: str, key: str, version_id: str | None = None) -> bytes:
            return self.objects[key]

        def put_json(bucket: str, key: str, document: str) -> str:
            self.objects[key] = document.encode("utf-8")
            self.last_put = (key, document)
            return "v1"

        def publish_to_topic(topic_arn: str, body: str, attributes: Attributes) -> str:
            self.sent.append((body, attributes))
            return "m1"

        patches: list[tuple[Any, str, Any]] = [
            (storage, "head", head),
            (storage, "get_bytes", get_bytes),
            (storage, "put_json", put_json),
            (state, "claim_revision", lambda *a, **k: state.RevisionClaim(1, needs_record=True)),
            (state, "record_ingested", lambda *a, **k: None),
            (state, "begin_send", lambda *a, **k: True),
            (state, "finish_send", lambda *a, **k: None),
            (queue, "publish_to_topic", publish_to_topic),
        ]
        saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
        for module, name, value in patches:
            setattr(module, name, value)
        try:
            yield self
        finally:
            for module, name, value in saved:
                setattr(module, name, value)


def _run_process(module: ModuleType, key: str) -> Any:
    from articleflow.models.events import ObjectRef
    from articleflow.runtime.stage import StageContext

    runtime = module.runtime
    ctx = StageContext(stage=runtime.stage, settings=runtime.settings, logger=runtime.logger)
    return module.process(ObjectRef(bucket=BUCKET, key=key, version_id="v1"), ctx)


INPUT_KEYS = {
    "ingest": "incoming/bench.txt",
    "normalize": "ingested/bench.json",
    "tag": "normalized/bench.json",
    "publish": "tagged/bench.json",
}


def handler_chain_records(inputs: Inputs) -> dict[str, bytes]:
    """Run the four handlers once in a chain; return each stage's input document."""
    modules = handler_modules()
    fake = FakeAws()
    records = {"ingest": inputs.data}
    with fake.patched():
        for stage, next_stage in zip(STAGE_NAMES, (*STAGE_NAMES[1:], None), strict=True):
            fake.objects[INPUT_KEYS[stage]] = records[stage]
            outcome = _run_process(modules[stage], INPUT_KEYS[stage])
            if str(outcome) != "written":
                raise RuntimeError(f"{stage} did not write its output for {inputs.corpus}/{inputs.size}")
            if next_stage:
                assert fake.last_put is not None
                records[next_stage] = fake.last_put[1].encode("utf-8")
    return records


def handler_calls(inputs: Inputs) -> tuple[dict[str, Callable[[], object]], FakeAws]:
    """Callables running each stage's real `process` on its input; call them inside `fake.patched()`."""
    modules = handler_modules()
    fake = FakeAws()
    for stage, document in inputs.records.items():
        fake.objects[INPUT_KEYS[stage]] = document

    def call(stage: str) -> Callable[[], object]:
        return lambda: _run_process(modules[stage], INPUT_KEYS[stage])

    return {stage: call(stage) for stage in STAGE_NAMES}, fake
