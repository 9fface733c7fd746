"""Counting a word's mentions within a window of sentences (windows.py), against counting them one by one."""

from __future__ import annotations

import random

import numpy as np

from articleflow.core.tagging.windows import bitmasks, window_counts


def columns(rows: list[tuple[int, ...]], width: int) -> list[np.ndarray]:
    return [np.array([row[i] for row in rows], dtype=np.intp) for i in range(width)]


def test_window_counts_agree_with_counting_each_mention() -> None:
    rng = random.Random(7)
    for _ in range(200):
        n, keys, sentences, categories, window = rng.randrange(0, 40), rng.randrange(1, 6), rng.randrange(1, 30), 3, 2
        mentions = [(rng.randrange(keys), rng.randrange(sentences), rng.randrange(categories)) for _ in range(n)]
        queries = [(rng.randrange(keys), rng.randrange(sentences)) for _ in range(rng.randrange(0, 20))]
        key, sentence, category = columns(mentions, 3)
        query_key, query_sentence = columns(queries, 2)
        got = window_counts((key, sentence, category), categories, (query_key, query_sentence), window)
        expected = [
            [sum(1 for k, s, c in mentions if k == qk and abs(s - qs) <= window and c == cat) for cat in range(3)]
            for qk, qs in queries
        ]
        assert got.tolist() == expected


def test_bitmasks() -> None:
    assert bitmasks(np.array([[True, False, True], [False, False, False], [False, True, False]])).tolist() == [5, 0, 2]
