"""Score every tagger backend on our own CoNLL test articles and print the README's markdown table.

    .venv/bin/python scripts/tagger_scores.py            # (re)trains the crf model in a temp dir

* offline: the default backend, as shipped (no training);
* crf: one multilingual model trained on tests/fixtures/conll/*-train.conll and scored on the
  *-test.conll files: the training and test articles are different articles (disjoint);
* comprehend: needs AWS credentials and network; not run here (a row says so).

Scores are entity-level exact matches (span + type, seqeval convention), micro-averaged, on the types
the corpora annotate: PERSON, LOCATION, ORGANIZATION, DATE, PRODUCT.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from articleflow.core.tagging import get_tagger
from articleflow.core.tagging.conll import Scores, evaluate, read_conll, read_corpora
from articleflow.core.tagging.crf import train_model

CORPORA = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "conll"
LANGUAGES = {"ar": "Arabic", "en": "English", "fr": "French", "es": "Spanish", "de": "German"}


def _cell(s: Scores) -> str:
    o = s.overall
    return f"{o.precision:.2f} / {o.recall:.2f} / **{o.f1:.2f}**"


def main() -> int:
    tests = {lang: CORPORA / f"{lang}-test.conll" for lang in LANGUAGES}
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "all.crfsuite"
        train_model(read_corpora(sorted(CORPORA.glob("*-train.conll"))), model)
        taggers = {"offline": get_tagger("offline"), "crf": get_tagger("crf", model_path=model)}
        rows: dict[str, dict[str, Scores]] = {name: {} for name in taggers}
        entities = {}
        for lang, path in tests.items():
            docs = read_conll(path)
            entities[lang] = sum(c.support for c in evaluate(taggers["offline"], docs).by_type.values())
            for name, tagger in taggers.items():
                rows[name][lang] = evaluate(tagger, docs)
        all_docs = [d for p in tests.values() for d in read_conll(p)]
        totals = {name: evaluate(tagger, all_docs) for name, tagger in taggers.items()}
    header = "| backend | " + " | ".join(f"{LANGUAGES[lang]} ({entities[lang]})" for lang in tests) + " | all |"
    print("Precision / recall / **F1**, exact span and type, on our own test articles (entities in brackets).")
    print()
    print(header)
    print("|" + " --- |" * (len(tests) + 2))
    for name in taggers:
        cells = " | ".join(_cell(rows[name][lang]) for lang in tests)
        print(f"| {name} | {cells} | {_cell(totals[name])} |")
    print("| comprehend | " + " | ".join("not run (needs AWS)" for _ in tests) + " | — |")
    print()
    print("By type, all languages (F1): ")
    print()
    types = sorted({t for s in totals.values() for t in s.by_type})
    print("| backend | " + " | ".join(types) + " |")
    print("|" + " --- |" * (len(types) + 1))
    for name, s in totals.items():
        print(f"| {name} | " + " | ".join(f"{s.by_type[t].f1:.2f}" if t in s.by_type else "—" for t in types) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
