"""Train the default tagger's Arabic model, `shared/articleflow/data/ner-ar.crfsuite`, from ANERcorp.

    .venv/bin/python scripts/train_default_model.py [CORPUS] [--out PATH]

Trains on the shared ANERcorp train part (`../shared/corpora/anercorp-train/`) with the settings
cross-validation chose (`crf.DEFAULT_PARAMS`; `scripts/tagger_cv.py` compares others), exactly as
`articleflow tagger train` does: a two-pass model, six CRFs trained (`crf.train_model`). The model
is derived from a CC BY-SA 4.0 corpus: its licence and attribution are in `ner-ar.crfsuite.LICENSE.md`
beside it, and stay there whenever it is retrained.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tagger_cv import DEFAULT_CORPUS

from articleflow.core.tagging.conll import read_corpora
from articleflow.core.tagging.crf import train_model
from articleflow.core.tagging.offline import DEFAULT_ARABIC_MODEL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--out", default=str(DEFAULT_ARABIC_MODEL))
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_file():
        print(f"no such corpus: {args.corpus}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = train_model(read_corpora([args.corpus], language="ar"), args.out)
    print(
        f"{report['model']}: {report['bytes']:,} bytes, {report['sentences']} sentences, "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
