"""Cross-validate the crf backend on a CoNLL corpus (by default the shared ANERcorp train part).

    .venv/bin/python scripts/tagger_cv.py                          # 3 folds, the default c1/c2
    .venv/bin/python scripts/tagger_cv.py --folds 5 --grid 0.05,0.05 0.1,0.01 --json cv.json
    .venv/bin/python scripts/tagger_cv.py --tagger offline    # the default tagger with each fold's model
    .venv/bin/python scripts/tagger_cv.py --tagger crf offline --jobs 3   # both, folds in parallel
    .venv/bin/python scripts/tagger_cv.py --tagger offline --models /tmp/cv   # keep/reuse the fold models

The sentences are cut into `--folds` contiguous blocks (news sentences of one story stay together,
so a fold never trains on the sentence next to the one it is scored on). For each block a model is
trained with `crf.train_model` (what `articleflow tagger train` runs) on the other blocks and scored
on it with `conll.evaluate` through the full crf backend (linker, rules, merging): the same path as
`articleflow tagger eval --tagger crf`. With `--tagger offline` the fold's model is scored inside the
default tagger instead (rules + model, as shipped for Arabic); `--tagger crf offline` scores both with
one model per fold. Scores are summed over the folds (micro), per type and overall. With `--models DIR`
each fold's model is kept in DIR and reused by later runs with the same settings, so a change to the rules
around the model is scored in a minute instead of a training run (delete DIR after changing features).
Only ever run this on a train part: choosing settings on a test set makes its score meaningless.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from articleflow.core.tagging.base import Tagger
from articleflow.core.tagging.conll import Counts, Document, Scores, evaluate, read_corpora
from articleflow.core.tagging.crf import DEFAULT_PARAMS, CrfTagger, train_model
from articleflow.core.tagging.offline import OfflineTagger

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "anercorp-train" / "ANERCorp_CamelLab_train.txt"


def folds(docs: list[Document], k: int) -> list[tuple[list[Document], Document]]:
    """(train documents, held-out document) per fold: k contiguous blocks of sentences."""
    sents = [(d.language, s) for d in docs for s in d.sentences]
    size = -(-len(sents) // k)
    out = []
    for i in range(k):
        held = sents[i * size : (i + 1) * size]
        train = sents[: i * size] + sents[(i + 1) * size :]
        lang = held[0][0] if held else "und"
        out.append(
            (
                [Document([s for _l, s in train], language=lang)],
                Document([s for _l, s in held], language=lang, name=f"fold{i + 1}"),
            )
        )
    return out


def add(total: Scores, part: Scores) -> None:
    for t, c in part.by_type.items():
        acc = total.by_type.setdefault(t, Counts())
        acc.tp += c.tp
        acc.fp += c.fp
        acc.fn += c.fn


def fold_tagger(name: str, model: Path) -> Tagger:
    return OfflineTagger(arabic_model_path=model) if name == "offline" else CrfTagger(model)


def model_name(i: int, k: int, params: dict[str, Any]) -> str:
    """A kept fold model's file name: the fold and every setting it was trained with."""
    settings = ",".join(f"{key}={params[key]}" for key in sorted(params))
    return f"fold{i}of{k}-{settings}.crfsuite"


FoldJob = tuple[int, int, list[Document], Document, dict[str, Any], tuple[str, ...], Path | None]


def _fold(job: FoldJob) -> dict[str, Scores]:
    """Train on one fold's training blocks (or reuse the kept model), score each tagger on its held-out block."""
    i, k, train, held, params, taggers, keep = job
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        model = (keep or Path(tmp)) / model_name(i, k, params)
        if model.exists():
            source = "kept model"
        else:
            report = train_model(train, model, params)
            source = f"{report['bytes'] // 1024} KiB model"
        scores = {name: evaluate(fold_tagger(name, model), [held]) for name in taggers}
    summary = ", ".join(f"{name} F1 {s.overall.f1:.3f}" for name, s in scores.items())
    print(f"  fold {i}/{k}: {summary} ({source}, {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return scores


def cross_validate(
    docs: list[Document],
    k: int,
    params: dict[str, Any],
    taggers: tuple[str, ...] = ("crf",),
    jobs: int = 1,
    keep: Path | None = None,
) -> dict[str, Scores]:
    """Micro-summed scores over `k` folds, per tagger (each fold's model trained once, scored by each)."""
    work: list[FoldJob] = [
        (i, k, train, held, params, taggers, keep) for i, (train, held) in enumerate(folds(docs, k), 1)
    ]
    if jobs > 1:
        with multiprocessing.Pool(min(jobs, k)) as pool:
            per_fold = pool.map(_fold, work)
    else:
        per_fold = [_fold(job) for job in work]
    totals = {name: Scores() for name in taggers}
    for scores in per_fold:
        for name, part in scores.items():
            add(totals[name], part)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus", nargs="*", default=[str(DEFAULT_CORPUS)], help="CoNLL files (default: ANERcorp train)"
    )
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--grid", nargs="*", default=[], metavar="C1,C2", help="regularisation settings to compare")
    parser.add_argument("--max-iterations", type=int, default=None)
    parser.add_argument(
        "--tagger",
        nargs="+",
        choices=("crf", "offline"),
        default=["crf"],
        help="score the crf backend, the default, or both (one model per fold)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="folds trained at once (one process each)")
    parser.add_argument("--language", default=None, help="the corpus language when its file name does not say")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the scores here")
    parser.add_argument(
        "--models", type=Path, default=None, metavar="DIR", help="keep each fold's model here and reuse kept ones"
    )
    args = parser.parse_args(argv)
    missing = [c for c in args.corpus if not Path(c).exists()]
    if missing:
        print(f"no such corpus: {', '.join(missing)}", file=sys.stderr)
        return 2
    docs = read_corpora(args.corpus, language=args.language)
    grid = [tuple(float(x) for x in g.split(",")) for g in args.grid] or [(DEFAULT_PARAMS["c1"], DEFAULT_PARAMS["c2"])]
    results: dict[str, Any] = {}
    for c1, c2 in grid:
        params: dict[str, Any] = {"c1": c1, "c2": c2}
        if args.max_iterations:
            params["max_iterations"] = args.max_iterations
        print(f"c1={c1} c2={c2}, {args.folds} folds:", file=sys.stderr)
        if args.models:
            args.models.mkdir(parents=True, exist_ok=True)
        totals = cross_validate(docs, args.folds, params, tuple(args.tagger), args.jobs, args.models)
        for name, scores in totals.items():
            results[f"{name} c1={c1},c2={c2}" if len(totals) > 1 else f"c1={c1},c2={c2}"] = scores.as_dict()
            print(f"{name} c1={c1} c2={c2}")
            print(scores.table())
            print()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
