"""Word .docx: text, styles and metadata; zip bombs and broken archives refused before inflating."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import pytest

from articleflow.core.decoding.container import MAX_MEMBERS, check_container
from articleflow.core.decoding.detect import DOCX
from articleflow.core.errors import RejectedInput
from articleflow.core.formats.docx import extract_docx
from articleflow.core.ingest import inspect_upload
from articleflow.core.normalize import normalize_upload

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(paragraphs: list[str | tuple[str, str]], core: dict[str, str] | None = None) -> bytes:
    """A minimal valid .docx built here: (style, text) tuples set a paragraph style."""
    body = []
    for item in paragraphs:
        style, text = item if isinstance(item, tuple) else ("", item)
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        runs = "<w:br/>".join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' for line in text.split("\n"))
        body.append(f"<w:p>{props}{runs}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", document)
        if core:
            fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in core.items())
            archive.writestr(
                "docProps/core.xml",
                '<?xml version="1.0"?><cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                f'xmlns:dc="http://purl.org/dc/elements/1.1/">{fields}</cp:coreProperties>',
            )
    return buffer.getvalue()


ARTICLE = [
    ("Title", "Shiraz library reopens its doors"),
    ("Subtitle", "The restored reading rooms hold 200,000 books"),
    "By Reza Karimi",
    "The city's central library reopened on Sunday after a three-year restoration of its tiled courtyard "
    "and reading rooms.",
    ("Caption", "The restored courtyard on opening day. Photo: Sara Ahmadi"),
    "Visitors queued from early morning, and the staff said more than 3,000 people came in on the first day.",
    "Read more: Iran's oldest libraries\nShare this article",
]


def test_docx_text_styles_and_metadata():
    data = make_docx(
        ARTICLE,
        core={"dc:title": "ignored: the Title style wins", "cp:keywords": "libraries, Shiraz", "dc:language": "en"},
    )
    doc = extract_docx(data)
    assert doc.title == "Shiraz library reopens its doors"
    assert doc.standfirst == "The restored reading rooms hold 200,000 books"
    assert doc.tags == ["libraries", "Shiraz"]
    article = normalize_upload(DOCX, "", payload=data)
    assert article.title == "Shiraz library reopens its doors"
    assert article.byline.authors == ["Reza Karimi"]
    assert [c.model_dump() for c in article.captions] == [
        {"text": "The restored courtyard on opening day.", "credit": "Sara Ahmadi"}
    ]
    assert len(article.paragraphs) == 2 and article.paragraphs[0].startswith("The city's central library")
    assert {r.kind for r in article.removed} == {"read_more", "share"}
    assert article.language == "en"
    assert article.media_type == DOCX


def test_docx_without_title_style_uses_the_headline_rule():
    data = make_docx(["Shiraz library reopens", ARTICLE[3]])
    article = normalize_upload(DOCX, "", payload=data)
    assert (article.title, article.title_origin) == ("Shiraz library reopens", "explicit")


def test_ingest_accepts_a_docx_and_carries_its_bytes():
    data = make_docx(ARTICLE)
    upload = inspect_upload(data, 1024 * 1024, key="story.docx")
    assert (upload.media_type, upload.encoding, upload.payload) == (DOCX, "binary", data)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rejected(data: bytes) -> RejectedInput:
    with pytest.raises(RejectedInput) as caught:
        inspect_upload(data, 10 * 1024 * 1024)
    return caught.value


def test_zip_bomb_by_compression_ratio_is_refused_before_inflating():
    bomb = _zip({"word/document.xml": b"<w:document/>", "word/media/filler.bin": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 20_000  # tiny on the wire
    error = rejected(bomb)
    assert error.kind == "zip_bomb"
    assert "compression ratio" in error.reason


def test_zip_bomb_by_member_count_is_refused():
    members = {"word/document.xml": b"<w:document/>"} | {f"word/m{i}.xml": b"x" for i in range(MAX_MEMBERS)}
    error = rejected(_zip(members))
    assert (error.kind, "members" in error.reason) == ("zip_bomb", True)


def test_declared_sizes_that_lie_are_caught_while_reading():
    data = bytearray(make_docx(["A story paragraph that is long enough to read."]))
    # Shrink the declared uncompressed size of word/document.xml in the central directory.
    import struct

    central = data.rfind(b"PK\x01\x02", 0, data.find(b"word/document.xml", data.find(b"PK\x01\x02")))
    struct.pack_into("<I", data, central + 24, 10)
    check_container(bytes(data))  # the header alone looks harmless
    with pytest.raises(RejectedInput) as caught:
        extract_docx(bytes(data))
    assert caught.value.kind in {"zip_bomb", "malformed_docx"}


def test_a_zip_that_is_not_a_word_document_is_binary():
    error = rejected(_zip({"hello.txt": b"hi"}))
    assert error.kind == "binary"


def test_entities_in_a_docx_part_are_refused():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="'
        + W.encode()
        + b'"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
    )
    with pytest.raises(RejectedInput) as caught:
        extract_docx(_zip({"word/document.xml": evil}))
    assert caught.value.kind == "xml_entities"
