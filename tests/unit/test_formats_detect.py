"""Format detection: content decides; the key's extension and Content-Type are hints."""

from __future__ import annotations

import pytest

from articleflow.core.decoding import detect
from tests.conftest import REPO_ROOT
from tests.unit.test_formats_docx import make_docx

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("en-harbour-ferry.html", detect.HTML),
        ("fr-festival-jazz.md", detect.MARKDOWN),
        ("ar-solar-station.json", detect.JSON),
        ("es-plan-agua.nitf.xml", detect.NITF),
        ("vi-xe-buyt-dien.newsml.xml", detect.NEWSML_G2),
    ],
)
def test_fixtures_are_detected_by_content_whatever_the_key_says(name, media_type):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect.sniff_text(text) == media_type
    assert detect.sniff_text(text, key="upload.txt", content_type="text/plain") == media_type


@pytest.mark.parametrize(
    ("text", "media_type"),
    [
        ("Plain story text.", detect.PLAIN),
        ("<p>A fragment of a page</p>", detect.HTML),
        ('<?xml version="1.0"?><rss><channel/></rss>', detect.XML),
        ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', detect.HTML),
        ("<ns:newsItem xmlns:ns='http://iptc.org/std/nar/2006-10-01/'/>", detect.NEWSML_G2),
        ("# A headline\n\nText.", detect.MARKDOWN),
        ("Text with **bold** and a [link](https://example.org).", detect.MARKDOWN),
        ("- X (AFP)\nA story line.", detect.PLAIN),
    ],
)
def test_content_rules(text, media_type):
    assert detect.sniff_text(text) == media_type


def test_markdown_without_markup_needs_the_hint():
    text = "A quiet story.\n\nWith two paragraphs."
    assert detect.sniff_text(text) == detect.PLAIN
    assert detect.sniff_text(text, key="incoming/story.md") == detect.MARKDOWN
    assert detect.sniff_text(text, content_type="text/markdown; charset=utf-8") == detect.MARKDOWN


def test_docx_is_told_from_other_zips():
    assert detect.sniff_bytes(make_docx(["Hello"])) == detect.DOCX
    assert detect.sniff_bytes(b"PK\x03\x04 not really a zip") is None
    assert detect.sniff_bytes(b"plain") is None
