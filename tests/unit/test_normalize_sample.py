"""The first real upload (an Arabic news story), normalized end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from articleflow.core.normalize.text import normalize_text
from articleflow.models.article import Caption, Removed

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SAMPLE = SAMPLES / "ar-news-japan-command.txt"
SOURCE_URL = "https://www.congluan.vn/my-ra-tuyen-bo-thanh-lap-bo-chi-huy-quan-su-moi-tai-nhat-ban-post305266.html"

pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"shared sample not present: {SAMPLE}")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def article():
    return normalize_text(SAMPLE.read_text(encoding="utf-8"))


def test_no_headline_line_means_no_title(article) -> None:
    assert article.title is None
    assert article.title_origin == "none"


def test_paragraphs_are_lines_1_and_3_to_11_unchanged(article, lines) -> None:
    expected = [lines[0], *lines[2:11]]
    assert len(article.paragraphs) == 10
    assert article.paragraphs == expected
    # Publisher spelling is kept as printed, both variants.
    assert "الأميركي" in article.paragraphs[0]
    assert "الأمريكية" in article.paragraphs[2]
    assert "(USFJ)" in article.paragraphs[2]
    assert "(PAC-3)" in article.paragraphs[8]


def test_caption_with_credit_split_off(article, lines) -> None:
    text = lines[1].removesuffix(" الصورة: حمام السباحة")
    assert text.endswith("28 يوليو/تموز.")
    assert article.captions == [Caption(text=text, credit="حمام السباحة")]


def test_byline_author_and_sources(article) -> None:
    assert article.byline.authors == ["نغوك آنه"]
    assert article.byline.sources == ["جابان تايمز", "رويترز"]


def test_removed_furniture_in_document_order(article) -> None:
    assert article.removed == [
        Removed(kind="ad", text="[إعلان رقم 2]"),
        Removed(kind="source_line", text=f"المصدر: {SOURCE_URL}"),
        Removed(kind="comments", text="تعليق (0)"),
    ]
    assert article.source_url == SOURCE_URL


def test_language_script_direction(article) -> None:
    assert (article.language, article.script, article.direction) == ("ar", "Arab", "rtl")


def test_hints_win(lines) -> None:
    article = normalize_text("\n".join(lines), language_hint="ar-EG", title_hint="  قيادة عسكرية جديدة ")
    assert article.title == "قيادة عسكرية جديدة"
    assert article.title_origin == "explicit"
    assert article.language == "ar-EG"
    assert len(article.paragraphs) == 10


def test_same_result_with_crlf_bom_and_bidi_marks(article) -> None:
    noisy = "\ufeff" + SAMPLE.read_text(encoding="utf-8").replace("\n", "\u200f\r\n")
    assert normalize_text(noisy) == article
