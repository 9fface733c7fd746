"""The published message: its JSON Schema is generated, committed and must not drift."""

from __future__ import annotations

from articleflow.models.message import PublishedMessage
from articleflow.models.schema import SCHEMA_FILES, render
from tests.conftest import REPO_ROOT

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
