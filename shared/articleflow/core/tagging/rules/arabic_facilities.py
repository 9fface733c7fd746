"""Arabic: named facilities and places after a head (دار ضيافة إيكورا, مطار هانيدا, جزيرة أوكيناوا)."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.rules.arabic_persons import is_definite, take_name
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token

_DUAL_PLURAL = ("ان", "ين", "ون", "ات")


def _may_name(tok: Token, heads: dict[str, list[str]]) -> bool:
    """Whether a word may be part of the name after a facility head: in none of its readings a word
    describing the facility (مطار دولي، مسجد رائع يقع، مطار هانيدا صباحا) or another head or place noun
    (ميناء بلدة الناقورة: the town is the name; كنيسة ودير, "a church and a monastery")."""
    not_names = lx.keys_of("ar_facility_descriptors", "ar_region_heads", "ar_place_triggers")
    keys = [k for _skip, k in tok.readings]
    keys += [k[:-2] for k in keys if k.endswith(_DUAL_PLURAL)]  # قديمان -> قديم, كبيرات -> كبير
    return not any(k in not_names or k in heads for k in keys)


def _head_end(ctx: Context, i: int, words: list[str]) -> int | None:
    """Index of the last token of the (multi-word) head `words` starting at token `i`, if it is there."""
    tokens = ctx.tokens
    n = len(tokens)
    j = i
    for w in words[1:]:
        j += 1
        if j >= n or tokens[j].key != w or (j < n - 1 and not tokens[j].joined and w != words[-1]):
            return None
    return j if j + 1 < n and tokens[j].joined else None


def _name_end(ctx: Context, first: int, heads: dict[str, list[str]]) -> int | None:
    """Index of the last token of the name starting at token `first`, if one does."""
    tokens = ctx.tokens
    span = take_name(ctx, first) if _may_name(tokens[first], heads) else None
    if span is None:
        return None
    last = first
    while last < span[1] and _may_name(tokens[last + 1], heads):
        last += 1
    return _official_end(tokens, last)


def _official_end(tokens: list[Token], last: int) -> int:
    """The name's last token with what completes a facility's official name: a definite surname after
    a given name (مطار رفيق الحريري: names take no definite word otherwise, `take_name`), then a word
    such as الدولي (مطار رفيق الحريري الدولي: `lexicon/ar_facility_name_ends.txt`)."""
    if (
        last + 1 < len(tokens)
        and tokens[last].joined
        and tokens[last].key in lx.person_names("ar_given")
        and is_definite(tokens[last + 1].key)
        and tokens[last + 1].key in lx.person_names("ar_surnames")
    ):
        last += 1
    if last + 1 < len(tokens) and tokens[last].joined and tokens[last + 1].key in lx.keys("ar_facility_name_ends"):
        last += 1
    return last


def arabic_facilities(ctx: Context) -> list[Candidate]:
    """Facility/feature head + a proper name: دار ضيافة إيكورا, قاعدة يوكوتا, جزيرة أوكيناوا."""
    tokens = ctx.tokens
    heads = lx.facility_heads()
    out: list[Candidate] = []
    head_words = ctx.words_with_reading_in(heads)
    for i, tok in enumerate(tokens):
        if not tok.arabic or not tok.joined or tok.text not in head_words:
            continue
        for skip, key in ctx.readings(i):
            words = heads.get(key)
            j = None if words is None else _head_end(ctx, i, words)
            last = None if j is None else _name_end(ctx, j + 1, heads)
            if words is None or j is None or last is None:
                continue
            nkey = " ".join([key, *words[1:], *(t.key for t in tokens[j + 1 : last + 1])])
            start = tok.start + skip
            out.append(Candidate(start, tokens[last].end, "LOCATION", entity_key("LOCATION", nkey), 0.7, "facility"))
            break
    return out
