"""German: organisation compounds (Bundesministerium, Verkehrsgesellschaft), role words and the
organisation inside a capitalised sequence."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.text import Token

_DE_ADJECTIVE_ENDINGS = ("er", "e", "es")


def de_org_word(tok: Token, strong: bool = False) -> bool:
    """A German organisation compound (Bundesministerium, Landesamt, Verkehrsgesellschaft)."""
    key = tok.key
    suffixes = lx.words("de_strong_org_suffixes") if strong else lx.words("de_org_suffixes")
    return any(key.endswith(x) and len(key) > len(x) for x in suffixes)


def de_title(tok: Token) -> bool:
    """A German role word, alone or in a compound (Minister, Verkehrsminister, Projektleiterin)."""
    if tok.text in lx.words("de_titles") or tok.text in lx.words("latin_titles"):
        return True
    key = tok.key
    return any(key.endswith(x) for x in lx.words("de_title_suffixes"))


def de_org_span(words: list[Token], org_words: set[str], connectors: frozenset[str]) -> list[Token]:
    """The organisation in a German capitalised sequence: from its head word back over adjectives
    (Münchner Verkehrsgesellschaft, Technische Universität) only, not over the nouns before it
    (Team der Universität Jena -> Universität Jena)."""
    head = next(
        (x for x, w in enumerate(words) if w.text in org_words or de_org_word(w)),
        0,
    )
    start = head
    while start > 0:
        prev = words[start - 1]
        if prev.key in connectors or "-" in prev.text or not prev.key.endswith(_DE_ADJECTIVE_ENDINGS):
            break
        start -= 1
    return words[start:]
