"""Bytes to text: the encoding is found on the whole payload and recorded; nothing is lost.

`decode_payload(data, declared=None)` tries, in order:

1. A byte order mark: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE (strict; an invalid sequence after
   the BOM is ``undecodable``).
2. BOM-less UTF-16 (LE or BE): NUL bytes at one parity only (the high byte of ASCII spaces,
   digits and Latin letters), and the strict decode gives printable text.
3. Strict UTF-8 (the common case).
4. A legacy code page, detected by charset-normalizer on the whole payload. Its candidates
   are re-ranked: lowest mess ratio first, ties broken by how common the code page is for
   news text (`_PREFERENCE`: windows-1252 before windows-1250 for a French "crème", which
   both decode without mess). An encoding the document declares (``<meta charset>``,
   ``<?xml encoding=?>``, a Content-Type hint) wins when it decodes strictly and its mess
   ratio is as low as the best. Every candidate is decoded STRICTLY: a code page that has no
   character for a byte is never chosen, so no character is silently replaced.
5. Otherwise the upload is ``undecodable``.

Then `repair_mojibake` undoes double decoding (UTF-8 bytes once decoded as windows-1252,
latin-1 or windows-1256): ftfy's `fix_encoding` for the Latin code pages (only that step of
ftfy: quotes, ligatures, widths and the rest of the publisher's text are left alone), and a
narrow fix of our own for windows-1256 (``ط§ظ„`` for ``ال``), which ftfy does not cover:
each run of non-ASCII characters that re-encodes to windows-1256 AND then decodes as valid
UTF-8 to Arabic-script letters is replaced. Real Arabic text never does both (UTF-8 needs
lead bytes followed by 0x80-0xBF continuation bytes, which windows-1256 spends on
punctuation and Persian letters).

ftfy and charset-normalizer are imported only when needed (neither is on the UTF-8 path
except `repair_mojibake`'s cheap pre-check).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from articleflow.core.errors import RejectedInput

__all__ = ["DecodedText", "declared_encoding", "decode_payload", "repair_mojibake"]

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# Code pages in the order we prefer them when charset-normalizer finds several equally clean.
_PREFERENCE = [
    "cp1252",
    "cp1256",
    "iso8859_6",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1257",
    "cp1258",
    "gb18030",
    "big5",
    "cp932",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp949",
    "koi8_r",
    "tis_620",
    "iso8859_15",
    "iso8859_2",
    "latin_1",
]
# Code pages recorded under their WHATWG/IANA names (what a publisher would recognise).
_NAMES = {
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1252": "windows-1252",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp1257": "windows-1257",
    "cp1258": "windows-1258",
    "iso8859_6": "iso-8859-6",
    "iso8859_2": "iso-8859-2",
    "iso8859_15": "iso-8859-15",
    "latin_1": "iso-8859-1",
    "utf_8": "utf-8",
}
# WHATWG: a page that says latin-1 or ASCII is decoded as windows-1252.
_DECLARED_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}
_MESS_TOLERANCE = 0.01
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|"""
    rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None


def _public_name(codec: str) -> str:
    return _NAMES.get(codec, codec.replace("_", "-"))


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML or XML document declares in its first 2 KiB, as a codec name."""
    match = _DECLARED.search(data[:2048])
    if not match:
        return None
    codec = _codec((match.group(1) or match.group(2)).decode("ascii"))
    return _DECLARED_ALIASES.get(codec, codec) if codec else None


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    pairs = len(head) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= pairs * 0.1 and other <= zeros * 0.02:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for c in text[:2048] if ord(c) < 32 and c not in "\t\n\r\f")
            return codec if controls == 0 else None
    return None


def _legacy(data: bytes, declared: str | None) -> str | None:
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    candidates: dict[str, float] = {}
    for match in from_bytes(data):
        codec = _codec(match.encoding)
        if codec and codec not in candidates:
            candidates[codec] = mess_ratio(str(match))
    for extra in (declared, "cp1252"):
        if extra and extra not in candidates:
            try:
                candidates[extra] = mess_ratio(data.decode(extra))
            except (UnicodeDecodeError, LookupError):
                continue
    strict: dict[str, float] = {}
    for codec, mess in candidates.items():
        try:
            data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        strict[codec] = mess
    if not strict:
        return None
    best = min(strict.values())
    if best >= 0.2:  # chaos in every reading: binary, or a code page nobody can tell
        return None
    clean = [codec for codec, mess in strict.items() if mess <= best + _MESS_TOLERANCE]
    if declared in clean:
        return declared
    order = {codec: rank for rank, codec in enumerate(_PREFERENCE)}
    return min(clean, key=lambda codec: order.get(codec, len(order)))


def decode_payload(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode an upload (see the module docstring). Raises `RejectedInput('undecodable')`."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise RejectedInput(
                    "undecodable", f"invalid {name} after its byte order mark at byte {error.start}"
                ) from error
            return _repaired(text, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _repaired(data.decode(utf16), utf16)
    if b"\x00" in data[:8192]:
        raise RejectedInput("binary", "the upload contains NUL bytes: binary data, not text")
    try:
        return _repaired(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    hint = declared or declared_encoding(data)
    if hint in {"utf_8", "utf_16", "utf_32"}:
        hint = None  # a wrong declaration (the bytes are not UTF-8): detect instead
    legacy = _legacy(data, _DECLARED_ALIASES.get(hint, hint) if hint else None)
    if legacy is None:
        raise RejectedInput(
            "undecodable",
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
            "and no legacy code page decodes it cleanly",
        )
    return _repaired(data.decode(legacy), _public_name(legacy))


def _repaired(text: str, encoding: str) -> DecodedText:
    fixed, repairs = repair_mojibake(text)
    return DecodedText(fixed, encoding, repairs)


# Characters that UTF-8 lead bytes become when decoded as windows-1252/latin-1 (Ã Â Ø Ù ...,
# â for 3-byte sequences) or as windows-1256 (ط ظ ع غ for Arabic's D8-DB lead bytes).
_LATIN_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_ARABIC_SUSPECT = re.compile(
    "[\u0637\u0638\u0639\u063a][\u0080-\u00ff\u0152-\u2122\u067e-\u06ba\u060c\u061b\u061f\u0621-\u0652]"
)
# A run can only be repaired into Arabic-script letters (U+0600-U+06FF: UTF-8 D8-DB then a
# continuation byte 80-BF) if it holds a character that windows-1256 encodes as D8-DB (ط ظ ع غ)
# directly followed by one it encodes as 80-BF. Real Arabic rarely has such a pair (a letter
# before « » ، ؛ ؟ or a Persian letter), so clean text costs one scan and no run is re-encoded;
# only the runs around a pair are tried.
_CP1256_PAIR = re.compile(
    "[" + bytes(range(0xD8, 0xDC)).decode("cp1256") + "][" + bytes(range(0x80, 0xC0)).decode("cp1256") + "]"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_UP_TO_LAST_ASCII = re.compile(r"(?s).*[\x00-\x7f]")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _fix_cp1256_run(run: str) -> str:
    try:
        fixed = run.encode("cp1256").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    return fixed if _ARABIC_LETTER.search(fixed) else run


def _fix_cp1256_runs(text: str) -> str:
    """Re-decode each maximal non-ASCII run that holds a `_CP1256_PAIR` (see `_fix_cp1256_run`)."""
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces; done is 0 or the end of a run (an ASCII character or the end)
    for pair in _CP1256_PAIR.finditer(text):
        if pair.start() < done:
            continue  # inside a run already tried
        before = _UP_TO_LAST_ASCII.match(text, done, pair.start())
        start = before.end() if before else done
        run = _NON_ASCII_RUN.match(text, start)
        assert run is not None  # text[start] is non-ASCII: the pair's first character or before it
        pieces.append(text[done:start])
        pieces.append(_fix_cp1256_run(run.group()))
        done = run.end()
    pieces.append(text[done:])
    return "".join(pieces)


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo double decoding; returns the text and what was repaired (``[]`` if nothing)."""
    repairs: list[str] = []
    if _ARABIC_SUSPECT.search(text) and _CP1256_PAIR.search(text):
        fixed = _fix_cp1256_runs(text)
        if fixed != text:
            text = fixed
            repairs.append("mojibake:windows-1256")
    if _LATIN_SUSPECT.search(text):
        import ftfy

        fixed = ftfy.fix_encoding(text)
        if fixed != text:
            text = fixed
            repairs.append("mojibake:windows-1252")
    return text, repairs
