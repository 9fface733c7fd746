"""Markdown with optional YAML front matter.

Front matter (``---`` ... ``---`` at the very top, read with ``yaml.safe_load``: data only, no
Python objects; at most `MAX_FRONT_MATTER` characters) maps to metadata:

========================================================  =========================
keys (first found wins)                                    field
========================================================  =========================
``title``, ``headline``                                    title
``standfirst``, ``subtitle``, ``summary``, ``description``, standfirst
``excerpt``, ``lede``
``authors``, ``author``, ``byline`` (string, list, or      authors
objects with ``name``)
``sources``, ``agency``, ``agencies``                      sources
``published_at``, ``date``, ``published``, ``pubDate``     published_at (with offset),
                                                           or published_date (a bare date)
``updated_at``, ``updated``, ``lastmod``, ``modified``     updated_at, or updated_date
``language``, ``lang``, ``locale``                         declared language
``url``, ``canonical_url``, ``canonical``, ``source_url``  url
``tags``, ``keywords``                                     tags
``section``, ``category``, ``categories`` (first)          section
``dateline``                                               dateline
``image_caption`` / ``caption`` (+ ``image_credit``)       a caption
========================================================  =========================

Body: blocks separated by blank lines, lines of a block joined (Markdown's soft breaks; a line
ending in two spaces or ``\\`` is a hard break). The first ``#`` heading is the title when the
front matter has none, other headings stay as subheads. Images on their own line become
captions (alt text, or the image title). Inline markup is unwrapped: links keep their text,
emphasis and code lose their markers; list and quote markers go; raw HTML tags are dropped
(``<script>``/``<style>`` with their content); link reference definitions and rules go.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from articleflow.core.errors import RejectedInput

from .document import ExtractedCaption, ExtractedDocument, parse_date, parse_datetime, split_keywords

__all__ = ["extract_markdown", "split_front_matter"]

MAX_FRONT_MATTER = 64 * 1024

_FRONT_MATTER = re.compile(r"^\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_RULE = re.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_IMAGE_LINE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+"(?P<title>[^"]*)")?\)$')
# Inline patterns see whole paragraphs of user text. Each one's scans stop at the next place an
# attempt could start (a bracket, the delimiter itself), so no attempt rescans what a later one
# will: linear time. `[^\]]+` here made 64 KiB of "[" take 30 s (every "[" scanned to the end).
_URL = r"\([^()\[\]\s]*(?:[ \t]+\"[^\"\n]{0,300}\")?\)"
_IMAGE = re.compile(rf"!\[(?P<alt>[^\[\]]*)\]{_URL}")
_LINK = re.compile(rf"\[(?P<text>[^\[\]]+)\]{_URL}|\[(?P<ref>[^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s+\S+")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*\*|__(?=[^\s_])([^_\n]+?)(?<=[^\s_])__")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=[^\s~])([^~\n]+?)(?<=[^\s~])~~")
_CODE = re.compile(r"(?<!`)`+([^`]+)`+")
_DANGEROUS_OPEN = re.compile(r"<(script|style|iframe|noscript|template)\b", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter as a dict, the rest of the text). No front matter gives ``{}``."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    raw = match.group(1)
    if len(raw) > MAX_FRONT_MATTER:
        raise RejectedInput("bad_front_matter", f"the YAML front matter is over {MAX_FRONT_MATTER} characters")
    import yaml

    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise RejectedInput("bad_front_matter", f"the YAML front matter is not valid YAML: {error}") from error
    except (ValueError, OverflowError) as error:  # a timestamp YAML reads but Python cannot hold (2026-02-30)
        raise RejectedInput("bad_front_matter", f"the YAML front matter holds an impossible value: {error}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RejectedInput("bad_front_matter", "the YAML front matter must be a mapping of keys to values")
    return {str(k).lower(): v for k, v in data.items()}, text[match.end() :]


def _scalar(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def _first(meta: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if meta.get(key) not in (None, "", []):
            return meta[key]
    return None


def _people(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items[:50]:
        name = _scalar(item.get("name")) if isinstance(item, dict) else _scalar(item)
        if name:
            out.append(name)
    return out


def _when(value: object) -> datetime | None:
    if isinstance(value, datetime):  # YAML parses unquoted timestamps itself
        return value if value.tzinfo is not None else None
    if isinstance(value, date):
        return None
    return parse_datetime(value)


def _drop_between(text: str, opening: str, closing: str) -> str:
    """Remove each `opening ... closing` span (the closing included); an unclosed opening stays."""
    out, done = [], 0
    while (start := text.find(opening, done)) >= 0:
        end = text.find(closing, start + len(opening))
        if end < 0:  # no closing after this opening: none after any later one either
            break
        out.append(text[done:start])
        done = end + len(closing)
    out.append(text[done:])
    return "".join(out)


def _drop_dangerous(text: str) -> str:
    """Remove <script>...</script> and its kin, in one pass over the text.

    A regex `<script\\b.*?</script>` rescans to the end from every unclosed opening (quadratic);
    here a tag found unclosed once is not looked for again.
    """
    out, done, unclosed = [], 0, set()
    for opening in _DANGEROUS_OPEN.finditer(text):
        name = opening.group(1).lower()
        if opening.start() < done or name in unclosed:
            continue
        closing = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, opening.end())
        if closing is None:
            unclosed.add(name)
            continue
        out.append(text[done : opening.start()])
        done = closing.end()
    out.append(text[done:])
    return "".join(out)


def _inline(text: str) -> str:
    text = _drop_dangerous(text)
    text = _IMAGE.sub(lambda m: m.group("alt"), text)
    text = _LINK.sub(lambda m: m.group("text") or m.group("ref"), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", _drop_between(text, "<!--", "-->"))
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(lambda m: m.group(1) or m.group(2), text)
    text = _STRIKE.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return _ESCAPE.sub(r"\1", text)


def _blocks(body: str) -> list[tuple[str, str]]:
    """(kind, text) blocks: kind is heading1, heading, image, code or text."""
    reader = _BlockReader()
    for line in _drop_dangerous(body).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        reader.feed(line)
    reader.flush()
    return reader.blocks


class _BlockReader:
    """Markdown lines in, blocks out. Lines gather into a run (a paragraph) until a blank line, a
    fence, or a line that is a block of its own (a heading, an image) or is dropped (a rule, a
    link reference definition); a list item starts a new run."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self._run: list[str] = []
        self._fence: str | None = None

    def feed(self, line: str) -> None:
        stripped = line.strip()
        if self._fence is not None:
            self._in_fence(stripped)
        elif stripped.startswith(("```", "~~~")):
            self.flush()
            self._fence = stripped[:3]
        elif not stripped:
            self.flush()
        elif self._underlines_its_run(stripped):
            level = "heading1" if stripped.startswith("=") else "heading"
            self.blocks.append((level, self._run.pop().strip()))
        elif _RULE.match(line) or _REF_DEF.match(line):
            self.flush()
        elif (block := _line_block(stripped)) is not None:
            self.flush()
            self.blocks.append(block)
        elif _LIST.match(line):
            self.flush()
            self._run.append(_LIST.sub("", line))
        else:
            self._run.append(_QUOTE.sub("", line))

    def flush(self) -> None:
        """The run so far as text blocks: its lines joined by spaces, split at hard line breaks."""
        if not self._run:
            return
        joined = ""
        for line in self._run:
            hard = line.endswith("  ") or line.endswith("\\")
            joined += line.rstrip("\\").strip() + ("\n" if hard else " ")
        self.blocks.extend(("text", part.strip()) for part in joined.split("\n") if part.strip())
        self._run.clear()

    def _in_fence(self, stripped: str) -> None:
        if self._fence is not None and stripped.startswith(self._fence):
            self._fence = None
        elif stripped:
            self.blocks.append(("code", stripped))

    def _underlines_its_run(self, stripped: str) -> bool:
        """A setext underline (=== or ---) under a one-line run: that line is a heading."""
        return len(self._run) == 1 and _SETEXT.match(stripped) is not None


def _line_block(stripped: str) -> tuple[str, str] | None:
    """A heading or an image line: a block of its own."""
    heading = _HEADING.match(stripped)
    if heading:
        return ("heading1" if len(heading.group(1)) == 1 else "heading", heading.group(2))
    image = _IMAGE_LINE.match(stripped)
    if image:
        return ("image", image.group("alt") or image.group("title") or "")
    return None


def extract_markdown(text: str) -> ExtractedDocument:
    meta, body = split_front_matter(text)
    doc = ExtractedDocument(media_type="text/markdown")
    doc.title = _scalar(_first(meta, "title", "headline"))
    doc.standfirst = _scalar(_first(meta, "standfirst", "subtitle", "summary", "description", "excerpt", "lede"))
    doc.authors = _people(_first(meta, "authors", "author", "byline"))
    doc.sources = _people(_first(meta, "sources", "agency", "agencies"))
    published = _first(meta, "published_at", "date", "published", "pubdate")
    updated = _first(meta, "updated_at", "updated", "lastmod", "modified")
    doc.published_at, doc.published_date = _when(published), parse_date(published)
    doc.updated_at, doc.updated_date = _when(updated), parse_date(updated)
    doc.language = _scalar(_first(meta, "language", "lang", "locale"))
    doc.url = _scalar(_first(meta, "url", "canonical_url", "canonical", "source_url"))
    doc.tags = split_keywords(_first(meta, "tags", "keywords"))
    section = _first(meta, "section", "category", "categories")
    doc.section = _scalar(section[0] if isinstance(section, list) and section else section)
    doc.dateline = _scalar(meta.get("dateline"))
    image_caption = _scalar(_first(meta, "image_caption", "caption"))
    if image_caption:
        doc.captions.append(ExtractedCaption(text=image_caption, credit=_scalar(meta.get("image_credit"))))
    for kind, block in _blocks(body):
        value = " ".join(_inline(block).split())
        if kind == "image":
            if value:
                doc.captions.append(ExtractedCaption(text=value))
        elif kind == "heading1" and doc.title is None:
            doc.title = value
        elif value:
            doc.blocks.append(value)
    return doc
