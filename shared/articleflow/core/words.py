"""Word counting shared by the message and its ninjs form, so both always agree."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def word_count(text: str) -> int:
    """Words as runs of letters/digits; hyphenated and apostrophe forms count once."""
    return len(_WORD.findall(text))
