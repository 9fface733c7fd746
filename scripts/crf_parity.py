"""Check that tagging with a model in numpy (`CrfModel`) gives the labels crfsuite itself gives.

Usage: python scripts/crf_parity.py [--model PATH] [--corpus CONLL] [--sentences 20]

Tags the corpus in articles of N sentences both ways (`crf.crfsuite_labels`: every feature, one
crfsuite call per sentence and pass) and prints the tokens whose labels differ; exit 1 if any do.
Defaults: the shipped Arabic model and the ANERcorp train part beside the repo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tagger_cv import DEFAULT_CORPUS

from articleflow.core.tagging.conll import read_conll
from articleflow.core.tagging.crf import CrfModel, crfsuite_labels
from articleflow.core.tagging.offline import DEFAULT_ARABIC_MODEL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_ARABIC_MODEL)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sentences", type=int, default=20, help="sentences per article")
    args = parser.parse_args()
    model, data = CrfModel(args.model), args.model.read_bytes()
    sentences = [s.tokens for doc in read_conll(args.corpus) for s in doc.sentences if s.tokens]
    tokens = differ = 0
    for lo in range(0, len(sentences), args.sentences):
        article = sentences[lo : lo + args.sentences]
        for words, ours, theirs in zip(
            article, model.sentence_labels(article), crfsuite_labels(data, article), strict=True
        ):
            tokens += len(words)
            for word, a, b in zip(words, ours, theirs, strict=True):
                if a != b:
                    differ += 1
                    print(f"{word}\tnumpy {a}\tcrfsuite {b}")
    print(f"{len(sentences)} sentences, {tokens} tokens: {differ} labels differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
