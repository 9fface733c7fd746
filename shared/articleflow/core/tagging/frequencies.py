"""How common an Arabic word is in general text: its Zipf frequency, a crf feature (`features.py`).

Arabic has no capital letters, and a name the training corpus never shows looks like any other word.
How often it is written elsewhere separates them: كيهارا is all but absent from general text, قال and
عقد ("held") are everywhere. ANERcorp 3-fold CV, one CRF, raw model F1: 0.736 -> 0.745.

The figures are wordfreq's (3.1.1, large Arabic list: Wikipedia, subtitles, news, web and Twitter
text; CC BY-SA 4.0, see `data/frequencies/NOTICE.md`), folded to our matching keys by
`scripts/build_word_frequencies.py`. They are stored compactly for the tag function's cold start and
memory: the 64-bit hash of each key, sorted (`ar-words.i64`), and beside each its Zipf frequency
(log10 of occurrences per billion words) in twentieths, one byte (`ar-words.zipf`). Lookups hash
the key and bisect.
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from functools import cache
from importlib import resources

from articleflow.core.tagging import int64s
from articleflow.core.tagging.text import token_key

# Zipf frequencies are stored in steps of 1/ZIPF_SCALE.
ZIPF_SCALE = 20


def key_hash(key: str) -> int:
    """A word key's stable 64-bit hash (Python's own `hash` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


class WordFrequencies:
    """Zipf frequencies of word keys, looked up by the keys' hashes (`key_hash`)."""

    def __init__(self, hashes: array[int], zipf: bytes) -> None:
        if len(hashes) != len(zipf):
            raise ValueError("the word frequency files disagree: rebuild them (scripts/build_word_frequencies.py)")
        self._hashes = hashes
        self._zipf = zipf

    def __len__(self) -> int:
        return len(self._hashes)

    def zipf(self, key: str) -> float | None:
        """The key's Zipf frequency (1 = once per 100 million words, 6 = once per thousand), None if
        the list lacks it."""
        h = key_hash(key)
        i = bisect.bisect_left(self._hashes, h)
        if i < len(self._hashes) and self._hashes[i] == h:
            return self._zipf[i] / ZIPF_SCALE
        return None


@cache
def arabic_word_frequencies() -> WordFrequencies:
    """The Arabic list, loaded once per process (about 3 MB, a few milliseconds)."""
    folder = resources.files("articleflow").joinpath("data", "frequencies")
    hashes = int64s.from_bytes(folder.joinpath("ar-words.i64").read_bytes())
    return WordFrequencies(hashes, folder.joinpath("ar-words.zipf").read_bytes())


def word_zipf(word: str) -> float:
    """How common an Arabic word (as written) is in general text: its key's Zipf frequency, 0 if rare."""
    return arabic_word_frequencies().zipf(token_key(word)) or 0.0
