"""Our own HTML pages in ten languages (tests/fixtures/html/): short pages, list-style articles,
text in tables or in <div>s without <p>. Every main-text snippet is kept, the furniture is dropped
and listed in `removed` (bench/extraction.py scores the same pages against trafilatura)."""

from __future__ import annotations

import json

import pytest

from articleflow.core.decoding import detect
from articleflow.core.normalize import normalize_upload
from tests.conftest import REPO_ROOT

PAGES = REPO_ROOT / "tests" / "fixtures" / "html"
CASES = {
    name: case
    for name, case in json.loads((PAGES / "snippets.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
# Furniture our extraction still keeps, with why: the Japanese newsletter box's class names no
# kind ("mail-magazine"); the Portuguese page's sidebar is a bare table cell ("lateral").
KNOWN_KEPT = {
    "ja-tanbun.html": {"メールマガジン"},
    "pt-tabela-antiga.html": {"Anuncie aqui", "Chuva forte alaga"},
}


def _article(name: str):
    return normalize_upload(detect.HTML, (PAGES / name).read_text(encoding="utf-8"))


def test_the_pages_cover_eight_languages_or_more():
    assert len({case["language"] for case in CASES.values()}) >= 8


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_main_snippet_is_kept(name):
    article = _article(name)
    assert [s for s in CASES[name]["main"] if s not in article.body] == []
    assert article.language.split("-")[0] == CASES[name]["language"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_furniture_is_dropped(name):
    body = _article(name).body
    assert {s for s in CASES[name]["boilerplate"] if s in body} == KNOWN_KEPT.get(name, set())


def test_the_furniture_taken_out_is_listed_by_kind():
    article = _article("en-short-notice.html")
    assert [(r.kind, r.text) for r in article.removed] == [
        ("navigation", "Home Local Council What's on"),
        ("share", "Share on Facebook Share on WhatsApp"),
        ("comments", "3 comments"),
        ("newsletter", "Get the Riverside morning briefing in your inbox every weekday"),
        ("related", "More from Local Roadworks on Mill Lane extended to June School choir wins regional title"),
    ]
    assert article.extraction == "articleflow"
    kinds = {r.kind for name in CASES for r in _article(name).removed}
    assert {"navigation", "ad", "share", "newsletter", "related", "comments"} <= kinds


def test_the_path_and_a_date_only_date_reach_the_published_message():
    from datetime import UTC, date, datetime

    from articleflow.core.publish import build_message
    from articleflow.models.records import SourceRef, StageRun, TaggedRecord

    now = datetime(2026, 4, 12, 8, 0, tzinfo=UTC)
    record = TaggedRecord(
        article_id="00000000-0000-5000-8000-000000000015",
        revision=1,
        content_sha256="0" * 64,
        source=SourceRef(bucket="b", key="incoming/en-short-notice.html"),
        received_at=now,
        article=_article("en-short-notice.html"),
    )
    metadata = build_message(record, now, StageRun(stage="publish", version="t", duration_ms=1.0)).metadata
    assert (metadata.extraction, metadata.published_date, metadata.published_at) == (
        "articleflow",
        date(2026, 4, 11),
        None,
    )
