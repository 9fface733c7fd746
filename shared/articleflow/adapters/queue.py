"""The publish topic: the product's output, fanned out to every subscribed queue (a `core.ports.Topic`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from articleflow.adapters.aws import client

if TYPE_CHECKING:
    from articleflow.core.publish import Attributes, Delivery


def publish_to_topic(topic_arn: str, body: str, attributes: Attributes, delivery: Delivery) -> str:
    """Publish one message with its attributes (lists as `String.Array`) to the FIFO topic; returns the SNS
    message id. A repeat of the same `delivery.deduplication_id` within the window is accepted, not delivered."""
    # Imported here: every stage's runtime imports this module (runtime/services.py), and only
    # publish, which has already loaded it, needs the message models behind core.publish.
    from articleflow.core.publish import attribute_type, attribute_value

    response = client("sns").publish(
        TopicArn=topic_arn,
        Message=body,
        MessageGroupId=delivery.group_id,
        MessageDeduplicationId=delivery.deduplication_id,
        MessageAttributes={
            name: {"DataType": attribute_type(value), "StringValue": attribute_value(value)}
            for name, value in attributes.items()
        },
    )
    return str(response["MessageId"])
