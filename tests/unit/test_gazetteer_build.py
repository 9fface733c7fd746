"""The committed gazetteer files are exactly what `make gazetteer` builds from the pinned packages."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


def test_the_arab_states_regions_and_towns_our_sources_lack_are_written_in():
    """`scripts/gazetteer/ar_places.tsv`: the Arabic names of governorates and a few towns, with their
    ids; a governorate named after its main town leaves the name to the town."""
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    mask = gazetteer.script_mask("Arab")
    names = ("الخرطوم", "سرت", "ذي قار", "حضرموت", "البقاع", "كردستان العراق", "قنا")
    found = {name: gazetteer.lookup(name_key(name), mask) for name in names}
    assert {name: place and place.id for name, place in found.items()} == {
        "الخرطوم": "geonames:379252",  # Khartoum, with its article
        "سرت": "geonames:2210554",  # Sirte, also a verb
        "ذي قار": "iso3166-2:IQ-DQ",
        "حضرموت": "iso3166-2:YE-HD",
        "البقاع": "iso3166-2:LB-BI",
        "كردستان العراق": "iso3166-2:IQ-KR",
        "قنا": "geonames:350550",  # the town of Qena, not its governorate
    }
    # towns, not the crf's place feature: the model's inputs are unchanged
    assert not any(name_key(name) in gazetteer.names for name in names)


def test_regions_abroad_that_arabic_news_names_are_written_in_too():
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    mask = gazetteer.script_mask("Arab")
    expected = {
        "كاليفورنيا": "iso3166-2:US-CA",
        "كتالونيا": "iso3166-2:ES-CT",
        "الشيشان": "iso3166-2:RU-CE",
        "القرم": "iso3166-2:UA-43",
        "جورجيا": "iso3166:GE",  # the country keeps its name (the US state is left out)
    }
    found = {name: gazetteer.lookup(name_key(name), mask) for name in expected}
    assert {name: place and place.id for name, place in found.items()} == expected


def test_a_place_the_build_lacks_is_made_from_its_id_or_stops_the_build():
    build = load_script("build_gazetteer")
    b = build.Builder()
    with pytest.raises(SystemExit, match="no such place: iso3166-2:IQ-XX"):
        build._new_place(b, "iso3166-2:IQ-XX", {})
    libya = build._new_place(b, "iso3166-2:LY-JA", {})  # a "popularate": not a type the subdivisions take
    assert b.places[libya][:3] == ["iso3166-2:LY-JA", "Al Jabal al Akhḑar", "region"]


def test_a_few_regions_take_their_name_from_cities_abroad():
    """`SUBDIVISIONS_BEFORE_CITIES`: Florida is the state, not Floridablanca (Colombia), which GeoNames
    also calls so; elsewhere a city keeps its names (Vienne is Vienna in French)."""
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    ids = {}
    for name, lang in (("florida", "en"), ("ontario", "en"), ("virginia", "en"), ("vienne", "fr"), ("madrid", "es")):
        place = gazetteer.lookup(name, gazetteer.mask_for(lang))
        ids[name] = place and place.id
    assert ids == {
        "florida": "iso3166-2:US-FL",
        "ontario": "iso3166-2:CA-ON",
        "virginia": "iso3166-2:US-VA",
        "vienne": "geonames:2761369",  # Vienna
        "madrid": "geonames:3117735",  # the city, not the Comunidad
    }


def test_countries_keep_the_names_news_still_uses():
    """CLDR now says Türkiye, Côte d'Ivoire, Myanmar; news still says Turkey, Ivory Coast, Burma. Kosovo
    has no ISO 3166-1 code but CLDR's; the United Kingdom's nations are places too."""
    from articleflow.core.tagging.arabic import name_key
    from articleflow.core.tagging.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    names = {
        ("Turkey", "en"): "iso3166:TR",
        ("Ivory Coast", "en"): "iso3166:CI",
        ("Birmanie", "fr"): "iso3166:MM",
        ("Kosovo", "en"): "iso3166:XK",
        ("كوسوفو", "ar"): "iso3166:XK",
        ("Scotland", "en"): "iso3166-2:GB-SCT",
        ("Inglaterra", "es"): "iso3166-2:GB-ENG",
        ("Galles", "fr"): "iso3166-2:GB-WLS",
        ("إنجلترا", "ar"): "iso3166-2:GB-ENG",
    }
    found = {}
    for name, lang in names:
        place = gazetteer.lookup(name_key(name), gazetteer.mask_for(lang))
        found[name, lang] = place and place.id
    assert found == names
