"""Validate an upload and decode it to text. Pure: bytes in, text out.

Decoding (BOMs, BOM-less UTF-16, UTF-8, legacy code pages detected on the whole payload,
mojibake repair) is `articleflow.core.decoding.encoding`; format sniffing is
`articleflow.core.decoding.detect`. A Word .docx (a ZIP) is the one binary upload accepted: it is
checked for zip-bomb safety here (`articleflow.core.decoding.container`), and its bytes travel to
normalize in the record.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from articleflow.core.decoding import detect
from articleflow.core.decoding.container import check_container
from articleflow.core.decoding.encoding import decode_payload
from articleflow.core.errors import RejectedInput

# uuid5 namespace for article ids: the same incoming key always gives the same article id.
ARTICLE_NAMESPACE = uuid.UUID("5b0e4a52-2f6d-4c1e-9d55-6a7c0f3f9a10")

# Leading bytes of formats that are never article text (a ZIP is accepted only as a .docx).
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "ZIP archive that is not a Word .docx"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (.doc/.xls) file; save it as .docx"),
)


@dataclass(frozen=True)
class DecodedUpload:
    text: str
    encoding: str
    media_type: str
    content_sha256: str
    payload: bytes | None = None  # the bytes of a binary container format (.docx)
    repairs: list[str] = field(default_factory=list)


def article_id_for(key: str) -> str:
    return str(uuid.uuid5(ARTICLE_NAMESPACE, key))


def content_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise RejectedInput("empty", "the upload is empty (0 bytes)")
    if size > max_bytes:
        raise RejectedInput("too_large", f"the upload is {size} bytes; the limit is {max_bytes} bytes")


def _reject_binary(data: bytes) -> None:
    for signature, description in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise RejectedInput("binary", f"the upload is a {description}, not article text")


def sniff_media_type(text: str, key: str | None = None, content_type: str | None = None) -> str:
    """Tell the format from the content; the key's extension and Content-Type are only hints."""
    return detect.sniff_text(text, key, content_type)


def inspect_upload(
    data: bytes, max_bytes: int, key: str | None = None, content_type: str | None = None
) -> DecodedUpload:
    """Everything ingest checks about the bytes: size, binary content, encoding, format."""
    check_size(len(data), max_bytes)
    digest = content_sha256(data)
    if detect.sniff_bytes(data) == detect.DOCX:
        check_container(data)
        return DecodedUpload("", "binary", detect.DOCX, digest, payload=data)
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        _reject_binary(data)
    decoded = decode_payload(data)
    if not decoded.text.strip():
        raise RejectedInput("empty", "the upload holds only whitespace")
    media_type = sniff_media_type(decoded.text, key, content_type)
    return DecodedUpload(decoded.text, decoded.encoding, media_type, digest, repairs=decoded.repairs)
