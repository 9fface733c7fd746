"""Latin-script token helpers the Latin rules share: elided clitics (l', d'), capitalisation,
connectors and conjunctions inside names."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import latin_clitic_splits
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.text import Token

SECOND_CONNECTORS = frozenset({"la", "las", "los", "le", "der", "den", "the", "l'", "l’"})

_CONJUNCTIONS = frozenset({"y", "e", "et", "und"})
_ORG_CONJUNCTIONS = _CONJUNCTIONS | {"and"}

PERSON_CONJUNCTIONS = _CONJUNCTIONS | {"and", ""}


def conjoined_tail(ctx: Context, last: int) -> list[Token]:
    """Conjunction (y, et, und) + capitalised words right after an organisation name with a connector in it
    (Comisión de Límites y Aguas, Bundesministerium für Bildung und Forschung, Ministry of Housing and
    Municipal Affairs: in English a field of work only, `latin_org_fields`); not a place after it."""
    tokens = ctx.tokens
    if ctx.lang not in ("fr", "es", "de", "en") or last + 2 >= len(tokens):
        return []
    conj = tokens[last + 1]
    if not tokens[last].joined or not conj.joined or conj.key not in _ORG_CONJUNCTIONS:
        return []
    if ctx.gazetteer.lookup(tokens[last + 2].key, ctx.latin_mask) is not None:
        return []
    tail: list[Token] = []
    k = last + 2
    while k < len(tokens) and capish(ctx, tokens[k]) and not tokens[k].arabic:
        tail.append(tokens[k])
        if not tokens[k].joined:
            break
        k += 1
    if not tail or len(tail) > 2:
        return []
    if conj.key == "and" and tail[-1].key not in lx.keys("latin_org_fields"):
        return []  # English lists two names with "and" more often: the Bank of England and Goldman Sachs
    return [conj, *tail]


def conjoined_head(ctx: Context, first: int, stopwords: set[str]) -> list[Token]:
    """One capitalised word + "and" right before an organisation name (Securities and Exchange
    Commission, Food and Drug Administration): that word on its own, not the end of a longer
    capitalised sequence (Minister Kamikawa and Defence Ministry officials)."""
    tokens = ctx.tokens
    if first < 2:
        return []
    conj, head = tokens[first - 1], tokens[first - 2]
    if conj.key != "and" or not conj.joined or not head.joined or head.arabic or not capish(ctx, head):
        return []
    if head.text in stopwords:
        return []
    before = tokens[first - 3] if first >= 3 else None
    if before is not None and before.joined and capish(ctx, before) and before.text not in stopwords:
        return []
    return [head, conj]


def clitic_skip(tok: Token) -> int:
    if "'" not in tok.text and "’" not in tok.text:
        return 0  # an elision needs its apostrophe (the common case: no regex call)
    sp = latin_clitic_splits(tok.text)
    return sp[0][0] if sp else 0


def strip_clitic(tok: Token) -> str:
    return tok.text[clitic_skip(tok) :]


def capish(ctx: Context, tok: Token) -> bool:
    if tok.cap and not tok.digit:
        return True
    skip = clitic_skip(tok)
    return bool(skip) and ctx.text[tok.start + skip].isupper()
