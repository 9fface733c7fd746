"""Validate an upload and decode it to text. Pure: bytes in, text out."""

from __future__ import annotations

import codecs
import hashlib
import uuid
from dataclasses import dataclass

from articleflow.core.errors import RejectedInput

# uuid5 namespace for article ids: the same incoming key always gives the same article id.
ARTICLE_NAMESPACE = uuid.UUID("5b0e4a52-2f6d-4c1e-9d55-6a7c0f3f9a10")

# Leading bytes of formats that are never article text (a .docx is handled by normalize later).
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedUpload:
    text: str
    encoding: str
    media_type: str
    content_sha256: str


def article_id_for(key: str) -> str:
    return str(uuid.uuid5(ARTICLE_NAMESPACE, key))


def content_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise RejectedInput("empty", "the upload is empty (0 bytes)")
    if size > max_bytes:
        raise RejectedInput("too_large", f"the upload is {size} bytes; the limit is {max_bytes} bytes")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode with a BOM when there is one, else as strict UTF-8. Returns (text, encoding)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as error:
                raise RejectedInput("undecodable", f"invalid {encoding} after its BOM at byte {error.start}") from error
    for signature, description in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise RejectedInput("binary", f"the upload is a {description}, not article text")
    if b"\x00" in data[:8192]:
        raise RejectedInput("binary", "the upload contains NUL bytes: binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        raise RejectedInput(
            "undecodable", f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from error


def sniff_media_type(text: str) -> str:
    """Tell the format from the content; the key's extension and Content-Type are only hints."""
    head = text.lstrip()[:512].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "text/html"
    if head.startswith("<?xml") or (head.startswith("<") and not head.startswith("<p")):
        return "application/xml"
    if head.startswith("{") and text.rstrip().endswith("}"):
        return "application/json"
    return "text/plain"


def inspect_upload(data: bytes, max_bytes: int) -> DecodedUpload:
    """Everything ingest checks about the bytes: size, binary content, encoding, format."""
    check_size(len(data), max_bytes)
    text, encoding = decode_text(data)
    if not text.strip():
        raise RejectedInput("empty", "the upload holds only whitespace")
    return DecodedUpload(text, encoding, sniff_media_type(text), content_sha256(data))
