"""Arabic: organisations introduced by a head noun (وزارة, هيئة, حركة) and a name or a genitive."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.rules.arabic_persons import is_definite
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key

AR_ORG_CONNECTORS = {"في", "عن", "من", "ل", "الى"}


def arabic_org_patterns(ctx: Context) -> list[Candidate]:
    """Head noun + definite modifiers: وزارة الدفاع, القوات المسلحة الأميركية,
    قوات الدفاع عن النفس اليابانية, القوات الأمريكية في اليابان (with في + place)."""
    tokens = ctx.tokens
    heads = lx.keys("ar_org_heads")
    weak = lx.keys("ar_weak_org_heads")
    stop = lx.keys("ar_stopwords")
    out: list[Candidate] = []
    head_words = ctx.words_with_reading_in(heads)
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.arabic or not tok.joined or tok.text not in head_words:
            i += 1
            continue
        reading = next(((s, k) for s, k in tok.readings if k in heads and k not in weak), None)
        if reading is None:
            i += 1
            continue
        skip, head_key = reading
        j = i + 1
        last = i
        while j < n and tokens[j].arabic:
            key = tokens[j].key
            if is_definite(key) and key not in stop:
                last = j
            elif (
                key in AR_ORG_CONNECTORS
                and j + 1 < n
                and tokens[j].joined
                and tokens[j + 1].arabic
                and (is_definite(tokens[j + 1].key) or ctx.gazetteer.lookup(tokens[j + 1].key, ctx.arabic_mask))
            ):
                last = j + 1
                j += 1
            else:
                break
            if not tokens[j].joined:
                break
            j += 1
        if last == i:
            i += 1
            continue
        # trim trailing "new/current/joint"
        while last > i + 1 and tokens[last].key in lx.keys("ar_org_trailing"):
            last -= 1
        start = tok.start + skip
        key = " ".join([head_key, *(t.key for t in tokens[i + 1 : last + 1])])
        out.append(
            Candidate(start, tokens[last].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.62, "org_pattern")
        )
        i = last + 1
    return out
