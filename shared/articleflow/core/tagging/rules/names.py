"""Known names: gazetteer places and the names of a `NameIndex` (curated organisations and products,
or names found earlier in the article), matched longest first over the tokens."""

from __future__ import annotations

from typing import cast

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.gazetteer import Gazetteer, Place
from articleflow.core.tagging.rules.context import Context, NameEntry, NameIndex, longest_match
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token


def _latin_case_ok(ctx: Context, tok: Token, skip: int, need_upper: bool) -> bool:
    if tok.arabic:
        return True
    first = ctx.text[tok.start + skip]
    if not first.isupper():
        return False
    return not need_upper or tok.text[skip:].replace(".", "").isupper()


def _acronym_alias(tok: Token, single: bool, key: str, place: Place) -> bool:
    """An all-caps Latin word that is only another name of a town ("IPO", an alternative name of
    Ipoh): in news it is an acronym. Countries (USA, UAE) and a place's own name in capitals (PARIS)
    stay places."""
    return (
        single
        and not tok.arabic
        and tok.upper
        and len(tok.text) > 1
        and place.kind != "country"
        and key != name_key(place.canonical)
    )


def _marked(gaz: Gazetteer, spelling: str) -> Place | None:
    """The place a spelling's shadda names, where its key names another (عمّان: Amman, not Oman)."""
    if "\u0651" not in spelling:
        return None
    pid = lx.marked_places().get(lx.marked_spelling(spelling))
    return None if pid is None else gaz.place_by_id(pid)


def find_places(ctx: Context) -> list[Candidate]:
    gaz = ctx.gazetteer
    prefixes = gaz.all_prefixes
    out: list[Candidate] = []
    tokens = ctx.tokens
    known = ctx.words_with_reading_in(gaz.names, gaz.towns, prefixes)
    after = 0  # the token after the last place found
    for i in [i for i, tok in enumerate(tokens) if tok.text in known and not tok.digit]:
        if i < after:
            continue
        tok = tokens[i]
        match = longest_match(tokens, i, gaz.value, prefixes)
        if match is not None:
            skip, last, _value = match
            key = " ".join([k for s_, k in tok.readings if s_ == skip][:1] + [t.key for t in tokens[i + 1 : last + 1]])
            place = _marked(gaz, ctx.text[tok.start + skip : tokens[last].end]) or gaz.lookup(key, ctx.mask(tok))
            if (
                place is not None
                and _latin_case_ok(ctx, tok, skip, False)
                and not _acronym_alias(tok, last == i, key, place)
            ):
                conf = 0.92 if place.kind == "country" else 0.85
                out.append(
                    Candidate(
                        tok.start + skip,
                        tokens[last].end,
                        "LOCATION",
                        entity_key("LOCATION", place.id),
                        conf,
                        "place",
                        canonical=place.canonical,
                        id=place.id,
                    )
                )
                after = last + 1
    return out


def find_names(ctx: Context, index: NameIndex) -> list[Candidate]:
    """Walk `index` over the tokens (curated organisations/products, or names found earlier)."""
    out: list[Candidate] = []
    tokens = ctx.tokens
    names = index.names
    prefixes = index.prefixes
    if not names:
        return out
    known = ctx.words_with_reading_in(names, prefixes)
    after = 0  # the token after the last name found
    for i in [i for i, tok in enumerate(tokens) if tok.text in known]:
        if i < after:
            continue
        tok = tokens[i]
        match = longest_match(tokens, i, names.get, prefixes)
        if match is not None:
            skip, last, hit = match
            type_, key, canonical, id_, upper, rule, confidence = cast(NameEntry, hit)
            if _latin_case_ok(ctx, tok, skip, upper):
                out.append(Candidate(tok.start + skip, tokens[last].end, type_, key, confidence, rule, canonical, id_))
                after = last + 1
    return out


_CURATED: NameIndex | None = None


def curated_index() -> NameIndex:
    """Curated organisations and products (`lexicon.organizations()`, `lexicon.products()`)."""
    global _CURATED
    if _CURATED is None:
        idx = NameIndex()
        for canon, (oid, names) in lx.organizations().items():
            for n in names:
                idx.add(
                    n,
                    "ORGANIZATION",
                    entity_key("ORGANIZATION", name_key(canon)),
                    canon,
                    oid,
                    rule="curated",
                    confidence=0.9,
                )
        for canon, names in lx.products().items():
            for n in names:
                idx.add(n, "PRODUCT", entity_key("PRODUCT", canon.upper()), canon, None, rule="curated", confidence=0.9)
        _CURATED = idx
    return _CURATED
