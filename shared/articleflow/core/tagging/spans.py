"""Candidate mentions (before overlap resolution and merging) and the texts they index."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from articleflow.models.entities import EntityType, MentionField

# Tie-break priorities when two overlapping candidates have the same length.
PRIORITY = {
    "designator": 90,
    "date": 88,
    "acronym_expansion": 85,
    "title_person": 80,
    "curated": 75,
    "place": 70,
    "known_name": 72,  # a name this article already uses for a person beats a gazetteer place
    "capitalised": 60,
    "org_pattern": 58,
    "org_named": 62,
    "club": 62,
    "facility": 58,
    "acronym": 50,
    "quantity": 40,
}


@dataclass(slots=True)
class Candidate:
    """One span a rule proposes. `key` groups candidates into entities (same key, same entity)."""

    start: int
    end: int
    type: EntityType
    key: str
    confidence: float
    rule: str
    canonical: str | None = None
    id: str | None = None
    aliases: tuple[str, ...] = ()  # other keys of the same entity (acronym <-> expansion)
    field: MentionField = "body"
    index: int | None = None  # caption or author index
    priority: int = 0

    def __post_init__(self) -> None:
        if not self.priority:
            self.priority = PRIORITY.get(self.rule, 0)


@dataclass(slots=True)
class FieldText:
    """One tagged text of an article: the body, the title, a caption or a byline author."""

    field: MentionField
    text: str
    index: int | None = None
    candidates: list[Candidate] = dc_field(default_factory=list)


def entity_key(type_: str, key: str) -> str:
    return f"{type_}|{key}"
