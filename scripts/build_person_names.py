"""Build the Arabic person-name word lists the crf features look up (`data/names/*.keys`).

    .venv/bin/python scripts/build_person_names.py             # downloads the two pinned wheels from PyPI
    .venv/bin/python scripts/build_person_names.py --wheels DIR # or reads them from DIR

Two public name datasets, taken from the PyPI packages that ship them (at build time only: nothing is
downloaded when the pipeline runs):

* `arabic-name-romanizer` 0.2.0, `resources/names.sqlite3`, table `units`, rows whose source is
  Wikidata (CC0 1.0): Arabic-script given names and surnames with how often each role was seen.
  A word is a given name when it was seen as one at least as often as as a surname.
* `arabnamer` 0.1.3, `data/dict_FINAL.json` (CC BY 4.0): English -> Arabic name pairs, many of them
  foreign names as Arabic news writes them (بلير، شيراك، برلسكوني).

Each name is split into words and each word folded to its matching key (`arabic.name_key`); words
shorter than two letters are dropped. Output: `ar_given.keys`, `ar_surnames.keys`, `ar_foreign.keys`,
one key per line, sorted, and the attribution in `NOTICE.md` beside them (kept by hand).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from articleflow.core.tagging.arabic import name_key

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "shared" / "articleflow" / "data" / "names"
WHEELS = {
    "arabic-name-romanizer==0.2.0": "arabic_name_romanizer/resources/names.sqlite3",
    "arabnamer==0.1.3": "arabnamer/data/dict_FINAL.json",
}


def download(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(folder), *WHEELS],
        check=True,
    )


def extract(folder: Path, member: str) -> Path:
    """The file `member` from whichever wheel in `folder` holds it."""
    for wheel in sorted(folder.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            if member in archive.namelist():
                return Path(archive.extract(member, folder / "unpacked"))
    raise SystemExit(f"no wheel in {folder} holds {member}")


def name_words(name: str) -> list[str]:
    return [key for key in (name_key(part) for part in name.split()) if len(key) >= 2]


def wikidata_roles(database: Path) -> tuple[set[str], set[str]]:
    """(given names, surnames) of the Wikidata rows, each word by the role it was seen in most."""
    roles: dict[str, Counter[str]] = {}
    with sqlite3.connect(database) as db:
        for name, role, count in db.execute("SELECT arabic_key, role, count FROM units WHERE source = 'wikidata'"):
            for key in name_words(name):
                roles.setdefault(key, Counter())[role] += count
    given = {key for key, seen in roles.items() if seen["given"] >= seen["surname"]}
    return given, set(roles) - given


def foreign_names(pairs: Path) -> set[str]:
    data: dict[str, str] = json.loads(pairs.read_text(encoding="utf-8"))
    return {key for arabic in data.values() for key in name_words(arabic)}


def write(name: str, keys: set[str]) -> None:
    (OUT / f"{name}.keys").write_text("".join(f"{key}\n" for key in sorted(keys)), encoding="utf-8")
    print(f"{name}.keys: {len(keys):,} keys", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, default=None, help="a folder holding the two wheels")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels or Path(tmp)
        if args.wheels is None:
            download(folder)
        given, surnames = wikidata_roles(extract(folder, WHEELS["arabic-name-romanizer==0.2.0"]))
        foreign = foreign_names(extract(folder, WHEELS["arabnamer==0.1.3"]))
    OUT.mkdir(parents=True, exist_ok=True)
    write("ar_given", given)
    write("ar_surnames", surnames)
    write("ar_foreign", foreign)
    return 0


if __name__ == "__main__":
    sys.exit(main())
