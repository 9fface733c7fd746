import codecs
import hashlib

import pytest

from articleflow.core.errors import RejectedInput
from articleflow.core.ingest import article_id_for, inspect_upload, sniff_media_type

LIMIT = 1024


def rejected_kind(data: bytes, limit: int = LIMIT) -> str:
    with pytest.raises(RejectedInput) as caught:
        inspect_upload(data, limit)
    return caught.value.kind


def test_utf8_text_is_decoded_and_hashed():
    upload = inspect_upload("مرحبا بالعالم".encode(), LIMIT)
    assert upload.text == "مرحبا بالعالم"
    assert upload.encoding == "utf-8"
    assert upload.media_type == "text/plain"
    assert upload.content_sha256 == hashlib.sha256("مرحبا بالعالم".encode()).hexdigest()


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),  # the byte order is recorded too
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_marks_pick_the_encoding_and_are_dropped(bom, codec, encoding):
    upload = inspect_upload(bom + "Héllo طوكيو".encode(codec), LIMIT)
    assert upload.text == "Héllo طوكيو"
    assert upload.encoding == encoding


def test_empty_and_whitespace_uploads_are_rejected():
    assert rejected_kind(b"") == "empty"
    assert rejected_kind(b" \n\t\n") == "empty"


def test_size_limit_is_enforced_at_the_boundary():
    assert inspect_upload(b"a" * LIMIT, LIMIT).text == "a" * LIMIT
    assert rejected_kind(b"a" * (LIMIT + 1)) == "too_large"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 ...", b"\x89PNG\r\n\x1a\n....", b"\x1f\x8b\x08\x00", b"PK\x03\x04rest", b"text\x00with nul"],
)
def test_binary_uploads_are_rejected(data):
    assert rejected_kind(data) == "binary"


def test_legacy_code_pages_are_decoded_and_recorded():
    # Issue 4: not UTF-8 is no longer a rejection; the code page is detected on the whole payload.
    upload = inspect_upload("Café au lait à Genève".encode("cp1252"), LIMIT)
    assert (upload.text, upload.encoding) == ("Café au lait à Genève", "windows-1252")


def test_undecodable_bytes_name_the_offending_byte():
    noise = bytes((i * 89 + 17) % 127 + 129 for i in range(600))
    with pytest.raises(RejectedInput) as caught:
        inspect_upload(b"caf" + noise, LIMIT)
    assert caught.value.kind == "undecodable"
    assert "at offset 3" in caught.value.reason


def test_article_id_is_stable_per_key_and_differs_between_keys():
    assert article_id_for("incoming/a.txt") == article_id_for("incoming/a.txt")
    assert article_id_for("incoming/a.txt") != article_id_for("incoming/b.txt")
    assert article_id_for("incoming/خبر.txt") == article_id_for("incoming/خبر.txt")


@pytest.mark.parametrize(
    ("text", "media_type"),
    [
        ("Plain story text.", "text/plain"),
        ("<!DOCTYPE html><html><body>x</body></html>", "text/html"),
        ('<?xml version="1.0"?><nitf/>', "application/nitf+xml"),
        ('<?xml version="1.0"?><rss/>', "application/xml"),
        ('{"title": "x", "body": "y"}', "application/json"),
    ],
)
def test_media_type_is_sniffed_from_content(text, media_type):
    assert sniff_media_type(text) == media_type
