"""The numpy Viterbi (viterbi.py): the best path of every sentence, found for all sentences at once."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from articleflow.core.tagging.viterbi import viterbi


def best_path(scores: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best label sequence of one sentence by trying every one (scores: label, token)."""
    labels, length = scores.shape

    def score(path: tuple[int, ...]) -> float:
        total = sum(scores[label, t] for t, label in enumerate(path))
        return total + sum(transitions[a, b] for a, b in itertools.pairwise(path))

    return list(max(itertools.product(range(labels), repeat=length), key=score))


@pytest.mark.parametrize("seed", range(5))
def test_each_sentence_gets_its_best_path(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lengths = np.array([3, 1, 5, 2, 5, 4])  # unsorted, one token alone, equal lengths
    scores = rng.normal(size=(3, int(lengths.sum())))
    transitions = rng.normal(size=(3, 3)) * 2  # strong enough to overrule a token's best label
    found = viterbi(scores, lengths, transitions).tolist()
    expected = []
    for start, n in zip(np.cumsum(lengths) - lengths, lengths, strict=True):
        expected += best_path(scores[:, start : start + n], transitions)
    assert found == expected
    assert found != scores.argmax(axis=0).tolist()  # the transitions mattered somewhere


def test_ties_go_to_the_lower_label_as_in_crfsuite() -> None:
    assert viterbi(np.zeros((4, 6)), np.array([2, 4]), np.zeros((4, 4))).tolist() == [0] * 6


def test_no_sentences() -> None:
    assert viterbi(np.zeros((4, 0)), np.array([], dtype=np.intp), np.zeros((4, 4))).tolist() == []
