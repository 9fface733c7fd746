"""Titles, captions, bylines, furniture and paragraph units."""

from __future__ import annotations

import pytest

from articleflow.core.normalize.text import normalize_text
from articleflow.core.text.furniture import match_furniture
from articleflow.core.text.structure import match_caption, parse_byline, split_units
from articleflow.models.article import Removed

LONG = (
    "The regional council approved the budget on Thursday after a debate that lasted more than six "
    "hours and ended with a narrow vote."
)
LONG_2 = "Officials said the money would go to schools, hospitals and the repair of rural roads in the north."

# --- titles --------------------------------------------------------------------------------


def test_headline_line_is_explicit_title() -> None:
    article = normalize_text(f"Council approves budget after long debate\n{LONG}\n{LONG_2}")
    assert (article.title, article.title_origin) == ("Council approves budget after long debate", "explicit")
    assert article.paragraphs == [LONG, LONG_2]


def test_question_headline_is_a_title() -> None:
    article = normalize_text(f"Will the budget fix the roads?\n\n{LONG}")
    assert article.title == "Will the budget fix the roads?"


def test_first_sentence_is_never_a_title() -> None:
    article = normalize_text(f"The vote was close.\n{LONG}")
    assert (article.title, article.title_origin) == (None, "none")
    assert article.paragraphs == ["The vote was close.", LONG]


def test_short_line_followed_by_shorter_line_is_not_a_title() -> None:
    article = normalize_text(f"{LONG}\nA short one")
    assert article.title is None


def test_single_line_is_a_paragraph_not_a_title() -> None:
    article = normalize_text("Council approves budget")
    assert (article.title, article.paragraphs) == (None, ["Council approves budget"])


def test_title_hint_wins_and_different_headline_is_listed_as_removed() -> None:
    article = normalize_text(f"Council approves budget\n{LONG}", title_hint="Budget passes")
    assert (article.title, article.title_origin) == ("Budget passes", "explicit")
    assert article.paragraphs == [LONG]
    assert article.removed == [Removed(kind="title", text="Council approves budget")]


def test_title_hint_equal_to_headline_is_not_listed_twice() -> None:
    article = normalize_text(f"Council approves budget\n{LONG}", title_hint="COUNCIL APPROVES BUDGET")
    assert article.title == "COUNCIL APPROVES BUDGET"
    assert article.removed == []


def test_title_hint_without_headline_keeps_all_paragraphs() -> None:
    article = normalize_text(f"The vote was close.\n{LONG}", title_hint="Budget\u200f passes\n")
    assert (article.title, article.title_origin) == ("Budget passes", "explicit")
    assert article.paragraphs == ["The vote was close.", LONG]


def test_blank_title_hint_is_ignored() -> None:
    article = normalize_text(f"The vote was close.\n{LONG}", title_hint=" \u200f ")
    assert (article.title, article.title_origin) == (None, "none")


# --- captions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "text", "credit"),
    [
        ("Ministers meet in Tokyo. (Photo: Kim Lee/Reuters)", "Ministers meet in Tokyo.", "Kim Lee/Reuters"),
        ("Ministers meet in Tokyo. Photo: AP", "Ministers meet in Tokyo.", "AP"),
        ("Les ministres à Tokyo. Photo : Luc Bernard", "Les ministres à Tokyo.", "Luc Bernard"),
        ("Los ministros en Tokio. Foto: Ana Ruiz", "Los ministros en Tokio.", "Ana Ruiz"),
        ("Các bộ trưởng tại Tokyo. Ảnh: Reuters", "Các bộ trưởng tại Tokyo.", "Reuters"),
        ("Ministers meet in Tokyo | Photo by Kim Lee", "Ministers meet in Tokyo", "Kim Lee"),
        ("وزراء في طوكيو. صورة: رويترز", "وزراء في طوكيو.", "رويترز"),
        ("Photo: AFP", "", "AFP"),
    ],
)
def test_caption_shapes(unit: str, text: str, credit: str) -> None:
    parts = match_caption(unit)
    assert parts is not None
    assert (parts.text, parts.credit) == (text, credit)


@pytest.mark.parametrize(
    "unit",
    [
        "Les dirigeants ont posé pour la photo de famille",
        "He described the image: a burning car on the bridge",
        "The photo was taken on Monday.",
        "Photo: " + "very " * 12 + "long credit",
    ],
)
def test_not_captions(unit: str) -> None:
    assert match_caption(unit) is None


def test_captions_leave_the_paragraphs() -> None:
    text = f"{LONG}\nMinisters meet in Tokyo. Photo: Kim Lee\n{LONG_2}\nPhoto: AFP"
    article = normalize_text(text)
    assert [(c.text, c.credit) for c in article.captions] == [
        ("Ministers meet in Tokyo.", "Kim Lee"),
        ("", "AFP"),  # a credit-only line: the picture's caption text was not in the file
    ]
    assert article.paragraphs == [LONG, LONG_2]


# --- bylines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "authors", "sources"),
    [
        ("By Jane Doe", ["Jane Doe"], []),
        ("By Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"], []),
        ("By Jane Doe | Reuters", ["Jane Doe"], ["Reuters"]),
        ("Par Claire Martin et Paul Roy (selon AFP)", ["Claire Martin", "Paul Roy"], ["AFP"]),
        ("Por Ana Ruiz y Luis Gil", ["Ana Ruiz", "Luis Gil"], []),
        ("Theo Ngọc Anh", ["Ngọc Anh"], []),
        ("بقلم سارة حسن", ["سارة حسن"], []),
        ("记者 王小明", ["王小明"], []),
    ],
)
def test_lead_in_bylines(unit: str, authors: list[str], sources: list[str]) -> None:
    parts = parse_byline(unit, at_tail=False)
    assert parts is not None
    assert (parts.authors, parts.sources) == (authors, sources)


@pytest.mark.parametrize(
    ("unit", "authors", "sources"),
    [
        ("- Jane Doe (AFP)", ["Jane Doe"], ["AFP"]),
        ("— Reuters", [], ["Reuters"]),
        ("Jane Doe (according to Reuters, AP)", ["Jane Doe"], ["Reuters", "AP"]),
        ("Ngọc Anh (theo Japan Times, Reuters)", ["Ngọc Anh"], ["Japan Times", "Reuters"]),
        ("نغوك آنه (وفقا لصحيفة جابان تايمز، رويترز)", ["نغوك آنه"], ["جابان تايمز", "رويترز"]),
        ("سارة حسن (رويترز، والأناضول)", ["سارة حسن"], ["رويترز", "الأناضول"]),
        ("سارة حسن (رويترز، ورويترز)", ["سارة حسن"], ["رويترز", "رويترز"]),
        # An attached "و" is not stripped from a name that merely starts with the letter.
        ("سارة حسن (رويترز، وول ستريت جورنال)", ["سارة حسن"], ["رويترز", "وول ستريت جورنال"]),
        ("Jane Doe", ["Jane Doe"], []),
        # Contributor lines: reporters are authors, places and editors are not.
        ("Additional reporting by Sam Lee in London", ["Sam Lee"], []),
        ("Reporting by Sam Lee and Mia Chen; Editing by Tom Hart", ["Sam Lee", "Mia Chen"], []),
        ("Con información de Pedro Ruiz en Bogotá.", ["Pedro Ruiz"], []),
    ],
)
def test_tail_bylines(unit: str, authors: list[str], sources: list[str]) -> None:
    parts = parse_byline(unit, at_tail=True, last=True)
    assert parts is not None
    assert (parts.authors, parts.sources) == (authors, sources)


@pytest.mark.parametrize(
    ("unit", "at_tail"),
    [
        ("By the end of the year, prices had doubled.", False),
        ("Par ailleurs, le ministre a démissionné.", False),
        ("Theo Reuters, giá dầu tăng mạnh.", False),
        ("Jane Doe (AFP)", False),  # no lead-in: only a byline at the tail
        ("The end", True),  # lower-case word: not a name
        ("Prices rose (see chart).", True),
        ("Editing by Tom Hart", True),  # an editor is not an author
        ("Reporting by the agency was slow; officials declined to comment.", True),
        ("Additional reporting by Sam Lee in London", False),  # a contributor line only at the tail
    ],
)
def test_not_bylines(unit: str, at_tail: bool) -> None:
    assert parse_byline(unit, at_tail=at_tail, last=at_tail) is None


def test_tail_byline_in_article_and_not_when_only_paragraph() -> None:
    article = normalize_text(f"{LONG}\n{LONG_2}\nJane Doe (AFP)")
    assert article.paragraphs == [LONG, LONG_2]
    assert (article.byline.authors, article.byline.sources) == (["Jane Doe"], ["AFP"])
    contributed = normalize_text(f"{LONG}\n{LONG_2}\nAdditional reporting by Sam Lee in London.")
    assert (contributed.paragraphs, contributed.byline.authors) == ([LONG, LONG_2], ["Sam Lee"])
    lone = normalize_text("Jane Doe (AFP)")
    assert lone.paragraphs == ["Jane Doe (AFP)"]
    assert lone.byline.authors == []


def test_source_line_with_outlet_name_adds_a_source() -> None:
    article = normalize_text(f"{LONG}\n{LONG_2}\nNgọc Anh\nNguồn: VnExpress")
    assert article.byline.authors == ["Ngọc Anh"]
    assert article.byline.sources == ["VnExpress"]
    assert article.source_url is None
    assert article.removed == []


def test_source_line_with_url() -> None:
    article = normalize_text(f"{LONG}\nSource: https://example.com/a/b.html.")
    assert article.source_url == "https://example.com/a/b.html"
    assert article.removed == [Removed(kind="source_line", text="Source: https://example.com/a/b.html.")]


# --- furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("[إعلان رقم 2]", "ad"),
        ("ADVERTISEMENT", "ad"),
        ("[Publicité]", "ad"),
        ("Quảng cáo", "ad"),
        ("تعليق (0)", "comments"),
        ("12 comments", "comments"),
        ("Commentaires (4)", "comments"),
        ("نظرات (۳)", "comments"),
        ("评论（3）", "comments"),
        ("Share this article", "share"),
        ("Partager : Facebook | Twitter", "share"),
        ("Chia sẻ", "share"),
        ("Read more: Residents split over parking", "read_more"),
        ("Lire aussi : La ville investit", "read_more"),
        ("Lea también: Las lluvias no bastan", "read_more"),
        ("Xem thêm: Giá vé tàu điện", "read_more"),
        ("اقرأ أيضا: خطة جديدة", "read_more"),
        ("اقرأ أيضاً: خطة جديدة", "read_more"),
        ("Sign up for our newsletter", "newsletter"),
        ("Inscrivez-vous à notre newsletter", "newsletter"),
        ("© 2026 Example News", "copyright"),
        ("Copyright 2026 Example News", "copyright"),
        ("Example News. All rights reserved.", "copyright"),
        ("Follow us on Instagram", "follow"),
        ("Tags: transport, city", "tags"),
        ("责任编辑：张丽", "editor"),
        ("المصدر: https://example.com/x", "source_line"),
    ],
)
def test_furniture_kinds(line: str, kind: str) -> None:
    furniture = match_furniture(line)
    assert furniture is not None
    assert furniture.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply on Monday.",
        "Related to this, the ministry opened an inquiry.",
        "Comments by the minister angered the opposition.",
        "The ad campaign cost two million euros.",
        "Read more books, the minister told pupils.",
        "کلیه حقوق کارگران باید پرداخت شود.",
        "Advertisement " + "x" * 300,
    ],
)
def test_story_lines_are_not_furniture(line: str) -> None:
    assert match_furniture(line) is None


def test_furniture_in_the_middle_is_removed_in_order() -> None:
    article = normalize_text(f"{LONG}\nRead more: Other story\nADVERTISEMENT\n{LONG_2}\nShare")
    assert article.paragraphs == [LONG, LONG_2]
    assert [(r.kind, r.text) for r in article.removed] == [
        ("read_more", "Read more: Other story"),
        ("ad", "ADVERTISEMENT"),
        ("share", "Share"),
    ]


# --- units ---------------------------------------------------------------------------------


def test_one_paragraph_per_line_without_blank_lines() -> None:
    assert split_units("a\nb\n\nc") == ["a", "b", "c"]


def test_hard_wrapped_blocks_are_joined() -> None:
    text = (
        "The regional council approved the budget on Thursday after a\n"
        "debate that lasted more than six hours and ended with a narrow\n"
        "vote.\n"
        "\n"
        "Officials said the money would go to schools, hospitals and the\n"
        "repair of rural roads in the north of the region, where well-\n"
        "known problems remain.\n"
        "\n"
        "Read more: Another story\n"
    )
    article = normalize_text(text)
    assert article.paragraphs == [
        "The regional council approved the budget on Thursday after a debate that lasted more than six "
        "hours and ended with a narrow vote.",
        "Officials said the money would go to schools, hospitals and the repair of rural roads in the "
        "north of the region, where well-known problems remain.",
    ]
    assert [r.kind for r in article.removed] == ["read_more"]


def test_short_blocks_are_not_joined() -> None:
    assert split_units("Headline here\nBy Jane Doe\n\nShare\nComments (2)\nTags: a") == [
        "Headline here",
        "By Jane Doe",
        "Share",
        "Comments (2)",
        "Tags: a",
    ]
