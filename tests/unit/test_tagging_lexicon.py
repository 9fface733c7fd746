"""The rules' word lists: data files under articleflow/data/lexicon/, read once by `lexicon`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "shared" / "articleflow"
LEXICON = PACKAGE / "data" / "lexicon"
TAGGING = PACKAGE / "core" / "tagging"


def _referenced_lists() -> set[str]:
    """Every list the tagging code names in `lx.keys("...")` or `lx.words("...")`."""
    names: set[str] = set()
    for path in TAGGING.rglob("*.py"):
        names |= set(re.findall(r'lx\.(?:keys|words)\("([a-z_]+)"\)', path.read_text(encoding="utf-8")))
    return names


def test_every_list_the_rules_name_is_a_data_file() -> None:
    names = _referenced_lists()
    assert len(names) > 30  # the scan found the call sites
    missing = sorted(n for n in names if not (LEXICON / f"{n}.txt").is_file())
    assert not missing, f"lists named in core/tagging with no data file: {missing}"


@pytest.mark.parametrize("path", sorted(LEXICON.iterdir()), ids=lambda p: p.name)
def test_entries_are_clean(path: Path) -> None:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert lines, f"{path.name} has no entries"
    for line in lines:
        fields = line.split("\t")
        assert all(f == f.strip() for f in fields), f"{path.name}: stray whitespace in {line!r}"
        if path.suffix == ".txt":
            assert len(fields) == 1, f"{path.name}: a tab in {line!r}"
        else:
            assert len(fields) >= 2 and fields[0], f"{path.name}: a row needs a key and a value: {line!r}"
            names = fields[2 if path.name in ("organizations.tsv", "football_clubs.tsv") else 1 :]  # after the id
            assert all(names), f"{path.name}: empty name in {line!r}"


def test_lists_read_as_written() -> None:
    assert lx.words("de_titles") == ("Herr", "Herrn", "Frau", "Dr.", "Prof.", "Dr", "Prof")
    assert lx.keys("de_titles") == frozenset(name_key(w) for w in lx.words("de_titles"))
    assert "# German" not in lx.words("latin_titles")  # comment lines are not entries
    assert lx.designator_prefixes()["باك"] == "PAC"
    assert lx.products()["Iron Dome"] == ("Iron Dome", "القبة الحديدية", "Dôme de fer")
    oid, names = lx.organizations()["United Nations"]
    assert oid is None and "الأمم المتحدة" in names and "ONU" in names
    assert lx.org_names()[name_key("ONU")] == ("United Nations", None)
    assert lx.arabic_months()[name_key("كانون الثاني")] == 1
    assert lx.arabic_months()[name_key("دجنبر")] == 12
    assert lx.facility_heads()[name_key("دار")] == name_key("دار ضيافة").split(" ")


def test_preload_reads_every_list() -> None:
    lx.preload()
    read = lx.words.cache_info().currsize
    assert read == len(list(LEXICON.glob("*.txt")))


def test_package_data_ships_every_data_file() -> None:
    """A wheel holds the files pyproject's package-data globs match: a new data subfolder needs its glob."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "data").rglob("*") if p.is_file()]
    unshipped = [f for f in files if not any(PurePosixPath(f).full_match(g) for g in globs["articleflow"])]
    assert not unshipped, f"data files no package-data glob ships: {unshipped}"
