"""Ids and canonical names: gazetteer places, curated organisations and products.

Other backends (Comprehend, CRF) find spans their own way and call `link_span` to get the same ids,
canonical names and proclitic-free offsets the offline tagger produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.gazetteer import Gazetteer, Place, get_gazetteer
from articleflow.core.tagging.rules import Context, curated_index, find_designators, find_names, find_places
from articleflow.models.entities import EntityType


@dataclass(frozen=True, slots=True)
class Link:
    type: EntityType
    key: str  # entity grouping key (see spans.entity_key)
    canonical: str | None
    id: str | None
    start: int  # offsets of the linked name inside the given text (proclitics dropped)
    end: int


def lookup_place(name: str, language: str = "und", gazetteer: Gazetteer | None = None) -> Place | None:
    """The place called exactly `name` (any accepted language), e.g. 'اليابان' -> iso3166:JP."""
    gaz = gazetteer or get_gazetteer()
    ctx = Context(name, language, gaz)
    return gaz.lookup(name_key(name), ctx.arabic_mask | ctx.latin_mask | ctx.cyrillic_mask)


@lru_cache(maxsize=8192)
def link_span(text: str, type_hint: EntityType | None = None, language: str = "und") -> Link | None:
    """Link a span found by another backend: a whole-span place, curated organisation or product, or
    model designator. Leading proclitics/elisions are dropped ('لأوكرانيا' -> 'أوكرانيا', iso3166:UA).
    Returns None when the whole span (minus clitics) is not a known name. Memoised (a `Link` is
    frozen): news repeats its names, and each link tokenises its span and walks the gazetteer."""
    ctx = Context(text, language)
    stripped = text.rstrip()
    candidates = []
    if type_hint in (None, "LOCATION"):
        candidates += find_places(ctx)
    if type_hint in (None, "ORGANIZATION", "PRODUCT"):
        candidates += find_names(ctx, curated_index())
    if type_hint in (None, "PRODUCT"):
        candidates += find_designators(text)
    first = ctx.tokens[0] if ctx.tokens else None
    for c in candidates:
        if c.end != len(stripped):
            continue
        if not text[: c.start].strip() or (first is not None and first.start <= c.start < first.end):
            return Link(c.type, c.key, c.canonical, c.id, c.start, c.end)
    return None


def organization_canonical(keys: list[str]) -> tuple[str | None, str | None]:
    """Canonical name and id of an organisation from any of its grouping keys."""
    names = lx.org_names()
    for key in keys:
        bare = key.split("|", 1)[1] if "|" in key else key
        hit = names.get(bare)
        if hit is not None:
            return hit
    return None, None
