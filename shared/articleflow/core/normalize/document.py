"""`normalize_document`: an `ExtractedDocument` of any format in, `NormalizedArticle` out.

The one place the article's structure is decided; `normalize_text` (plain text) is this with
the text split into units first. Steps: Unicode cleanup of every block (`unicode.py`), then each
unit is classified (`furniture.py`, `structure.py`) as page furniture, a caption, a byline, the
headline or a story paragraph; language, script and direction are detected on the story text
(`language.py`). The title rules are in `text.py`'s docstring; for structured formats:

- a title the format marks (HTML metadata, front matter, NITF ``hl1``, a Word ``Title`` style)
  is ``explicit``; a first unit equal to it is that title, not a paragraph;
- a unit equal to a caption the format marks (``<figcaption>``, a Word ``Caption`` style) is
  that caption, not a paragraph;
- authors and sources the format gives come first, then those found in byline lines;
- the dateline is the format's (NITF ``dateline``, NewsML-G2 ``dateline``/``located``), else an
  agency-style opening of the first paragraph (``PARIS (AFP) -``, ``WASHINGTON, Jan 5 (Reuters) -``),
  recorded without rewriting the paragraph;
- the language: publisher metadata (`language_hint`) wins; else the document's declared
  language when detection agrees on the script (templates often say ``lang="en"`` on every
  page); else detection.

Items the extractor removed (``ExtractedDocument.removed``) are listed in ``removed`` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from articleflow.core.formats.document import ExtractedDocument
from articleflow.core.text.furniture import Furniture, match_furniture
from articleflow.core.text.language import LanguageInfo, canonical_language_tag, resolve_language
from articleflow.core.text.structure import BylineParts, looks_like_headline, match_caption, parse_byline
from articleflow.core.text.unicode import clean_line
from articleflow.models.article import Byline, Caption, NormalizedArticle, Removed, TitleOrigin

__all__ = ["normalize_document"]

_STORY = "story"
_CAPTION = "caption"
_FURNITURE = "furniture"
_BYLINE = "byline"
_TITLE = "title"

_HEAD_BYLINE_SPAN = 2
_TAIL_BYLINE_SPAN = 2

_DATELINE = re.compile(
    r"^(?P<dateline>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.' -]{1,40}[A-ZÀ-ÖØ-Þ.]"
    r"(?:,\s*[^\s,(–—-][^,(–—-]{0,40})?"
    r"(?:\s*\((?P<agency>[^()]{1,30})\))?)\s*[–—-]{1,2}\s+\S"
)


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _clean_optional(value: str | None) -> str | None:
    cleaned = clean_line(value) if value else ""
    return cleaned or None


def _caption(text: str, credit: str | None) -> Caption | None:
    text, credit = clean_line(text), _clean_optional(credit)
    if credit is None:
        parts = match_caption(text)
        if parts is not None:
            text, credit = parts.text, parts.credit
    if not text and not credit:
        return None
    return Caption(text=text, credit=credit)


def _language(story_text: str, hint: str | None, declared: str | None) -> LanguageInfo:
    if canonical_language_tag(hint) is not None or declared is None:
        return resolve_language(story_text, hint)
    detected = resolve_language(story_text)
    stated = resolve_language(story_text, declared)
    if canonical_language_tag(declared) is None:
        return detected
    same_language = detected.language.split("-")[0] == stated.language.split("-")[0]
    if detected.language == "und" or same_language:
        return stated if stated.script == detected.script or detected.script == "Zyyy" else detected
    return detected


def normalize_document(
    doc: ExtractedDocument,
    *,
    language_hint: str | None = None,
    title_hint: str | None = None,
    encoding: str | None = None,
    units: list[str] | None = None,
) -> NormalizedArticle:
    """Normalize an extracted document. `units` (already cleaned) replaces `doc.blocks` when given
    (plain text splits its own units); the hints come from publisher metadata and win."""
    if units is None:
        units = [unit for block in doc.blocks if (unit := clean_line(block))]
    captions: list[Caption] = [c for item in doc.captions if (c := _caption(item.text, item.credit))]
    parts = _Units(
        texts=units,
        kinds=[_STORY] * len(units),
        captions=captions,
        byline=BylineParts(
            authors=[a for a in map(clean_line, doc.authors) if a],
            sources=[s for s in map(clean_line, doc.sources) if s],
        ),
    )
    _classify(parts, caption_keys={c.text.casefold() for c in captions if c.text})
    title, title_origin = _apply_title_hint(parts, *_take_title(parts, doc), title_hint)
    _take_bylines(parts)

    paragraphs = parts.of_kind(_STORY)
    removed = [Removed(kind=kind, text=text) for kind, text in doc.removed if text]
    removed += [parts.removed_at[i] for i in sorted(parts.removed_at)]
    story_text = "\n".join([*([title] if title else []), *paragraphs, *(c.text for c in captions)])
    info = _language(story_text or "\n".join(units), language_hint, doc.language)

    return NormalizedArticle(
        title=title,
        title_origin=title_origin,
        paragraphs=paragraphs,
        captions=captions,
        byline=Byline(authors=_dedupe(parts.byline.authors), sources=_dedupe(parts.byline.sources)),
        removed=removed,
        source_url=_clean_optional(doc.url) or parts.source_url,
        language=info.language,
        script=info.script,
        direction="rtl" if info.direction == "rtl" else "ltr",
        standfirst=_clean_optional(doc.standfirst),
        dateline=_dateline(doc, paragraphs),
        published_at=doc.published_at,
        updated_at=doc.updated_at,
        published_date=doc.published_date,
        updated_date=doc.updated_date,
        extraction=doc.extraction,
        tags=_dedupe([t for t in map(clean_line, doc.tags) if t]),
        subjects=_dedupe([s for s in map(clean_line, doc.subjects) if s]),
        section=_clean_optional(doc.section),
        media_type=doc.media_type,
        encoding=encoding,
    )


@dataclass
class _Units:
    """The document's units (cleaned blocks) with the kind each is given, and what they yield."""

    texts: list[str]
    kinds: list[str]
    captions: list[Caption]
    byline: BylineParts
    removed_at: dict[int, Removed] = field(default_factory=dict)  # by unit index; -1: before every unit
    source_url: str | None = None

    def story(self) -> list[int]:
        """The indexes of the units that are still story paragraphs."""
        return [i for i, kind in enumerate(self.kinds) if kind == _STORY]

    def of_kind(self, kind: str) -> list[str]:
        return [text for text, unit_kind in zip(self.texts, self.kinds, strict=True) if unit_kind == kind]


def _classify(parts: _Units, caption_keys: set[str]) -> None:
    """Each unit that repeats a caption the format marks, is page furniture, or has a caption's shape."""
    for i, unit in enumerate(parts.texts):
        if unit.casefold() in caption_keys:
            parts.kinds[i] = _CAPTION
        elif (furniture := match_furniture(unit)) is not None:
            _mark_furniture(parts, i, furniture)
        elif (caption := match_caption(unit)) is not None:
            parts.kinds[i] = _CAPTION
            parts.captions.append(Caption(text=caption.text, credit=caption.credit))


def _mark_furniture(parts: _Units, i: int, furniture: Furniture) -> None:
    """A source line naming the outlet is a byline; any other furniture is removed (a source URL kept)."""
    if furniture.source_name is not None:
        parts.kinds[i] = _BYLINE
        parts.byline.sources.append(furniture.source_name)
        return
    parts.kinds[i] = _FURNITURE
    parts.removed_at[i] = Removed(kind=furniture.kind, text=parts.texts[i])
    if furniture.url and parts.source_url is None:
        parts.source_url = furniture.url


def _take_title(parts: _Units, doc: ExtractedDocument) -> tuple[str | None, TitleOrigin]:
    """The title the format marks (its repeat as the first story unit is marked the title), else
    the first story unit when the format allows it and it looks like a headline."""
    story = parts.story()
    doc_title = _clean_optional(doc.title)
    if doc_title:
        if story and parts.texts[story[0]].casefold() == doc_title.casefold():
            parts.kinds[story[0]] = _TITLE
        return doc_title, "explicit"
    if doc.title_from_body and story and parse_byline(parts.texts[story[0]], at_tail=False) is None:
        # The headline: the first story unit, if it looks like one (compared with the next unit
        # that is not a lead-in byline such as "By Jane Doe").
        following = (parts.texts[i] for i in story[1:] if parse_byline(parts.texts[i], at_tail=False) is None)
        if looks_like_headline(parts.texts[story[0]], next(following, None)):
            parts.kinds[story[0]] = _TITLE
            return parts.texts[story[0]], "explicit"
    return None, "none"


def _apply_title_hint(
    parts: _Units, title: str | None, title_origin: TitleOrigin, title_hint: str | None
) -> tuple[str | None, TitleOrigin]:
    """The publisher's title wins; a different title found in the document is listed as removed."""
    hint = clean_line(title_hint) if title_hint else ""
    if not hint:
        return title, title_origin
    if title is not None and title.casefold() != hint.casefold():
        first = next((i for i, kind in enumerate(parts.kinds) if kind == _TITLE), None)
        parts.removed_at[-1 if first is None else first] = Removed(kind="title", text=title)
    return hint, "explicit"


def _take_bylines(parts: _Units) -> None:
    """Bylines: with a lead-in at the head; more shapes at the tail (never the only paragraph)."""
    story = parts.story()
    found = _head_bylines(parts.texts, story)
    found += _tail_bylines(parts.texts, story, head_taken={i for i, _ in found})
    for i, byline in sorted(found):
        parts.kinds[i] = _BYLINE
        parts.byline.authors.extend(byline.authors)
        parts.byline.sources.extend(byline.sources)


def _head_bylines(texts: list[str], story: list[int]) -> list[tuple[int, BylineParts]]:
    found = []
    for i in story[:_HEAD_BYLINE_SPAN]:
        parts = parse_byline(texts[i], at_tail=False)
        if parts is None:
            break
        found.append((i, parts))
    return found


def _tail_bylines(texts: list[str], story: list[int], head_taken: set[int]) -> list[tuple[int, BylineParts]]:
    found = []
    for position, i in enumerate(reversed(story[-_TAIL_BYLINE_SPAN:])):
        if i in head_taken or len(story) - position <= 1:
            break
        parts = parse_byline(texts[i], at_tail=True, last=position == 0)
        if parts is None:
            break
        found.append((i, parts))
    return found


def _dateline(doc: ExtractedDocument, paragraphs: list[str]) -> str | None:
    """The format's dateline, else an agency-style opening of the first paragraph."""
    dateline = _clean_optional(doc.dateline)
    if dateline is None and paragraphs:
        match = _DATELINE.match(paragraphs[0])
        if match:
            dateline = match.group("dateline").strip()
    return dateline
