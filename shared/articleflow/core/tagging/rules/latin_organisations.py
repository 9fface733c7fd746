"""Latin scripts: organisations after a descriptor (the engineering firm Arup) and after a lower-case
head (le ministère des Armées)."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.rules.latin_words import SECOND_CONNECTORS, capish
from articleflow.core.tagging.spans import Candidate, entity_key


def descriptor_organisations(ctx: Context) -> list[Candidate]:
    """A capitalised name right after a common noun for a company or body: "the engineering firm
    Arup", "the operator Keolis Downer" (rule org_pattern: later mentions of the name join it)."""
    tokens = ctx.tokens
    descriptors = lx.keys("latin_org_descriptors")
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens[:-1]):
        if tok.cap or tok.key not in descriptors or not tok.joined:
            continue
        j = i + 1
        if not capish(ctx, tokens[j]) or tokens[j].arabic:
            continue
        last = j
        while last + 1 < n and last - j < 3 and tokens[last].joined and capish(ctx, tokens[last + 1]):
            last += 1
        start, end = tokens[j].start, tokens[last].end
        key = name_key(ctx.text[start:end])
        out.append(Candidate(start, end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.7, "org_pattern"))
    return out


def lower_org_heads(ctx: Context) -> list[Candidate]:
    """A lower-case head + de/des/du + a capitalised name, in running text: le ministère des Armées,
    le ministère de l'Intérieur, el ministerio de Defensa."""
    tokens = ctx.tokens
    heads = lx.keys("lower_org_heads")
    connectors = lx.keys("latin_connectors") | SECOND_CONNECTORS
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.key not in heads or tok.cap or not tok.joined:
            continue
        j = i + 1
        while j < n and tokens[j].key in connectors and tokens[j].joined and j - i <= 2:
            j += 1
        if j == i + 1 or j >= n or not capish(ctx, tokens[j]):
            continue
        last = j
        while last + 1 < n and tokens[last].joined and capish(ctx, tokens[last + 1]) and last - j < 3:
            last += 1
        start = tok.start
        key = name_key(ctx.text[start : tokens[last].end])
        out.append(
            Candidate(start, tokens[last].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.72, "org_pattern")
        )
    return out
