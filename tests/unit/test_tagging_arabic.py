"""Arabic matching keys, proclitic stripping, tokenisation."""

from __future__ import annotations

import pytest

from articleflow.core.tagging.arabic import (
    arabic_key,
    conjunction_skip,
    name_key,
    proclitic_splits,
    strip_proclitics,
    token_key,
)
from articleflow.core.tagging.text import tokenize


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("أوكرانيا", "اوكرانيا"),  # hamza on alef
        ("إيران", "ايران"),
        ("آذار", "اذار"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),  # alef maksura
        ("طائرة", "طايره"),  # teh marbuta, hamza on yeh
        ("مُحَمَّد", "محمد"),  # harakat
        ("الـــيابان", "اليابان"),  # tatweel
        ("الأميركي", "الامريكي"),  # spelling variant folded
        ("الأمريكي", "الامريكي"),
        ("البنتاغون", "البنتاجون"),
        ("٢٨", "28"),  # Arabic-Indic digits
        ("۲۸", "28"),  # Persian digits
        ("ایران", "ايران"),  # Persian yeh
    ],
)
def test_arabic_key(raw: str, key: str) -> None:
    assert arabic_key(raw) == key


def test_variant_spellings_share_a_key() -> None:
    assert name_key("القوات الأميركية") == name_key("القوات الأمريكية")
    assert token_key("أمريكا") == token_key("أميركا")


def test_latin_keys_casefold_and_keep_accents() -> None:
    assert name_key("Saint-Étienne") == name_key("saint étienne") == "saint étienne"
    assert name_key("Salé") != name_key("Sale")
    assert name_key("U.S.") == "u s"


@pytest.mark.parametrize(
    ("token", "splits"),
    [
        ("واليابان", [(1, "")]),
        ("لأوكرانيا", [(1, "")]),
        ("ومينورو", [(1, "")]),
        ("للقوات", [(2, "ال"), (1, "")]),  # ل + (ا)لقوات
        ("وبالولايات", [(1, ""), (2, "")]),
        ("اليابان", []),  # the article itself is never stripped
        ("المالي", []),
        ("في", []),  # too short to hold a word after a clitic
    ],
)
def test_proclitic_splits(token: str, splits: list[tuple[int, str]]) -> None:
    assert proclitic_splits(token) == splits


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("ومينورو", (1, "مينورو")),
        ("لأوكرانيا", (1, "أوكرانيا")),
        ("واليابان", (1, "اليابان")),
        ("بالولايات", (1, "الولايات")),
        ("للقوات", (2, "قوات")),  # the key is restored to القوات
        ("اليابان", (0, "اليابان")),  # known as is: nothing stripped
        ("وزير", (0, "وزير")),  # nothing known: unchanged
        ("d'Ukraine", (2, "Ukraine")),  # French elision
    ],
)
def test_strip_proclitics(token: str, expected: tuple[int, str]) -> None:
    known = {"مينورو", "اوكرانيا", "اليابان", "الولايات", "القوات", "ukraine"}
    assert strip_proclitics(token, known) == expected


def test_strip_proclitics_accepts_a_predicate() -> None:
    assert strip_proclitics("وطوكيو", lambda key: key == "طوكيو") == (1, "طوكيو")


def test_tokens_keep_display_offsets() -> None:
    text = "في طوكيو، 28 يوليو/تموز إف-35 (PAC-3) Japan's d'Ukraine"
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [
        "في",
        "طوكيو",
        "28",
        "يوليو",
        "تموز",
        "إف-35",
        "PAC-3",
        "Japan",
        "d'Ukraine",
    ]
    assert tokens[0].joined and not tokens[1].joined  # "،" breaks the join
    assert tokens[2].digit and tokens[5].arabic and tokens[6].upper


def test_a_lone_tatweel_after_a_facility_head_does_not_crash() -> None:
    from articleflow.core.tagging.offline import OfflineTagger
    from articleflow.models.article import NormalizedArticle

    # ANERcorp has "ـ" as a token of its own; it folds to an empty key
    article = NormalizedArticle(paragraphs=["زار الوفد مدينة جدة ـ أمس"], language="ar")
    for tagger in (OfflineTagger(arabic_model_path=None), OfflineTagger()):
        entities = tagger.tag(article)
        assert all(e.text.strip("ـ ") for e in entities)


@pytest.mark.parametrize(
    ("key", "skip"),
    [
        ("في", 0),
        ("وفي", 1),  # a short word after the conjunction counts
        ("فقالت", 1),
        ("بفي", None),  # a preposition is no conjunction
        ("وعد", None),  # not in the list with or without و
    ],
)
def test_how_many_letters_a_conjunction_takes_before_a_listed_word(key: str, skip: int | None) -> None:
    assert conjunction_skip(key, {"في", "قالت"}) == skip
