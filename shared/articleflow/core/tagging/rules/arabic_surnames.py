"""Arabic: a family name alone after a verb of saying stands for the person named in full elsewhere
in the article (وأضاف الحمصي، after «الدكتور باسل نزار الحمصي»)."""

from __future__ import annotations

from itertools import pairwise

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import conjunction_skip
from articleflow.core.tagging.rules.arabic_persons import is_definite
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate


def definite_surnames(persons: list[Candidate]) -> dict[str, str]:
    """Definite last word -> the key of the only person of several words it ends (الحمصي -> PERSON|باسل
    نزار الحمصي). A definite word alone is left to the model everywhere else (`offline._surname_like`):
    it is an adjective or a noun far more often than a surname."""
    keys: dict[str, set[str]] = {}
    titles = lx.keys("ar_titles")  # a span the model ran on into the next title (… قال السيد)
    for c in persons:
        name = c.key.split("|", 1)[1]
        last = name.rsplit(" ", 1)[-1]
        if c.type == "PERSON" and last != name and is_definite(last) and last not in titles:
            keys.setdefault(last, set()).add(c.key)
    return {last: next(iter(ks)) for last, ks in keys.items() if len(ks) == 1}


def surnames_after_saying(ctx: Context, surnames: dict[str, str]) -> list[Candidate]:
    """Each word of `surnames` right after a verb of saying (`ar_saying_verbs`, و or ف on it or not)."""
    if not surnames:
        return []
    verbs = lx.keys("ar_saying_verbs")
    out: list[Candidate] = []
    for verb, word in pairwise(ctx.tokens):
        if verb.joined and word.key in surnames and conjunction_skip(verb.key, verbs) is not None:
            out.append(Candidate(word.start, word.end, "PERSON", surnames[word.key], 0.7, "known_name"))
    return out
