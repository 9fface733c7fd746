"""Helpers for the fan-out tests: a consumer's own queue subscribed to the publish topic.

Everything goes through the standard SDK calls, so pointing these tests at `articleflow serve`
instead of the in-process moto is a change of endpoint (AWS_ENDPOINT_URL), not of code.
"""

from __future__ import annotations

import json
from typing import Any

from articleflow.adapters.aws import client
from articleflow.topology import FIFO_SUFFIX
from articleflow_dev.local.embedded import EmbeddedPipeline, QueueInfo
from articleflow_dev.local.provision import FIFO_QUEUE_ATTRIBUTES
from tests.conftest import REPO_ROOT

SAMPLES = {
    name.split("-", 1)[0]: REPO_ROOT / "samples" / name
    for name in (
        "ar-port-agreement.txt",
        "en-library-reopens.txt",
        "fr-tram-nantes.txt",
    )
}


def subscribe(sqs: Any, sns: Any, topic_arn: str, name: str, filter_policy: dict[str, Any] | None) -> QueueInfo:
    """A team's FIFO queue on the publish topic (as templates/consumer-queue.yaml makes it), with raw
    delivery and an optional filter policy."""
    name = f"{name}{FIFO_SUFFIX}"
    url = sqs.create_queue(QueueName=name, Attributes=FIFO_QUEUE_ATTRIBUTES)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"RawMessageDelivery": "true"}
    if filter_policy is not None:
        attributes["FilterPolicy"] = json.dumps(filter_policy)
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)
    return QueueInfo(name, url, arn)


def subscribe_queue(pipeline: EmbeddedPipeline, name: str, filter_policy: dict[str, Any] | None) -> QueueInfo:
    return subscribe(client("sqs"), client("sns"), pipeline.publish_topic_arn, name, filter_policy)


def receive_all(queue_url: str, sqs: Any = None) -> list[dict[str, Any]]:
    """Every message on a queue now (received, not deleted; invisible for its visibility timeout)."""
    sqs = sqs or client("sqs")
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
        "Messages", []
    ):
        messages.extend(batch)
    return messages


def upload_samples(pipeline: EmbeddedPipeline, languages: tuple[str, ...] = ("ar", "en", "fr")) -> None:
    for language in languages:
        path = SAMPLES[language]
        pipeline.upload(path.name, path.read_bytes(), {"publisher": f"{language.upper()} Daily"})
    pipeline.drain()
