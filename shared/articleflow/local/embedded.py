"""The whole pipeline in-process on moto: the topology of `articleflow.topology`, fed like Lambda.

`EmbeddedPipeline` creates the bucket (versioned, EventBridge on), the state table, every
stage's EventBridge rule -> SQS queue (+ DLQ), and the publish queue, then plays the part
of Lambda's SQS event source: it receives batches from each stage queue, calls the stage's
real handler (`functions/<stage>/app.py`) with the same event shape, deletes what succeeded
and returns the partial failures to the queue, where SQS's own redrive moves a message to
the DLQ after `MAX_RECEIVE_COUNT` receives.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any
from urllib.parse import quote_plus

from articleflow.adapters.aws import client, reset_clients
from articleflow.adapters.models import MODELS_PREFIX
from articleflow.config import DEFAULT_MAX_UPLOAD_BYTES
from articleflow.topology import (
    INCOMING_PREFIX,
    MAX_RECEIVE_COUNT,
    PUBLISHED_PREFIX,
    QUARANTINE_PREFIX,
    STAGES,
    Stage,
    event_pattern,
    publish_dlq_name,
    publish_queue_name,
    table_name,
)

REGION = "us-east-1"
FUNCTIONS_DIR = Path(__file__).resolve().parents[3] / "functions"
# Upper bound on event-pump rounds: every round moves at least one message forward or
# toward its DLQ, so this is only a guard against a bug looping forever.
MAX_PUMP_ROUNDS = 10_000


@dataclass
class FakeLambdaContext:
    """The parts of Lambda's context object a handler reads (the idempotency claim's deadline)."""

    function_name: str
    memory_limit_in_mb: int
    timeout_ms: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_ms


@dataclass
class QueueInfo:
    url: str
    arn: str


@dataclass
class PumpStats:
    invocations: int = 0
    records: int = 0
    failed_records: int = 0


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


def aws_encoded_body(body: str) -> str:
    """An S3 event from moto as AWS sends it: AWS URL-encodes the key (a space as `+`), moto does not."""
    try:
        event = json.loads(body)
        event["detail"]["object"]["key"] = quote_plus(event["detail"]["object"]["key"], safe="/")
    except (ValueError, TypeError, KeyError):
        return body  # not an S3 event: handed on as it is, for the handler to reject
    return json.dumps(event)


def sqs_event(records: list[dict[str, Any]], queue: QueueInfo) -> dict[str, Any]:
    """The event Lambda's SQS event source hands a function (S3 keys encoded as AWS does)."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": aws_encoded_body(message["Body"]),
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue.arn,
                "awsRegion": REGION,
            }
            for message in records
        ]
    }


class EmbeddedPipeline:
    """Use as a context manager: `with EmbeddedPipeline() as pipeline: ...`."""

    def __init__(
        self,
        *,
        tagger: str = "offline",
        stage_name: str = "local",
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        log_stream: IO[str] | None = None,
        extra_env: dict[str, str] | None = None,
        model: Path | None = None,
        alias_table: Path | None = None,
    ) -> None:
        self.tagger = tagger
        self.stage_name = stage_name
        self.max_upload_bytes = max_upload_bytes
        self.log_stream: IO[str] = log_stream or io.StringIO()
        self.extra_env = extra_env or {}
        self.bucket = f"articleflow-{stage_name}-articles"
        # files uploaded under models/ before the functions start (as a publisher would before deploying)
        self.model_files: dict[str, Path] = {}
        self.model_env: dict[str, str] = {}
        if model is not None:
            self.model_files[f"{MODELS_PREFIX}crf/{model.name}"] = model
            self.model_env["TAGGER_MODEL_KEY"] = f"{MODELS_PREFIX}crf/{model.name}"
        if alias_table is not None:
            self.model_files[f"{MODELS_PREFIX}aliases/{alias_table.name}"] = alias_table
            self.model_env["ALIAS_TABLE_KEY"] = f"{MODELS_PREFIX}aliases/{alias_table.name}"
        self.table = table_name(stage_name)
        self.queues: dict[str, QueueInfo] = {}
        self.dead_letter_queues: dict[str, QueueInfo] = {}
        self.handlers: dict[str, Any] = {}
        self.stats = PumpStats()
        self._exit_stack = contextlib.ExitStack()

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> EmbeddedPipeline:
        from moto import mock_aws  # a development dependency: never imported by the Lambda code

        try:
            self._exit_stack.enter_context(_patched_environ(self._environment()))
            self._exit_stack.enter_context(mock_aws())
            reset_clients()
            self._create_topology()
            with contextlib.redirect_stdout(self.log_stream):
                for stage in STAGES:
                    self.handlers[stage.name] = load_handler_module(stage).lambda_handler
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
        return {
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "TABLE_NAME": self.table,
            "STAGE_NAME": self.stage_name,
            "TAGGER_BACKEND": self.tagger,
            "MAX_UPLOAD_BYTES": str(self.max_upload_bytes),
            "POWERTOOLS_SERVICE_NAME": "articleflow",
            "PYDANTIC_DISABLE_PLUGINS": "1",
            "POWERTOOLS_METRICS_NAMESPACE": "articleflow",
            "POWERTOOLS_DEV": "false",
            "ARTICLE_BUCKET": self.bucket,
            **self.model_env,
            **self.extra_env,
        }

    # -- topology ------------------------------------------------------------------------

    def _create_queue(self, name: str, attributes: dict[str, str] | None = None) -> QueueInfo:
        sqs = client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes={"SqsManagedSseEnabled": "true", **(attributes or {})})[
            "QueueUrl"
        ]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return QueueInfo(url, arn)

    def _create_queue_with_dlq(self, name: str, dlq_name: str, visibility: int) -> tuple[QueueInfo, QueueInfo]:
        dlq = self._create_queue(dlq_name, {"MessageRetentionPeriod": str(14 * 24 * 3600)})
        redrive = json.dumps({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
        queue = self._create_queue(name, {"VisibilityTimeout": str(visibility), "RedrivePolicy": redrive})
        return queue, dlq

    def _create_topology(self) -> None:
        s3, events, dynamodb = client("s3"), client("events"), client("dynamodb")
        s3.create_bucket(Bucket=self.bucket)
        s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_notification_configuration(
            Bucket=self.bucket, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        dynamodb.create_table(
            TableName=self.table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for stage in STAGES:
            queue, dlq = self._create_queue_with_dlq(
                stage.queue_name(self.stage_name), stage.dlq_name(self.stage_name), stage.visibility_timeout
            )
            self.queues[stage.name], self.dead_letter_queues[stage.name] = queue, dlq
            rule = f"articleflow-{self.stage_name}-{stage.name}"
            events.put_rule(Name=rule, EventPattern=json.dumps(event_pattern(self.bucket, stage.input_prefix)))
            events.put_targets(Rule=rule, Targets=[{"Id": f"{stage.name}-queue", "Arn": queue.arn}])
        publish_queue, publish_dlq = self._create_queue_with_dlq(
            publish_queue_name(self.stage_name), publish_dlq_name(self.stage_name), 30
        )
        self.publish_queue, self.publish_dlq = publish_queue, publish_dlq
        os.environ["PUBLISH_QUEUE_URL"] = publish_queue.url
        for key, path in self.model_files.items():
            s3.put_object(Bucket=self.bucket, Key=key, Body=path.read_bytes())

    # -- driving it ----------------------------------------------------------------------

    def upload(self, name: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        """Put a file under incoming/ as a publisher would; returns its key."""
        key = f"{INCOMING_PREFIX}{name}"
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=data, Metadata=metadata or {})
        return key

    def invoke(self, stage: Stage, event: dict[str, Any]) -> dict[str, Any]:
        """Call a stage's handler as Lambda would, its logs and metrics going to the log stream."""
        context = FakeLambdaContext(
            function_name=f"articleflow-{self.stage_name}-{stage.name}",
            memory_limit_in_mb=stage.memory_mb,
            timeout_ms=stage.timeout_seconds * 1000,
        )
        with contextlib.redirect_stdout(self.log_stream):
            response: dict[str, Any] = self.handlers[stage.name](event, context)
        return response

    def _poll_once(self, stage: Stage) -> int:
        """One poll of a stage queue; returns how many messages it received."""
        sqs = client("sqs")
        queue = self.queues[stage.name]
        messages = sqs.receive_message(
            QueueUrl=queue.url,
            MaxNumberOfMessages=min(stage.batch_size, 10),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        try:
            response = self.invoke(stage, sqs_event(messages, queue))
            failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        except Exception as error:  # a handler crash fails the whole batch, as on Lambda
            print(f"{stage.name} handler raised {error!r}", file=self.log_stream)
            failed = {message["MessageId"] for message in messages}
        self.stats.invocations += 1
        self.stats.records += len(messages)
        self.stats.failed_records += len(failed)
        for message in messages:
            if message["MessageId"] in failed:
                # Lambda would wait out the visibility timeout; the local run retries at once.
                sqs.change_message_visibility(
                    QueueUrl=queue.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=queue.url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def drain(self) -> PumpStats:
        """Run every stage until no queue has work left."""
        for _ in range(MAX_PUMP_ROUNDS):
            if sum(self._poll_once(stage) for stage in STAGES) == 0:
                return self.stats
        raise RuntimeError(f"the pipeline did not settle after {MAX_PUMP_ROUNDS} rounds")

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
        """Messages each stage gave up on, by stage (the DLQs are drained)."""
        letters = {name: list(self._receive_all(queue)) for name, queue in self.dead_letter_queues.items()}
        return {name: items for name, items in letters.items() if items}

    def quarantine_reasons(self) -> list[dict[str, Any]]:
        s3 = client("s3")
        reasons = []
        paginator = s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=QUARANTINE_PREFIX):
            for item in page.get("Contents", []):
                if item["Key"].endswith(".reason.json"):
                    reasons.append(json.loads(s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()))
        return reasons

    def keys(self, prefix: str = PUBLISHED_PREFIX) -> list[str]:
        listing = client("s3").list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@contextlib.contextmanager
def _patched_environ(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
