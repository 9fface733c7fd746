"""The crf backend's second pass: what a first model said about each word's other mentions.

A trained model is two CRFs (`crf.train_model`). The first tags the article with the features of
`features.py`; the second reads them again, plus, for each word, the types the first gave the word's
other mentions within `features.DOCUMENT_WINDOW` sentences (`FirstPassCues`): `s1doc=PERSON` when
most of them were a person (`s1doc=O` when most were no name) and `s1any=PERSON` when any was. News
names a person in full once and then in passing, and the first model's confident mention helps the
second with the others (a two-stage CRF, after Krishnan and Manning 2006).

The second model trains on first-pass labels the first model could not have memorised: each of four
blocks of the corpus is tagged by a model trained on the other three (`held_out_labels`).
ANERcorp folds 2 and 3, raw model F1: +1.3 / +1.2 points, most of it PERSON (+3.2 / +3.1). The
token's own first-pass label, and matches of the first pass's whole names, added nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache

from articleflow.core.tagging.features import DOCUMENT_WINDOW

Labels = Sequence[str]
# Blocks the training corpus is cut into for the first-pass labels the second pass learns from: each
# tagged by a model trained on the others. ANERcorp folds 2 and 3, raw model F1: 4 blocks +0.2 / +0.3
# over 2 (halves), at about twice the training time.
HELD_OUT_PARTS = 4


def label_type(label: str) -> str:
    """The type of a BIO/BIOES label ("B-PERSON" -> "PERSON"), "O" for no name."""
    return "O" if label == "O" else label[2:]


class FirstPassCues:
    """The first pass's types of each word's other mentions, per sentence of one text (an article,
    a corpus document): `features(i)` gives sentence i's, a list per token. `keys`: the key each
    word's mentions share, per sentence (`features.DocumentCues.keys`); `labels`: the first pass's."""

    def __init__(self, keys: Sequence[Sequence[str | None]], labels: Sequence[Labels]) -> None:
        self._keys = keys
        self._types = [[label_type(label) for label in sentence] for sentence in labels]
        mentions: dict[str, tuple[list[int], list[str]]] = {}  # key -> (sentence of each mention, its type)
        for si, (sentence_keys, types) in enumerate(zip(keys, self._types, strict=True)):
            for key, type_ in zip(sentence_keys, types, strict=True):
                if key is not None:
                    at, mention_types = mentions.setdefault(key, ([], []))
                    at.append(si)
                    mention_types.append(type_)
        # (key, sentence) -> the (type, count) of the key's mentions within the window, that sentence's
        # included; for the keys mentioned more than once (the others have nothing to learn from)
        self._window: dict[tuple[str, int], tuple[tuple[str, int], ...]] = {}
        for key, (at, types) in mentions.items():
            if len(at) > 1:
                self._window.update(((key, si), counts) for si, counts in _sliding_counts(at, types))

    def features(self, si: int) -> list[list[str]]:
        window = self._window
        return [
            [] if key is None or (counts := window.get((key, si))) is None else _cues(counts, own)
            for key, own in zip(self._keys[si], self._types[si], strict=True)
        ]


def _sliding_counts(at: list[int], types: list[str]) -> Iterable[tuple[int, tuple[tuple[str, int], ...]]]:
    """(sentence, (type, count) of the mentions within `DOCUMENT_WINDOW` sentences of it) for each
    sentence of `at` (ascending), the window slid over the mentions once."""
    counts: dict[str, int] = {}
    lo = hi = 0
    for si in dict.fromkeys(at):
        while hi < len(at) and at[hi] <= si + DOCUMENT_WINDOW:
            counts[types[hi]] = counts.get(types[hi], 0) + 1
            hi += 1
        while at[lo] < si - DOCUMENT_WINDOW:
            counts[types[lo]] -= 1
            lo += 1
        yield si, tuple((t, n) for t, n in counts.items() if n)


@cache
def _cues(counts: tuple[tuple[str, int], ...], own: str) -> list[str]:
    """The features of a mention of type `own` among mentions of these (type, count)s: for the others,
    `s1doc=` their most frequent type (the first listed of those as frequent) and `s1any=` each name
    type. Shared between calls: not to be changed by the caller."""
    others = [(t, n - (t == own)) for t, n in counts if n - (t == own)]
    if not others:
        return []
    top = max(others, key=lambda item: item[1])[0]  # max keeps the first of equal counts
    return [f"s1doc={top}", *sorted(f"s1any={t}" for t, _n in others if t != "O")]


def held_out_labels[X](
    sequences: Sequence[X],
    labels: Sequence[Labels],
    train: Callable[[Sequence[X], Sequence[Labels]], Callable[[X], Labels]],
    parts: int = HELD_OUT_PARTS,
) -> list[Labels]:
    """First-pass labels of every training sequence from a model that never saw it: the sequences
    cut into `parts` contiguous blocks, each tagged by a model trained on the others. `train(xs, ys)`
    returns a function that tags one sequence."""
    size = -(-len(sequences) // parts)
    out: list[Labels] = []
    for lo in range(0, len(sequences), size):
        hi = lo + size
        tag = train([*sequences[:lo], *sequences[hi:]], [*labels[:lo], *labels[hi:]])
        out += [tag(x) for x in sequences[lo:hi]]
    return out
