"""The offline tagger on the real Arabic sample (shared/samples/ar-news-japan-command.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from articleflow.core.tagging import get_tagger
from articleflow.core.tagging.offline import OfflineTagger
from articleflow.models.article import Byline, Caption, NormalizedArticle
from articleflow.models.entities import Entity, Mention

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SAMPLE = SAMPLES / "ar-news-japan-command.txt"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample not available")


def build_article() -> NormalizedArticle:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    caption, credit = lines[1].rsplit(" الصورة: ", 1)
    return NormalizedArticle(
        paragraphs=[lines[0], *lines[2:11]],
        captions=[Caption(text=caption, credit=credit)],
        byline=Byline(authors=["نغوك آنه"], sources=["جابان تايمز", "رويترز"]),
        source_url=lines[13].split(" ", 1)[1],
        language="ar",
        script="Arab",
        direction="rtl",
    )


@pytest.fixture(scope="module")
def article() -> NormalizedArticle:
    return build_article()


@pytest.fixture(scope="module")
def entities(article: NormalizedArticle) -> list[Entity]:
    return get_tagger("offline").tag(article)


def field_text(article: NormalizedArticle, m: Mention) -> str:
    if m.field == "body":
        return article.body
    if m.field == "title":
        return article.title or ""
    if m.field == "caption":
        assert m.caption_index is not None
        return article.captions[m.caption_index].text
    assert m.author_index is not None
    return article.byline.authors[m.author_index]


def span(article: NormalizedArticle, m: Mention) -> str:
    return field_text(article, m)[m.start : m.end]


def find(entities: list[Entity], article: NormalizedArticle, text: str) -> Entity:
    """The one entity with a mention whose exact span is `text`."""
    hits = [e for e in entities if any(span(article, m) == text for m in e.mentions)]
    assert len(hits) == 1, f"{text!r}: {[(e.type, e.text) for e in hits]}"
    return hits[0]


def spans(article: NormalizedArticle, e: Entity, field: str = "body") -> list[str]:
    return [span(article, m) for m in e.mentions if m.field == field]


def test_sample_body_matches_the_readme(article: NormalizedArticle) -> None:
    assert len(article.paragraphs) == 10
    assert article.body.startswith("وجاء الإعلان")


@pytest.mark.parametrize("name", ["أنتوني بلينكن", "لويد أوستن", "يوكو كاميكاوا", "مينورو كيهارا"])
def test_ministers_are_persons_in_body_and_caption(
    entities: list[Entity], article: NormalizedArticle, name: str
) -> None:
    e = find(entities, article, name)
    assert e.type == "PERSON"
    assert e.text == name
    assert spans(article, e) == [name]
    assert spans(article, e, "caption") == [name]
    assert e.count == 2
    assert e.first_offset == article.body.index(name)


def test_coordinated_name_drops_the_conjunction(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "مينورو كيهارا")
    m = e.mentions[0]
    assert article.body[m.start - 1] == "و"  # ومينورو كيهارا in the text ...
    assert article.body[m.start : m.end] == "مينورو كيهارا"  # ... not in the span


@pytest.mark.parametrize(
    ("name", "canonical", "id_", "body_count"),
    [
        ("طوكيو", "Tokyo", "geonames:1850147", 1),
        ("اليابان", "Japan", "iso3166:JP", 7),
        ("الولايات المتحدة", "United States", "iso3166:US", 4),
        ("أوكرانيا", "Ukraine", "iso3166:UA", 1),
    ],
)
def test_places(
    entities: list[Entity], article: NormalizedArticle, name: str, canonical: str, id_: str, body_count: int
) -> None:
    e = find(entities, article, name)
    assert (e.type, e.canonical, e.id, e.text) == ("LOCATION", canonical, id_, name)
    assert spans(article, e) == [name] * body_count


def test_proclitic_place_spans(entities: list[Entity], article: NormalizedArticle) -> None:
    body = article.body
    ukraine = find(entities, article, "أوكرانيا")
    m = ukraine.mentions[0]
    assert body[m.start - 1 : m.end] == "لأوكرانيا"
    japan = find(entities, article, "اليابان")
    starts = {m.start for m in japan.mentions}
    wa_japan = body.index("واليابان")
    assert wa_japan + 1 in starts  # واليابان -> اليابان
    tokyo = find(entities, article, "طوكيو")
    assert tokyo.mentions[1].field == "caption"


def test_tokyo_caption_mention(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "طوكيو")
    assert [(m.field, m.caption_index) for m in e.mentions] == [("body", None), ("caption", 0)]


def test_demonyms_are_not_places(entities: list[Entity], article: NormalizedArticle) -> None:
    locations = {span(article, m) for e in entities if e.type == "LOCATION" for m in e.mentions}
    for demonym in ("الأميركي", "الأمريكي", "اليابانية", "الياباني", "اليابانيين", "الأمريكية"):
        assert demonym not in locations


def test_usfj_and_its_expansion_are_one_organization(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "USFJ")
    assert e.type == "ORGANIZATION"
    assert e.canonical == "United States Forces Japan"
    assert spans(article, e) == ["القوات الأمريكية في اليابان", "USFJ", "قوات الأمريكية في اليابان"]
    # the third is للقوات الأمريكية في اليابان: the span drops ل + the elided article's لـ
    third = e.mentions[2]
    assert article.body[third.start - 2 : third.start] == "لل"


def test_self_defense_forces(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "قوات الدفاع عن النفس اليابانية")
    assert e.type == "ORGANIZATION"
    assert e.canonical == "Japan Self-Defense Forces"
    assert article.body[e.mentions[0].start - 1] == "ل"  # لقوات: preposition left out


def test_dicas_is_an_organization_with_its_expansion(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "DICAS")
    assert e.type == "ORGANIZATION"
    assert spans(article, e) == ["إطار التعاون الصناعي الدفاعي والاستحواذ والاستدامة", "DICAS"]


def test_iikura_guest_house_in_caption(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "دار ضيافة إيكورا")
    assert e.type == "LOCATION"
    assert [(m.field, m.caption_index) for m in e.mentions] == [("caption", 0)]
    assert e.first_offset == -1


@pytest.mark.parametrize(("name", "canonical"), [("إف-35", "F-35"), ("إف-2", "F-2"), ("باتريوت", "Patriot")])
def test_products(entities: list[Entity], article: NormalizedArticle, name: str, canonical: str) -> None:
    e = find(entities, article, name)
    assert (e.type, e.canonical, spans(article, e)) == ("PRODUCT", canonical, [name])


def test_pac3_merged_with_its_arabic_form(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "PAC-3")
    assert e.type == "PRODUCT"
    assert e.canonical == "PAC-3"
    assert spans(article, e) == ["باك-3", "PAC-3"]
    assert e.text == "باك-3"


@pytest.mark.parametrize(
    ("text", "canonical", "field"),
    [("28 يوليو/تموز", "--07-28", "caption"), ("مارس/آذار", "--03", "body"), ("أبريل/نيسان", "--04", "body")],
)
def test_dates(entities: list[Entity], article: NormalizedArticle, text: str, canonical: str, field: str) -> None:
    e = find(entities, article, text)
    assert (e.type, e.canonical) == ("DATE", canonical)
    assert [m.field for m in e.mentions] == [field]


def test_quantity(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "150 طائرة")
    assert e.type == "QUANTITY"
    assert e.canonical == "150 طائرة"


def test_byline_author(entities: list[Entity], article: NormalizedArticle) -> None:
    e = find(entities, article, "نغوك آنه")
    assert e.type == "PERSON"
    assert [(m.field, m.author_index, m.start, m.end) for m in e.mentions] == [("byline", 0, 0, 8)]


def test_no_span_starts_with_a_proclitic(entities: list[Entity], article: NormalizedArticle) -> None:
    """No mention begins with و/ف/ب/ل/ك when the rest of it is itself a tagged name."""
    all_spans = {span(article, m) for e in entities for m in e.mentions}
    for e in entities:
        for m in e.mentions:
            s = span(article, m)
            assert s == s.strip()
            if s[0] in "وفبلك":
                assert s[1:] not in all_spans, s
                assert not s[1:].startswith("ال"), s  # وال/بال/لل...: the article starts the name


def test_mentions_sorted_and_consistent(entities: list[Entity], article: NormalizedArticle) -> None:
    order = {"body": 0, "title": 1, "caption": 2, "byline": 3}
    for e in entities:
        keys = [(order[m.field], m.caption_index or m.author_index or 0, m.start) for m in e.mentions]
        assert keys == sorted(keys)
        assert e.count == len(e.mentions)
        assert e.tagger == "offline"
        assert 0.0 < e.confidence <= 1.0
        assert e.text == span(article, e.mentions[0])


def test_no_overlapping_mentions(entities: list[Entity]) -> None:
    seen: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    for e in entities:
        for m in e.mentions:
            slot = seen.setdefault((m.field, m.caption_index or m.author_index), [])
            assert all(m.end <= s or e_ <= m.start for s, e_ in slot)
            slot.append((m.start, m.end))


def test_entity_set_is_exactly_the_expected_one(entities: list[Entity]) -> None:
    got = sorted((e.type, e.text) for e in entities)
    assert got == sorted(
        [
            ("LOCATION", "طوكيو"),
            ("PERSON", "أنتوني بلينكن"),
            ("PERSON", "لويد أوستن"),
            ("PERSON", "يوكو كاميكاوا"),
            ("PERSON", "مينورو كيهارا"),
            ("LOCATION", "الولايات المتحدة"),
            ("ORGANIZATION", "القوات الأمريكية في اليابان"),
            ("ORGANIZATION", "القيادة الأمريكية في منطقة المحيطين الهندي والهادئ"),
            ("ORGANIZATION", "قوات الدفاع عن النفس اليابانية"),
            ("DATE", "مارس/آذار"),
            ("ORGANIZATION", "قوات المسلحة الأميركية"),
            ("LOCATION", "اليابان"),
            ("ORGANIZATION", "إطار التعاون الصناعي الدفاعي والاستحواذ والاستدامة"),
            ("PRODUCT", "إف-35"),
            ("QUANTITY", "150 طائرة"),
            ("PRODUCT", "إف-2"),
            ("PRODUCT", "باتريوت"),
            ("PRODUCT", "باك-3"),
            ("LOCATION", "أوكرانيا"),
            ("DATE", "أبريل/نيسان"),
            ("LOCATION", "دار ضيافة إيكورا"),
            ("DATE", "28 يوليو/تموز"),
            ("PERSON", "نغوك آنه"),
        ]
    )


def test_surname_alone_joins_the_full_name() -> None:
    art = NormalizedArticle(
        paragraphs=["قال وزير الخارجية الأميركي أنتوني بلينكن إن الاتفاق مهم.", "وأضاف بلينكن أن لبلينكن دورا."],
        language="ar",
    )
    (person,) = [e for e in OfflineTagger().tag(art) if e.type == "PERSON"]
    assert [art.body[m.start : m.end] for m in person.mentions] == ["أنتوني بلينكن", "بلينكن", "بلينكن"]
    assert person.canonical == "أنتوني بلينكن"
