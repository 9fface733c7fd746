"""The committed gazetteer files are exactly what `make gazetteer` builds from the pinned packages."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT, load_script

FILES = ("gazetteer.json", "gazetteer-names.txt", "gazetteer-names.i64", "gazetteer-prefixes.txt")


def test_committed_gazetteer_matches_a_fresh_build(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "build_gazetteer.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = REPO_ROOT / "shared" / "articleflow" / "data"
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), f"{name} is stale: make gazetteer"


def test_loaded_gazetteer_links_known_places():
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    mask = gazetteer.all_languages_mask()
    tokyo = gazetteer.lookup(name_key("طوكيو"), mask)
    assert tokyo is not None
    assert (tokyo.id, tokyo.canonical) == ("geonames:1850147", "Tokyo")


class _Frequencies:
    """Zipf frequencies by matching key (the build reads only `zipf`)."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def zipf(self, key: str) -> float | None:
        return self.table.get(key)


def test_a_smaller_citys_arabic_name_is_kept_only_when_it_names_little_else():
    build = load_script("build_gazetteer")
    alternates = build.ArabicAlternates(
        _Frequencies({"بعقوبه": 3.55, "الجديد": 5.5, "ليد": 2.0, "وليد": 4.3, "جنين": 3.85, "وجنين": 1.0}),
        frozenset({"سالم"}),
    )
    assert alternates.usable("بعقوبة")  # rare in general text: a name
    assert alternates.usable("جنين")  # و + the name is rarer than the name
    assert alternates.usable("دير الزور")  # several words: not an ordinary word
    assert alternates.usable("غزة")  # frequent, kept by hand
    assert not alternates.usable("الجديد")  # "the new"
    assert not alternates.usable("ليد")  # mostly the end of وليد
    assert not alternates.usable("سالم")  # a given name
    assert not alternates.usable("شانگهای")  # Persian letters


def test_a_big_citys_persian_spelling_that_folds_to_an_arabic_word_is_left_out():
    build = load_script("build_gazetteer")
    alternates = build.ArabicAlternates(_Frequencies({"كيف": 5.9, "كييف": 3.5}), frozenset())
    assert alternates.clashes("کیف")  # Kyiv in Persian; folded, "how"
    assert not alternates.clashes("كييف")  # Kyiv in Arabic


def test_ordinary_words_name_no_place():
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    words = ("كيف", "مدينة", "الجزيرة", "ميدان", "تركي", "أكره")  # how, city, the island, square, Turkish, I hate
    assert [w for w in words if gazetteer.knows(name_key(w))] == []
    # Kyiv's Arabic name stays, and Beirut's: its Persian spelling folds to its Arabic one
    assert [gazetteer.knows(name_key(w)) for w in ("كييف", "بيروت")] == [True, True]


def test_the_gazetteer_knows_arab_towns_but_not_words():
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    mask = gazetteer.script_mask("Arab")
    names = ("غزة", "نابلس", "بعقوبة", "أسوان", "الخبر", "سالم")
    found = {name: gazetteer.lookup(name_key(name), mask) for name in names}
    assert {name: place and place.canonical for name, place in found.items()} == {
        "غزة": "Gaza",
        "نابلس": "Nablus",
        "بعقوبة": "Baqubah",
        "أسوان": "Aswān",
        "الخبر": None,  # Khobar, and "the news"
        "سالم": None,  # Salem, and a given name
    }
