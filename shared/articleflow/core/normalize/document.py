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

from articleflow.core.formats.document import ExtractedDocument
from articleflow.core.text.furniture import match_furniture
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
    kinds: list[str] = [_STORY] * len(units)
    captions: list[Caption] = [c for item in doc.captions if (c := _caption(item.text, item.credit))]
    caption_keys = {c.text.casefold() for c in captions if c.text}
    removed_at: dict[int, Removed] = {}
    byline = BylineParts(
        authors=[a for a in map(clean_line, doc.authors) if a],
        sources=[s for s in map(clean_line, doc.sources) if s],
    )
    source_url: str | None = None
    doc_title = _clean_optional(doc.title)

    for i, unit in enumerate(units):
        if unit.casefold() in caption_keys:
            kinds[i] = _CAPTION
            continue
        furniture = match_furniture(unit)
        if furniture is not None:
            if furniture.source_name is not None:
                kinds[i] = _BYLINE
                byline.sources.append(furniture.source_name)
                continue
            kinds[i] = _FURNITURE
            removed_at[i] = Removed(kind=furniture.kind, text=unit)
            if furniture.url and source_url is None:
                source_url = furniture.url
            continue
        caption = match_caption(unit)
        if caption is not None:
            kinds[i] = _CAPTION
            captions.append(Caption(text=caption.text, credit=caption.credit))

    story = [i for i, kind in enumerate(kinds) if kind == _STORY]

    title: str | None = None
    title_origin: TitleOrigin = "none"
    if doc_title:
        title, title_origin = doc_title, "explicit"
        if story and units[story[0]].casefold() == doc_title.casefold():
            kinds[story[0]] = _TITLE
            story = story[1:]
    elif doc.title_from_body and story and parse_byline(units[story[0]], at_tail=False) is None:
        # The headline: the first story unit, if it looks like one (compared with the next unit
        # that is not a lead-in byline such as "By Jane Doe").
        following = (units[i] for i in story[1:] if parse_byline(units[i], at_tail=False) is None)
        if looks_like_headline(units[story[0]], next(following, None)):
            kinds[story[0]] = _TITLE
            title, title_origin = units[story[0]], "explicit"
            story = story[1:]
    hint = clean_line(title_hint) if title_hint else ""
    if hint:
        if title is not None and title.casefold() != hint.casefold():
            first = next((i for i, kind in enumerate(kinds) if kind == _TITLE), None)
            removed_at[-1 if first is None else first] = Removed(kind="title", text=title)
        title, title_origin = hint, "explicit"

    # Bylines: with a lead-in at the head; more shapes at the tail (never the only paragraph).
    found: list[tuple[int, BylineParts]] = []
    for i in story[:_HEAD_BYLINE_SPAN]:
        parts = parse_byline(units[i], at_tail=False)
        if parts is None:
            break
        found.append((i, parts))
    head_taken = {i for i, _ in found}
    for position, i in enumerate(reversed(story[-_TAIL_BYLINE_SPAN:])):
        if i in head_taken or len(story) - position <= 1:
            break
        parts = parse_byline(units[i], at_tail=True, last=position == 0)
        if parts is None:
            break
        found.append((i, parts))
    for i, parts in sorted(found):
        kinds[i] = _BYLINE
        byline.authors.extend(parts.authors)
        byline.sources.extend(parts.sources)

    paragraphs = [units[i] for i, kind in enumerate(kinds) if kind == _STORY]
    removed = [Removed(kind=kind, text=text) for kind, text in doc.removed if text]
    removed += [removed_at[i] for i in sorted(removed_at)]

    story_text = "\n".join([*([title] if title else []), *paragraphs, *(c.text for c in captions)])
    info = _language(story_text or "\n".join(units), language_hint, doc.language)

    dateline = _clean_optional(doc.dateline)
    if dateline is None and paragraphs:
        match = _DATELINE.match(paragraphs[0])
        if match:
            dateline = match.group("dateline").strip()

    return NormalizedArticle(
        title=title,
        title_origin=title_origin,
        paragraphs=paragraphs,
        captions=captions,
        byline=Byline(authors=_dedupe(byline.authors), sources=_dedupe(byline.sources)),
        removed=removed,
        source_url=_clean_optional(doc.url) or source_url,
        language=info.language,
        script=info.script,
        direction="rtl" if info.direction == "rtl" else "ltr",
        standfirst=_clean_optional(doc.standfirst),
        dateline=dateline,
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
