"""Benchmark the offline tagger: cold import (module + data), opening the Arabic model (time and
resident memory), and tagging a 5,000-word article with and without that model.

The article is the sample's paragraphs repeated (few distinct words); when the ANERcorp train part
is beside the repo (../shared/corpora/anercorp-train/), a second article of as many words of its
text is timed too: news of many words, each new to the article.

Usage: python scripts/bench_tagger.py [--runs 21] [--words 5000] [--sample PATH] [--corpus PATH]

Prints the median of N runs for each number. The cold import is measured in fresh interpreters
(each run is a fresh subprocess); the shared pydantic models are timed separately, since every
pipeline stage imports them anyway.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tagger_cv import DEFAULT_CORPUS

from articleflow.core.tagging import Tagger
from articleflow.core.tagging.offline import DEFAULT_ARABIC_MODEL
from articleflow.models.article import Caption, NormalizedArticle
from articleflow.models.entities import Entity

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE = ROOT.parent / "shared" / "samples" / "ar-news-japan-command.txt"
# where the corpus article starts: past the first fold's opening, any sentence would do
CORPUS_FIRST_SENTENCE = 1000

COLD = """
import time
def rss_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
t0 = time.perf_counter()
import articleflow.models.entities  # pydantic models: imported by every stage anyway
t1 = time.perf_counter()
from articleflow.core.tagging import get_tagger, get_default_tagger
get_tagger("offline")  # tagger modules + gazetteer data
t2 = time.perf_counter()
before = rss_kib()
get_default_tagger()  # the Arabic model (numpy), opened at init or before a snapshot
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, rss_kib() - before)
"""


def build_article(sample: Path, words: int) -> tuple[NormalizedArticle, int]:

    lines = sample.read_text(encoding="utf-8").splitlines()
    paragraphs = [lines[0], *lines[2:11]]
    out: list[str] = []
    count = 0
    while count < words:
        for p in paragraphs:
            out.append(p)
            count += len(p.split())
            if count >= words:
                break
    caption = lines[1].rsplit(" الصورة: ", 1)[0]
    return NormalizedArticle(paragraphs=out, captions=[Caption(text=caption)], language="ar", script="Arab"), count


def corpus_article(corpus: Path, words: int) -> tuple[NormalizedArticle, int]:
    """`words` words of the corpus's running text, a sentence per paragraph."""
    from articleflow.core.tagging.conll import read_conll

    sentences = [s.tokens for doc in read_conll(corpus) for s in doc.sentences if s.tokens]
    paragraphs: list[str] = []
    count = 0
    for tokens in sentences[CORPUS_FIRST_SENTENCE:]:
        if count >= words:
            break
        paragraphs.append(" ".join(tokens))
        count += len(tokens)
    return NormalizedArticle(paragraphs=paragraphs, language="ar", script="Arab"), count


def time_tagging(tagger: Tagger, article: NormalizedArticle, runs: int) -> tuple[list[float], list[Entity]]:
    """Seconds per `tagger.tag(article)` call after a warm-up, and the entities."""
    entities = tagger.tag(article)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        tagger.tag(article)
        times.append(time.perf_counter() - t)
    return times, entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    models, tagger_cold, model_open, model_rss = [], [], [], []
    for _ in range(max(3, args.runs // 3)):
        res = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True)
        a, b, c, d = (float(x) for x in res.stdout.split())
        models.append(a)
        tagger_cold.append(b)
        model_open.append(c)
        model_rss.append(d)
    print(
        f"cold import: tagger modules + data load median {statistics.median(tagger_cold) * 1000:.1f} ms "
        f"(after the pydantic models, median {statistics.median(models) * 1000:.1f} ms; {len(models)} runs)"
    )
    print(
        f"Arabic model ({DEFAULT_ARABIC_MODEL.name}, {DEFAULT_ARABIC_MODEL.stat().st_size / 1e6:.1f} MB): "
        f"opened in median {statistics.median(model_open) * 1000:.1f} ms, "
        f"resident memory +{statistics.median(model_rss) / 1024:.1f} MiB"
    )

    from articleflow.core.tagging import get_tagger

    tagger = get_tagger("offline")
    article, count = build_article(args.sample, args.words)
    times, entities = time_tagging(tagger, article, args.runs)
    mentions = sum(len(e.mentions) for e in entities)
    print(
        f"tag {count} words ({len(article.body)} chars): median {statistics.median(times) * 1000:.1f} ms, "
        f"min {min(times) * 1000:.1f} ms ({args.runs} runs; {len(entities)} entities, {mentions} mentions)"
    )
    rules_only = get_tagger("offline", arabic_model_path=None)
    times, _ = time_tagging(rules_only, article, args.runs)
    print(f"  the same without the Arabic model (rules only): median {statistics.median(times) * 1000:.1f} ms")
    if args.corpus.is_file():
        article, count = corpus_article(args.corpus, args.words)
        distinct = len(set(article.body.split()))
        times, entities = time_tagging(tagger, article, args.runs)
        print(
            f"tag {count} words of {args.corpus.name} ({distinct} distinct): median "
            f"{statistics.median(times) * 1000:.1f} ms, min {min(times) * 1000:.1f} ms ({len(entities)} entities)"
        )
        times, _ = time_tagging(rules_only, article, args.runs)
        print(f"  the same without the Arabic model (rules only): median {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
