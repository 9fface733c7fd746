"""Tokenisation shared by the rules: tokens with display offsets and matching keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

from articleflow.core.tagging.arabic import ARABIC_LETTER_RE, latin_clitic_splits, proclitic_splits, token_key

# A word: letters/digits with combining marks, Arabic harakat/tatweel, and inner hyphens/apostrophes
# (Jean-Noël, d'Ukraine, إف-35); or dotted initials (U.S.).
_W = r"[\w\u0300-\u036f\u064b-\u0652\u0670\u0640]*"
TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]" + _W + r"(?:['’\-‐‑][^\W_]" + _W + r")*")
_SPACE_ONLY = frozenset(" \t\u00a0\u200e\u200f\u202f")
_SENTENCE_END = frozenset('.!?؟\n:؛;"«»“”')


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    arabic: bool
    cap: bool  # starts with an upper-case letter (Latin, Cyrillic, ...)
    upper: bool  # all letters upper case (acronyms)
    digit: bool  # all decimal digits (any script)
    joined: bool = False  # only spaces separate this token from the next
    sentence_start: bool = False
    readings: tuple[tuple[int, str], ...] = ()  # (skip, key): whole token, then clitic splits


WordInfo = tuple[str, bool, bool, bool, bool, tuple[tuple[int, str], ...]]
_WORD_CACHE: dict[str, WordInfo] = {}
_WORD_CACHE_MAX = 200_000


def word_info(word: str) -> WordInfo:
    """(key, arabic, cap, upper, digit, readings) of a word, memoised (news repeats its words)."""
    info = _WORD_CACHE.get(word)
    if info is None:
        first = word[0]
        arabic = not first.isascii() and ARABIC_LETTER_RE.search(word) is not None
        key = token_key(word)
        readings = [(0, key)]
        for skip, restore in proclitic_splits(word) if arabic else latin_clitic_splits(word):
            k = restore + token_key(word[skip:])
            if len(k) >= 2:
                readings.append((skip, k))
        info = (key, arabic, first.isupper(), word.isupper(), word.isdigit(), tuple(readings))
        if len(_WORD_CACHE) < _WORD_CACHE_MAX:
            _WORD_CACHE[word] = info
    return info


_SPACES = " \t\u00a0\u200e\u200f\u202f"
_OPENERS = _SPACES + "'\"«“("


# The text split into [gap, word, gap, word, ..., gap] in one C call: a gap's length gives the next
# word's offset, and the gap is what `joined` and `sentence_start` read.
_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")

# matched word -> (the token's word, its info, its length, what follows it: a possessive's 's, or
# ""): tokens share one string per distinct word (news repeats its words; a fresh string per token was
# a fifth of the tagger's peak memory), and a possessive is cut once per word (Japan's -> Japan)
TokenEntry = tuple[str, WordInfo, int, str]
_TOKEN_CACHE: dict[str, TokenEntry] = {}


def _token_entry(matched: str) -> TokenEntry:
    word = matched
    if len(word) > 3 and word[-1] in "sS" and word[-2] in "'’":
        word = word[:-2]
    entry = (word, word_info(word), len(word), matched[len(word) :])
    if len(_TOKEN_CACHE) < _WORD_CACHE_MAX:
        _TOKEN_CACHE[matched] = entry
    return entry


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    parts = _SPLIT_RE.split(text)
    append = tokens.append
    cached = _TOKEN_CACHE.get
    start = len(parts[0])
    sentence_start = True
    for matched, gap in zip(parts[1::2], parts[2::2], strict=True):
        word, (key, arabic, cap, upper, digit, readings), length, rest = cached(matched) or _token_entry(matched)
        after = rest + gap  # a possessive's 's is a gap
        if after == " ":  # the common case, decided without stripping
            joined, next_starts = True, False
        else:
            joined = bool(after) and not after.strip(_SPACES)
            before_next = after.rstrip(_OPENERS)
            next_starts = bool(before_next) and before_next[-1] in _SENTENCE_END
        append(Token(start, start + length, word, key, arabic, cap, upper, digit, joined, sentence_start, readings))
        sentence_start = next_starts
        start += len(matched) + len(gap)
    if tokens:
        tokens[-1].joined = False  # joined to nothing
    return tokens
