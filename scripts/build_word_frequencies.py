"""Build the Arabic word frequencies the crf features look up (`data/frequencies/ar-words.*`).

    .venv/bin/python scripts/build_word_frequencies.py             # downloads the pinned wheel from PyPI
    .venv/bin/python scripts/build_word_frequencies.py --wheels DIR # or reads it from DIR

The source is wordfreq's large Arabic list (`wordfreq/data/large_ar.msgpack.gz` in the PyPI package
wordfreq 3.1.1; CC BY-SA 4.0, attribution in `data/frequencies/NOTICE.md`), taken at build time
only: nothing is downloaded when the pipeline runs. It lists words in bins of one centibel
(a hundredth of a power of ten) of frequency. Each word is folded to our matching key
(`text.token_key`) and the frequencies of the words that fold to one key are added up; keys below
`FLOOR` (Zipf) are left out, and read as rare. Output: the keys' 64-bit hashes, sorted
(`ar-words.i64`, `frequencies.key_hash`), and each key's Zipf frequency in steps of
1/`frequencies.ZIPF_SCALE` (`ar-words.zipf`, one byte per key).
"""

from __future__ import annotations

import argparse
import gzip
import math
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import msgpack

from articleflow.core.tagging import int64s
from articleflow.core.tagging.frequencies import ZIPF_SCALE, key_hash
from articleflow.core.tagging.text import token_key

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "shared" / "articleflow" / "data" / "frequencies"
WHEEL = "wordfreq==3.1.1"
MEMBER = "wordfreq/data/large_ar.msgpack.gz"
# Zipf frequency below which a key is left out. ANERcorp 3-fold CV, first pass alone, raw labels
# (scripts/screen_features.py, with a finer rounding while choosing): 0.7439 with a floor of 2 (184k
# keys), 0.7452 with 1.5 (323k), 0.7433 with 1.0 (537k).
FLOOR = 1.5


def read_wheel(folder: Path) -> list[list[str]]:
    """wordfreq's Arabic list: words per centibel bin, the most frequent bin first."""
    for wheel in sorted(folder.glob("wordfreq-*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            if MEMBER in archive.namelist():
                header, *bins = msgpack.unpackb(gzip.decompress(archive.read(MEMBER)), raw=False)
                if header != {"format": "cB", "version": 1}:
                    raise SystemExit(f"{wheel.name}: unexpected list format {header}")
                return bins
    raise SystemExit(f"no wheel in {folder} holds {MEMBER}")


def key_frequencies(bins: list[list[str]]) -> dict[str, float]:
    """Folded key -> Zipf frequency (the words that fold to one key added up)."""
    per_billion: dict[str, float] = defaultdict(float)
    for centibels, words in enumerate(bins):
        share = 10 ** (-centibels / 100)  # of all words
        for word in words:
            key = token_key(word)
            if key:
                per_billion[key] += share * 1e9
    return {key: math.log10(n) for key, n in per_billion.items()}


def write(frequencies: dict[str, float], out: Path) -> int:
    kept = sorted((key_hash(key), round(zipf * ZIPF_SCALE)) for key, zipf in frequencies.items() if zipf >= FLOOR)
    hashes = [h for h, _z in kept]
    if len(set(hashes)) != len(hashes):
        raise SystemExit("two keys share a hash")
    out.mkdir(parents=True, exist_ok=True)
    (out / "ar-words.i64").write_bytes(int64s.to_bytes(hashes))
    (out / "ar-words.zipf").write_bytes(bytes(min(z, 255) for _h, z in kept))
    return len(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, help="a folder holding the wordfreq wheel (default: download it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels or Path(tmp)
        if args.wheels is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", tmp, WHEEL], check=True
            )
        frequencies = key_frequencies(read_wheel(folder))
    kept = write(frequencies, OUT)
    print(f"{len(frequencies)} keys, {kept} kept (Zipf >= {FLOOR}) in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
