"""Per-article cost through the whole pipeline on the embedded AWS (moto, in-process).

`EmbeddedPipeline` is set up once (bucket, table, rules, queues, handler imports) and warmed with
one article; then N articles of one size are uploaded to incoming/ and the pipeline is drained.
The time per article is (upload of the N files + drain) / N. It includes: the S3 PutObject of each
upload, moto's S3 -> EventBridge -> SQS routing, the event-source polling (receive, delete), the
four real handlers (batch loop + powertools idempotency, S3/DynamoDB/SQS calls on moto) and the publish
send. It excludes the one-time setup and the reading of the publish queue afterwards.

Every botocore API call is counted (service, operation) and timed, so the report can split each
handler's time into "our code" and "AWS calls (moto)", and the cost model can use measured call
counts instead of guesses.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from articleflow.topology import STAGE_NAMES
from bench.articles import build_article


class _CountingStream(io.TextIOBase):
    """A log sink that keeps only the byte count (what CloudWatch Logs would ingest)."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode("utf-8"))
        return len(text)


@dataclass
class CallLog:
    current_stage: str | None = None
    calls: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (stage|pump, service, op)
    aws_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    handler_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    invocations: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        self.calls.clear()
        self.aws_seconds.clear()
        self.handler_seconds.clear()
        self.invocations.clear()
        self.records.clear()


@contextlib.contextmanager
def _count_api_calls(log: CallLog) -> Iterator[None]:
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def counted(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        where = log.current_stage or "outside"
        service = self.meta.service_model.service_name
        log.calls[(where, service, operation_name)] += 1
        start = time.perf_counter()
        try:
            return original(self, operation_name, api_params)
        finally:
            log.aws_seconds[where] += time.perf_counter() - start

    BaseClient._make_api_call = counted
    try:
        yield
    finally:
        BaseClient._make_api_call = original


def _wrap_handlers(pipeline: Any, log: CallLog) -> None:
    for name, handler in list(pipeline.handlers.items()):

        def timed(event: dict[str, Any], context: Any, _name: str = name, _handler: Any = handler) -> Any:
            log.current_stage = _name
            start = time.perf_counter()
            try:
                return _handler(event, context)
            finally:
                log.handler_seconds[_name] += time.perf_counter() - start
                log.invocations[_name] += 1
                log.records[_name] += len(event.get("Records", []))
                log.current_stage = None

        pipeline.handlers[name] = timed


def run_size_fresh(corpus: str, size: int, count: int) -> dict[str, Any]:
    """`run_size` in a fresh interpreter.

    powertools keeps one `logging` logger per service name for the whole process, bound to the
    stream that was stdout when it was first built; a fresh process makes sure the handlers' logs go
    to this run's counting stream (and keeps moto's memory out of the caller).
    """
    from bench.cold_start import run_python_json

    code = (
        "import json, sys; from bench.pipeline import run_size; "
        "print(json.dumps(run_size(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))"
    )
    result: dict[str, Any] = run_python_json(code, [corpus, str(size), str(count)], f"pipeline run {corpus}/{size}")
    return result


def run_size(corpus: str, size: int, count: int) -> dict[str, Any]:
    from articleflow_dev.local.embedded import EmbeddedPipeline

    data = build_article(corpus, size).encode("utf-8")
    log = CallLog()
    stream = _CountingStream()
    with _count_api_calls(log), EmbeddedPipeline(log_stream=stream) as pipeline:
        _wrap_handlers(pipeline, log)
        pipeline.upload("warm-up.txt", build_article(corpus, 10 * 1024).encode("utf-8"))
        pipeline.drain()
        pipeline.take_published()
        log.reset()
        log_bytes_before = stream.bytes
        started = time.perf_counter()
        for i in range(count):
            pipeline.upload(f"bench-{corpus}-{size}-{i:04d}.txt", data)
        pipeline.drain()
        elapsed = time.perf_counter() - started
        log_bytes = stream.bytes - log_bytes_before
        published = pipeline.take_published()
        dead = pipeline.dead_letters()
    if len(published) != count or dead:
        raise RuntimeError(f"{corpus}/{size}: {len(published)} of {count} published, dead letters: {list(dead)}")
    per_stage = {}
    for stage in STAGE_NAMES:
        calls = {f"{svc}:{op}": n / count for (where, svc, op), n in sorted(log.calls.items()) if where == stage}
        per_stage[stage] = {
            "handler_ms": log.handler_seconds[stage] / count * 1000,
            "aws_ms": log.aws_seconds[stage] / count * 1000,
            "own_ms": (log.handler_seconds[stage] - log.aws_seconds[stage]) / count * 1000,
            "invocations": log.invocations[stage],
            "records_per_invocation": log.records[stage] / max(log.invocations[stage], 1),
            "calls_per_article": calls,
        }
    outside = {f"{svc}:{op}": n / count for (where, svc, op), n in sorted(log.calls.items()) if where == "outside"}
    return {
        "corpus": corpus,
        "size": size,
        "bytes": len(data),
        "articles": count,
        "per_article_ms": elapsed / count * 1000,
        "total_s": elapsed,
        "stages": per_stage,
        "pump_calls_per_article": outside,
        "log_bytes_per_article": log_bytes / count,
        "message_bytes": len(json.dumps(published[0]["body"], ensure_ascii=False).encode("utf-8")),
    }
