"""`articleflow consume` as a separate process against an HTTP endpoint (moto's server).

Only the standard configuration reaches it: AWS_ENDPOINT_URL, credentials and region in the
environment. `articleflow serve` is such an endpoint, and so is real AWS without the variable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.session import get_session

from articleflow.core.publish import attribute_type, attribute_value, build_message, publish_payload
from articleflow.models.records import StageRun
from tests.unit.test_publish import PUBLISHED_AT, tagged_record

pytestmark = pytest.mark.integration

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
ARTICLEFLOW = Path(sys.executable).with_name("articleflow")


@pytest.fixture
def endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def clients(endpoint: str) -> dict[str, Any]:
    session = get_session()
    return {
        name: session.create_client(
            name,
            endpoint_url=endpoint,
            region_name=ENV["AWS_DEFAULT_REGION"],
            aws_access_key_id=ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=ENV["AWS_SECRET_ACCESS_KEY"],
        )
        for name in ("sns", "sqs", "s3")
    }


def publish(sns: Any, topic_arn: str, paragraphs: list[str] | None, s3: Any) -> dict[str, Any]:
    """Publish one message exactly as the publish stage builds it (pointer stored first when needed)."""
    message = build_message(
        tagged_record(paragraphs), PUBLISHED_AT, StageRun(stage="publish", version="t", duration_ms=1)
    )
    document = message.model_dump_json()
    key = f"published/{message.article_id}/r{message.revision:06d}.json"
    version_id = s3.put_object(Bucket="articles", Key=key, Body=document.encode())["VersionId"]
    body, attributes = publish_payload(message, document, "articles", key, version_id)
    sns.publish(
        TopicArn=topic_arn,
        Message=body,
        MessageAttributes={
            name: {"DataType": attribute_type(value), "StringValue": attribute_value(value)}
            for name, value in attributes.items()
        },
    )
    return {"document": json.loads(document), "payload": attributes["payload"]}


def test_consume_over_http_with_aws_endpoint_url(endpoint):
    aws = clients(endpoint)
    aws["s3"].create_bucket(Bucket="articles")
    aws["s3"].put_bucket_versioning(Bucket="articles", VersioningConfiguration={"Status": "Enabled"})
    topic_arn = aws["sns"].create_topic(Name="articleflow-local-published")["TopicArn"]
    queue_url = aws["sqs"].create_queue(QueueName="team-english")["QueueUrl"]
    queue_arn = aws["sqs"].get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws["sns"].subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps({"language": ["en"]})},
    )
    inline = publish(aws["sns"], topic_arn, None, aws["s3"])
    pointer = publish(aws["sns"], topic_arn, ["word " * 60_000], aws["s3"])
    assert (inline["payload"], pointer["payload"]) == ("inline", "s3-pointer")

    done = subprocess.run(
        [str(ARTICLEFLOW), "consume", "--queue-url", queue_url, "--wait", "1"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **ENV, "AWS_ENDPOINT_URL": endpoint},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    printed = [json.loads(line) for line in done.stdout.splitlines()]
    # Standard queues keep no order: compare shortest body first.
    assert sorted(printed, key=lambda article: len(article["text"]["body"])) == [
        inline["document"],
        pointer["document"],
    ]
    assert aws["sqs"].receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages", []) == []
