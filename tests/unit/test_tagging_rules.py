"""Dates, quantities, designators, the registry and the linker."""

from __future__ import annotations

import pytest

from articleflow.core.tagging import UnknownTaggerError, available_taggers, get_tagger
from articleflow.core.tagging.gazetteer import get_gazetteer
from articleflow.core.tagging.linker import link_span, lookup_place
from articleflow.core.tagging.merge import resolve_overlaps
from articleflow.core.tagging.offline import OfflineTagger
from articleflow.core.tagging.rules import Context, find_dates, find_designators, find_places, find_quantities


def dates(text: str, lang: str = "ar") -> list[tuple[str, str | None]]:
    return [(text[c.start : c.end], c.canonical) for c in resolve_overlaps(find_dates(Context(text, lang)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("في ٢٨ يوليو/تموز ٢٠٢٤ عقد الاجتماع", [("٢٨ يوليو/تموز ٢٠٢٤", "2024-07-28")]),
        ("وصل في ٣ كانون الثاني", [("٣ كانون الثاني", "--01-03")]),
        ("منذ ۱۵ شباط ۲۰۲۳", [("۱۵ شباط ۲۰۲۳", "2023-02-15")]),
        ("في أبريل/نيسان الماضي", [("أبريل/نيسان", "--04")]),
        ("وفي يونيو 2025 م", [("يونيو 2025 م", "2025-06")]),
        ("حتى أواخر سبتمبر", [("سبتمبر", "--09")]),
        ("بحلول عام 2030", [("2030", "2030")]),
        ("بحلول 2035 وخلال 2026 وفي صيف 2019", [("2035", "2035"), ("2026", "2026"), ("2019", "2019")]),
        ("وفي 5 جويلية 2024", [("5 جويلية 2024", "2024-07-05")]),
    ],
)
def test_arabic_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected


def test_ambiguous_month_word_needs_context() -> None:
    assert dates("مارس الضغط على الحكومة") == []  # مارَسَ: "exerted", not March
    assert dates("في مارس") == [("مارس", "--03")]
    assert dates("She may go", "en") == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("on 2024-07-28 at noon", "en", [("2024-07-28", "2024-07-28")]),
        ("le 1er mars 2024", "fr", [("1er mars 2024", "2024-03-01")]),
        ("el 28 de julio de 2024", "es", [("28 de julio de 2024", "2024-07-28")]),
        ("ngày 28 tháng 7 năm 2024", "vi", [("28 tháng 7 năm 2024", "2024-07-28")]),
        ("am 3. Oktober", "de", [("3. Oktober", "--10-03")]),  # the day keeps its period
    ],
)
def test_latin_dates(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اشترت ما يقرب من 150 طائرة", ["150 طائرة"]),
        ("ارتفع بنسبة 12% أو ٣٠ في المائة", ["12%", "٣٠ في المائة"]),
        ("بقيمة 5 مليارات دولار", ["5 مليارات دولار"]),
        ("تبرع بمبلغ ملياري دولار لنقل مليوني حاوية وألفي جندي", ["ملياري دولار", "مليوني حاوية", "ألفي جندي"]),
        ("قدرت بمليوني دولار", ["مليوني دولار"]),  # the proclitic stays out of the span
        ("رفع الكيلوغرام إلى ملياري", []),  # no counted word after it
        ("خرجت مسيرة مليونية وحشد مليوني في الميدان", []),  # the adjective: no dual before a noun
        ("اشترت سيارة ألفا روميو", []),
        ("a $2.5 billion deal for 150 aircraft", ["$2.5 billion", "150 aircraft"]),
        ("the F-35 and 2024 plans", []),  # designator digits and years are not quantities
        # a four-digit count of an Arabic noun is no year, unless a year's cue stands before it
        ("أكثر من 1200 إصابة ونحو 1500 شخصا", ["1200 إصابة", "1500 شخصا"]),
        ("بلغ العجز 1800 ميغاواط مع 47 درجة مئوية", ["1800 ميغاواط", "47 درجة مئوية"]),  # units
        ("عام 2014 تقريبا، وفي 2015 أيضا، ومنذ 2011 شهدت، وفي 2016 رسميا", []),
        ("بطاقة 300 مليون متر مكعب و40 كيلومترا مربعا", ["300 مليون متر مكعب"]),  # a proclitic on a number: not yet
        ("بقيمة 120 مليون دينار أردني و 5 آلاف جنيه إسترليني", ["120 مليون دينار أردني", "5 آلاف جنيه إسترليني"]),
        ("سجل في الدقيقة 77 إثر تمريرة، وفاز 20 لاعبا", ["20 لاعبا"]),  # إثر "following" is counted by nothing
    ],
)
def test_quantities(text: str, expected: list[str]) -> None:
    found = find_quantities(Context(text, "und"))
    assert sorted(text[c.start : c.end] for c in found) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مقاتلة الشبح إف-35 و F-35A", [("إف-35", "F-35"), ("F-35A", "F-35A")]),
        ("من طراز باك-3 (PAC-3)", [("PAC-3", "PAC-3"), ("باك-3", "PAC-3")]),
        ("ومقاتلات وإف-16 وميغ-29", [("إف-16", "F-16"), ("ميغ-29", "MiG-29")]),
        ("صاروخ جو-جو", []),
        ("COVID-19 cases", []),
    ],
)
def test_designators(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_designators(text)
    assert sorted((text[c.start : c.end], c.canonical) for c in found) == sorted(expected)


def test_registry() -> None:
    assert {"offline", "comprehend", "crf"} <= set(available_taggers())
    tagger = get_tagger("offline")
    assert isinstance(tagger, OfflineTagger)
    assert tagger.name == "offline"
    with pytest.raises(UnknownTaggerError):
        get_tagger("nope")


def test_linker_for_other_backends() -> None:
    link = link_span("لأوكرانيا", "LOCATION", "ar")
    assert link is not None
    assert (link.id, link.canonical, link.start, link.end) == ("iso3166:UA", "Ukraine", 1, 9)
    usfj = link_span("القوات الأمريكية في اليابان")
    assert usfj is not None and usfj.canonical == "United States Forces Japan"
    assert link_span("باك-3", "PRODUCT") is not None
    assert link_span("الأمريكية") is None
    place = lookup_place("Tokio", "es")
    assert place is not None and place.id == "geonames:1850147"


def test_gazetteer_languages_gate_latin_names() -> None:
    gaz = get_gazetteer()
    # CLDR names are matched in their own language only ('Japon' is French, 'Nhật Bản' Vietnamese)
    japon = gaz.lookup("japon", gaz.mask_for("fr"))
    assert japon is not None and japon.id == "iso3166:JP"
    assert gaz.lookup("japon", gaz.mask_for("en")) is None
    assert gaz.lookup("nhật bản", gaz.mask_for("vi")) == japon
    # GeoNames alternate names are language-neutral
    assert gaz.lookup("tokio", gaz.mask_for("en")) is not None


@pytest.mark.parametrize(
    ("text", "language", "quantity"),
    [
        ("La ligne devrait transporter 25 000 voyageurs par jour.", "fr", "25 000 voyageurs"),
        ("Le projet a coûté 1\u202f250\u202f000 euros.", "fr", "1\u202f250\u202f000 euros"),
        ("In 2024 100 people came.", "en", "100 people"),  # a year then a count: not one number
    ],
)
def test_numbers_grouped_by_spaces_are_one_quantity(text, language, quantity):
    from articleflow.core.normalize import normalize_upload
    from articleflow.core.tagging import get_tagger

    article = normalize_upload("text/plain", text, language_hint=language)
    quantities = [e.text for e in get_tagger("offline").tag(article) if e.type == "QUANTITY"]
    assert quantities == [quantity]


def test_the_shadda_of_amman_tells_it_from_oman() -> None:
    text = "وصل الوزير إلى عمّان ثم إلى عَمّان، وزار سلطنة عمان وعُمان."
    places = [(text[c.start : c.end], c.id) for c in find_places(Context(text, "ar"))]
    assert places == [
        ("عمّان", "geonames:250441"),
        ("عَمّان", "geonames:250441"),
        ("سلطنة عمان", "iso3166:OM"),  # the country's long name (scripts/gazetteer/ar_places.tsv)
        ("عُمان", "iso3166:OM"),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # regions, provinces and governorates (ISO 3166-2), in their own spellings and without marks
        (
            "Les trains de la Région Occitanie et de la Bretagne",
            "fr",
            [("Occitanie", "iso3166-2:FR-OCC"), ("Bretagne", "iso3166-2:FR-BRE")],
        ),
        (
            "huelga en Cataluña y en la Región de Murcia",
            "es",
            [("Cataluña", "iso3166-2:ES-CT"), ("Región de Murcia", "iso3166-2:ES-MC")],
        ),
        (
            "floods in North Yorkshire and Dhi Qar",
            "en",
            [("North Yorkshire", "iso3166-2:GB-NYK"), ("Dhi Qar", "iso3166-2:IQ-DQ")],
        ),
        # a city keeps its name (Madrid, Murcia), and a direction is no region (Nord)
        ("de Madrid a Murcia, Cap au Nord", "es", [("Madrid", "geonames:3117735"), ("Murcia", "geonames:2513416")]),
    ],
)
def test_subdivisions_are_places(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[c.start : c.end], c.id) for c in find_places(Context(text, lang))] == expected
