"""The publish queue: the product's output."""

from __future__ import annotations

from articleflow.adapters.aws import client


def send_message(queue_url: str, body: str, attributes: dict[str, str]) -> str:
    """Send one message with string attributes; returns the SQS message id."""
    response = client("sqs").send_message(
        QueueUrl=queue_url,
        MessageBody=body,
        MessageAttributes={name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()},
    )
    return str(response["MessageId"])
