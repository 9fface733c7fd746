"""The consumer kit on its own: record shapes, pointers, versions, dedupe, and its light imports."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from typing import Any

import pytest

from articleflow.core.publish import attribute_type, attribute_value, build_message, publish_payload
from articleflow.models.records import StageRun
from articleflow_consumer import (
    Article,
    Deduplicator,
    IntegrityError,
    MalformedMessage,
    Pointer,
    UnsupportedSchemaVersion,
    parse_record,
    read_article,
    resolve,
)
from articleflow_consumer.dedupe import MemoryRevisionStore
from articleflow_consumer.records import delivery_of
from tests.conftest import REPO_ROOT
from tests.unit.test_publish import PUBLISHED_AT, tagged_record

TOPIC = "arn:aws:sns:us-east-1:123456789012:articleflow-dev-published"


def published(paragraphs: list[str] | None = None) -> tuple[str, dict[str, Any], str]:
    """A real message from the producer: (body, attributes, the full document)."""
    message = tagged_record(paragraphs)
    built = build_message(message, PUBLISHED_AT, StageRun(stage="publish", version="t", duration_ms=1))
    document = built.model_dump_json()
    body, attributes = publish_payload(built, document, "bucket", "published/x/r000002.json", "v9")
    return body, attributes, document


def lambda_sqs_record(body: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "messageId": "m-1",
        "body": body,
        "messageAttributes": {
            name: {"stringValue": attribute_value(value), "dataType": attribute_type(value)}
            for name, value in attributes.items()
        },
        "eventSource": "aws:sqs",
    }


def receive_message_record(body: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "MessageId": "m-1",
        "ReceiptHandle": "r",
        "Body": body,
        "MessageAttributes": {
            name: {"StringValue": attribute_value(value), "DataType": attribute_type(value)}
            for name, value in attributes.items()
        },
    }


def sns_notification(body: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "Notification",
        "MessageId": "n-1",
        "TopicArn": TOPIC,
        "Message": body,
        "MessageAttributes": {
            name: {"Type": attribute_type(value), "Value": attribute_value(value)} for name, value in attributes.items()
        },
    }


SHAPES = {
    "lambda sqs": lambda body, attributes: lambda_sqs_record(body, attributes),
    "receive_message": lambda body, attributes: receive_message_record(body, attributes),
    "sqs without raw delivery": lambda body, attributes: {
        "messageId": "m-1",
        "body": json.dumps(sns_notification(body, attributes)),
    },
    "lambda sns": lambda body, attributes: {"EventSource": "aws:sns", "Sns": sns_notification(body, attributes)},
    "https notification": lambda body, attributes: sns_notification(body, attributes),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_record_shape_gives_the_same_article(shape):
    body, attributes, document = published()
    article = read_article(SHAPES[shape](body, attributes))
    assert isinstance(article, Article)
    assert article.model_dump(mode="json") == json.loads(document)
    assert (article.revision, article.text.language, article.entities[0].id) == (2, "en", "geonames:2267057")
    assert article.model_extra is not None and "ninjs" in article.model_extra  # the rest is kept


class FakeS3:
    def __init__(self, objects: dict[tuple[str, str, str | None], bytes]) -> None:
        self.objects = objects
        self.requests: list[dict[str, Any]] = []

    def get_object(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return {"Body": io.BytesIO(self.objects[(request["Bucket"], request["Key"], request.get("VersionId"))])}


def pointer_case() -> tuple[dict[str, Any], str]:
    body, attributes, document = published(["word " * 60_000])
    assert attributes["payload"] == "s3-pointer"
    return receive_message_record(body, attributes), document


def test_a_pointer_is_resolved_at_its_exact_version_and_checked():
    record, document = pointer_case()
    pointer = parse_record(record)
    assert isinstance(pointer, Pointer)
    s3 = FakeS3({("bucket", "published/x/r000002.json", "v9"): document.encode()})
    article = resolve(pointer, s3)
    assert article.model_dump(mode="json") == json.loads(document)
    assert s3.requests == [{"Bucket": "bucket", "Key": "published/x/r000002.json", "VersionId": "v9"}]


def test_a_pointer_to_a_changed_document_is_refused():
    record, document = pointer_case()
    tampered = document.replace('"revision":2', '"revision":3', 1)
    s3 = FakeS3({("bucket", "published/x/r000002.json", "v9"): tampered.encode()})
    with pytest.raises(IntegrityError, match="SHA-256"):
        read_article(record, s3)


def test_a_pointer_without_document_sha256_still_checks_identity():
    """A 1.0 pointer has no document_sha256: article_id, revision and content_sha256 must match."""
    record, document = pointer_case()
    pointer = json.loads(record["Body"])
    del pointer["document_sha256"]
    pointer["schema_version"] = "1.0"
    record["Body"] = json.dumps(pointer)
    other = json.loads(document) | {"content_sha256": hashlib.sha256(b"other").hexdigest()}
    s3 = FakeS3({("bucket", "published/x/r000002.json", "v9"): json.dumps(other).encode()})
    with pytest.raises(IntegrityError, match="announced"):
        read_article(record, s3)


def test_an_unknown_major_version_is_refused_and_a_later_minor_read():
    body, attributes, _ = published()
    document = json.loads(body)
    with pytest.raises(UnsupportedSchemaVersion, match=r"2\.0"):
        parse_record(receive_message_record(json.dumps(document | {"schema_version": "2.0"}), attributes))
    later = document | {"schema_version": "1.7", "sentiment": {"score": 0.2}}
    assert parse_record(receive_message_record(json.dumps(later), attributes)).model_extra == {
        key: value for key, value in later.items() if key not in Article.model_fields
    }


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"Body": "not json", "MessageId": "m"}, "not JSON"),
        ({"Body": "[1]", "MessageId": "m"}, "not a JSON object"),
        ({"Body": json.dumps({"schema_version": "1.1", "article_id": "a"}), "MessageId": "m"}, "not a published"),
        ({"Records": []}, "not an SQS or SNS record"),
    ],
)
def test_bad_records_raise_a_clear_error(record, reason):
    with pytest.raises(MalformedMessage, match=reason):
        parse_record(record)


def test_dedupe_applies_each_revision_once_and_never_goes_back():
    dedupe = Deduplicator()
    assert dedupe.is_new("a", 2)
    dedupe.mark_done("a", 2)
    assert not dedupe.is_new("a", 2)  # a repeat
    assert not dedupe.is_new("a", 1)  # arrived late
    assert dedupe.is_new("a", 3) and dedupe.is_new("b", 1)
    store = MemoryRevisionStore()
    store.hold("a", 5)
    store.hold("a", 4)
    assert store.held_revision("a") == 5


# The pipeline's heavy dependencies and the test tooling: none may load with the kit.
FORBIDDEN = ("aws_lambda_powertools", "moto", "articleflow", "boto3", "trafilatura", "lxml", "jsonschema")

CHILD = """
import json, sys
forbidden = set(sys.argv[1].split(","))

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in forbidden:
            raise ImportError(f"the consumer kit imported {name}")

sys.meta_path.insert(0, Block())
import articleflow_consumer
record = json.loads(sys.stdin.read())
article = articleflow_consumer.read_article(record)
print(json.dumps({"article_id": article.article_id, "botocore": "botocore" in sys.modules}))
"""


def test_the_kit_imports_and_parses_without_the_pipeline_powertools_or_moto():
    body, attributes, _ = published()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(FORBIDDEN)],
        input=json.dumps(lambda_sqs_record(body, attributes)),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT / "consumer",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Inline messages need no S3 client, so botocore is not even imported.
    assert json.loads(done.stdout) == {"article_id": json.loads(body)["article_id"], "botocore": False}


def test_the_kit_pins_only_pydantic_and_botocore():
    lines = (REPO_ROOT / "consumer" / "requirements.txt").read_text().splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    assert [pin.split("==")[0] for pin in pins] == ["pydantic", "botocore"]
    assert all("==" in pin for pin in pins)


def test_attributes_are_read_and_an_unknown_kind_is_skipped_not_fatal():
    body, attributes, _ = published()
    record = receive_message_record(body, attributes)
    record["MessageAttributes"]["trace"] = {"DataType": "Binary", "BinaryValue": b"\x00"}
    record["MessageAttributes"]["priority"] = {"DataType": "Number", "StringValue": "5"}
    delivery = delivery_of(record)
    assert delivery.attributes == attributes  # entity lists back as lists, Binary/Number ignored
    assert isinstance(read_article(record), Article)
