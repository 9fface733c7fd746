"""Create the topology of `articleflow.topology` on whatever AWS endpoint the clients point at.

Used by `articleflow run` (an in-process moto) and `articleflow serve` (moto's HTTP server, which
may already hold the resources from an earlier run): every step is idempotent, so creating the
topology a second time changes nothing and fails on nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from articleflow.adapters.aws import client
from articleflow.topology import (
    BULK_LANE,
    BULK_PREFIX,
    LANES,
    MAX_RECEIVE_COUNT,
    STAGES,
    Lane,
    event_pattern,
    publish_dlq_name,
    publish_queue_name,
    publish_topic_name,
    table_name,
)

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # the template's DLQs keep a message as long as SQS allows
PUBLISH_QUEUE_VISIBILITY_SECONDS = 30


@dataclass(frozen=True)
class QueueInfo:
    name: str
    url: str
    arn: str


@dataclass
class Deployment:
    """What the topology is called on the endpoint: what a client needs to talk to it."""

    name: str
    region: str
    bucket: str
    table: str
    queues: dict[str, QueueInfo] = field(default_factory=dict)  # by stage name: the live lane's
    dead_letter_queues: dict[str, QueueInfo] = field(default_factory=dict)  # by stage name
    bulk_queues: dict[str, QueueInfo] = field(default_factory=dict)  # by stage name: the bulk lane's
    bulk_dead_letter_queues: dict[str, QueueInfo] = field(default_factory=dict)
    publish_queue: QueueInfo | None = None
    publish_dlq: QueueInfo | None = None
    publish_topic_arn: str | None = None

    def queues_in(self, lane: Lane) -> tuple[dict[str, QueueInfo], dict[str, QueueInfo]]:
        """A lane's stage queues and DLQs, by stage name."""
        if lane is BULK_LANE:
            return self.bulk_queues, self.bulk_dead_letter_queues
        return self.queues, self.dead_letter_queues


def bucket_name(deployment: str) -> str:
    return f"articleflow-{deployment}-articles"


def rule_name(deployment: str, stage: str, lane: Lane) -> str:
    return f"articleflow-{deployment}-{stage}{lane.queue_suffix}"


def _create_queue(name: str, attributes: dict[str, str]) -> QueueInfo:
    sqs = client("sqs")
    attributes = {"SqsManagedSseEnabled": "true", **attributes}
    try:
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("QueueAlreadyExists", "QueueNameExists"):
            raise
        # It exists with other attributes (an older topology): bring it to this one.
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return QueueInfo(name, url, arn)


# A FIFO queue as the template makes the publish queue and its DLQ: deduplication and throughput
# per message group (one group per article).
FIFO_QUEUE_ATTRIBUTES = {
    "FifoQueue": "true",
    "DeduplicationScope": "messageGroup",
    "FifoThroughputLimit": "perMessageGroupId",
}
FIFO_TOPIC_ATTRIBUTES = {
    "FifoTopic": "true",
    "ContentBasedDeduplication": "false",
    "FifoThroughputScope": "MessageGroup",
}


def create_queue_with_dlq(
    name: str, dlq_name: str, visibility_timeout: int, fifo: bool = False
) -> tuple[QueueInfo, QueueInfo]:
    """A queue whose messages move to `dlq_name` after MAX_RECEIVE_COUNT receives, as in the template."""
    kind = FIFO_QUEUE_ATTRIBUTES if fifo else {}
    dlq = _create_queue(dlq_name, {**kind, "MessageRetentionPeriod": str(DLQ_RETENTION_SECONDS)})
    redrive = json.dumps({"deadLetterTargetArn": dlq.arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
    queue = _create_queue(name, {**kind, "VisibilityTimeout": str(visibility_timeout), "RedrivePolicy": redrive})
    return queue, dlq


def _create_bucket(bucket: str, region: str) -> None:
    s3 = client("s3")
    args: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**args)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
            raise
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})


def _create_table(table: str) -> None:
    try:
        client("dynamodb").create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceInUseException":  # it exists already
            raise


def provision(deployment_name: str, region: str, model_files: dict[str, Path] | None = None) -> Deployment:
    """Bucket (versioned, EventBridge on), state table, a rule -> queue (+ DLQ) per stage, publish topic and queue.

    `model_files` (key under models/ -> local file) are uploaded as a publisher would before deploying.
    """
    deployment = Deployment(deployment_name, region, bucket_name(deployment_name), table_name(deployment_name))
    _create_bucket(deployment.bucket, region)
    _create_table(deployment.table)
    events = client("events")
    for stage in STAGES:
        for lane in LANES:
            queue, dlq = create_queue_with_dlq(
                stage.queue_name(deployment_name, lane), stage.dlq_name(deployment_name, lane), stage.visibility_timeout
            )
            queues, dlqs = deployment.queues_in(lane)
            queues[stage.name], dlqs[stage.name] = queue, dlq
            rule = rule_name(deployment_name, stage.name, lane)
            pattern = event_pattern(deployment.bucket, stage.input_prefix_in(lane))
            events.put_rule(Name=rule, EventPattern=json.dumps(pattern))
            events.put_targets(Rule=rule, Targets=[{"Id": f"{stage.name}{lane.queue_suffix}-queue", "Arn": queue.arn}])
    deployment.publish_queue, deployment.publish_dlq = create_queue_with_dlq(
        publish_queue_name(deployment_name),
        publish_dlq_name(deployment_name),
        PUBLISH_QUEUE_VISIBILITY_SECONDS,
        fifo=True,
    )
    # Publish sends to the topic; the publish queue is its first subscriber, with raw delivery so its
    # messages are the article itself. Creating the topic or the same subscription again is a no-op.
    sns = client("sns")
    deployment.publish_topic_arn = sns.create_topic(
        Name=publish_topic_name(deployment_name), Attributes=FIFO_TOPIC_ATTRIBUTES
    )["TopicArn"]
    sns.subscribe(
        TopicArn=deployment.publish_topic_arn,
        Protocol="sqs",
        Endpoint=deployment.publish_queue.arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    s3 = client("s3")
    for key, path in (model_files or {}).items():
        s3.put_object(Bucket=deployment.bucket, Key=key, Body=path.read_bytes())
    return deployment


def describe(deployment: Deployment, endpoint_url: str) -> dict[str, Any]:
    """What `articleflow serve` prints when ready: everything a client needs, by name and URL."""
    assert deployment.publish_queue is not None and deployment.publish_dlq is not None

    def named(queue: QueueInfo) -> dict[str, str]:
        return {"name": queue.name, "url": queue.url, "arn": queue.arn}

    def by_stage(queues: dict[str, QueueInfo]) -> dict[str, dict[str, str]]:
        return {name: named(queue) for name, queue in queues.items()}

    return {
        "endpoint_url": endpoint_url,
        "region": deployment.region,
        "bucket": deployment.bucket,
        "incoming_prefix": STAGES[0].input_prefix,
        "table": deployment.table,
        "publish_queue_url": deployment.publish_queue.url,
        "publish_topic_arn": deployment.publish_topic_arn,
        "publish_queue": named(deployment.publish_queue),
        "publish_dlq": named(deployment.publish_dlq),
        "stage_queues": by_stage(deployment.queues),
        "stage_dlqs": by_stage(deployment.dead_letter_queues),
        "bulk_prefix": BULK_PREFIX,
        "bulk_queues": by_stage(deployment.bulk_queues),
        "bulk_dlqs": by_stage(deployment.bulk_dead_letter_queues),
    }
