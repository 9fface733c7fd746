"""Body extraction benchmark: normalize's HTML path beside trafilatura's own `extract`, same run,
on two sets of pages.

**public**: ``../shared/benchmarks/article-extraction/`` beside the repo (181 news pages, gzip'd
HTML, and ``ground-truth.json``); read from there, never copied into the repo (skipped when
absent). Scoring is the benchmark README's rule, exactly:

- tokens: every match of ``\\w+`` (Unicode), case kept;
- shingles: every run of 4 consecutive tokens, as a multiset (fewer than 4 tokens give one
  shorter shingle);
- per page: TP = sum of min(true, predicted), FP = predicted excess, FN = missing; each divided by
  TP+FP+FN; precision = TP/(TP+FP), recall = TP/(TP+FN), both 1.0 when FP = FN = 0, and 0 when
  the numerator side is empty;
- overall precision and recall are the means over pages; F1 = 2PR/(P+R) of those means.

**fixtures**: our own pages, ``tests/fixtures/html/`` (written for this project, 8+ languages:
short pages, list-style articles, text in tables or in ``<div>``s without ``<p>``), each with
known main-text and boilerplate snippets in ``snippets.json``. A snippet is kept when it occurs
in the body (spaces collapsed). Per page: recall = main snippets kept / main snippets; precision
= main snippets kept / all snippets kept (0 when none is kept); means over pages, F1 as above.

On both sets it also counts the pages where an extractor returns no body, and where normalize
returns none while trafilatura returns one (the pages a fallback must never lose).

normalize's body is the article's paragraphs joined by a blank line (what the published
message's ``text.body`` is): the HTML is decoded and normalized exactly as an upload would be
(`articleflow.core.normalize`), without AWS. trafilatura is called with its defaults.

Run: ``python -m bench.extraction [--limit N] [--json]`` (``make bench-extraction``).
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
from functools import partial
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "html"
_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


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
    from articleflow.core.ingest import inspect_upload
    from articleflow.core.normalize import normalize_upload

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


def snippet_scores(main: list[str], boilerplate: list[str], body: str) -> tuple[float, float]:
    """(precision, recall) of one fixture page: which known snippets the body keeps."""
    text = _SPACES.sub(" ", body)
    kept_main = sum(_SPACES.sub(" ", snippet) in text for snippet in main)
    kept_boilerplate = sum(_SPACES.sub(" ", snippet) in text for snippet in boilerplate)
    kept = kept_main + kept_boilerplate
    return (kept_main / kept if kept else 0.0), kept_main / len(main)


# A page: its id, its bytes, and how to score a body extracted from it.
Page = tuple[str, bytes, Callable[[str], tuple[float, float]]]


def public_pages(limit: int | None = None) -> list[Page]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    return [
        (
            page_id,
            gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes()),
            partial(page_scores, truth[page_id]["articleBody"]),
        )
        for page_id in ids
    ]


def fixture_pages(limit: int | None = None) -> list[Page]:
    cases = json.loads((FIXTURES / "snippets.json").read_text(encoding="utf-8"))
    names = sorted(name for name in cases if not name.startswith("_"))
    return [
        (
            name,
            (FIXTURES / name).read_bytes(),
            partial(snippet_scores, cases[name]["main"], cases[name]["boilerplate"]),
        )
        for name in (names[:limit] if limit else names)
    ]


def run(pages: list[Page]) -> dict[str, dict[str, Any]]:
    scores: dict[str, list[tuple[float, float]]] = {name: [] for name in EXTRACTORS}
    seconds: dict[str, float] = dict.fromkeys(EXTRACTORS, 0.0)
    empty: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    lost: list[str] = []
    for page_id, data, score in pages:
        bodies = {}
        for name, extractor in EXTRACTORS.items():
            started = time.perf_counter()
            bodies[name] = extractor(data)
            seconds[name] += time.perf_counter() - started
            scores[name].append(score(bodies[name]))
            if not bodies[name].strip():
                empty[name].append(page_id)
        if not bodies["normalize"].strip() and bodies["trafilatura"].strip():
            lost.append(page_id)
    results: dict[str, dict[str, Any]] = {}
    for name, values in scores.items():
        results[name] = {
            **summary(values),
            "pages": len(pages),
            "empty": len(empty[name]),
            "ms_per_page": round(1000 * seconds[name] / len(pages), 1),
        }
    results["normalize"]["lost_where_trafilatura_has_a_body"] = lost
    return results


def _table(title: str, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"{title} ({results['normalize']['pages']} pages)",
        f"{'extractor':<12} {'F1':>6} {'precision':>9} {'recall':>6} {'no body':>7} {'ms/page':>8}",
    ]
    for name, r in results.items():
        lines.append(
            f"{name:<12} {r['f1']:>6.3f} {r['precision']:>9.3f} {r['recall']:>6.3f}"
            f" {r['empty']:>7} {r['ms_per_page']:>8.1f}"
        )
    lost = results["normalize"]["lost_where_trafilatura_has_a_body"]
    lines.append(f"pages with no normalize body where trafilatura has one: {len(lost)} {' '.join(lost)}".rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N pages (by id) of each set")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    sets: dict[str, dict[str, dict[str, Any]]] = {"fixtures": run(fixture_pages(args.limit))}
    if (DATA / "ground-truth.json").exists():
        sets["public"] = run(public_pages(args.limit))
    else:
        print(
            f"bench.extraction: {DATA} is not there (it lives in ../shared beside the repo); skipped", file=sys.stderr
        )
    if args.json:
        print(json.dumps(sets, indent=2))
    else:
        titles = {"public": "public benchmark, its README's scoring rule", "fixtures": "our fixtures, snippets"}
        print("\n\n".join(_table(titles[name], results) for name, results in sets.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
