"""The whole pipeline on moto: the topology of `articleflow.topology`, fed like Lambda.

`EmbeddedPipeline` creates the bucket (versioned, EventBridge on), the state table, every
stage's EventBridge rule -> SQS queue (+ DLQ), and the publish queue (`local/provision.py`),
then plays the part of Lambda's SQS event source for each stage's real handler
(`functions/<stage>/app.py`; `local/event_source.py`). By default the AWS is an in-process
moto (`articleflow run`); given an `endpoint_url` it is whatever serves there (`articleflow
serve` points it at moto's HTTP server), where the topology may already exist.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from articleflow.adapters.aws import client, reset_clients
from articleflow.config import DEFAULT_MAX_UPLOAD_BYTES
from articleflow.runtime.stage import REASON_SUFFIX
from articleflow.topology import (
    INCOMING_PREFIX,
    LANES,
    LIVE_LANE,
    PUBLISHED_PREFIX,
    QUARANTINE_PREFIX,
    STAGES,
    TAGGER_MODELS_PREFIX,
    Lane,
    Stage,
    table_name,
)
from articleflow_dev.local.event_source import LocalLambdaContext, Mapping, PumpStats, SqsEventSource, sqs_event
from articleflow_dev.local.provision import Deployment, QueueInfo, bucket_name, provision

__all__ = ["EmbeddedPipeline", "QueueInfo", "load_handler_module", "sqs_event"]

REGION = "us-east-1"
FUNCTIONS_DIR = Path(__file__).resolve().parents[3] / "functions"
# The local runner retries a failed message after this long, not after the queue's visibility
# timeout (3 to 6 minutes in the template), so a run with a poisoned message ends in seconds.
LOCAL_RETRY_AFTER_SECONDS = 1.0


def load_handler_module(stage: Stage) -> ModuleType:
    """Import `functions/<stage>/app.py` afresh, as Lambda does in a new execution environment."""
    path = FUNCTIONS_DIR / stage.name / "app.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run articleflow from a checkout of the repository")
    spec = importlib.util.spec_from_file_location(f"articleflow_function_{stage.name}_{uuid.uuid4().hex}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class EmbeddedPipeline:
    """Use as a context manager: `with EmbeddedPipeline() as pipeline: ...`."""

    def __init__(
        self,
        *,
        tagger: str = "offline",
        deployment_name: str = "local",
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        log_stream: IO[str] | None = None,
        extra_env: dict[str, str] | None = None,
        model: Path | None = None,
        alias_table: Path | None = None,
        endpoint_url: str | None = None,
        retry_after: float | None = LOCAL_RETRY_AFTER_SECONDS,
        function_timeouts: dict[str, float] | None = None,
    ) -> None:
        """`endpoint_url`: an AWS endpoint to use instead of an in-process moto. `retry_after`: seconds
        before a failed message is retried (None: the queue's visibility timeout, as on AWS).
        `function_timeouts`: per-stage overrides of the template's function timeouts, in seconds."""
        self.tagger = tagger
        self.deployment_name = deployment_name
        self.max_upload_bytes = max_upload_bytes
        self.log_stream: IO[str] = log_stream or io.StringIO()
        self.extra_env = extra_env or {}
        self.endpoint_url = endpoint_url
        self.retry_after = retry_after
        self.function_timeouts = function_timeouts or {}
        # files uploaded under models/ before the functions start (as a publisher would before deploying)
        self.model_files: dict[str, Path] = {}
        self.model_env: dict[str, str] = {}
        if model is not None:
            self.model_files[f"{TAGGER_MODELS_PREFIX}crf/{model.name}"] = model
            self.model_env["TAGGER_MODEL_KEY"] = f"{TAGGER_MODELS_PREFIX}crf/{model.name}"
        if alias_table is not None:
            self.model_files[f"{TAGGER_MODELS_PREFIX}aliases/{alias_table.name}"] = alias_table
            self.model_env["ALIAS_TABLE_KEY"] = f"{TAGGER_MODELS_PREFIX}aliases/{alias_table.name}"
        self.deployment = Deployment(deployment_name, REGION, "", "")  # filled in by __enter__
        self.handlers: dict[str, Any] = {}
        self.event_source = SqsEventSource([], self.invoke, log_stream=self.log_stream)
        self._exit_stack = contextlib.ExitStack()

    # The deployment's names, as attributes (tests and the CLI read them).
    @property
    def bucket(self) -> str:
        return self.deployment.bucket

    @property
    def table(self) -> str:
        return self.deployment.table

    @property
    def queues(self) -> dict[str, QueueInfo]:
        return self.deployment.queues

    @property
    def dead_letter_queues(self) -> dict[str, QueueInfo]:
        return self.deployment.dead_letter_queues

    @property
    def publish_queue(self) -> QueueInfo:
        assert self.deployment.publish_queue is not None, "use the pipeline inside `with`"
        return self.deployment.publish_queue

    @property
    def publish_topic_arn(self) -> str:
        assert self.deployment.publish_topic_arn is not None, "use the pipeline inside `with`"
        return self.deployment.publish_topic_arn

    @property
    def stats(self) -> PumpStats:
        return self.event_source.stats

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> EmbeddedPipeline:
        try:
            self._exit_stack.enter_context(_patched_environ(self._environment()))
            if self.endpoint_url is None:
                from moto import mock_aws  # a development dependency: never imported by the Lambda code

                self._exit_stack.enter_context(mock_aws())
            reset_clients()
            self.deployment = provision(self.deployment_name, REGION, self.model_files)
            assert self.deployment.publish_topic_arn is not None
            os.environ["PUBLISH_TOPIC_ARN"] = self.deployment.publish_topic_arn
            for stage in STAGES:
                self._start_environment(stage)
            self.event_source = SqsEventSource(
                # Each round polls every stage's live queue, then its bulk queue: a backfill takes
                # one batch per stage a round, never the whole round (on AWS: separate event
                # sources, the bulk one with a lower MaximumConcurrency).
                [self._mapping(stage, lane) for stage in STAGES for lane in LANES],
                self.invoke,
                log_stream=self.log_stream,
                retry_after=self.retry_after,
                on_timeout=self._start_environment,
            )
            # powertools keeps one logger per service name per process, bound to the stream of the
            # first run; point it at this run's log stream.
            for log_handler in logging.getLogger("articleflow").handlers:
                if isinstance(log_handler, logging.StreamHandler):
                    previous = log_handler.setStream(self.log_stream)  # None: it was this stream already
                    # Afterwards never leave it on this run's stream, which the caller may close.
                    self._exit_stack.callback(log_handler.setStream, previous or sys.__stderr__)
        except BaseException:
            # `with` never calls __exit__ when __enter__ fails: undo the mock and the environment
            # here, or the next pipeline in this process would start inside the old moto.
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        reset_clients()
        self._exit_stack.close()

    def _environment(self) -> dict[str, str]:
        endpoint = {"AWS_ENDPOINT_URL": self.endpoint_url} if self.endpoint_url else {}
        return {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            **endpoint,
            "TABLE_NAME": table_name(self.deployment_name),
            "STAGE_NAME": self.deployment_name,
            "TAGGER_BACKEND": self.tagger,
            "MAX_UPLOAD_BYTES": str(self.max_upload_bytes),
            "POWERTOOLS_SERVICE_NAME": "articleflow",
            "PYDANTIC_DISABLE_PLUGINS": "1",
            "POWERTOOLS_METRICS_NAMESPACE": "articleflow",
            "POWERTOOLS_DEV": "false",
            "ARTICLE_BUCKET": bucket_name(self.deployment_name),
            **self.model_env,
            **self.extra_env,
        }

    def _start_environment(self, stage: Stage) -> None:
        """A new execution environment for a stage: its handler module imported afresh."""
        with contextlib.redirect_stdout(self.log_stream):
            self.handlers[stage.name] = load_handler_module(stage).lambda_handler

    def _mapping(self, stage: Stage, lane: Lane = LIVE_LANE) -> Mapping:
        queues, _ = self.deployment.queues_in(lane)
        return Mapping(
            stage=stage,
            queue=queues[stage.name],
            region=REGION,
            function_name=stage.function_name(self.deployment_name),
            timeout_seconds=self.function_timeouts.get(stage.name, stage.timeout_seconds),
        )

    # -- driving it ----------------------------------------------------------------------

    def upload(self, name: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        """Put a file under incoming/ as a publisher would; returns its key."""
        key = f"{INCOMING_PREFIX}{name}"
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=data, Metadata=metadata or {})
        return key

    def invoke(self, stage: Stage, event: dict[str, Any], context: LocalLambdaContext | None = None) -> dict[str, Any]:
        """Call a stage's handler as Lambda would, its logs and metrics going to the log stream."""
        if context is None:
            mapping = self._mapping(stage)
            deadline = time.monotonic() + mapping.timeout_seconds
            context = LocalLambdaContext(mapping.function_name, stage.memory_mb, deadline)
        with contextlib.redirect_stdout(self.log_stream):
            response: dict[str, Any] = self.handlers[stage.name](event, context)
        return response

    def drain(self, after_round: Callable[[], None] | None = None) -> PumpStats:
        """Run every stage until no queue has work left, failed messages retried after `retry_after`."""
        return self.event_source.run_until_settled(after_round=after_round)

    # -- reading results -----------------------------------------------------------------

    def _receive_all(self, queue: QueueInfo) -> Iterator[dict[str, Any]]:
        sqs = client("sqs")
        while True:
            messages = sqs.receive_message(
                QueueUrl=queue.url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
            ).get("Messages", [])
            if not messages:
                return
            for message in messages:
                yield message
                sqs.delete_message(QueueUrl=queue.url, ReceiptHandle=message["ReceiptHandle"])

    def take_published(self) -> list[dict[str, Any]]:
        """Receive (and delete) everything on the publish queue: the full messages, in order received.

        Pointer messages (`payload=s3-pointer`) are resolved to the document under published/.
        """
        published = []
        for message in self._receive_all(self.publish_queue):
            payload = message["MessageAttributes"]["payload"]["StringValue"]
            body = json.loads(message["Body"])
            if payload == "s3-pointer":
                where = body["published"]
                body = json.loads(
                    client("s3")
                    .get_object(Bucket=where["bucket"], Key=where["key"], VersionId=where["version_id"])["Body"]
                    .read()
                )
            published.append({"body": body, "attributes": message["MessageAttributes"]})
        return published

    def dead_letters(self) -> dict[str, list[dict[str, Any]]]:
        """Messages each stage gave up on, by stage (`ingest-bulk`: its bulk lane's); the DLQs are drained."""
        letters = {
            f"{name}{lane.queue_suffix}": list(self._receive_all(queue))
            for lane in LANES
            for name, queue in self.deployment.queues_in(lane)[1].items()
        }
        return {name: items for name, items in letters.items() if items}

    def quarantine_reasons(self, already_read: set[str] | None = None) -> list[dict[str, Any]]:
        """The reason documents under quarantine/; those in `already_read` are skipped, the rest added to it."""
        s3 = client("s3")
        reasons = []
        read = already_read if already_read is not None else set()
        paginator = s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=QUARANTINE_PREFIX):
            for item in page.get("Contents", []):
                if item["Key"].endswith(REASON_SUFFIX) and item["Key"] not in read:
                    read.add(item["Key"])
                    reasons.append(json.loads(s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()))
        return reasons

    def keys(self, prefix: str = PUBLISHED_PREFIX) -> list[str]:
        listing = client("s3").list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@contextlib.contextmanager
def _patched_environ(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    # An endpoint set in the caller's environment (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, ...) would
    # send the in-process moto's calls elsewhere; only `endpoint_url` chooses the endpoint.
    for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[name]
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
