"""HTML pages: main text only, metadata from JSON-LD/OpenGraph/<meta>, scripts never run."""

from __future__ import annotations

from datetime import UTC, datetime

from articleflow.core.formats import detect, normalize_upload
from articleflow.core.formats.html import extract_html, extract_html_fragment
from tests.conftest import REPO_ROOT

PAGE = (REPO_ROOT / "tests" / "fixtures" / "formats" / "en-harbour-ferry.html").read_text(encoding="utf-8")


def test_metadata_from_json_ld_opengraph_and_meta():
    doc = extract_html(PAGE)
    assert doc.title == "Electric ferry joins the harbour fleet"
    assert doc.authors == ["Maya Lindqvist", "Tom Okafor"]
    assert doc.published_at == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    assert doc.updated_at == datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    assert (doc.section, doc.tags) == ("Transport", ["ferries", "climate", "harbour"])
    assert doc.url == "https://news.example.org/2026/03/electric-ferry"
    assert doc.standfirst == "The first battery ferry starts carrying commuters across the bay on Monday."
    assert doc.captions[0].url == "https://news.example.org/img/ferry.jpg"


def test_main_text_only_without_page_furniture():
    article = normalize_upload(detect.HTML, PAGE)
    body = article.body
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("The harbour's first battery-powered ferry")
    assert article.paragraphs[-1].endswith("before the end of 2027.")
    for furniture in [
        "cookies",
        "Home",
        "Advertisement",
        "Share on",
        "Related stories",
        "Bridge repairs",
        "comments",
        "Great news for the bay",
        "newsletter",
        "All rights reserved",
    ]:
        assert furniture not in body, furniture
    assert [c.text for c in article.captions] == ["The Tern, the harbour's first electric ferry, at the north pier."]
    assert {(r.kind, r.text) for r in article.removed} == {
        ("read_more", "Read more: Why ports are racing to cut emissions"),
        ("share", "Share this article"),
    }
    assert (article.language, article.script, article.direction) == ("en", "Latn", "ltr")


def test_scripts_are_stripped_and_never_run():
    article = normalize_upload(detect.HTML, PAGE)
    dumped = article.model_dump_json()
    assert "INJECTED" not in dumped and "alert" not in dumped and "for(;;)" not in dumped


def test_a_page_without_metadata_keeps_its_text():
    page = (
        "<html><body><div><p>"
        + "A plain page paragraph with enough words to be the article. " * 4
        + "</p></div></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert article.paragraphs and article.title is None


def test_declared_language_loses_to_detection_when_scripts_disagree():
    page = (
        '<html lang="en"><body><article><p>'
        + "افتتحت البلدية محطة الطاقة الشمسية الجديدة يوم الأحد بعد عامين من العمل. " * 3
        + "</p></article></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert (article.language, article.direction) == ("ar", "rtl")


def test_fragment_blocks():
    assert extract_html_fragment("<p>One.</p><script>x()</script><ul><li>Two</li></ul><h2>Three</h2>") == [
        "One.",
        "Two",
        "Three",
    ]
