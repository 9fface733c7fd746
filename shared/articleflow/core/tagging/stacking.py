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

import itertools
from collections.abc import Callable, Sequence
from functools import cache

from articleflow.core.tagging.features import DOCUMENT_WINDOW, DocumentCues, TokenCues

Labels = Sequence[str]
# Blocks the training corpus is cut into for the first-pass labels the second pass learns from: each
# tagged by a model trained on the others. ANERcorp folds 2 and 3, raw model F1: 4 blocks +0.2 / +0.3
# over 2 (halves), at about twice the training time.
HELD_OUT_PARTS = 4


def label_type(label: str) -> str:
    """The type of a BIO/BIOES label ("B-PERSON" -> "PERSON"), "O" for no name."""
    return "O" if label == "O" else label[2:]


class FirstPassCues(TokenCues):
    """The first pass's types of each word's other mentions, per sentence of one text (an article,
    a corpus document), from its `features.DocumentCues` (which mentions share a key) and the first
    pass's `labels`.

    A mention's features: of the key's other mentions within `DOCUMENT_WINDOW` sentences, `s1doc=`
    their most frequent type (of types as frequent, the one the key's mentions gave first) and
    `s1any=` each name type among them, sorted."""

    def __init__(self, document: DocumentCues, labels: Sequence[Labels]) -> None:
        import numpy as np  # with a model only (windows.py)

        from articleflow.core.tagging.windows import bitmasks, window_counts

        super().__init__(len(s) for s in labels)
        if self.starts != document.starts:
            raise ValueError("the first pass's labels are not of the document's sentences")
        mention, key, sentence = document.mentions
        if not len(mention):
            return
        types: dict[str, int] = {}  # type -> id (in any order: ties between types go by `first` below)
        type_of = {label: types.setdefault(label_type(label), len(types)) for label in set(itertools.chain(*labels))}
        type_ = np.array([type_of[label] for label in itertools.chain(*labels)], dtype=np.intp)[mention]
        others = window_counts((key, sentence, type_), len(types), (key, sentence), DOCUMENT_WINDOW)
        others[np.arange(len(mention)), type_] -= 1  # the mention itself
        seen, at = np.unique(key * len(types) + type_, return_index=True)
        first = np.full((int(key.max()) + 1) * len(types), len(mention), dtype=np.intp)
        first[seen] = at
        rank = len(mention) - first.reshape(-1, len(types))[key]  # the type given first ranks highest
        top = np.where(others > 0, others * (len(mention) + 1) + rank, -1).argmax(axis=1)
        present = bitmasks(others > 0)
        cued = np.flatnonzero(present)
        names = tuple(types)
        self._cued.update(
            zip(
                mention[cued].tolist(),
                [
                    _cues(names[t], mask, names)
                    for t, mask in zip(top[cued].tolist(), present[cued].tolist(), strict=True)
                ],
                strict=True,
            )
        )


@cache
def _cues(top: str, present: int, types: tuple[str, ...]) -> list[str]:
    """The features of a mention whose other mentions' most frequent type is `top`, with the `types`
    of bitmask `present` among them. Shared between calls: not to be changed by the caller."""
    return [f"s1doc={top}", *sorted(f"s1any={t}" for i, t in enumerate(types) if present >> i & 1 and t != "O")]


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
