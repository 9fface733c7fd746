"""Latin scripts: organisations after a descriptor (the engineering firm Arup), after a lower-case
head (le ministère des Armées), and French and Spanish names with lower-case words in them (Agence
nationale de sécurité du médicament)."""

from __future__ import annotations

import re

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.rules.latin_words import SECOND_CONNECTORS, capish, clitic_skip, strip_clitic
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
    """A lower-case head, its adjectives, de/des/du + a capitalised name, in running text: le ministère
    des Armées, le ministère de l'Intérieur, el ministerio de Defensa, le conseil régional de Normandie,
    le tribunal administratif de Caen."""
    tokens = ctx.tokens
    heads = lx.keys("lower_org_heads")
    connectors = lx.keys("latin_connectors") | SECOND_CONNECTORS
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.key not in heads or tok.cap or not tok.joined:
            continue
        first = j = i + 1
        while j < n and tokens[j - 1].joined and _ROMANCE_ADJECTIVE_RE.fullmatch(tokens[j].key) and j - i <= 2:
            first = j = j + 1  # régional, administratif
        while j < n and tokens[j].key in connectors and tokens[j - 1].joined and j - first <= 1:
            j += 1
        if j == first or j >= n or not tokens[j - 1].joined or not capish(ctx, tokens[j]):
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


# French and Spanish adjectives by their endings (nationale, régionale, écologique, hidrográfica, estatal)
_ROMANCE_ADJECTIVE_RE = re.compile(
    r"\w+(?:ale|aux|ique|aire|enne|aise|ive|nal|ral|ica|ico|ana|ano|ense|ante|ente|eure|ière|tal|aine|nel|elle|iel|if|able)s?"
)
# a lower-case infinitive (publier, finir, prendre, aprobar): French and Spanish endings
_INFINITIVE_RE = re.compile(r"[a-zà-ÿ]{3,}(?:er|ir|re|ar)")
_ROMANCE_DE = frozenset({"de", "du", "des", "del", "pour", "para", "d"})  # de la, de los: "la" is read next
_ROMANCE_AND = frozenset({"et", "y"})
# a capitalised adjective before the head: Haute Autorité de santé, Alta Comisión
_ROMANCE_LEADING = frozenset({"haute", "haut", "grande", "grand", "alta", "alto", "gran", "nouvelle", "nueva"})


def romance_org_names(ctx: Context) -> list[Candidate]:
    """A capitalised head (`romance_org_heads`) and what follows it in lower case or capitals: adjectives and
    de + a field, up to three times (Agence régionale de santé de Bretagne, Ligue nationale de rugby,
    Confederación Hidrográfica del Segura). A head with nothing after it is left to the other rules."""
    tokens = ctx.tokens
    heads = lx.keys("romance_org_heads")
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        if not capish(ctx, tok) or not tok.joined or not any(k in heads for _s, k in tok.readings):
            continue
        last = _romance_name_end(ctx, i)
        if last == i:
            continue
        first = i - 1 if i and tokens[i - 1].joined and tokens[i - 1].key in _ROMANCE_LEADING else i
        start = tokens[first].start + clitic_skip(tokens[first])
        end = tokens[last].end
        key = name_key(ctx.text[start:end])
        out.append(Candidate(start, end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.72, "org_pattern"))
    return out


def _romance_name_end(ctx: Context, i: int) -> int:
    """The last token of the name headed at token i: adjectives, de + one or two words, three times."""
    tokens = ctx.tokens
    n = len(tokens)
    last = j = i
    phrases = 0
    while j + 1 < n and tokens[j].joined and phrases <= 3:
        nxt = tokens[j + 1]
        if _ROMANCE_ADJECTIVE_RE.fullmatch(nxt.key) or (capish(ctx, nxt) and j == last):
            last = j = j + 1  # nationale, Hidrográfica, Autorité's own capitalised words
            continue
        k = j + 1
        if nxt.key in _ROMANCE_AND and k + 1 < n and nxt.joined and tokens[k + 1].key in _ROMANCE_DE and phrases:
            k += 1  # de l'électricité et de l'eau potable: a second field
            nxt = tokens[k]
        if nxt.key == "de" and k + 1 < n and nxt.joined and tokens[k + 1].key in ("la", "los", "las", "l"):
            k += 1
        if nxt.key not in _ROMANCE_DE or not tokens[k].joined or k + 1 >= n:
            break
        word = tokens[k + 1]
        plain = strip_clitic(word)  # de l'environnement
        if word.digit or (not plain.isalpha() and not capish(ctx, word)) or _INFINITIVE_RE.fullmatch(plain.lower()):
            break  # demander à la Commission de publier: de + a verb is no part of the name
        last = j = k + 1  # de santé, du médicament, de Bretagne
        phrases += 1
    return last
