"""Word classes learned from unlabeled text, for the crf's cluster features (`features.py`).

    .venv/bin/python scripts/build_word_clusters.py CORPUS... --out shared/articleflow/data/ar-clusters.txt

Reads the tokens of CoNLL files (the tags are ignored: only the running text is used) or of plain
text, folds each word to the stem the crf features use (`features.cluster_key`: Arabic proclitics and
suffixes stripped, Latin case-folded), and groups the stems that occur `--min-count` times or more
into `--classes` classes with the exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney
1998): each stem moves, in turn, to the class that most raises the likelihood of a class-bigram model
of the text, until a pass moves few stems. Words that occur in the same contexts (names after قال,
places after في) end up together, so a rare name shares a feature with frequent ones.

Writes one `stem<TAB>class` line per stem, most frequent first. Deterministic for the same input.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from articleflow.core.tagging.conll import read_corpora
from articleflow.core.tagging.features import cluster_key

BOUNDARY = "<s>"


def corpus_sentences(paths: Iterable[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for raw in paths:
        path = Path(raw)
        if path.suffix in (".txt", ".conll", ".iob") and _looks_conll(path):
            out += [s.tokens for d in read_corpora([path]) for s in d.sentences]
        else:
            out += [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _looks_conll(path: Path) -> bool:
    with path.open(encoding="utf-8") as f:
        lines = [line.split() for _, line in zip(range(50), f, strict=False) if line.strip()]
    return bool(lines) and all(len(parts) >= 2 for parts in lines)


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def exchange(sentences: list[list[str]], classes: int, min_count: int, passes: int) -> dict[str, int]:
    """Stem -> class by the exchange algorithm over a class-bigram model (see the module docstring)."""
    keys = [[BOUNDARY, *(cluster_key(w) for w in s), BOUNDARY] for s in sentences]
    freq = Counter(k for s in keys for k in s)
    vocab = [w for w, n in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_count and w != BOUNDARY]
    ids = {w: i for i, w in enumerate(vocab)}
    rare = len(vocab)  # every other stem shares one id that never moves
    boundary = rare + 1
    n_ids = rare + 2
    right: list[Counter[int]] = [Counter() for _ in range(n_ids)]
    left: list[Counter[int]] = [Counter() for _ in range(n_ids)]
    count = [0] * n_ids
    for s in keys:
        seq = [boundary if k == BOUNDARY else ids.get(k, rare) for k in s]
        for a, b in itertools.pairwise(seq):
            right[a][b] += 1
            left[b][a] += 1
        for a in seq:
            count[a] += 1
    # initial classes: frequency rank modulo the class count; rare stems and the boundary have their own
    cls = [i % classes for i in range(rare)] + [classes, classes + 1]
    n_cls = classes + 2
    bigram = [[0] * n_cls for _ in range(n_cls)]
    unigram = [0] * n_cls
    for a in range(n_ids):
        unigram[cls[a]] += count[a]
        for b, n in right[a].items():
            bigram[cls[a]][cls[b]] += n

    for p in range(passes):
        started = time.perf_counter()
        moved = 0
        for w in range(rare):
            a = cls[w]
            selfloop = right[w].get(w, 0)
            wr: dict[int, int] = defaultdict(int)  # class of the next word -> count (w itself excluded)
            wl: dict[int, int] = defaultdict(int)
            for v, n in right[w].items():
                if v != w:
                    wr[cls[v]] += n
            for v, n in left[w].items():
                if v != w:
                    wl[cls[v]] += n
            # take w out of its class
            for c, n in wr.items():
                bigram[a][c] -= n
            for c, n in wl.items():
                bigram[c][a] -= n
            bigram[a][a] -= selfloop
            unigram[a] -= count[w]
            best, best_gain = a, -math.inf
            for b in range(classes):
                row = bigram[b]
                gain = 0.0
                for c, n in wr.items():
                    if c != b:
                        gain += _xlogx(row[c] + n) - _xlogx(row[c])
                for c, n in wl.items():
                    if c != b:
                        x = bigram[c][b]
                        gain += _xlogx(x + n) - _xlogx(x)
                x = row[b]
                gain += _xlogx(x + wr.get(b, 0) + wl.get(b, 0) + selfloop) - _xlogx(x)
                gain -= 2 * (_xlogx(unigram[b] + count[w]) - _xlogx(unigram[b]))
                if gain > best_gain + 1e-9:
                    best, best_gain = b, gain
            # put it into the best class
            for c, n in wr.items():
                bigram[best][c] += n
            for c, n in wl.items():
                bigram[c][best] += n
            bigram[best][best] += selfloop
            unigram[best] += count[w]
            if best != a:
                cls[w] = best
                moved += 1
        print(f"pass {p + 1}: {moved} of {rare} stems moved ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if moved < rare // 100:
            break
    return {w: cls[i] for i, w in enumerate(vocab)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--passes", type=int, default=6)
    args = parser.parse_args(argv)
    missing = [c for c in args.corpus if not Path(c).is_file()]
    if missing:
        print(f"no such corpus: {', '.join(missing)}", file=sys.stderr)
        return 2
    table = exchange(corpus_sentences(args.corpus), args.classes, args.min_count, args.passes)
    lines = [f"{w}\t{c}" for w, c in table.items()]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} stems in {args.classes} classes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
