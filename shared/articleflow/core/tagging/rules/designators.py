"""Products: model designators (F-35, PAC-3, MiG-29) and their Arabic transliterations (إف-35, باك-3)."""

from __future__ import annotations

import re

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import arabic_key, proclitic_splits
from articleflow.core.tagging.scan import anchor_spans, finditer_near
from articleflow.core.tagging.spans import Candidate, entity_key

_LATIN_DESIGNATOR_RE = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,4})[-‐‑]([0-9]{1,4}[A-Z]{0,2})(?![\w-])")

_ARABIC_DESIGNATOR_RE = re.compile(
    r"(?<![\w-])([\u0621-\u064A\u0671-\u06D3\u064B-\u0652]{2,7}(?: [\u0621-\u064A]{2,4})?)[-‐‑]([0-9٠-٩]{1,4})(?![\w-])"
)

# the hyphen and first digit of a designator, at most 5 (Latin) or 12 (Arabic) characters after its
# start (`scan.finditer_near`)
_LATIN_NUMBER_RE = re.compile(r"[-‐‑][0-9]")
_ARABIC_NUMBER_RE = re.compile(r"[-‐‑][0-9٠-٩]")

_DESIGNATOR_STOP = {"COVID", "Covid", "G", "H", "MERS", "SARS", "Article", "Section", "Level", "Phase"}


def designator_key(canonical: str) -> str:
    return entity_key("PRODUCT", canonical.upper())


def find_designators(text: str) -> list[Candidate]:
    """Model designators: F-35, PAC-3, MiG-29, and Arabic transliterations إف-35, باك-3."""
    out: list[Candidate] = []
    for m in finditer_near(_LATIN_DESIGNATOR_RE, anchor_spans(_LATIN_NUMBER_RE, text), 5, text):
        prefix, number = m.group(1), m.group(2)
        if prefix in _DESIGNATOR_STOP or (prefix.islower()):
            continue
        canon = f"{prefix}-{number}"
        out.append(Candidate(m.start(), m.end(), "PRODUCT", designator_key(canon), 0.88, "designator", canon))
    prefixes = {arabic_key(k): v for k, v in lx.designator_prefixes().items()}
    for m in finditer_near(_ARABIC_DESIGNATOR_RE, anchor_spans(_ARABIC_NUMBER_RE, text), 12, text):
        word, number = m.group(1), m.group(2)
        start = m.start(1)
        latin = prefixes.get(arabic_key(word))
        if latin is None:
            # a proclitic in front (وإف-35, لباك-3) or only the last word is the prefix
            last = word.split(" ")[-1]
            for skip, _restore in proclitic_splits(last, min_rest=1):
                latin = prefixes.get(arabic_key(last[skip:]))
                if latin is not None:
                    start = m.start(1) + len(word) - len(last) + skip
                    break
            if latin is None and arabic_key(last) in prefixes:
                latin = prefixes[arabic_key(last)]
                start = m.start(1) + len(word) - len(last)
        if latin is None:
            continue
        canon = f"{latin}-{int(number)}"
        out.append(Candidate(start, m.end(), "PRODUCT", designator_key(canon), 0.85, "designator", canon))
    return out
