"""The published message: its JSON Schema is generated, committed and must not drift."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from articleflow.core.publish import build_message
from articleflow.models.message import MESSAGE_SCHEMA_VERSION, PublishedMessage
from articleflow.models.records import StageRun
from articleflow.models.schema import SCHEMA_FILES, render, schema_for
from articleflow_consumer import SUPPORTED_MAJOR, Article, Pointer
from articleflow_consumer.message import Entity as ConsumerEntity
from articleflow_consumer.message import Location as ConsumerLocation
from articleflow_consumer.message import Source as ConsumerSource
from articleflow_consumer.message import Text as ConsumerText
from tests.conftest import REPO_ROOT
from tests.unit.test_publish import PUBLISHED_AT, tagged_record

# The contract's fields. Adding is fine (add it here too); renaming or removing one breaks consumers.
CONTRACT = {
    "": {
        "schema_version",
        "article_id",
        "revision",
        "content_sha256",
        "source",
        "text",
        "captions",
        "byline",
        "removed",
        "entities",
        "ninjs",
        "processing",
        "published_at",
        "metadata",
    },
    "SourceRef": {"bucket", "key", "version_id", "publisher", "url"},
    "ArticleText": {
        "title",
        "title_origin",
        "body",
        "paragraphs",
        "language",
        "script",
        "direction",
        "word_count",
    },
    "Caption": {"text", "credit"},
    "Byline": {"authors", "sources"},
    "Removed": {"kind", "text"},
    "Entity": {"text", "type", "canonical", "id", "mentions", "confidence", "tagger", "count", "first_offset"},
    "Mention": {"start", "end", "field", "caption_index", "author_index"},
    "StageRun": {"stage", "version", "duration_ms"},
}


def test_committed_schemas_match_the_models():
    for name, model in SCHEMA_FILES.items():
        committed = (REPO_ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == render(model), f"schemas/{name} is stale: run `make schema` and commit it"


def test_no_contract_field_is_missing():
    schema = PublishedMessage.model_json_schema(mode="serialization")
    definitions = schema["$defs"]
    for definition, fields in CONTRACT.items():
        properties = schema["properties"] if definition == "" else definitions[definition]["properties"]
        assert fields <= set(properties), f"{definition or 'PublishedMessage'} lost {fields - set(properties)}"


def test_entity_types_are_the_documented_set():
    schema = PublishedMessage.model_json_schema(mode="serialization")
    entity_type = schema["$defs"]["Entity"]["properties"]["type"]
    assert set(entity_type["enum"]) == {
        "PERSON",
        "LOCATION",
        "ORGANIZATION",
        "DATE",
        "PRODUCT",
        "EVENT",
        "QUANTITY",
        "OTHER",
    }


# --------------------------------------------------------------------------- a contract that can grow


def published_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((REPO_ROOT / "schemas" / name).read_text(encoding="utf-8")))


def a_message() -> PublishedMessage:
    return build_message(tagged_record(), PUBLISHED_AT, StageRun(stage="publish", version="t", duration_ms=1))


def with_additions(document: dict[str, Any]) -> dict[str, Any]:
    """What a later 1.x might send: new fields at the top and inside nested objects and lists."""
    grown = copy.deepcopy(document)
    grown["schema_version"] = "1.9"
    grown["sentiment"] = {"label": "neutral", "score": 0.1}
    grown["text"]["reading_time_s"] = 42
    grown["source"]["feed"] = "rss"
    grown["entities"][0]["wikidata"] = "Q597"
    grown["entities"][0]["mentions"][0]["sentence"] = 0
    grown["captions"][0]["alt"] = "boats"
    grown["byline"]["roles"] = ["reporter"]
    grown["metadata"]["genre"] = "news"
    grown["processing"][0]["host"] = "arm64"
    grown["removed"][0]["position"] = 3
    return grown


def test_the_published_schema_and_the_consumer_model_accept_added_fields():
    grown = with_additions(json.loads(a_message().model_dump_json()))
    assert list(published_validator("published-message.schema.json").iter_errors(grown)) == []
    article = Article.model_validate(grown)
    assert article.model_dump(mode="json") == grown  # nothing dropped, nothing renamed
    extra = article.entities[0].model_extra or {}
    assert extra["wikidata"] == "Q597" and extra["mentions"][0]["sentence"] == 0


def test_the_published_pointer_schema_accepts_added_fields():
    pointer = {
        "schema_version": "1.4",
        "article_id": "a",
        "revision": 1,
        "content_sha256": "0" * 64,
        "document_sha256": "1" * 64,
        "published": {"bucket": "b", "key": "published/a/r000001.json", "version_id": None, "region": "x"},
        "expires_at": "2030-01-01T00:00:00Z",
    }
    assert list(published_validator("published-pointer.schema.json").iter_errors(pointer)) == []
    assert Pointer.model_validate(pointer).published.model_extra == {"region": "x"}


def test_no_published_schema_closes_any_object():
    for name in SCHEMA_FILES:
        assert 'additionalProperties": false' not in (REPO_ROOT / "schemas" / name).read_text(encoding="utf-8")


def test_the_producer_stays_strict():
    """The pipeline's own models and its strict schema still refuse a field they do not define."""
    document = json.loads(a_message().model_dump_json())
    strict = Draft202012Validator(schema_for(PublishedMessage, strict=True))
    assert list(strict.iter_errors(document)) == []  # what publish builds is exactly the contract
    grown = with_additions(document)
    assert {error.validator for error in strict.iter_errors(grown)} == {"additionalProperties"}
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PublishedMessage.model_validate(grown)


def test_schema_version_is_semver_major_minor():
    assert re.fullmatch(r"1\.\d+", MESSAGE_SCHEMA_VERSION)
    assert int(MESSAGE_SCHEMA_VERSION.split(".")[0]) == SUPPORTED_MAJOR


def test_every_field_the_consumer_model_names_is_in_the_published_schema():
    """The consumer kit's typed view is a projection of the schema.

    A field the kit requires must be in every document: required by the schema, or with a default
    there (publish dumps every field, defaults included).
    """
    schema = json.loads((REPO_ROOT / "schemas" / "published-message.schema.json").read_text(encoding="utf-8"))
    pointer_schema = json.loads((REPO_ROOT / "schemas" / "published-pointer.schema.json").read_text(encoding="utf-8"))
    pairs = [
        (Article, schema),
        (ConsumerSource, schema["$defs"]["SourceRef"]),
        (ConsumerText, schema["$defs"]["ArticleText"]),
        (ConsumerEntity, schema["$defs"]["Entity"]),
        (Pointer, pointer_schema),
        (ConsumerLocation, pointer_schema["$defs"]["PublishedLocation"]),
    ]
    for model, definition in pairs:
        properties, required = definition["properties"], set(definition.get("required", []))
        always_sent = required | {name for name, spec in properties.items() if "default" in spec}
        for name, field in model.model_fields.items():
            assert name in properties, f"{model.__name__}.{name} is not in the published schema"
            if field.is_required():
                assert name in always_sent, f"{model.__name__}.{name} is required here, optional in the schema"
