"""Object keys on moto: S3's URL-encoded event keys, console folder markers, keys near S3's limit."""

from __future__ import annotations

import json

import pytest

from articleflow.adapters.aws import client
from articleflow.runtime.stage import MAX_KEY_BYTES
from articleflow.topology import INGESTED_PREFIX, QUARANTINE_PREFIX, STAGES_BY_NAME
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.integration.test_pipeline import recorded_event, version_of

pytestmark = pytest.mark.integration

SPACE = b"The story filed under a key with a space, long enough to be published as an article."
PLUS = b"Another story, filed under a key with a plus sign, also long enough to be published."


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def test_a_space_and_a_plus_in_keys_side_by_side_each_publish_their_own_content(pipeline):
    space, plus = pipeline.upload("a b.txt", SPACE), pipeline.upload("a+b.txt", PLUS)
    pipeline.drain()
    published = {item["body"]["source"]["key"]: item["body"]["text"]["body"] for item in pipeline.take_published()}
    assert published == {space: SPACE.decode(), plus: PLUS.decode()}
    assert pipeline.dead_letters() == {}


def test_an_aws_encoded_event_for_a_space_never_resolves_to_the_key_with_a_plus(pipeline):
    space, plus = pipeline.upload("a b.txt", SPACE), pipeline.upload("a+b.txt", PLUS)
    event = recorded_event("ingest", pipeline.bucket, key="incoming/a+b.txt", version_id=version_of(pipeline, space))
    assert pipeline.invoke(STAGES_BY_NAME["ingest"], event) == {"batchItemFailures": []}
    (ingested,) = pipeline.keys(INGESTED_PREFIX)
    record = json.loads(client("s3").get_object(Bucket=pipeline.bucket, Key=ingested)["Body"].read())
    assert (record["source"]["key"], record["text"]) == (space, SPACE.decode())
    assert plus != space


def test_console_folder_markers_are_ignored_not_quarantined(pipeline):
    client("s3").put_object(Bucket=pipeline.bucket, Key="incoming/sub/", Body=b"")
    pipeline.drain()
    assert pipeline.quarantine_reasons() == []
    assert pipeline.take_published() == []
    assert pipeline.dead_letters() == {}


def test_a_key_near_s3s_limit_is_quarantined_under_a_shortened_key(pipeline):
    name = "x" * (MAX_KEY_BYTES - len("incoming/") - 4) + ".txt"  # 1,024 bytes: the longest S3 allows
    pipeline.upload(name, b"")
    pipeline.drain()
    (reason,) = pipeline.quarantine_reasons()
    assert (reason["kind"], reason["source"]["key"]) == ("empty", f"incoming/{name}")
    assert all(len(key.encode()) <= MAX_KEY_BYTES for key in pipeline.keys(QUARANTINE_PREFIX))
    assert len(pipeline.keys(QUARANTINE_PREFIX)) == 2  # the upload and its reason document
    assert pipeline.dead_letters() == {}
