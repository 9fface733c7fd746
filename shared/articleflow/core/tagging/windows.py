"""A word's mentions within a window of sentences, counted for every mention of a text at once.

The document features (`features.DocumentCues`) and the second pass's (`stacking.FirstPassCues`)
both ask, of each mention of a word: among the word's mentions within `features.DOCUMENT_WINDOW`
sentences of it, how many have each cue, or each first-pass type? A sorted search per category
answers for all the mentions of an article in a few numpy calls; a window slid per word in Python
was a fifth of a tag call. Imported with a model only: the rules alone import no numpy.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.intp]


def window_counts(mentions: tuple[Ints, Ints, Ints], categories: int, queries: tuple[Ints, Ints], window: int) -> Ints:
    """[query, category]: how many `mentions` (key, sentence, category: one array each) of that category
    have the query's key (an int) and a sentence at most `window` from the query's (key, sentence)."""
    key, sentence, category = mentions
    query_key, query_sentence = queries
    # (key, sentence) as one int, keys far enough apart that a key's window never reaches another key
    stride = max(sentence.max(initial=0), query_sentence.max(initial=0)) + 2 * window + 1
    code = key * stride + sentence
    at = query_key * stride + query_sentence
    counts = np.empty((len(at), categories), dtype=np.intp)
    for c in range(categories):
        found = np.sort(code[category == c])
        counts[:, c] = np.searchsorted(found, at + window, side="right") - np.searchsorted(found, at - window)
    return counts


def bitmasks(present: npt.NDArray[np.bool_]) -> Ints:
    """Each row's true columns as the bits of one int (column c: bit c)."""
    return present @ (1 << np.arange(present.shape[1], dtype=np.intp))
