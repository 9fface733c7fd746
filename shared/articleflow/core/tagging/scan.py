"""Regex scans that jump to where a match can be.

A pattern that opens with a lookbehind (``(?<![\\w-])...``, as most of the rules' do) gives the regex
engine no first character to skip to: it runs the whole matcher at every position of the text, about
a millisecond per pattern on a 5,000-word article. `finditer_near` finds the places where a match can
be with a pattern that has such a first character (a digit, a hyphen before a digit) and runs the
rule's own pattern only there; the matches are the same as ``pattern.finditer(text)``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def finditer_near(pattern: re.Pattern[str], anchor: re.Pattern[str], reach: int, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, given that every match of `pattern` is non-empty, contains the first
    match of `anchor` at or after its start, at most `reach` characters after it, and starts nowhere
    inside a match of `anchor` but at its first character (a number's digits: `anchor` ``\\d\\d*``
    where the pattern opens with ``(?<!\\w)``). Each anchor is tried as a match start and so are the
    `reach` positions before it (lookbehinds still see the text before them)."""
    pos = 0
    search, match = anchor.search, pattern.match
    while (found := search(text, pos)) is not None:
        at = found.start()
        for start in range(max(pos, at - reach), at + 1):
            m = match(text, start)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = found.end()
