"""`normalize_text`: plain text in, `NormalizedArticle` out.

Steps: Unicode cleanup (`unicode.py`), split into units (`structure.split_units`), classify
each unit (furniture, caption, byline, headline, paragraph), then detect language, script and
direction on the story text (`language.py`). Publisher text is never rewritten beyond the
cleanup: paragraphs keep their spelling, quotes and punctuation.

Title rule (``title_origin``):

- ``explicit``: the publisher gave the title, either as metadata (`title_hint`, which always
  wins) or as a headline line at the top of the file (see `structure.looks_like_headline`).
  If a hint is given and the file also starts with a different headline line, that line is
  listed in ``removed`` with kind ``title``; if it equals the hint it is simply the title.
- ``derived``: the title was made from something else (e.g. the first sentence, when a
  publisher asks for it). Plain text never derives a title: no headline line means no title.
- ``none``: no title.

Nothing disappears silently: every unit is a paragraph, a caption, part of the byline, the
title, or an entry in ``removed`` (kinds from `furniture.py`, plus ``title``). A source line
sets ``source_url`` and is also listed in ``removed`` as ``source_line``; a source line that
names an outlet instead of a URL (``Nguồn: VnExpress``) adds it to ``byline.sources``.

An input that is empty after cleanup gives an article with no paragraphs; deciding what to do
with it (quarantine) is the caller's job.
"""

from __future__ import annotations

from articleflow.models.article import Byline, Caption, NormalizedArticle, Removed, TitleOrigin

from .furniture import match_furniture
from .language import resolve_language
from .structure import BylineParts, looks_like_headline, match_caption, parse_byline, split_units
from .unicode import clean_line, clean_text

__all__ = ["normalize_text"]

# Units classified before headline/byline detection.
_STORY = "story"
_CAPTION = "caption"
_FURNITURE = "furniture"
_BYLINE = "byline"
_TITLE = "title"

_HEAD_BYLINE_SPAN = 2
_TAIL_BYLINE_SPAN = 2


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def normalize_text(text: str, *, language_hint: str | None = None, title_hint: str | None = None) -> NormalizedArticle:
    """Normalize an uploaded plain-text article (already decoded).

    `language_hint` and `title_hint` come from publisher metadata and win over detection.
    """
    units = split_units(clean_text(text))
    kinds: list[str] = [_STORY] * len(units)
    captions: list[Caption] = []
    removed_at: dict[int, Removed] = {}
    byline = BylineParts()
    source_url: str | None = None

    for i, unit in enumerate(units):
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

    # Headline: the first story unit, if it looks like one (the unit compared with it is the
    # next one that is not a lead-in byline such as "By Jane Doe").
    title: str | None = None
    title_origin: TitleOrigin = "none"
    if story and parse_byline(units[story[0]], at_tail=False) is None:
        following = (units[i] for i in story[1:] if parse_byline(units[i], at_tail=False) is None)
        if looks_like_headline(units[story[0]], next(following, None)):
            kinds[story[0]] = _TITLE
            title, title_origin = units[story[0]], "explicit"
            story = story[1:]
    hint = clean_line(title_hint) if title_hint else ""
    if hint:
        if title is not None and title.casefold() != hint.casefold():
            first = next(i for i, kind in enumerate(kinds) if kind == _TITLE)
            removed_at[first] = Removed(kind="title", text=title)
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
    removed = [removed_at[i] for i in sorted(removed_at)]

    story_text = "\n".join([*([title] if title else []), *paragraphs, *(c.text for c in captions)])
    info = resolve_language(story_text or "\n".join(units), language_hint)

    return NormalizedArticle(
        title=title,
        title_origin=title_origin,
        paragraphs=paragraphs,
        captions=captions,
        byline=Byline(authors=_dedupe(byline.authors), sources=_dedupe(byline.sources)),
        removed=removed,
        source_url=source_url,
        language=info.language,
        script=info.script,
        direction="rtl" if info.direction == "rtl" else "ltr",
    )
