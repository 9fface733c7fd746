"""S3 user metadata in any language: RFC 2047 encoded words. Pure: strings in, strings out.

S3 user metadata travels as HTTP headers, which are US-ASCII; S3 and its SDKs carry a
non-ASCII value as RFC 2047 encoded words (`=?UTF-8?B?2LXYrdmK2YHYqQ==?=`, `=?ISO-8859-1?Q?=C9cho?=`).
Ingest decodes every value; the CLI encodes non-ASCII values before uploading them.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass

# charset (with an optional RFC 2231 *language suffix), encoding B or Q, encoded text.
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]+")
# RFC 2047 section 2: an encoded word is at most 75 characters.
_MAX_WORD = 75
_UTF8_PREFIX, _SUFFIX = "=?UTF-8?B?", "?="


class MalformedEncodedWord(ValueError):
    """An encoded word that cannot be decoded (unknown charset, bad base64, bytes not in the charset)."""


@dataclass(frozen=True)
class DecodedMetadata:
    values: dict[str, str]
    # One line per value kept as sent because its encoded words were malformed.
    warnings: list[str]


def _decode_word(charset: str, encoding: str, text: str) -> str:
    try:
        codecs.lookup(charset)
    except LookupError as error:
        raise MalformedEncodedWord(f"unknown charset {charset!r}") from error
    if encoding in "bB":
        try:
            raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except binascii.Error as error:
            raise MalformedEncodedWord(f"bad base64 {text!r}") from error
    else:
        raw = binascii.a2b_qp(text.replace("_", " ").encode("ascii"), header=False)
    try:
        return raw.decode(charset)
    except UnicodeDecodeError as error:
        raise MalformedEncodedWord(f"bytes that are not {charset}") from error


def decode_value(value: str) -> str:
    """Decode every encoded word in `value`; plain text around them is kept as it is.

    Whitespace between two adjacent encoded words is dropped (RFC 2047 section 6.2), so a long
    value split over several words comes back whole. Raises MalformedEncodedWord.
    """
    parts: list[str] = []
    position = 0
    previous_was_word = False
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if not (previous_was_word and _BETWEEN_WORDS.fullmatch(between)):
            parts.append(between)
        parts.append(_decode_word(*match.groups()))
        position = match.end()
        previous_was_word = True
    parts.append(value[position:])
    return "".join(parts)


def decode_metadata(metadata: dict[str, str]) -> DecodedMetadata:
    """Decode each value; a malformed one is kept as sent, with a warning (never an exception)."""
    values: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in metadata.items():
        try:
            values[key] = decode_value(value)
        except MalformedEncodedWord as error:
            values[key] = value
            warnings.append(f"x-amz-meta-{key}: kept as sent, malformed RFC 2047 encoded word ({error})")
    return DecodedMetadata(values, warnings)


def encode_value(value: str) -> str:
    """`value` as S3 can carry it: unchanged when ASCII, else UTF-8 B encoded words of <= 75 chars."""
    if value.isascii():
        return value
    room = (_MAX_WORD - len(_UTF8_PREFIX) - len(_SUFFIX)) // 4 * 3  # bytes per word
    words: list[str] = []
    chunk = b""
    for char in value:  # split between characters, never inside one's UTF-8 bytes
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > room:
            words.append(chunk.decode("utf-8"))
            chunk = b""
        chunk += encoded
    words.append(chunk.decode("utf-8"))
    return " ".join(
        f"{_UTF8_PREFIX}{base64.b64encode(word.encode('utf-8')).decode('ascii')}{_SUFFIX}" for word in words
    )
