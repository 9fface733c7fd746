"""Acronyms in Latin capitals, with their expansion when it comes right before "(ACR)"."""

from __future__ import annotations

import re

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.rules.arabic_organisations import AR_ORG_CONNECTORS
from articleflow.core.tagging.rules.context import Context, split_key, splits
from articleflow.core.tagging.spans import Candidate, entity_key


def find_acronyms(ctx: Context) -> list[Candidate]:
    tokens = ctx.tokens
    text = ctx.text
    stop = set(lx.words("acronym_stopwords"))
    region_codes = set(lx.words("region_codes"))
    heads = lx.keys("ar_org_heads")
    headings: dict[int, bool] = {}
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        word = tok.text
        if tok.arabic or not tok.upper or not word.isalpha() or not (2 <= len(word) <= 6) or word in stop:
            continue
        if tok.sentence_start and i + 1 < len(tokens) and tokens[i + 1].upper:
            continue  # an all-caps headline, not an acronym
        if word in region_codes and _char_before(text, tok.start) == ",":
            continue  # "Phoenix, AZ": a state's postal code
        if _in_heading(text, tok.start, headings):
            continue  # "NISSAN SENTRA": a heading in capitals, not acronyms
        acr_key = entity_key("ORGANIZATION", word)
        cand = Candidate(tok.start, tok.end, "ORGANIZATION", acr_key, 0.6, "acronym", word)
        out.append(cand)
        # expansion: "... (ACR)"
        if i == 0 or _char_before(text, tok.start) != "(" or _char_after(text, tok.end) != ")":
            continue
        k = i - 1
        exp = _arabic_expansion(ctx, k, heads) if tokens[k].arabic else _latin_expansion(ctx, k)
        if exp is None:
            continue
        start, end, key = exp
        cand.confidence = 0.8
        out.append(
            Candidate(
                start,
                end,
                "ORGANIZATION",
                entity_key("ORGANIZATION", key),
                0.8,
                "acronym_expansion",
                aliases=(acr_key,),
            )
        )
        cand.aliases = (entity_key("ORGANIZATION", key),)
    return out


_WORD_RE = re.compile(r"[^\W\d_]+")


def _in_heading(text: str, index: int, seen: dict[int, bool]) -> bool:
    """Whether the line around `index` is a heading in capitals: two words or more, all of them in
    capitals (`seen` caches the answer per line start)."""
    start = text.rfind("\n", 0, index) + 1
    hit = seen.get(start)
    if hit is None:
        end = text.find("\n", index)
        words = _WORD_RE.findall(text, start, len(text) if end < 0 else end)
        hit = seen[start] = len(words) > 1 and all(w.isupper() for w in words)
    return hit


def _char_before(text: str, index: int) -> str:
    """The last non-space character before `index` ("" if none); scans only the spaces, so a
    check per token stays linear in the text (slicing `text[:index]` made it quadratic)."""
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return text[index - 1] if index > 0 else ""


def _char_after(text: str, index: int) -> str:
    """The first non-space character at or after `index` ("" if none)."""
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


def _arabic_expansion(ctx: Context, last: int, heads: frozenset[str]) -> tuple[int, int, str] | None:
    tokens = ctx.tokens
    stop = lx.keys("ar_stopwords") - AR_ORG_CONNECTORS
    while last > 0 and tokens[last].key in lx.keys("ar_org_trailing"):
        last -= 1
    k = last
    while k >= 0 and last - k < 12 and tokens[k].arabic:
        tok = tokens[k]
        if k < last and not tok.joined:
            return None
        for skip, restore in splits(tok):
            if split_key(tok, skip, restore) in heads:
                key = " ".join([split_key(tok, skip, restore), *(t.key for t in tokens[k + 1 : last + 1])])
                return tok.start + skip, tokens[last].end, key
        if tok.key in stop:
            return None
        k -= 1
    return None


def _latin_expansion(ctx: Context, last: int) -> tuple[int, int, str] | None:
    tokens = ctx.tokens
    connectors = lx.keys("latin_connectors")
    stopwords = set(lx.words("latin_stopwords"))
    k = last
    first = None
    while k >= 0 and last - k < 10:
        tok = tokens[k]
        if k < last and not tok.joined:
            break
        if tok.cap and tok.text not in stopwords:
            first = k
        elif tok.key not in connectors:
            break
        k -= 1
    if first is None or (first == last and not tokens[first].cap):
        return None
    if first == last:
        return None
    key = " ".join(t.key for t in tokens[first : last + 1])
    return tokens[first].start, tokens[last].end, key
