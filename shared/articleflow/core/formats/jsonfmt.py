"""JSON from a CMS: one article object in the documented input schema, validated strictly.

The schema (`ArticleInput`; unknown keys are an error, so a typo such as ``"titel"`` fails
loudly instead of publishing an untitled article)::

    {
      "title": "Headline",                          # optional
      "standfirst": "Summary below the headline",   # optional
      "body": "Paragraphs separated by blank lines" # string, or a list of paragraph strings
      "html": "<p>...</p>",                         # instead of body: an HTML fragment
      "authors": ["Jane Doe"],                      # or one string
      "sources": ["Reuters"],                       # agencies / outlets
      "published_at": "2026-01-26T09:30:00+01:00",  # ISO 8601 WITH an offset (or Z), or a
      "updated_at": "...",                          # bare date "2026-01-26" (kept as a date)
      "language": "fr",                             # BCP 47
      "url": "https://...",                         # http(s)
      "tags": ["jazz", "Montréal"],                 # or one comma-separated string
      "section": "Culture",
      "dateline": "MONTRÉAL",
      "captions": [{"text": "...", "credit": "..."}],
      "images": [{"url": "https://...", "caption": "...", "credit": "..."}],
      "subjects": ["medtop:20000232"]
    }

Exactly one of ``body`` and ``html`` is required. A payload that is not JSON, is not an object,
or breaks the schema is ``RejectedInput('invalid_json')`` naming every offending field.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from articleflow.core.errors import RejectedInput
from articleflow.core.text.language import canonical_language_tag
from articleflow.core.text.structure import split_units
from articleflow.core.text.unicode import clean_text

from .document import ExtractedCaption, ExtractedDocument, parse_date, split_keywords

__all__ = ["ArticleInput", "extract_json"]

MAX_DEPTH = 20
_NEEDS_ZONE = "needs a time zone offset, e.g. 2026-01-26T09:30:00+01:00 (or be a bare date, 2026-01-26)"


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _keywords(value: Any) -> Any:
    return split_keywords(value) if isinstance(value, str) else value


def _language(value: str) -> str:
    if canonical_language_tag(value) is None:
        raise ValueError(f"{value!r} is not a BCP 47 language tag (e.g. 'ar', 'fr', 'pt-BR')")
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) > 2048 or " " in value:
        raise ValueError("must be an http(s) URL")
    return value


Text = Annotated[str, Field(min_length=1, max_length=1_000_000)]
Short = Annotated[str, Field(min_length=1, max_length=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CaptionInput(_Strict):
    text: Short
    credit: Short | None = None


class ImageInput(_Strict):
    url: Annotated[str, AfterValidator(_http_url)] | None = None
    caption: Short | None = None
    credit: Short | None = None


def _date_only(value: Any) -> Any:
    if isinstance(value, str) and parse_date(value) is None:
        raise ValueError(_NEEDS_ZONE)
    return value


# A bare date (`2026-01-26`) only: a date-time without an offset stays an error, not a date.
DateOnly = Annotated[date, BeforeValidator(_date_only)]


class ArticleInput(_Strict):
    title: Short | None = None
    standfirst: Annotated[str, Field(max_length=5000)] | None = None
    body: Text | list[Text] | None = None
    html: Text | None = None
    authors: Annotated[list[Short], BeforeValidator(_as_list)] = Field(default_factory=list)
    sources: Annotated[list[Short], BeforeValidator(_as_list)] = Field(default_factory=list)
    published_at: AwareDatetime | DateOnly | None = None
    updated_at: AwareDatetime | DateOnly | None = None
    language: Annotated[str, AfterValidator(_language)] | None = None
    url: Annotated[str, AfterValidator(_http_url)] | None = None
    tags: Annotated[list[Short], BeforeValidator(_keywords)] = Field(default_factory=list)
    section: Short | None = None
    dateline: Short | None = None
    captions: list[CaptionInput] = Field(default_factory=list)
    images: list[ImageInput] = Field(default_factory=list)
    subjects: list[Short] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleInput:
        if (self.body is None) == (self.html is None):
            raise ValueError("exactly one of 'body' (text) and 'html' is required")
        return self


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def _explain(error: ValidationError) -> str:
    problems: dict[str, str] = {}
    for item in error.errors()[:10]:
        # A union (date-time or bare date) reports once per member: name the field once.
        parts = [str(part) for part in item["loc"] if part != "datetime" and "[" not in str(part)]
        where = ".".join(parts) or "(the object)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (see the input schema)"
        elif item["type"] == "timezone_aware":
            message = _NEEDS_ZONE
        problems.setdefault(where, message)
    return "; ".join(f"{where}: {message}" for where, message in problems.items())


def parse_article_input(text: str) -> ArticleInput:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise RejectedInput("invalid_json", f"the upload is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise RejectedInput("invalid_json", "the JSON upload must be one article object ({...})")
    if _depth(data) > MAX_DEPTH:
        raise RejectedInput("invalid_json", f"the JSON nests deeper than {MAX_DEPTH} levels")
    try:
        return ArticleInput.model_validate(data)
    except ValidationError as error:
        raise RejectedInput("invalid_json", f"the JSON breaks the input schema: {_explain(error)}") from error


def _split_moment(value: date | None) -> tuple[datetime | None, date | None]:
    """(date-time, None) for a date-time, (None, date) for a bare date."""
    if isinstance(value, datetime):
        return value, None
    return None, value


def extract_json(text: str) -> ExtractedDocument:
    article = parse_article_input(text)
    doc = ExtractedDocument(media_type="application/json")
    doc.title = article.title
    doc.standfirst = article.standfirst
    if article.html is not None:
        from .html import extract_html_fragment

        doc.blocks = extract_html_fragment(article.html)
    elif article.body is not None:
        items = article.body if isinstance(article.body, list) else [article.body]
        doc.blocks = [unit for item in items for unit in split_units(clean_text(item))]
    doc.authors = list(article.authors)
    doc.sources = list(article.sources)
    doc.published_at, doc.published_date = _split_moment(article.published_at)
    doc.updated_at, doc.updated_date = _split_moment(article.updated_at)
    doc.language = article.language
    doc.url = article.url
    doc.tags = list(article.tags)
    doc.section = article.section
    doc.dateline = article.dateline
    doc.subjects = list(article.subjects)
    doc.captions = [ExtractedCaption(text=c.text, credit=c.credit) for c in article.captions]
    doc.captions += [ExtractedCaption(text=i.caption, credit=i.credit, url=i.url) for i in article.images if i.caption]
    return doc
