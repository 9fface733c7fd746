"""`ExtractedDocument`: what every format extractor returns, before the shared normalize steps.

Plain data, no parsing left to do: the extractor has already taken the format's markup apart.
`articleflow.core.normalize.normalize_document` turns it into a `NormalizedArticle` with the same
Unicode cleanup, page-furniture removal, caption and byline rules and language detection as
plain text, so every format comes out the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = ["ExtractedCaption", "ExtractedDocument", "parse_date", "parse_datetime", "split_keywords"]


@dataclass
class ExtractedCaption:
    text: str
    credit: str | None = None
    url: str | None = None


@dataclass
class ExtractedDocument:
    media_type: str
    title: str | None = None
    # The body may start with a headline line (plain text, docx without a Title style): apply the
    # plain-text headline rule to the first block when there is no explicit title.
    title_from_body: bool = False
    standfirst: str | None = None
    blocks: list[str] = field(default_factory=list)  # paragraph candidates, in order
    captions: list[ExtractedCaption] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # agencies, outlets
    dateline: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    published_date: date | None = None  # a date given without a time (`date: 2025-06-02`)
    updated_date: date | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # subject codes, e.g. "medtop:20000232"
    section: str | None = None
    language: str | None = None  # what the document declares (lang=, inLanguage, xml:lang)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) taken out by the extractor
    extraction: str | None = None  # which path produced the body (HTML: "articleflow", "trafilatura", ...)


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?$")


def parse_datetime(value: object) -> datetime | None:
    """An ISO 8601 (or NITF compact ``20260126T093000+0100``) date-time WITH a time zone.

    A value without a time zone (or a bare date) gives None: the article's `published_at`
    promises an offset, and guessing one would be wrong half the time.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    compact = _COMPACT.match(text)
    if compact:
        year, month, day, hour, minute, second, zone = compact.groups()
        text = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{zone or ''}"
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object) -> date | None:
    """A calendar date given without a time (``2025-06-02``, the usual Jekyll/Hugo front matter).

    Kept as a date: no time or offset is invented for it. A date-time (with or without an
    offset) gives None here; `parse_datetime` reads those.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE_ONLY.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def split_keywords(value: object) -> list[str]:
    """Keywords given as a list, or as one string separated by commas or semicolons."""
    items: list[str] = []
    if isinstance(value, str):
        items = re.split(r"\s*[,;،؛]\s*", value)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                items.extend(re.split(r"\s*[,;،؛]\s*", item))
    out: list[str] = []
    seen: set[str] = set()
    for item in (i.strip() for i in items):
        if item and item.casefold() not in seen and len(item) <= 100:
            seen.add(item.casefold())
            out.append(item)
    return out
