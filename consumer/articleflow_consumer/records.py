"""Turn any delivery of a published message into an `Article` or a `Pointer`.

Five shapes carry the same message:

* an SQS record in a Lambda event (`body`, `messageAttributes.*.stringValue`);
* an SQS message from ReceiveMessage (`Body`, `MessageAttributes.*.StringValue`);
* either of those without raw delivery: the body is SNS's JSON envelope (`Type: Notification`);
* an SNS record in a Lambda event subscribed to the topic (`Sns.Message`);
* the notification an HTTPS subscription receives (`Type: Notification`, `Message`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from articleflow_consumer.errors import MalformedMessage
from articleflow_consumer.message import Article, Pointer, check_version
from articleflow_consumer.pointers import resolve

INLINE, POINTER = "inline", "s3-pointer"


@dataclass(frozen=True)
class Delivery:
    """One message: its body and attributes (a `String.Array` as a list), whatever carried it."""

    body: str
    attributes: dict[str, str | list[str]]
    message_id: str | None = None


def _attributes(raw: dict[str, Any]) -> dict[str, str | list[str]]:
    """String and String.Array attributes; any other kind (Binary, Number) is not ours and is skipped."""
    attributes: dict[str, str | list[str]] = {}
    for name, value in raw.items():
        data_type = value.get("DataType") or value.get("dataType") or value.get("Type") or "String"
        text = value.get("StringValue", value.get("stringValue", value.get("Value")))
        if not isinstance(text, str) or not data_type.startswith("String"):
            continue
        if data_type == "String.Array":
            items = json.loads(text)
            if not isinstance(items, list):
                raise MalformedMessage(f"attribute {name}: String.Array is not a JSON array")
            attributes[name] = [str(item) for item in items]
        else:
            attributes[name] = text
    return attributes


def _from_sns(sns: dict[str, Any], message_id: str | None) -> Delivery:
    return Delivery(sns["Message"], _attributes(sns.get("MessageAttributes") or {}), sns.get("MessageId", message_id))


def delivery_of(record: dict[str, Any]) -> Delivery:
    """The message in an SQS or SNS record (Lambda event or ReceiveMessage)."""
    try:
        if "Sns" in record:
            return _from_sns(record["Sns"], None)
        if record.get("Type") == "Notification" and "Message" in record:
            return _from_sns(record, None)  # the JSON an HTTPS subscription receives
        body = record.get("body", record.get("Body"))
        if not isinstance(body, str):
            raise MalformedMessage(f"not an SQS or SNS record (keys: {sorted(record)})")
        message_id = record.get("messageId", record.get("MessageId"))
        if body.startswith("{") and '"Type"' in body:
            envelope = json.loads(body)
            if envelope.get("Type") == "Notification" and "TopicArn" in envelope:
                return _from_sns(envelope, message_id)  # a subscription without raw delivery
        raw = record.get("messageAttributes", record.get("MessageAttributes")) or {}
        return Delivery(body, _attributes(raw), message_id)
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise MalformedMessage(f"unreadable record: {error!r}") from error


def parse_record(record: dict[str, Any]) -> Article | Pointer:
    """The typed message in a record: an `Article` (inline) or a `Pointer` to one in S3."""
    delivery = delivery_of(record)
    try:
        document = json.loads(delivery.body)
    except json.JSONDecodeError as error:
        raise MalformedMessage(f"message {delivery.message_id}: body is not JSON ({error})") from error
    if not isinstance(document, dict):
        raise MalformedMessage(f"message {delivery.message_id}: body is not a JSON object")
    check_version(document.get("schema_version"))
    # The attribute says which it is; a body without attributes (an HTTPS subscriber, a copy in
    # a file) is told apart by shape.
    payload = delivery.attributes.get("payload") or (POINTER if "published" in document else INLINE)
    model: type[Article] | type[Pointer] = Pointer if payload == POINTER else Article
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise MalformedMessage(f"message {delivery.message_id}: not a published {payload} message: {error}") from error


def read_article(record: dict[str, Any], s3: Any = None) -> Article:
    """The article in a record, reading a pointer's document from S3 (`s3`: a botocore S3 client)."""
    return resolve(parse_record(record), s3)
