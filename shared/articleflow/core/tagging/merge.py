"""Mentions -> entities: overlap resolution within a text, then grouping by key across texts."""

from __future__ import annotations

from collections import defaultdict

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.linker import organization_canonical
from articleflow.core.tagging.spans import Candidate, FieldText, entity_key
from articleflow.models.entities import Entity, Mention

FIELD_ORDER = {"body": 0, "title": 1, "caption": 2, "byline": 3}


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: the longest span wins, then the higher rule priority."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    kept: list[Candidate] = []
    if not ordered:
        return kept
    occupied = bytearray(max(c.end for c in ordered) + 1)
    for c in ordered:
        if c.end <= c.start or 1 in occupied[c.start : c.end]:
            continue
        occupied[c.start : c.end] = b"\x01" * (c.end - c.start)
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _surname_links(keys: set[str]) -> dict[str, str]:
    """PERSON key of a one-word name -> the only multi-word PERSON key ending with that word."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if key.startswith("PERSON|"):
            words = key[7:].split(" ")
            if len(words) > 1:
                by_last[words[-1]].add(key)
    links = {}
    for key in keys:
        if key.startswith("PERSON|") and " " not in key[7:]:
            full = by_last.get(key[7:])
            if full and len(full) == 1:
                links[key] = next(iter(full))
    return links


def merge(fields: list[FieldText], tagger: str = "offline") -> list[Entity]:
    """Group the (already resolved) candidates of every text into entities."""
    uf = _UnionFind()
    all_cands: list[tuple[FieldText, Candidate]] = []
    for f in fields:
        for c in f.candidates:
            all_cands.append((f, c))
            uf.find(c.key)
            for alias in c.aliases:
                uf.union(c.key, alias)
    # curated organisations: every name of one (USFJ, القوات الأمريكية في اليابان ...) is one entity
    org_names = lx.org_names()
    for _f, c in all_cands:
        if c.type == "ORGANIZATION":
            hit = org_names.get(name_key(c.key.split("|", 1)[1]))
            if hit is not None:
                uf.union(c.key, entity_key("ORGANIZATION", name_key(hit[0])))
    for short, full in _surname_links({c.key for _f, c in all_cands}).items():
        uf.union(short, full)

    groups: dict[str, list[tuple[FieldText, Candidate]]] = defaultdict(list)
    for f, c in all_cands:
        groups[uf.find(c.key)].append((f, c))

    entities: list[tuple[tuple[int, int, int], Entity]] = []
    for members in groups.values():
        members.sort(key=lambda fc: (FIELD_ORDER[fc[0].field], fc[0].index or 0, fc[1].start))
        best = max(members, key=lambda fc: (fc[1].priority, fc[1].confidence))[1]
        type_ = best.type
        keys = sorted({c.key for _f, c in members})
        canonical = next((c.canonical for _f, c in members if c.canonical and c.type == type_), None)
        id_ = next((c.id for _f, c in members if c.id), None)
        if type_ == "ORGANIZATION":
            org_canon, org_id = organization_canonical(keys)
            canonical = org_canon or canonical
            id_ = id_ or org_id
        elif type_ == "PERSON":
            canonical = max((f.text[c.start : c.end] for f, c in members), key=len)
        mentions = [
            Mention(
                start=c.start,
                end=c.end,
                field=f.field,
                caption_index=f.index if f.field == "caption" else None,
                author_index=f.index if f.field == "byline" else None,
            )
            for f, c in members
        ]
        first_f, first_c = members[0]
        confidence = max(c.confidence for _f, c in members)
        confidence = min(0.99, confidence + 0.02 * (len(members) - 1))
        body_starts = [c.start for f, c in members if f.field == "body"]
        entity = Entity(
            text=first_f.text[first_c.start : first_c.end],
            type=type_,
            canonical=canonical,
            id=id_,
            mentions=mentions,
            confidence=round(confidence, 3),
            tagger=tagger,
            count=len(mentions),
            first_offset=body_starts[0] if body_starts else -1,
        )
        order = (FIELD_ORDER[first_f.field], first_f.index or 0, first_c.start)
        entities.append((order, entity))
    entities.sort(key=lambda oe: oe[0])
    return [e for _o, e in entities]


__all__ = ["entity_key", "merge", "resolve_overlaps"]
