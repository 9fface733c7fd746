"""The offline tagger on short English and French news texts (written for these tests)."""

from __future__ import annotations

import pytest

from articleflow.core.tagging import get_tagger
from articleflow.models.article import Byline, Caption, NormalizedArticle
from articleflow.models.entities import Entity

EN = NormalizedArticle(
    title="US and Japan upgrade military command in Tokyo",
    paragraphs=[
        "Secretary of State Antony Blinken and Defense Secretary Lloyd Austin met their Japanese counterparts "
        "Yoko Kamikawa and Minoru Kihara in Tokyo on July 28, 2024.",
        "The United States will upgrade United States Forces Japan (USFJ) into a joint force headquarters, "
        "the Pentagon said. Austin said the change would be phased in by March 2025.",
        "Japan plans to buy 150 aircraft and will expand production of PAC-3 interceptors for Patriot batteries, "
        "a deal worth $2.5 billion, up 15% from last year. Mitsubishi Heavy Industries Ltd will lead the work.",
    ],
    captions=[Caption(text="Lloyd Austin and Antony Blinken at the Iikura Guest House in Tokyo, July 28.")],
    byline=Byline(authors=["Jane Doe"]),
    language="en",
    script="Latn",
)

FR = NormalizedArticle(
    paragraphs=[
        "Le président Emmanuel Macron a reçu le 14 juillet 2024 à Paris le chancelier allemand Olaf Scholz.",
        "Selon le ministère des Armées, la France livrera des avions Rafale à l'Ukraine d'ici mars 2025. "
        "M. Macron a aussi rencontré Mme Catherine Colonna à Berlin.",
        "L'Union européenne (UE) a débloqué 5 milliards d'euros, soit 12 % de son budget.",
    ],
    language="fr",
    script="Latn",
)


def tag(article: NormalizedArticle) -> dict[tuple[str, str], Entity]:
    return {(e.type, e.text): e for e in get_tagger("offline").tag(article)}


def body_spans(article: NormalizedArticle, e: Entity) -> list[str]:
    return [article.body[m.start : m.end] for m in e.mentions if m.field == "body"]


@pytest.fixture(scope="module")
def en() -> dict[tuple[str, str], Entity]:
    return tag(EN)


@pytest.fixture(scope="module")
def fr() -> dict[tuple[str, str], Entity]:
    return tag(FR)


def test_english_entity_set(en: dict[tuple[str, str], Entity]) -> None:
    assert sorted(en) == sorted(
        [
            ("PERSON", "Antony Blinken"),
            ("PERSON", "Lloyd Austin"),
            ("PERSON", "Yoko Kamikawa"),
            ("PERSON", "Minoru Kihara"),
            ("LOCATION", "Tokyo"),
            ("DATE", "July 28, 2024"),
            ("LOCATION", "United States"),
            ("ORGANIZATION", "United States Forces Japan"),
            ("ORGANIZATION", "Pentagon"),
            ("DATE", "March 2025"),
            ("LOCATION", "Japan"),
            ("QUANTITY", "150 aircraft"),
            ("PRODUCT", "PAC-3"),
            ("PRODUCT", "Patriot"),
            ("QUANTITY", "$2.5 billion"),
            ("QUANTITY", "15%"),
            ("ORGANIZATION", "Mitsubishi Heavy Industries Ltd"),
            ("LOCATION", "Iikura Guest House"),
            ("DATE", "July 28"),
            ("PERSON", "Jane Doe"),
        ]
    )


def test_english_titles_are_not_part_of_names(en: dict[tuple[str, str], Entity]) -> None:
    assert body_spans(EN, en[("PERSON", "Antony Blinken")]) == ["Antony Blinken"]
    # "Austin" alone is the person already named, not the Texas city
    assert body_spans(EN, en[("PERSON", "Lloyd Austin")]) == ["Lloyd Austin", "Austin"]
    assert en[("PERSON", "Lloyd Austin")].count == 3  # + caption
    assert not any(e.type == "LOCATION" and e.canonical == "Austin" for e in en.values())


def test_english_places_ids_and_title_mentions(en: dict[tuple[str, str], Entity]) -> None:
    us = en[("LOCATION", "United States")]
    assert (us.id, us.canonical) == ("iso3166:US", "United States")
    assert [(m.field, EN.title[m.start : m.end]) for m in us.mentions if m.field == "title"] == [("title", "US")]
    tokyo = en[("LOCATION", "Tokyo")]
    assert tokyo.id == "geonames:1850147"
    assert sorted(m.field for m in tokyo.mentions) == ["body", "caption", "title"]
    assert en[("LOCATION", "Japan")].id == "iso3166:JP"


def test_english_acronym_merges_with_expansion(en: dict[tuple[str, str], Entity]) -> None:
    usfj = en[("ORGANIZATION", "United States Forces Japan")]
    assert body_spans(EN, usfj) == ["United States Forces Japan", "USFJ"]
    assert en[("ORGANIZATION", "Pentagon")].canonical == "The Pentagon"


@pytest.mark.parametrize("inside", ["(WHO)", "( WHO )", "(\nWHO\t)"])
def test_acronym_in_parentheses_joins_its_expansion_whatever_the_spacing(inside: str) -> None:
    article = NormalizedArticle(
        paragraphs=[f"Officials of the World Health Organization {inside} met in Geneva on Monday."],
        language="en",
        script="Latn",
    )
    who = tag(article)[("ORGANIZATION", "World Health Organization")]
    assert body_spans(article, who) == ["World Health Organization", "WHO"]


def test_an_acronym_without_parentheses_stays_alone() -> None:
    article = NormalizedArticle(
        paragraphs=["Officials of the World Health Organization said the WHO would meet in Geneva."],
        language="en",
        script="Latn",
    )
    entities = tag(article)
    assert body_spans(article, entities[("ORGANIZATION", "World Health Organization")]) == ["World Health Organization"]
    assert body_spans(article, entities[("ORGANIZATION", "WHO")]) == ["WHO"]


def test_english_dates_and_quantities(en: dict[tuple[str, str], Entity]) -> None:
    assert en[("DATE", "July 28, 2024")].canonical == "2024-07-28"
    assert en[("DATE", "March 2025")].canonical == "2025-03"
    assert en[("DATE", "July 28")].canonical == "--07-28"
    assert en[("QUANTITY", "$2.5 billion")].canonical == "$2.5 billion"


def test_french_entity_set(fr: dict[tuple[str, str], Entity]) -> None:
    assert sorted(fr) == sorted(
        [
            ("PERSON", "Emmanuel Macron"),
            ("DATE", "14 juillet 2024"),
            ("LOCATION", "Paris"),
            ("PERSON", "Olaf Scholz"),
            ("LOCATION", "France"),
            ("PRODUCT", "Rafale"),
            ("LOCATION", "Ukraine"),
            ("DATE", "mars 2025"),
            ("PERSON", "Catherine Colonna"),
            ("LOCATION", "Berlin"),
            ("ORGANIZATION", "Union européenne"),
            ("ORGANIZATION", "ministère des Armées"),  # lower-case head + des + name
            ("QUANTITY", "5 milliards d'euros"),
            ("QUANTITY", "12 %"),
        ]
    )


def test_french_titles_elisions_and_surnames(fr: dict[tuple[str, str], Entity]) -> None:
    assert body_spans(FR, fr[("PERSON", "Emmanuel Macron")]) == ["Emmanuel Macron", "Macron"]  # M. Macron
    ukraine = fr[("LOCATION", "Ukraine")]
    m = ukraine.mentions[0]
    assert FR.body[m.start - 2 : m.end] == "l'Ukraine"
    assert ukraine.id == "iso3166:UA"
    eu = fr[("ORGANIZATION", "Union européenne")]
    assert eu.canonical == "European Union"
    assert body_spans(FR, eu) == ["Union européenne", "UE"]
    assert fr[("DATE", "14 juillet 2024")].canonical == "2024-07-14"
    assert fr[("LOCATION", "Paris")].id == "geonames:2988507"
