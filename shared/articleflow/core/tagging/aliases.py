"""The publisher's alias table: alias -> (id, type, canonical) for people, organisations, products.

The table is a JSON or CSV document a publisher puts in S3 under ``models/aliases/`` (the tag function
reads the key in ``ALIAS_TABLE_KEY``). Accepted shapes:

* CSV with a header row: ``alias,id,type[,canonical]``
* JSON list: ``[{"alias": "...", "id": "...", "type": "PERSON", "canonical": "..."}, ...]``
  (``"aliases": [...]`` instead of one ``"alias"`` is accepted too)
* JSON object: ``{"alias": {"id": "...", "type": "...", "canonical": "..."}, ...}``, or
  ``{"aliases": [<list as above>]}``

Types: PERSON (PER, PERS), ORGANIZATION (ORG, ORGANISATION), PRODUCT (PROD, COMMERCIAL_ITEM).
Aliases are matched by `arabic.name_key` (alef/hamza/teh marbuta/diacritics folded, Latin case
folded), after the tagger has dropped proclitics, so ``وزارة الدفاع`` and ``وزاره الدفاع`` match.
Every backend applies the table in its linker step (`apply_to_candidates`, then `apply_to_entities`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules import NameIndex
from articleflow.core.tagging.spans import FieldText, entity_key
from articleflow.models.entities import Entity, EntityType

ALIAS_TYPES: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "PERS": "PERSON",
    "ORGANIZATION": "ORGANIZATION",
    "ORGANISATION": "ORGANIZATION",
    "ORG": "ORGANIZATION",
    "PRODUCT": "PRODUCT",
    "PROD": "PRODUCT",
    "COMMERCIAL_ITEM": "PRODUCT",
}


class AliasTableError(ValueError):
    """The alias document cannot be read (bad JSON/CSV, missing column, unknown type)."""


@dataclass(frozen=True, slots=True)
class Alias:
    id: str
    type: EntityType
    canonical: str | None


def alias_group_key(alias: Alias) -> str:
    """The grouping key every mention of an aliased entity shares (so its names merge)."""
    return entity_key(alias.type, f"alias:{alias.id}")


class AliasTable:
    """Lookup of aliases by matching key. Build with `AliasTable.parse` or `AliasTable.from_rows`."""

    def __init__(self, entries: dict[str, Alias] | None = None) -> None:
        self.entries: dict[str, Alias] = entries or {}
        self._by_id: dict[str, Alias] = {a.id: a for a in self.entries.values()}
        self._index: NameIndex | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> Alias | None:
        return self.entries.get(name_key(name))

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> AliasTable:
        entries: dict[str, Alias] = {}
        canonical_by_id: dict[str, str] = {}
        for n, row in enumerate(rows, 1):
            norm = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
            names = norm.get("aliases") or [norm.get("alias") or norm.get("name")]
            id_ = str(norm.get("id") or "").strip()
            raw_type = str(norm.get("type") or "").strip().upper()
            type_ = ALIAS_TYPES.get(raw_type)
            if not id_ or type_ is None:
                raise AliasTableError(f"alias row {n}: needs an id and a type of {sorted(ALIAS_TYPES)}, got {row!r}")
            canonical = str(norm.get("canonical") or "").strip() or None
            if canonical:
                canonical_by_id.setdefault(id_, canonical)
            for name in names if isinstance(names, list) else [names]:
                key = name_key(str(name or ""))
                if not key:
                    raise AliasTableError(f"alias row {n}: empty alias")
                entries[key] = Alias(id_, type_, canonical)
        # one canonical per id: the first one given (a row without it inherits it)
        for key, alias in entries.items():
            canon = alias.canonical or canonical_by_id.get(alias.id)
            entries[key] = Alias(alias.id, alias.type, canon)
        return cls(entries)

    @classmethod
    def parse(cls, data: bytes | str, name: str = "") -> AliasTable:
        """Read a JSON or CSV alias document (by extension, else by its first character)."""
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        lowered = name.lower()
        is_json = lowered.endswith(".json") or (not lowered.endswith(".csv") and text.lstrip()[:1] in "[{")
        if is_json:
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as error:
                raise AliasTableError(f"alias table {name or ''}: invalid JSON: {error}") from error
            if isinstance(doc, dict) and isinstance(doc.get("aliases"), list):
                doc = doc["aliases"]
            if isinstance(doc, dict):
                rows: list[dict[str, Any]] = []
                for alias, value in doc.items():
                    if not isinstance(value, dict):
                        raise AliasTableError(f"alias {alias!r}: expected an object with id and type")
                    rows.append({**value, "alias": alias})
                return cls.from_rows(rows)
            if isinstance(doc, list) and all(isinstance(r, dict) for r in doc):
                return cls.from_rows(cast(list[dict[str, Any]], doc))
            raise AliasTableError("alias table: expected a JSON list of objects or an object")
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"id", "type"} <= {f.strip().lower() for f in reader.fieldnames}:
            raise AliasTableError("alias table: CSV needs a header with alias,id,type[,canonical]")
        return cls.from_rows(reader)

    def name_index(self) -> NameIndex:
        """The aliases as a `NameIndex`, so rules find them in a text (rule "curated")."""
        if self._index is None:
            index = NameIndex()
            for key, alias in self.entries.items():
                index.add(  # keyed by the name (surnames can join it); `apply_to_candidates` adds the id group
                    key,
                    alias.type,
                    entity_key(alias.type, key),
                    alias.canonical,
                    alias.id,
                    key_is_name=True,
                    rule="curated",
                    confidence=0.95,
                )
            self._index = index
        return self._index

    # -- the linker step -----------------------------------------------------------------------

    def apply_to_candidates(self, fields: list[FieldText]) -> None:
        """Give every PERSON/ORGANIZATION/PRODUCT candidate whose name is an alias the alias's id,
        type and canonical name, and a shared grouping key (all names of one id make one entity)."""
        if not self.entries:
            return
        for f in fields:
            for c in f.candidates:
                if c.type not in ("PERSON", "ORGANIZATION", "PRODUCT"):
                    continue
                alias = self.entries.get(name_key(f.text[c.start : c.end]))
                if alias is None:
                    alias = self.entries.get(c.key.split("|", 1)[1]) if "|" in c.key else None
                if alias is None:
                    continue
                group = alias_group_key(alias)
                if c.key != group and group not in c.aliases:
                    c.aliases = (*c.aliases, group)
                c.type = alias.type
                c.id = alias.id
                c.canonical = alias.canonical or c.canonical

    def apply_to_entities(self, entities: list[Entity]) -> list[Entity]:
        """After merging: the alias's id and canonical name win over what merging chose."""
        if not self.entries:
            return entities
        out = []
        for e in entities:
            alias = self._by_id.get(e.id) if e.id else None
            if alias is None and e.type in ("PERSON", "ORGANIZATION", "PRODUCT"):
                alias = self.entries.get(name_key(e.text))
            if alias is not None and e.type in ("PERSON", "ORGANIZATION", "PRODUCT"):
                e = e.model_copy(
                    update={"id": alias.id, "type": alias.type, "canonical": alias.canonical or e.canonical}
                )
            out.append(e)
        return out
