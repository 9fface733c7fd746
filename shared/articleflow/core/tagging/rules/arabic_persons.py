"""Arabic: persons named after a title or role (الوزير ..., الرئيس ...), and the name-token helpers."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key, starts_with_conjunction, token_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token


def is_definite(key: str) -> bool:
    return key.startswith("ال") and len(key) > 3


def _arabic_name_token(ctx: Context, tok: Token, first: bool) -> bool:
    key = tok.key
    if not tok.arabic or tok.digit or not key:  # a lone tatweel (ـ) folds to an empty key
        return False
    if key in lx.keys("ar_stopwords") or key in lx.keys("ar_titles") or key in lx.arabic_months():
        return False
    if key in lx.keys("ar_org_heads") or key in lx.keys("ar_descriptors"):
        return False
    if is_definite(key):
        return False
    if not first and starts_with_conjunction(key):
        return False  # a conjunction starts the next phrase
    return len(key) >= 2


_NAME_COMPOUNDS = {"عبد", "ابو", "ابي", "بن", "ابن", "بنت", "ال"}


def arabic_title_persons(ctx: Context) -> list[Candidate]:
    """Names after titles and roles: ``وزير الخارجية الأميركي أنتوني بلينكن``,
    ``نظيريهما اليابانيين يوكو كاميكاوا ومينورو كيهارا`` (two people after a dual/plural title)."""
    tokens = ctx.tokens
    titles = lx.keys("ar_titles")
    plural = lx.keys("ar_plural_titles")
    out: list[Candidate] = []
    title_words = ctx.words_with_reading_in(titles, plural)
    for i, tok in enumerate(tokens):
        if not tok.arabic or tok.text not in title_words:
            continue
        title_key = next((k for _s, k in tok.readings if k in titles or k in plural), None)
        if title_key is None or not tok.joined:
            continue
        j = _after_descriptors(ctx, i + 1)
        if j >= len(tokens):
            continue
        for first, last, skip in _names_after_title(ctx, j, title_key in plural):
            start = tokens[first].start + skip
            end = tokens[last].end
            key = name_key(ctx.text[start:end])
            conf = 0.88 if last > first else 0.72
            out.append(
                Candidate(start, end, "PERSON", entity_key("PERSON", key), conf, "title_person", ctx.text[start:end])
            )
    return out


def _after_descriptors(ctx: Context, j: int) -> int:
    """The token after a title's descriptors: definite words (الخارجية الأميركي), construct nouns
    (خارجية), titles and places, at most five; past the end when punctuation follows them."""
    tokens = ctx.tokens
    n = len(tokens)
    titles = lx.keys("ar_titles")
    descriptors = lx.keys("ar_descriptors")
    stop = lx.keys("ar_stopwords")
    described = 0
    while j < n and described < 5 and tokens[j].arabic:
        key = tokens[j].key
        if key in stop:
            break
        is_desc = (
            (is_definite(key) and key not in stop)
            or key in descriptors
            or key in titles
            or ctx.gazetteer.lookup(key, ctx.arabic_mask) is not None
        )
        if not is_desc:
            break
        described += 1
        if not tokens[j].joined:
            return n  # punctuation after the descriptors: no name follows
        j += 1
    return j


def _names_after_title(ctx: Context, j: int, is_plural: bool) -> list[tuple[int, int, int]]:
    """The name starting at token j, and after a plural title a second one joined by و."""
    tokens = ctx.tokens
    span = take_name(ctx, j)
    if span is None:
        return []
    last = span[1]
    if not is_plural or not tokens[last].joined or last + 1 >= len(tokens):
        return [span]
    nxt = tokens[last + 1]
    if not (nxt.text[0] == "و" and len(nxt.key) > 3):
        return [span]
    second = take_name(ctx, last + 1, skip=1)
    return [span] if second is None else [span, second]


def take_name(ctx: Context, first: int, skip: int = 0) -> tuple[int, int, int] | None:
    """Token range (first, last, skip) of a 1-4 token Arabic name starting at token `first`."""
    tokens = ctx.tokens
    n = len(tokens)
    tok = tokens[first]
    if skip:
        rest = tok.text[skip:]
        probe = Token(tok.start + skip, tok.end, rest, token_key(rest), True, False, False, False, tok.joined)
    else:
        probe = tok
    if not _arabic_name_token(ctx, probe, True):
        return None
    last = first
    while last + 1 < n and last - first < 3 and tokens[last].joined:
        nxt = tokens[last + 1]
        if tokens[last].key in _NAME_COMPOUNDS and nxt.arabic and nxt.key not in lx.keys("ar_stopwords"):
            last += 1
            continue
        if not _arabic_name_token(ctx, nxt, False):
            break
        last += 1
    return first, last, skip
