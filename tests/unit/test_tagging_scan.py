"""`scan.finditer_near` gives exactly the matches of `finditer`, for each pattern the rules scan with it."""

from __future__ import annotations

import random
import re

import pytest

from articleflow.core.tagging.rules import dates, designators, quantities
from articleflow.core.tagging.scan import finditer_near

SCANS = [
    (quantities._PERCENT_RE, quantities._DIGITS_RE, 0),
    (quantities._CURRENCY_RE, quantities._DIGIT_OR_SIGN_RE, 0),
    (quantities._COUNT_RE, quantities._DIGITS_RE, 0),
    (dates._ISO_DATE_RE, dates._DIGITS_RE, 0),
    (dates._NUMERIC_DATE_RE, dates._DIGITS_RE, 0),
    (designators._LATIN_DESIGNATOR_RE, designators._LATIN_NUMBER_RE, 5),
    (designators._ARABIC_DESIGNATOR_RE, designators._ARABIC_NUMBER_RE, 12),
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


@pytest.mark.parametrize(("pattern", "anchor", "reach"), SCANS, ids=lambda x: getattr(x, "pattern", str(x))[:24])
def test_same_matches_as_finditer(pattern: re.Pattern[str], anchor: re.Pattern[str], reach: int) -> None:
    rnd = random.Random(13)
    found = 0
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 30)))
        expected = _spans(pattern.finditer(text))
        assert _spans(finditer_near(pattern, anchor, reach, text)) == expected, text
        found += len(expected)
    assert found > 100  # the texts do exercise the pattern
