"""Screen a change to the crf features quickly: one CRF per fold, its raw labels scored (no rules).

    .venv/bin/python scripts/screen_features.py            # 3 folds of the ANERcorp train part, ~5 min
    .venv/bin/python scripts/screen_features.py --folds 1  # the first fold only

`scripts/tagger_cv.py` scores what ships (two passes, six CRFs per fold, then the linker and rules)
and takes a quarter of an hour or more; a feature that does not help the first pass's own labels
rarely helps there. This trains only the first pass (`crf.training_sequences`, `crf.train_crf` with
`DEFAULT_PARAMS`) on the same folds (`tagger_cv.folds`) and scores its labels against the corpus's,
exact span and type, per type and overall. Run it before and after a change to `features.py`. Only ever on a train part.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tagger_cv import DEFAULT_CORPUS, add, folds

from articleflow.core.tagging.conll import Document, Scores, read_corpora, tags_to_spans
from articleflow.core.tagging.crf import DEFAULT_PARAMS, tagging, train_crf, training_sequences


def screen_fold(train: list[Document], held: Document, tmp: Path) -> Scores:
    """The first pass trained on `train`, its raw labels on `held` scored."""
    sequences = [(x, y) for x, y in training_sequences(train) if x]
    tag = tagging(train_crf([x for x, _y in sequences], [y for _x, y in sequences], DEFAULT_PARAMS, tmp))
    scores = Scores()
    for si, (x, y) in enumerate(training_sequences([held])):
        if x:
            gold = {(si, *span) for span in tags_to_spans(list(y))}
            scores.add(gold, {(si, *span) for span in tags_to_spans(tag(x))}, None)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", default=[str(DEFAULT_CORPUS)])
    parser.add_argument("--folds", type=int, nargs="*", help="which of the 3 folds (default: all)")
    parser.add_argument("--language", default=None, help="the corpus language when its file name does not say")
    args = parser.parse_args(argv)
    total = Scores()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (train, held) in enumerate(folds(read_corpora(args.corpus, language=args.language), 3), 1):
            if args.folds and i not in args.folds:
                continue
            started = time.perf_counter()
            scores = screen_fold(train, held, Path(tmp))
            by_type = ", ".join(f"{t} {c.f1:.3f}" for t, c in sorted(scores.by_type.items()))
            took = time.perf_counter() - started
            print(f"fold {i}: F1 {scores.overall.f1:.4f} ({by_type}; {took:.0f} s)", file=sys.stderr)
            add(total, scores)
    print(f"first pass alone, raw labels, F1 {total.overall.f1:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
