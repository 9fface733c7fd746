"""HTML pages: main text only, metadata from JSON-LD/OpenGraph/<meta>, scripts never run."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from articleflow.core.decoding import detect
from articleflow.core.formats.html import extract_html, extract_html_fragment
from articleflow.core.normalize import normalize_upload
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
    # What the markup says is furniture (listed first, in page order), then the furniture lines.
    assert [(r.kind, r.text) for r in article.removed] == [
        ("navigation", "Home News Sport Weather"),
        ("ad", "Advertisement"),
        ("share", "Share on Facebook Share on X"),
        ("related", "Related stories Bridge repairs close the coast road New bus lanes for the seafront"),
        ("comments", "12 comments Great news for the bay, finally some progress on this!"),
        ("newsletter", "Sign up for our morning newsletter"),
        ("read_more", "Read more: Why ports are racing to cut emissions"),
        ("share", "Share this article"),
    ]
    assert article.extraction == "articleflow"
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


STORY = [
    "The river ferry will run every twenty minutes from May, the transport office said on Monday.",
    "Two new boats join the line, and the old landing stage at the market is rebuilt in steel.",
    "Tickets stay at the same price, and bicycles travel free outside the morning rush hour.",
]


def test_a_page_trafilatura_reads_is_never_lost():
    # The story sits in a wrapper whose class reads like a comment widget ("comments-open"), and
    # the page's long link lists make it less than a third of the page: our furniture rule takes
    # it out, our extraction keeps little, so trafilatura's own extraction is the body.
    links = "".join(
        f"<li><a href='/s/{i}'>Section number {i} of the city guide and its many pages</a></li>" for i in range(40)
    )
    page = (
        f"<html><body><div class='site-links'><ul>{links}</ul></div>"
        f"<div class='story comments-open'>{''.join(f'<p>{p}</p>' for p in STORY)}</div></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert article.extraction == "trafilatura"
    assert all(paragraph in article.body for paragraph in STORY)


def test_the_json_ld_body_when_the_page_has_no_text_block():
    page = (
        '<html><head><script type="application/ld+json">'
        + json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(STORY)})
        + "</script></head><body><div class='app-root'></div></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert (article.extraction, article.paragraphs) == ("json_ld", STORY)


def test_layout_table_text_comes_out_as_paragraphs_not_a_table_row():
    cells = "".join(f"<tr><td>{p}</td></tr>" for p in STORY)
    page = (
        "<html><body><table><tr><td class='menu'><a href='/'>Home</a></td>"
        f"<td><h1>Ferries every twenty minutes</h1><table>{cells}</table></td></tr></table></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert article.paragraphs == STORY
    data = "<table><tr><th>Line</th><th>Every</th></tr><tr><td>Ferry</td><td>20 min</td></tr></table>"
    data_page = f"<html><body><article><p>{STORY[0]}</p>{data}<p>{STORY[1]}</p></article></body></html>"
    assert any("|" in paragraph for paragraph in normalize_upload(detect.HTML, data_page).paragraphs)


def test_a_date_without_a_time_is_kept_as_a_date():
    page = (
        '<html><head><meta property="article:published_time" content="2025-06-02">'
        '<meta property="article:modified_time" content="2025-06-03T08:00:00+02:00"></head>'
        f"<body><article><p>{STORY[0]}</p></article></body></html>"
    )
    article = normalize_upload(detect.HTML, page)
    assert (article.published_at, article.published_date) == (None, date(2025, 6, 2))
    assert article.updated_at == datetime(2025, 6, 3, 6, 0, tzinfo=UTC)
    assert article.updated_date is None
