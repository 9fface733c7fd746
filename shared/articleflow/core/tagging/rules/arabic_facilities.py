"""Arabic: named facilities and places after a head (دار ضيافة إيكورا, مطار هانيدا, جزيرة أوكيناوا)."""

from __future__ import annotations

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.rules.arabic_persons import take_name
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.spans import Candidate, entity_key


def arabic_facilities(ctx: Context) -> list[Candidate]:
    """Facility/feature head + a proper name: دار ضيافة إيكورا, قاعدة يوكوتا, جزيرة أوكيناوا."""
    tokens = ctx.tokens
    heads = lx.facility_heads()
    out: list[Candidate] = []
    head_words = ctx.words_with_reading_in(heads)
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not tok.arabic or not tok.joined or tok.text not in head_words:
            continue
        for skip, key in ctx.readings(i):
            words = heads.get(key)
            if words is None:
                continue
            j = i
            ok = True
            for w in words[1:]:
                j += 1
                if j >= n or tokens[j].key != w or (j < n - 1 and not tokens[j].joined and w != words[-1]):
                    ok = False
                    break
            if not ok or j + 1 >= n or not tokens[j].joined:
                continue
            span = take_name(ctx, j + 1)
            if span is None:
                continue
            start = tok.start + skip
            end = tokens[span[1]].end
            nkey = " ".join([key, *words[1:], *(t.key for t in tokens[j + 1 : span[1] + 1])])
            out.append(Candidate(start, end, "LOCATION", entity_key("LOCATION", nkey), 0.7, "facility"))
            break
    return out
