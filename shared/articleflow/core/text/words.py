"""Word counting shared by the message and its ninjs form, so both always agree."""

from __future__ import annotations

import re

# Scripts written without spaces between words: each character counts as one word,
# the usual convention of newsroom word counts for Chinese and Japanese.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAS_WORD = re.compile(r"\w")


def word_count(text: str) -> int:
    """Whitespace-separated tokens that hold a letter or digit, plus one per CJK character."""
    count = 0
    for token in text.split():
        unspaced = len(_UNSPACED.findall(token))
        if unspaced:
            count += unspaced + sum(1 for part in _UNSPACED.split(token) if _HAS_WORD.search(part))
        elif _HAS_WORD.search(token):
            count += 1
    return count
