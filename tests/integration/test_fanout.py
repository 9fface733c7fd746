"""Fan-out end to end on moto: the publish topic, the publish queue and filtered consumer queues."""

from __future__ import annotations

import hashlib
import json

import pytest

from articleflow.adapters.aws import client
from articleflow.local.embedded import EmbeddedPipeline
from articleflow_consumer import Article, Pointer, parse_record, read_article
from bench.articles import build_article
from tests.integration.fanout import receive_all, subscribe_queue, upload_samples

pytestmark = pytest.mark.integration


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def languages(messages: list[dict]) -> list[str]:
    return sorted(read_article(message).text.language for message in messages)


def test_the_publish_queue_gets_everything_and_an_arabic_queue_only_arabic(pipeline):
    arabic = subscribe_queue(pipeline, "team-arabic", {"language": ["ar"]})
    everything = subscribe_queue(pipeline, "team-archive", None)
    upload_samples(pipeline)

    assert languages(receive_all(pipeline.publish_queue.url)) == ["ar", "en", "fr"]
    assert languages(receive_all(everything.url)) == ["ar", "en", "fr"]
    arabic_messages = receive_all(arabic.url)
    assert languages(arabic_messages) == ["ar"]
    # Raw delivery: the body is the published document itself, not SNS's envelope.
    assert json.loads(arabic_messages[0]["Body"])["text"]["language"] == "ar"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # String.Array attributes: matches when any element matches.
        ({"entity_types": ["DATE"]}, ["ar", "en"]),
        ({"entity_ids": ["iso3166:EG"]}, ["ar"]),
        ({"publisher": [{"prefix": "EN"}]}, ["en"]),
        ({"language": [{"anything-but": ["ar"]}]}, ["en", "fr"]),
        ({"section": [{"exists": False}]}, ["ar", "en", "fr"]),  # no sample has a section
        ({"language": ["fr"], "payload": ["inline"]}, ["fr"]),  # keys combine with AND
        ({"$or": [{"language": ["fr"]}, {"entity_ids": ["iso3166:EG"]}]}, ["ar", "fr"]),
        ({"publisher": [{"equals-ignore-case": "en daily"}]}, ["en"]),
    ],
)
def test_filter_policy_features_moto_supports(pipeline, policy, expected):
    queue = subscribe_queue(pipeline, "team-filtered", policy)
    upload_samples(pipeline)
    assert languages(receive_all(queue.url)) == expected


def test_an_article_over_the_sns_limit_arrives_as_a_checked_pointer(pipeline):
    everything = subscribe_queue(pipeline, "team-archive", {"payload": ["s3-pointer"]})
    # ~4.6x the article in the message (body, paragraphs, ninjs): 80 KiB of text is over 256 KiB.
    pipeline.upload("long.txt", build_article("en", 80 * 1024).encode(), {"publisher": "EN Daily"})
    pipeline.drain()

    (message,) = receive_all(everything.url)
    assert message["MessageAttributes"]["payload"]["StringValue"] == "s3-pointer"
    pointer = parse_record(message)
    assert isinstance(pointer, Pointer)
    article = read_article(message)
    assert isinstance(article, Article)
    stored = client("s3").get_object(Bucket=pointer.published.bucket, Key=pointer.published.key)["Body"].read()
    assert pointer.document_sha256 == hashlib.sha256(stored).hexdigest()
    assert article.model_dump(mode="json") == json.loads(stored)  # every field kept, extras included
    assert len(article.text.body) > 80_000
