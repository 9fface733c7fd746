"""Unicode cleanup: the only changes normalize ever makes to publisher text.

`clean_text` applies, in this order:

1. Line breaks: CRLF, CR, VT, FF, NEL (U+0085), LINE SEPARATOR (U+2028) and
   PARAGRAPH SEPARATOR (U+2029) become ``\\n``; TAB becomes a space.
2. Removal of invisible characters that only carry noise:
   - C0 controls (U+0000-U+001F, except ``\\n``), DEL (U+007F) and C1 controls (U+0080-U+009F);
   - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the bidi
     marks LRM, RLM (U+200E, U+200F) and ARABIC LETTER MARK (U+061C): the renderer derives
     direction from the letters, and a stray override can reverse a whole line;
   - the byte order mark / ZWNBSP U+FEFF wherever it appears;
   - lone surrogates (only possible with ``surrogateescape`` decoding).
   ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D) are KEPT: Persian, Urdu and
   Indic spelling depend on them (``می‌شود``). ZWSP, soft hyphen and word joiner are kept too.
3. Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFE) are folded to the base letters by
   NFKC applied to those characters only (the rest of the text never sees NFKC: it would
   rewrite e.g. superscripts, full-width forms or ligatures the publisher chose). Isolated
   forms of harakat fold to the bare combining mark (NFKC would add a space before it);
   currency signs (U+FDFC RIAL SIGN) and characters without a decomposition stay as they are.
4. NFC over the whole text.
5. Whitespace tidying per line: a run of horizontal whitespace becomes one space, except a
   single no-break space (U+00A0) or narrow no-break space (U+202F), which is kept (French
   typography puts one before ``:`` ``;`` ``?`` ``!``). Lines are stripped, runs of three or
   more line breaks become one blank line, and the text is stripped.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_line", "clean_text", "fold_presentation_forms"]

_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# Characters removed outright (the newline \n is handled above and kept).
_REMOVE = re.compile(
    "["
    "\x00-\x08\x0e-\x1f\x7f"  # C0 (TAB, LF, VT, FF, CR handled before) and DEL
    "\x80-\x84\x86-\x9f"  # C1 (NEL handled before)
    "\u061c\u200e\u200f"  # ALM, LRM, RLM
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # BOM / ZWNBSP
    "\ud800-\udfff"  # lone surrogates
    "]"
)

_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

# A run of horizontal whitespace (anything str.isspace() except the newline).
_HSPACE = re.compile(r"[^\S\n]+")
_KEEP_SINGLE = {"\u00a0", "\u202f"}
_BLANK_LINES = re.compile(r"\n{3,}")


def _fold_one(match: re.Match[str]) -> str:
    char = match.group()
    if unicodedata.category(char) == "Sc" or not unicodedata.decomposition(char):
        return char
    folded = unicodedata.normalize("NFKC", char)
    if folded.startswith(" ") and all(unicodedata.category(c) == "Mn" for c in folded[1:]):
        return folded[1:]
    return folded


def fold_presentation_forms(text: str) -> str:
    """Fold Arabic presentation forms (and only them) to base letters."""
    return _PRESENTATION_FORMS.sub(_fold_one, text)


def _tidy_space(match: re.Match[str]) -> str:
    run = match.group()
    return run if run in _KEEP_SINGLE else " "


def clean_text(text: str) -> str:
    """Return `text` cleaned as described in the module docstring (keeps line structure)."""
    text = _NEWLINES.sub("\n", text)
    text = text.replace("\t", " ")
    text = _REMOVE.sub("", text)
    text = fold_presentation_forms(text)
    text = unicodedata.normalize("NFC", text)
    text = _HSPACE.sub(_tidy_space, text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_line(text: str) -> str:
    """Clean a one-line value (e.g. a title hint): like `clean_text`, with line breaks as spaces."""
    return " ".join(part for part in clean_text(text).split("\n") if part)
