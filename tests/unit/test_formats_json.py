"""JSON input schema: valid articles, and clear errors for everything else."""

from __future__ import annotations

import json
from datetime import date

import pytest

from articleflow.core.decoding import detect
from articleflow.core.errors import RejectedInput
from articleflow.core.normalize import normalize_upload
from tests.conftest import REPO_ROOT

TEXT = (REPO_ROOT / "tests" / "fixtures" / "formats" / "ar-solar-station.json").read_text(encoding="utf-8")


def test_valid_json_article():
    article = normalize_upload(detect.JSON, TEXT)
    assert article.title == "افتتاح أكبر محطة للطاقة الشمسية في المنطقة"
    assert article.standfirst == "المحطة تزود عشرة آلاف منزل بالكهرباء"
    assert len(article.paragraphs) == 3
    assert article.byline.model_dump() == {"authors": ["سارة الحسيني"], "sources": ["وكالة الأنباء"]}
    assert [r.kind for r in article.removed] == ["read_more", "share", "comments"]
    assert [(c.text, c.credit) for c in article.captions] == [("ألواح شمسية في المحطة الجديدة", "أحمد يوسف")]
    assert (article.language, article.script, article.direction) == ("ar", "Arab", "rtl")
    assert article.published_at is not None and article.published_at.utcoffset() is not None


def test_html_body_and_string_authors():
    data = {
        "title": "T",
        "html": "<p>First paragraph of the story.</p><script>alert(1)</script><p>Second one.</p>",
        "authors": "Jane Doe",
        "tags": "a, b",
    }
    article = normalize_upload(detect.JSON, json.dumps(data))
    assert article.paragraphs == ["First paragraph of the story.", "Second one."]
    assert (article.byline.authors, article.tags) == (["Jane Doe"], ["a", "b"])


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ('{"title": "x"', "not valid JSON"),
        ('["a list"]', "one article object"),
        ('{"title": "x"}', "exactly one of 'body' (text) and 'html'"),
        ('{"body": "x", "titel": "typo"}', "titel: unknown field"),
        ('{"body": "x", "published_at": "2026-01-26T09:30:00"}', "published_at: needs a time zone"),
        ('{"body": "x", "published_at": "26/01/2026"}', "published_at: Input should be a valid datetime or date"),
        ('{"body": "x", "language": "Arabic!"}', "language"),
        ('{"body": "x", "url": "javascript:alert(1)"}', "url"),
        ('{"body": "x", "authors": [1, 2]}', "authors.0"),
    ],
)
def test_schema_violations_are_rejected_with_the_field_named(payload, expected):
    with pytest.raises(RejectedInput) as caught:
        normalize_upload(detect.JSON, payload)
    assert caught.value.kind == "invalid_json"
    assert expected in caught.value.reason


def test_deep_nesting_is_rejected():
    with pytest.raises(RejectedInput) as caught:
        normalize_upload(detect.JSON, '{"body": "x", "tags": ' + "[" * 50 + "]" * 50 + "}")
    assert "nests deeper" in caught.value.reason


def test_a_date_without_a_time_is_kept_as_a_date():
    data = {"body": "First paragraph of the story.", "published_at": "2025-06-02", "updated_at": "2025-06-03"}
    article = normalize_upload(detect.JSON, json.dumps(data))
    assert (article.published_at, article.published_date) == (None, date(2025, 6, 2))
    assert (article.updated_at, article.updated_date) == (None, date(2025, 6, 3))
