"""What every stage's Lambda handler shares: SQS batches, idempotency, quarantine, logs, metrics.

A stage supplies one function, `process(ref, ctx) -> Outcome`. This module turns an SQS
batch of S3 events into calls of it, so that:
- each record is processed once per (bucket, key, version id), however often S3/EventBridge
  deliver its event (idempotency on DynamoDB; the SQS message id is not the key because a
  repeated S3 event arrives as a new message);
- `RejectedInput` (can never succeed) moves the input to `quarantine/` with a reason
  document and a metric, and counts as handled;
- any other exception fails only that record (ReportBatchItemFailures): SQS retries it and
  finally moves it to the stage's DLQ.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from articleflow import __version__
from articleflow.adapters.aws import client
from articleflow.adapters.idempotency import claim_id
from articleflow.config import Settings
from articleflow.core.errors import RejectedInput
from articleflow.core.ports import Claim
from articleflow.models.events import ObjectRef
from articleflow.models.records import StageRun
from articleflow.runtime import snapstart
from articleflow.runtime.services import Services
from articleflow.topology import QUARANTINE_PREFIX, STAGES_BY_NAME, Stage

# Duplicate S3 events seen within this window are skipped without any work.
IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600
QUARANTINE_SCHEMA_VERSION = "1"
REASON_SUFFIX = ".reason.json"
MAX_KEY_BYTES = 1024  # S3's limit on a key, in UTF-8 bytes
IN_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in os.environ  # set by Lambda in every execution environment


class BatchFailed(Exception):
    """Every record of an SQS batch failed; Lambda retries the whole batch."""


class Prepared[T]:
    """A value every event needs, built once: before the SnapStart snapshot, or on the first event."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._built = False
        self._value: T | None = None

    def get(self) -> T:
        if not self._built:
            self._value = self._build()
            self._built = True
        return self._value  # type: ignore[return-value]  # set by _build, which may return None


class Outcome(StrEnum):
    WRITTEN = "written"  # the stage wrote its output
    ALREADY_WRITTEN = "already-written"  # an earlier attempt wrote this revision's output: nothing new
    UNCHANGED = "unchanged"  # same content as the revision already recorded
    SUPERSEDED = "superseded"  # a newer version or revision exists; this one is skipped
    IGNORED = "ignored"  # not an event this stage acts on
    QUARANTINED = "quarantined"


@dataclass
class StageContext:
    """Handed to a stage's `process`: settings, the ports, logging and timing for one record."""

    stage: Stage
    settings: Settings
    logger: Logger
    started: float = field(default_factory=time.perf_counter)
    article_id: str | None = None

    metrics: Metrics | None = None
    services: Services = field(default_factory=Services.aws)  # StageRuntime passes its own

    def add_metric(self, name: str, unit: MetricUnit, value: float) -> None:
        if self.metrics is not None:
            self.metrics.add_metric(name=name, unit=unit, value=value)

    def set_article(self, article_id: str) -> None:
        self.article_id = article_id
        self.logger.set_correlation_id(article_id)

    def stage_run(self) -> StageRun:
        """This stage's entry for the record's `processing` list, timed up to now."""
        elapsed_ms = round((time.perf_counter() - self.started) * 1000, 3)
        return StageRun(stage=self.stage.name, version=__version__, duration_ms=elapsed_ms)


Process = Callable[[ObjectRef, StageContext], Outcome]


def is_folder_marker(ref: ObjectRef) -> bool:
    """The empty `folder/` object the S3 console creates: not an upload."""
    return ref.key.endswith("/") and not ref.size


def quarantine_keys(stage: Stage, key: str) -> tuple[str, str]:
    """Where a rejected input and its reason document go: quarantine/<stage>/<key below its prefix>.

    A key too long for that within S3's limit keeps its start and gets a digest of the whole key
    in place of the rest: shorter, and still one quarantine key per input key.
    """
    relative = key.removeprefix(stage.input_prefix)
    head = f"{QUARANTINE_PREFIX}{stage.name}/"
    room = MAX_KEY_BYTES - len(head.encode()) - len(REASON_SUFFIX.encode())
    if len(relative.encode()) > room:
        digest = "~" + hashlib.sha256(relative.encode()).hexdigest()
        start = relative.encode()[: room - len(digest)].decode("utf-8", "ignore")
        relative = start + digest
    quarantined = head + relative
    return quarantined, quarantined + REASON_SUFFIX


def reason_document(stage: Stage, ref: ObjectRef, error: RejectedInput, article_id: str | None) -> str:
    return json.dumps(
        {
            "schema_version": QUARANTINE_SCHEMA_VERSION,
            "stage": stage.name,
            "kind": error.kind,
            "reason": error.reason,
            "article_id": article_id,
            "source": {"bucket": ref.bucket, "key": ref.key, "version_id": ref.version_id},
            "quarantined_at": datetime.now(UTC).isoformat(),
        },
        ensure_ascii=False,
        indent=2,
    )


class StageRuntime:
    """One per Lambda execution environment, built when the handler module is imported.

    `lambda_handler = runtime.handler` is the function's entry point. What every event needs and is
    costly to build (the tagger, a model) is declared with `prepared(...)`: under SnapStart it is
    built before the snapshot (see runtime/snapstart.py), elsewhere on the first event.
    """

    def __init__(
        self,
        stage_name: str,
        process: Process,
        settings: Settings | None = None,
        *,
        warm_before_snapshot: Callable[[], None] | None = None,
        services: Services | None = None,
    ) -> None:
        self.stage = STAGES_BY_NAME[stage_name]
        self.settings = settings or Settings.from_env()
        self.services = services or Services.aws()
        self.process = process
        self.logger = Logger(service="articleflow")
        self.metrics = Metrics(namespace="articleflow", service="articleflow")
        self._context: LambdaContext | None = None
        self._init_frozen = False
        self._preparations: list[Prepared[Any]] = []
        # Only worth doing when a snapshot keeps the result (normalize's format libraries): without
        # SnapStart it would charge every cold start for what few events need.
        self._warm_before_snapshot = warm_before_snapshot
        # Every log line carries the Lambda context (request id, cold start, function ARN/version).
        self.handler = self.logger.inject_lambda_context(self._handle_batch)
        if services is None:
            # Every record's first call is an idempotency claim: build its client now, in the init
            # phase, which Lambda runs before the first event arrives.
            client("dynamodb")
        self.snapstart = snapstart.register(
            before_snapshot=self.before_snapshot, after_restore=snapstart.restore_uniqueness
        )

    def prepared[T](self, build: Callable[[], T]) -> Prepared[T]:
        """Declare a value built once per environment, before the snapshot or on the first event."""
        value = Prepared(build)
        self._preparations.append(value)
        return value

    def prepare(self) -> None:
        for value in self._preparations:
            value.get()

    def before_snapshot(self) -> None:
        """SnapStart's before-snapshot hook: build everything the first event would build."""
        self.prepare()
        client("s3")
        if self.stage.sends_to_publish_queue:
            client("sns")
        if self._warm_before_snapshot is not None:
            self._warm_before_snapshot()

    def _handle_batch(self, event: dict[str, Any], context: LambdaContext) -> dict[str, list[dict[str, str]]]:
        """An SQS batch in, the partial batch response out: only the failed records are retried.

        A plain loop rather than powertools' BatchProcessor, whose import (asyncio and every event
        data class) cost about 5 % of each handler's cold start for these few lines.
        """
        # Set per invocation, not once: powertools shares logger and metric state per process,
        # and the local runner hosts all four stages in one process.
        self.logger.append_keys(stage=self.stage.name, function_version=getattr(context, "function_version", None))
        self.metrics.add_dimension(name="stage", value=self.stage.name)
        self.prepare()  # a no-op once built (before the snapshot, or by an earlier event)
        if not self._init_frozen and IN_LAMBDA:
            # The first event: everything built at init (modules, models, the tagger's gazetteer)
            # lives as long as the environment. Freezing it keeps the garbage collector from walking
            # it again on every full collection (6-9 % of tag's time on a 1 MiB article, nothing at
            # 100 KiB). Not in a local process, which hosts many pipelines and would keep each one's
            # garbage for good.
            gc.freeze()
            self._init_frozen = True
        self._context = context
        records = event.get("Records", [])
        if not records:  # SQS never sends one; nothing to process, count or flush
            return {"batchItemFailures": []}
        failures = []
        try:
            for record in records:
                try:
                    self._handle_record(record)
                except Exception:  # logged and counted in _handle_record; SQS retries the record
                    failures.append({"itemIdentifier": record["messageId"]})
        finally:
            self.metrics.flush_metrics()
        if len(failures) == len(records):
            # Nothing succeeded (an outage, more likely than bad records): fail the invocation, so
            # it counts in Lambda's Errors metric and its alarm, as well as retrying the batch.
            raise BatchFailed(f"all {len(records)} records of the batch failed")
        return {"batchItemFailures": failures}

    def _handle_record(self, record: dict[str, Any]) -> str:
        self.logger.set_correlation_id(None)
        try:
            detail_type, ref = ObjectRef.from_sqs_body(record["body"])
            if detail_type == "Object Created" and not is_folder_marker(ref):
                outcome = self._process_once(ref)
            else:
                self.logger.info("ignoring event", extra={"detail_type": detail_type, "key": ref.key})
                outcome = Outcome.IGNORED.value
        except Exception:
            self.metrics.add_metric(name="RecordsFailed", unit=MetricUnit.Count, value=1)
            self.logger.exception("record failed; SQS will retry it", extra={"message_id": record.get("messageId")})
            raise
        self.metrics.add_metric(name=f"Records{outcome.capitalize()}", unit=MetricUnit.Count, value=1)
        return outcome

    def _process_once(self, ref: ObjectRef) -> str:
        """Process `ref` unless this stage already has (see adapters/idempotency.py)."""
        claims = self.services.claims
        item_id = claim_id(self.stage.name, ref.bucket, ref.key, ref.version_id)
        now = time.time()
        remaining_ms = self._context.get_remaining_time_in_millis() if self._context else 0
        deadline = now + (remaining_ms / 1000 if remaining_ms > 0 else self.stage.timeout_seconds)
        held = claims.claim(
            self.settings.table_name, item_id, now=now, window_seconds=IDEMPOTENCY_WINDOW_SECONDS, deadline=deadline
        )
        if isinstance(held, str):
            self.logger.info("already processed; skipped", extra={"outcome": held, "key": ref.key})
            return held
        try:
            outcome = self._process_record(ref)
        except BaseException:
            self._release(held)
            raise
        # If this write fails the record fails although its work is done: the claim then frees
        # itself at its deadline and the retry redoes the work (each stage's writes are idempotent).
        if not claims.complete(held, outcome, now=time.time(), window_seconds=IDEMPOTENCY_WINDOW_SECONDS):
            self.logger.warning("idempotency claim was taken over before this run completed", extra={"key": ref.key})
        return outcome

    def _release(self, held: Claim) -> None:
        """Give the claim up after a failure, without hiding that failure behind a second one."""
        try:
            if not self.services.claims.release(held):
                self.logger.warning("idempotency claim was taken over before this run failed")
        except Exception:
            self.logger.warning(
                "could not release the idempotency claim; it frees itself at its deadline", exc_info=True
            )

    def _process_record(self, object_ref: ObjectRef) -> str:
        ctx = StageContext(
            stage=self.stage, settings=self.settings, logger=self.logger, services=self.services, metrics=self.metrics
        )
        try:
            outcome = self.process(object_ref, ctx)
        except RejectedInput as error:
            self._quarantine(object_ref, error, ctx.article_id)
            outcome = Outcome.QUARANTINED
        self.logger.info(
            "record processed",
            extra={"outcome": outcome.value, "key": object_ref.key, "version_id": object_ref.version_id},
        )
        return outcome.value

    def _quarantine(self, ref: ObjectRef, error: RejectedInput, article_id: str | None) -> None:
        quarantined_key, reason_key = quarantine_keys(self.stage, ref.key)
        reason = reason_document(self.stage, ref, error, article_id)
        self.services.storage.quarantine(
            ref.bucket,
            ref.key,
            ref.version_id,
            quarantined_key=quarantined_key,
            reason_key=reason_key,
            reason=reason,
            delete_original=self.stage.deletes_input,
        )
        self.metrics.add_metric(name="Quarantined", unit=MetricUnit.Count, value=1)
        self.logger.warning(
            "input quarantined",
            extra={"kind": error.kind, "reason": error.reason, "key": ref.key, "quarantine_key": reason_key},
        )
