"""`scan.finditer_near` gives exactly the matches of `finditer`, for each pattern the rules scan with it."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from functools import partial

import pytest

from articleflow.core.tagging.rules import dates, designators, quantities
from articleflow.core.tagging.scan import anchor_spans, finditer_near, number_spans

SCANS = [  # (pattern, its anchors in a text, reach), as the rules scan them
    (quantities._PERCENT_RE, number_spans, 0),
    (quantities._CURRENCY_RE, partial(anchor_spans, quantities._DIGIT_OR_SIGN_RE), 0),
    (quantities._COUNT_RE, number_spans, 0),
    (dates._ISO_DATE_RE, number_spans, 0),
    (dates._NUMERIC_DATE_RE, number_spans, 0),
    (designators._LATIN_DESIGNATOR_RE, partial(anchor_spans, designators._LATIN_NUMBER_RE), 5),
    (designators._ARABIC_DESIGNATOR_RE, partial(anchor_spans, designators._ARABIC_NUMBER_RE), 12),
]
# characters and pieces the patterns turn on, shuffled into short texts
PIECES = [
    *"0123456789٠١٢٣٤٥٦٧٨٩ ,.-/%٪$€‐‑\u00a0\nFPACMiGxyz",
    *"إفباكصواريخ",
    " percent",
    " million ",
    "dollars",
    " دولار",
    " في المائة",
    " طائرة",
    "2024-07-28",
    "28/07/2024",
    "F-35",
    "MiG-29",
    "إف-35",
    "وباك-3",
    "25 000",
    "1,500",
]


def _spans(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("pattern", "anchors", "reach"), SCANS, ids=lambda x: getattr(x, "pattern", str(x))[:24])
def test_same_matches_as_finditer(
    pattern: re.Pattern[str], anchors: Callable[[str], Iterable[tuple[int, int]]], reach: int
) -> None:
    rnd = random.Random(13)
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 30)))
        expected = _spans(pattern.finditer(text))
        assert _spans(finditer_near(pattern, anchors(text), reach, text)) == expected, text
        found += len(expected)
    assert found > 100  # the texts do exercise the pattern
