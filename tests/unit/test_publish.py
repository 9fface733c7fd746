"""Building the published message and its ninjs form from a tagged record (no AWS)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from articleflow.core.ninjs import entity_uri
from articleflow.core.publish import SNS_MAX_MESSAGE_BYTES, attributes_size, build_message, publish_payload
from articleflow.models.article import Byline, Caption, NormalizedArticle, Removed
from articleflow.models.entities import Entity, Mention
from articleflow.models.message import PublishedPointer
from articleflow.models.records import PublisherMetadata, SourceRef, StageRun, TaggedRecord
from tests.conftest import NINJS_SCHEMA, require

PUBLISHED_AT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def tagged_record(paragraphs: list[str] | None = None) -> TaggedRecord:
    article = NormalizedArticle(
        title="Harbour reopens after storm",
        title_origin="explicit",
        paragraphs=paragraphs or ["The harbour in Lisbon reopened on Monday.", "Ferries resumed at noon."],
        captions=[Caption(text="Boats in the harbour.", credit="J. Doe")],
        byline=Byline(authors=["Ana Pereira"], sources=["Reuters"]),
        removed=[Removed(kind="read_more", text="Read more: storms")],
        source_url="https://example.com/a",
        standfirst="Ferries are back after three days.",
        dateline="LISBON",
        published_at=datetime(2026, 11, 25, 18, 0, tzinfo=UTC),
        tags=["weather", "transport"],
        subjects=["medtop:20000232"],
        language="en",
        script="Latn",
        direction="ltr",
    )
    return TaggedRecord(
        article_id="3f0c6d0e-0000-5000-8000-000000000001",
        revision=2,
        content_sha256="ab" * 32,
        source=SourceRef(bucket="b", key="incoming/a.txt", version_id="v2"),
        metadata=PublisherMetadata(publisher="Example Daily"),
        received_at=PUBLISHED_AT,
        article=article,
        entities=[
            Entity(
                text="Lisbon",
                type="LOCATION",
                canonical="Lisbon",
                id="geonames:2267057",
                mentions=[Mention(start=15, end=21)],
                confidence=0.9,
                tagger="offline",
            ),
            Entity(
                text="Monday",
                type="DATE",
                mentions=[Mention(start=34, end=40)],
                confidence=0.8,
                tagger="offline",
            ),
        ],
        processing=[StageRun(stage="ingest", version="0.1.0", duration_ms=1.0)],
    )


def ninjs_validator() -> Draft202012Validator:
    schema = json.loads(require(NINJS_SCHEMA).read_text(encoding="utf-8"))
    # The schema refers to GeoJSON's schema by URL for place geometry, which we never emit;
    # an offline stand-in keeps validation from reaching for the network.
    geojson = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema"})
    registry = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", geojson)
    return Draft202012Validator(schema, registry=registry)


def test_message_carries_every_contract_field():
    message = build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    assert message.text.body == "The harbour in Lisbon reopened on Monday.\n\nFerries resumed at noon."
    assert message.text.word_count == 11
    assert message.source.publisher == "Example Daily"
    assert message.source.url == "https://example.com/a"  # from the source line when metadata has none
    assert [run.stage for run in message.processing] == ["ingest", "publish"]
    assert (message.text.standfirst, message.text.dateline) == ("Ferries are back after three days.", "LISBON")
    assert message.metadata.published_at == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert message.metadata.tags == ["weather", "transport"]
    lisbon = message.entities[0]
    assert message.text.body[lisbon.mentions[0].start : lisbon.mentions[0].end] == "Lisbon"


def test_ninjs_is_valid_against_the_official_3_1_schema():
    message = build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    errors = sorted(ninjs_validator().iter_errors(message.ninjs), key=str)
    assert errors == []
    ninjs = message.ninjs
    assert ninjs["headlines"] == [{"role": "main", "value": "Harbour reopens after storm"}]
    assert ninjs["places"] == [
        {
            "name": "Lisbon",
            "rel": "mentioned",
            "uri": "https://sws.geonames.org/2267057/",
            "literal": "geonames:2267057",
        }
    ]
    assert ninjs["by"] == "Ana Pereira"
    assert ninjs["descriptions"] == [
        {"role": "summary", "contentType": "text/plain", "value": "Ferries are back after three days."}
    ]
    assert ninjs["located"] == "LISBON"
    assert ninjs["contentCreated"] == "2026-11-25T18:00:00Z"
    assert ninjs["subjects"] == [
        {"name": "weather", "rel": "keyword"},
        {"name": "transport", "rel": "keyword"},
        {
            "name": "medtop:20000232",
            "rel": "about",
            "literal": "medtop:20000232",
            "uri": "http://cv.iptc.org/newscodes/mediatopic/20000232",
        },
    ]
    assert ninjs["version"] == "2"
    assert ninjs["bodies"][0]["wordCount"] == message.text.word_count


def test_the_validator_does_reject_a_broken_document():
    assert list(ninjs_validator().iter_errors({"type": "text"}))  # uri is required


@pytest.mark.parametrize(
    ("entity_id", "uri"),
    [
        ("iso3166:JP", "urn:iso:std:iso:3166:-1:JP"),
        ("iso3166-2:FR-OCC", "urn:iso:std:iso:3166:-2:FR-OCC"),
        ("geonames:1850147", "https://sws.geonames.org/1850147/"),
        ("alias:acme", None),
        (None, None),
    ],
)
def test_entity_uris(entity_id, uri):
    assert entity_uri(entity_id) == uri


def test_small_messages_go_inline_with_attributes():
    message = build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    document = message.model_dump_json()
    body, attributes = publish_payload(message, document, "b", "published/x/r000002.json", "v9")
    assert body == document
    # No section in this record's metadata: the attribute is left out, not sent empty.
    assert attributes == {
        "article_id": message.article_id,
        "revision": "2",
        "language": "en",
        "schema_version": message.schema_version,
        "publisher": "Example Daily",
        "entity_types": ["DATE", "LOCATION"],
        "entity_ids": ["geonames:2267057"],
        "payload": "inline",
    }


def test_attributes_count_toward_the_sns_limit_as_name_type_and_value():
    assert attributes_size({"language": "ar"}) == len("language") + len("String") + len("ar")
    assert attributes_size({"entity_types": ["DATE"]}) == len("entity_types") + len("String.Array") + len('["DATE"]')
    assert attributes_size({"publisher": "الجزيرة"}) == len("publisher") + len("String") + len("الجزيرة".encode())


def test_a_document_that_fits_only_without_its_attributes_goes_as_a_pointer():
    message = build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    _, inline_attributes = publish_payload(message, message.model_dump_json(), "b", "k", None)
    room = SNS_MAX_MESSAGE_BYTES - attributes_size(inline_attributes)
    padded = message.model_copy(update={"ninjs": {**message.ninjs, "pad": ""}})
    pad = room - len(padded.model_dump_json().encode())
    fits = message.model_copy(update={"ninjs": {**message.ninjs, "pad": "x" * pad}})
    too_big = message.model_copy(update={"ninjs": {**message.ninjs, "pad": "x" * (pad + 1)}})
    assert publish_payload(fits, fits.model_dump_json(), "b", "k", None)[1]["payload"] == "inline"
    assert publish_payload(too_big, too_big.model_dump_json(), "b", "k", None)[1]["payload"] == "s3-pointer"


def test_oversized_messages_go_as_a_pointer_to_the_same_document():
    long_paragraph = "word " * (SNS_MAX_MESSAGE_BYTES // 5)
    record = tagged_record([long_paragraph.strip()])
    message = build_message(record, PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    document = message.model_dump_json()
    body, attributes = publish_payload(message, document, "b", "published/x/r000002.json", "v9")
    assert attributes["payload"] == "s3-pointer"
    assert attributes["entity_types"] == ["DATE", "LOCATION"]  # still filterable
    pointer = PublishedPointer.model_validate_json(body)
    assert (pointer.published.key, pointer.published.version_id, pointer.revision) == (
        "published/x/r000002.json",
        "v9",
        2,
    )
    assert pointer.document_sha256 == hashlib.sha256(document.encode()).hexdigest()
    assert len(body) < 1024


def test_at_most_ten_attributes_with_every_optional_one_present():
    """Raw delivery hands SNS attributes to SQS, which carries 10 at most."""
    message = build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="0.1.0", duration_ms=2))
    message.metadata.section = "world"
    document = message.model_dump_json()
    _, attributes = publish_payload(message, document, "b", "published/x/r000002.json", "v9")
    assert {"publisher", "section", "entity_types", "entity_ids", "payload"} <= set(attributes)
    assert len(attributes) <= 10
