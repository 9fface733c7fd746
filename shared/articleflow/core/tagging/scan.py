"""Regex scans that jump to where a match can be.

A pattern that opens with a lookbehind (``(?<![\\w-])...``, as most of the rules' do) gives the regex
engine no first character to skip to: it runs the whole matcher at every position of the text, about
a millisecond per pattern on a 5,000-word article. `finditer_near` finds the places where a match can
be with a pattern that has such a first character (a digit, a hyphen before a digit) and runs the
rule's own pattern only there; the matches are the same as ``pattern.finditer(text)``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_NUMBER_RE = re.compile(r"\d\d*")  # not "\d+": the regex engine skips fast only to a first character


def number_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of digits: the anchors of the patterns that open with a number."""
    return [m.span() for m in _NUMBER_RE.finditer(text)]


def anchor_spans(anchor: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    return (m.span() for m in anchor.finditer(text))


def finditer_near(
    pattern: re.Pattern[str], anchors: Iterable[tuple[int, int]], reach: int, text: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, given `anchors` ((start, end) in order, not overlapping) such that every
    match of `pattern` is non-empty, starts at most `reach` characters before the first anchor that
    does not start before it, and starts inside no anchor but at its first character (the runs of
    digits, `number_spans`, for a pattern that opens with ``(?<!\\w)\\d``). Each anchor is tried as
    a match start and so are the `reach` positions before it (lookbehinds still see the text before
    them)."""
    pos = 0
    match = pattern.match
    for at, end in anchors:
        if at < pos:
            continue
        for start in range(max(pos, at - reach), at + 1):
            m = match(text, start)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = end
