"""Tagging with a trained model's weights in numpy: every sentence of an article scored and decoded at once.

crfsuite, which trains the models, tags one sentence per call: it converts each attribute string
to C++, looks it up, sums its weights, then runs Viterbi. That was most of the default tagger's time
(two passes, ~30 attributes a token). Here the weights of every pass of a model file sit in one
matrix over one attribute vocabulary (`CrfPasses`), so that a word's attributes are summed once per
article for all passes (`sum_groups`), and Viterbi runs over all of an article's sentences together,
one step per token position (`CrfPasses.decode`). The labels are crfsuite's, checked against it on
a trained model (tests/unit/test_tagging_crf.py) and on the shipped model over the ANERcorp train text.

numpy is imported by this module only, which `crf.CrfModel` imports when a model is opened.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from articleflow.core.tagging.features import WORD_GROUPS, ArticleAttributes
from articleflow.core.tagging.modelfile import FEATURE_RECORD, STATE_FEATURE, TRANSITION_FEATURE, CrfWeights

Scores = npt.NDArray[np.float64]
Ids = npt.NDArray[np.intp]
_FEATURE = np.dtype([("type", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")])
assert _FEATURE.itemsize == struct.calcsize(FEATURE_RECORD)


class CrfPasses:
    """The passes of one model file over one vocabulary: attribute name -> id (`ids`), and `weights`,
    a row per label of every pass (pass p's labels in rows p * L to (p + 1) * L, in the first pass's
    label order) and a column per attribute id, the last column zeros (`none`: no word).

    Arrays are label-major, (label, token): numpy gathers and reduces along the long last axis
    fastest (summing 88k random attribute ids into 13k groups: 17 ms here, 50 ms as token-major rows)."""

    def __init__(self, passes: Sequence[CrfWeights]) -> None:
        self.labels = passes[0].labels
        self.passes = len(passes)
        names = dict.fromkeys(name for crf in passes for name in crf.attributes)
        self.ids: dict[str, int] = {name: i for i, name in enumerate(names)}
        self.none = len(self.ids)
        n = len(self.labels)
        self.weights: Scores = np.zeros((n * len(passes), self.none + 1))
        self.transitions: list[Scores] = []
        for p, crf in enumerate(passes):
            if sorted(crf.labels) != sorted(self.labels):
                raise ValueError("the passes of a model file tag different labels")
            label = np.array([self.labels.index(label) for label in crf.labels])  # this pass's label id -> ours
            attribute = np.array([self.ids[name] for name in crf.attributes], dtype=np.intp)
            features = np.frombuffer(crf.features, dtype=_FEATURE)
            state = features[features["type"] == STATE_FEATURE]
            self.weights[p * n + label[state["target"]], attribute[state["source"]]] = state["weight"]
            transition = features[features["type"] == TRANSITION_FEATURE]
            transitions = np.zeros((n, n))
            transitions[label[transition["source"]], label[transition["target"]]] = transition["weight"]
            self.transitions.append(transitions)

    def sum_groups(self, ids: Sequence[int], counts: Sequence[int]) -> Scores:
        """The summed weights of consecutive groups of attribute `ids`, `counts[i]` in group i: a column
        per group, and a last column of zeros."""
        sizes = np.asarray(counts, dtype=np.intp)
        at = np.zeros(len(sizes) + 1, dtype=np.intp)
        np.cumsum(sizes, out=at[1:])
        flat = np.append(np.asarray(ids, dtype=np.intp), self.none)  # `none` closes the last group too
        summed = np.add.reduceat(self.weights.take(flat, axis=1), at, axis=1)
        summed[:, :-1][:, sizes == 0] = 0.0  # reduceat gives an empty group the next group's first id
        return summed

    def scores(self, article: ArticleAttributes) -> Scores:
        """Every pass's state score of each label (row) and each token of `article` (column)."""
        n = len(article.counts) // len(WORD_GROUPS)  # distinct words
        summed = self.sum_groups(article.groups, article.counts)  # [., group * n + word]; last: zeros
        words = np.asarray(article.words, dtype=np.intp)
        lengths = np.asarray(article.lengths, dtype=np.intp)
        token = np.arange(len(words))
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        ends = np.repeat(np.cumsum(lengths), lengths)
        columns = np.empty((len(WORD_GROUPS), len(words)), dtype=np.intp)
        for group, offset in enumerate(WORD_GROUPS):  # the token at t reads this group of the word at t - offset
            source = token - offset
            inside = (source >= starts) & (source < ends)
            columns[group] = np.where(inside, group * n + words[source.clip(0, len(words) - 1)], summed.shape[1] - 1)
        out = summed.take(columns.ravel(), axis=1).reshape(len(summed), len(WORD_GROUPS), len(words)).sum(axis=1)
        return self.add(out, article.tokens, article.ids)

    def add(self, scores: Scores, tokens: Sequence[int], ids: Sequence[int]) -> Scores:
        """`scores` with attribute `ids[i]`'s weights added to token `tokens[i]`'s column, for each i
        (in place): the weights summed per token, then added to its column (`np.add.at`, adding
        each pair's, took about a third longer on an article's 5,500 pairs)."""
        token = np.asarray(tokens, dtype=np.intp)
        order = np.argsort(token, kind="stable")
        token = token[order]
        first = np.flatnonzero(np.diff(token, prepend=-1))  # where each token's pairs start
        summed = np.add.reduceat(self.weights.take(np.asarray(ids, dtype=np.intp)[order], axis=1), first, axis=1)
        scores[:, token[first]] += summed
        return scores

    def decode(self, scores: Scores, lengths: Sequence[int], p: int) -> list[str]:
        """The best labels under pass p, for sentences of these lengths laid end to end in `scores`
        (every pass's, `scores`): Viterbi on pass p's rows, all the sentences at once."""
        n = len(self.labels)
        best = viterbi(scores[p * n : (p + 1) * n], np.asarray(lengths, dtype=np.intp), self.transitions[p])
        return [self.labels[i] for i in best.tolist()]


def viterbi(scores: Scores, lengths: Ids, transitions: Scores) -> Ids:
    """The best label id of each token of sentences laid end to end (`lengths`), given the state scores
    (label, token) and the label-to-label transition scores (crfsuite's linear chain: no start or end
    state; on a tie the lower label id, as crfsuite's strict comparisons).

    One step per token position for all the sentences still going, longest first so that those are a
    prefix; arrays are (label, sentence), the sentences innermost, which numpy loops over fastest. A
    step is a few numpy calls whatever the article's size, so the work per step is gathered before."""
    n = len(lengths)
    if not n:
        return np.zeros(0, dtype=np.intp)
    laid = np.zeros(n, dtype=np.intp)
    np.cumsum(lengths[:-1], out=laid[1:])
    order = np.argsort(-lengths, kind="stable")
    lengths = lengths[order]
    longest = int(lengths[0])
    going = np.searchsorted(-lengths, -np.arange(longest + 1), side="left").tolist()  # [t]: longer than t
    # [t, sentence]: the token at position t of each sentence, longest first (past a sentence's end: its last)
    token = laid[order] + np.minimum(np.arange(longest)[:, None], lengths - 1)
    state = scores[:, token]  # [label, t, sentence]
    # [previous label, label, sentence], written out: numpy adds two unit-stride rows faster than a row
    # and a broadcast scalar (a step on 171 sentences: 44 against 75 µs)
    into = np.repeat(transitions[:, :, None], n, axis=2)
    paths = np.empty_like(into)
    best = [state[:, 0]]  # [t][label, sentence]: the best score of a path to that label at t
    for t in range(1, longest):
        k = going[t]
        np.add(best[-1][:, None, :k], into[:, :, :k], out=paths[:, :, :k])
        best.append(paths[:, :, :k].max(axis=0) + state[:, t, :k])
    chosen = np.empty((longest, n), dtype=np.intp)  # [t, sentence]: the label taken
    at = np.zeros(n, dtype=np.intp)
    for t in range(longest - 1, -1, -1):
        k, ending = going[t], going[t + 1]  # sentences k..ending-1 end at t
        if ending < k:
            at[ending:k] = best[t][:, ending:k].argmax(axis=0)
        chosen[t, :k] = at[:k]
        if t:  # the previous label each path came from, recomputed for the labels taken only
            at[:k] = (best[t - 1][:, :k] + transitions[:, at[:k]]).argmax(axis=0)
    labels = np.empty(scores.shape[1], dtype=np.intp)
    inside = np.arange(longest)[:, None] < lengths
    labels[token[inside]] = chosen[inside]
    return labels
