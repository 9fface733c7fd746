"""Entities found by a tagger."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from articleflow.models.article import Model

EntityType = Literal["PERSON", "LOCATION", "ORGANIZATION", "DATE", "PRODUCT", "EVENT", "QUANTITY", "OTHER"]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "DATE",
    "PRODUCT",
    "EVENT",
    "QUANTITY",
    "OTHER",
)


MentionField = Literal["body", "title", "caption", "byline"]


class Mention(Model):
    start: int = Field(ge=0, description="Start offset (Unicode code points) into `text.body`.")
    end: int = Field(ge=0, description="End offset, exclusive.")
    field: MentionField = Field(
        default="body",
        description=(
            "Which text the offsets index: 'body' (paragraphs joined by a blank line), 'title', "
            "'caption' (captions[caption_index].text) or 'byline' (byline.authors[author_index])."
        ),
    )
    caption_index: int | None = Field(default=None, ge=0, description="Index into `captions` (caption only).")
    author_index: int | None = Field(default=None, ge=0, description="Index into `byline.authors` (byline only).")


class Entity(Model):
    text: str = Field(description="The entity's first mention as it appears in the body.")
    type: EntityType
    canonical: str | None = Field(default=None, description="Canonical name, e.g. the English country name.")
    id: str | None = Field(
        default=None, description="Stable id: 'iso3166:JP', 'iso3166-2:FR-OCC', 'geonames:1850147', ..."
    )
    mentions: list[Mention] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    tagger: str = Field(description="Backend that found it: 'offline', 'comprehend', 'crf'.")
    count: int = Field(default=0, ge=0, description="Number of mentions (all fields), for salience.")
    first_offset: int = Field(
        default=-1, ge=-1, description="Start of the first body mention; -1 when not in the body."
    )
