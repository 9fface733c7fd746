"""French and Spanish: a facility's head noun right before its capitalised name (le stade
Bollaert-Delelis, el estadio Metropolitano): one place, the head included."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.rules.latin_words import capish
from articleflow.core.tagging.spans import Candidate, entity_key

_MAX_NAME_WORDS = 4
_DE = frozenset({"de", "del", "des", "du"})


def romance_facilities(ctx: Context) -> list[Candidate]:
    """A head in lower case (`romance_facility_heads`; Stade Rochelais is a club) and the capitalised
    words right after it, de joining two (el estadio Gigante de Arroyito) but not a known place (le stade
    Marcel-Michelin de Clermont-Ferrand). A head followed by de and a name (l'hôpital de Caen) is left
    to the place found in it."""
    tokens = ctx.tokens
    heads = lx.keys("romance_facility_heads")
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.key not in heads or tok.cap or not tok.joined or i + 1 >= n or not capish(ctx, tokens[i + 1]):
            continue
        last = i + 1
        while last + 1 < n and tokens[last].joined and last - i < _MAX_NAME_WORDS:
            if capish(ctx, tokens[last + 1]):
                last += 1
            elif _de_name(ctx, last + 1):
                last += 2
            else:
                break
        key = name_key(ctx.text[tok.start : tokens[last].end])
        out.append(Candidate(tok.start, tokens[last].end, "LOCATION", entity_key("LOCATION", key), 0.75, "facility"))
    return out


def _de_name(ctx: Context, i: int) -> bool:
    """Whether token i is de, joined to a capitalised word that is not a known place."""
    tokens = ctx.tokens
    if tokens[i].key not in _DE or not tokens[i].joined or i + 1 >= len(tokens) or not capish(ctx, tokens[i + 1]):
        return False
    return ctx.gazetteer.lookup(tokens[i + 1].key, ctx.latin_mask) is None
