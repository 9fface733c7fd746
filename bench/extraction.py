"""Body extraction benchmark: normalize's HTML path beside trafilatura's own `extract`, same run.

Data: ``../shared/benchmarks/article-extraction/`` beside the repo (181 news pages, gzip'd HTML,
and ``ground-truth.json``); read from there, never copied into the repo. Scoring is the
benchmark README's rule, exactly:

- tokens: every match of ``\\w+`` (Unicode), case kept;
- shingles: every run of 4 consecutive tokens, as a multiset (fewer than 4 tokens give one
  shorter shingle);
- per page: TP = sum of min(true, predicted), FP = predicted excess, FN = missing; each divided by
  TP+FP+FN; precision = TP/(TP+FP), recall = TP/(TP+FN), both 1.0 when FP = FN = 0, and 0 when
  the numerator side is empty;
- overall precision and recall are the means over pages; F1 = 2PR/(P+R) of those means.

normalize's body is the article's paragraphs joined by a blank line (what the published
message's ``text.body`` is): the HTML is decoded and normalized exactly as an upload would be
(`articleflow.core.formats`), without AWS. trafilatura is called with its defaults.

Run: ``python -m bench.extraction [--limit N] [--json]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(true_text: str, predicted_text: str) -> tuple[float, float]:
    """(precision, recall) of one page under the README's rule."""
    truth, predicted = shingles(true_text), shingles(predicted_text)
    tp = sum((truth & predicted).values())
    fp = sum((predicted - truth).values())
    fn = sum((truth - predicted).values())
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    total = tp + fp + fn
    tp_n, fp_n, fn_n = tp / total, fp / total, fn / total
    precision = tp_n / (tp_n + fp_n) if tp_n + fp_n > 0 else 0.0
    recall = tp_n / (tp_n + fn_n) if tp_n + fn_n > 0 else 0.0
    return precision, recall


def summary(scores: list[tuple[float, float]]) -> dict[str, float]:
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def normalize_body(data: bytes) -> str:
    from articleflow.core.errors import RejectedInput
    from articleflow.core.formats import normalize_upload
    from articleflow.core.ingest import inspect_upload

    try:
        upload = inspect_upload(data, max_bytes=len(data) + 1, key="page.html")
        article = normalize_upload(upload.media_type, upload.text, encoding=upload.encoding)
    except RejectedInput:
        return ""
    return article.body


def trafilatura_body(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data) or ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {"normalize": normalize_body, "trafilatura": trafilatura_body}


def run(limit: int | None = None) -> dict[str, dict[str, float]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    scores: dict[str, list[tuple[float, float]]] = {name: [] for name in EXTRACTORS}
    seconds: dict[str, float] = dict.fromkeys(EXTRACTORS, 0.0)
    for page_id in ids:
        data = gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes())
        for name, extractor in EXTRACTORS.items():
            started = time.perf_counter()
            body = extractor(data)
            seconds[name] += time.perf_counter() - started
            scores[name].append(page_scores(truth[page_id]["articleBody"], body))
    results = {name: summary(values) for name, values in scores.items()}
    for name in results:
        results[name]["pages"] = len(ids)
        results[name]["ms_per_page"] = round(1000 * seconds[name] / len(ids), 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not (DATA / "ground-truth.json").exists():
        print(f"bench.extraction: {DATA} is not there (it lives in ../shared beside the repo)", file=sys.stderr)
        return 1
    results = run(args.limit)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"{'extractor':<12} {'F1':>6} {'precision':>9} {'recall':>6} {'ms/page':>8}"
            f"  ({results['normalize']['pages']} pages)"
        )
        for name, r in results.items():
            print(f"{name:<12} {r['f1']:>6.3f} {r['precision']:>9.3f} {r['recall']:>6.3f} {r['ms_per_page']:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
