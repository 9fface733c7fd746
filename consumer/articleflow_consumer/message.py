"""The typed message, as a consumer sees it: open to fields added in later minor versions.

These models name the fields consumers key on; every other field of the published document
(captions, byline, ninjs, metadata, fields a later 1.x adds, ...) is kept as it came
(`extra="allow"`: `article.model_extra`, and `model_dump()` returns the whole document). A test
checks each field named here against the published JSON Schema, so this view cannot drift from it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from articleflow_consumer.errors import UnsupportedSchemaVersion

# The major version of `schemas/published-message.schema.json` this kit reads. A minor release
# only adds fields, so any 1.x parses; 2.x would have changed something and is refused.
SUPPORTED_MAJOR = 1


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Source(Open):
    bucket: str
    key: str
    version_id: str | None = None
    publisher: str | None = None
    url: str | None = None


class Text(Open):
    title: str | None
    body: str
    paragraphs: list[str]
    language: str
    script: str
    direction: str
    word_count: int


class Entity(Open):
    text: str
    type: str  # a str, not a closed set: a consumer must survive an entity type added later
    canonical: str | None = None
    id: str | None = None
    count: int = 0


class Versioned(Open):
    schema_version: str
    article_id: str
    revision: int = Field(ge=1)
    content_sha256: str


class Article(Versioned):
    """A published article (`payload=inline`, or the document a pointer names)."""

    published_at: datetime
    source: Source
    text: Text
    entities: list[Entity]


class Location(Open):
    bucket: str
    key: str
    version_id: str | None = None


class Pointer(Versioned):
    """Sent instead of an article too big for one SNS message (`payload=s3-pointer`)."""

    published: Location
    document_sha256: str | None = None  # since 1.1


def check_version(schema_version: object) -> None:
    """Refuse a major version this kit does not know (before reading any field)."""
    major = str(schema_version).split(".", 1)[0]
    if major != str(SUPPORTED_MAJOR):
        raise UnsupportedSchemaVersion(
            f"schema_version {schema_version!r}: this kit reads {SUPPORTED_MAJOR}.x; upgrade articleflow-consumer"
        )
