"""Arabic: sports clubs named by a common word or a place (الأهلي "national", النصر "victory",
الشارقة), found only in sports news and only where the sentence names a club: after a club word
(لاعب الأهلي، أمام الهلال), a match's verb (وفاز النصر، تعادل مع الاتفاق), before a demonym (النصر
العماني: the demonym stays out, as ANERcorp has it), or joined by و to such a club (النصر والاتفاق)."""

from __future__ import annotations

from collections.abc import Container

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.arabic_persons import is_definite
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token

_AFTER_VERB = frozenset(map(name_key, ("على", "مع")))  # فاز على، تعادل مع


def _reading_in(tok: Token, words: frozenset[str]) -> tuple[int, str] | None:
    """(skip, key) of the token's first reading in `words` (the word itself, or past a clitic)."""
    return next(((skip, key) for skip, key in tok.readings if key in words), None)


def _cued(tokens: list[Token], i: int, clubs: Container[int]) -> bool:
    """Whether the sentence names a club at token i: a club word or a match's verb right before it,
    على/مع after a verb or a club (فاز على، الهلال على), or a demonym right after it."""
    cues, verbs = lx.keys("ar_club_cues"), lx.keys("ar_match_verbs")
    if i + 1 < len(tokens) and tokens[i].joined and tokens[i + 1].key in lx.keys("ar_demonyms"):
        # not an adjective in a chain (الفلكلور العربي الفلسطيني), nor a head (الاتحاد الكويتي, the federation)
        chained = i > 0 and tokens[i - 1].joined and is_definite(tokens[i - 1].key)
        if not chained and tokens[i].key not in lx.keys("ar_org_heads"):
            return True
    if i == 0 or not tokens[i - 1].joined:
        return False
    before = tokens[i - 1]
    if _reading_in(before, cues) or _reading_in(before, verbs):
        return True
    if before.key not in _AFTER_VERB or i < 2 or not tokens[i - 2].joined:
        return False
    return i - 2 in clubs or _reading_in(tokens[i - 2], verbs) is not None


def arabic_clubs(ctx: Context) -> list[Candidate]:
    names = lx.keys("ar_club_names")
    words = ctx.words_with_reading_in(names)  # decided once per distinct word
    if not words or not ctx.words_with_reading_in(lx.keys("ar_sports_words")):
        return []
    tokens = ctx.tokens
    readings = {i: r for i, t in enumerate(tokens) if t.text in words and (r := _reading_in(t, names)) is not None}
    found = {i for i in readings if _cued(tokens, i, readings)}
    # و joins clubs, either way round (النصر والاتفاق، الهلال والنصر والأهلي)
    pairs = [(i, i + 1) for i in readings if i + 1 in readings and tokens[i].joined and tokens[i + 1].text[0] == "و"]
    grown = True
    while grown:
        grown = False
        for pair in pairs:
            if found.intersection(pair) and not found.issuperset(pair):
                found.update(pair)
                grown = True
    out = []
    for i in sorted(found):
        skip, key = readings[i]
        tok = tokens[i]
        out.append(Candidate(tok.start + skip, tok.end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.7, "club"))
    return out
