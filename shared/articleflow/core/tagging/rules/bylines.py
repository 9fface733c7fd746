"""Bylines: the author field is one person."""

from __future__ import annotations

from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.spans import Candidate, FieldText, entity_key


def byline_candidates(f: FieldText) -> list[Candidate]:
    """A byline author is one person: the whole (trimmed) author string."""
    text = f.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end <= start:
        return []
    key = entity_key("PERSON", name_key(text[start:end]))
    return [Candidate(start, end, "PERSON", key, 0.9, "title_person", text[start:end])]
