"""The structured article: what normalize produces and the published message carries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TitleOrigin = Literal["explicit", "derived", "none"]

PUBLISHED_DATE = (
    "Publication date when the upload gave a date without a time (e.g. front matter 'date: 2025-06-02'); "
    "set only when published_at is not."
)
UPDATED_DATE = "Last modification date when the upload gave a date without a time; set only when updated_at is not."
EXTRACTION = (
    "Which path produced the body of an HTML page: 'articleflow' (our main-text extraction), 'trafilatura' "
    "(trafilatura's own extraction, used when ours found less than half of its text), 'json_ld' "
    "(the JSON-LD articleBody) or 'paragraphs' (the <p> of <article>/<main>); null for other formats."
)
Direction = Literal["rtl", "ltr"]


class Model(BaseModel):
    """Base for every record: unknown fields are an error, so typos fail loudly.

    `defer_build`: a model's validator is built on first use, so a function never pays at
    cold start for the records and messages of the other stages.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Caption(Model):
    text: str = Field(description="Caption text, without its credit.")
    credit: str | None = Field(default=None, description="Photo credit, e.g. the name after 'الصورة:'.")


class Byline(Model):
    authors: list[str] = Field(default_factory=list, description="People who wrote the article.")
    sources: list[str] = Field(
        default_factory=list, description="Agencies or outlets the article relies on, as printed."
    )


class Removed(Model):
    kind: str = Field(
        description="Why the text was removed: ad, comments, share, read_more, newsletter, copyright, ..."
    )
    text: str = Field(description="The removed text, exactly as it appeared.")


class NormalizedArticle(Model):
    """Plain data: the output of `articleflow.core.normalize.text.normalize_text`."""

    title: str | None = None
    title_origin: TitleOrigin = "none"
    paragraphs: list[str] = Field(default_factory=list)
    captions: list[Caption] = Field(default_factory=list)
    byline: Byline = Field(default_factory=Byline)
    removed: list[Removed] = Field(default_factory=list)
    source_url: str | None = None
    language: str = Field(default="und", description="BCP 47 tag; 'und' when it cannot be told.")
    script: str = Field(default="Zyyy", description="ISO 15924 code of the body's main script.")
    direction: Direction = "ltr"
    # Added with the input formats (issue 4); all optional, with defaults.
    standfirst: str | None = Field(default=None, description="Summary / deck below the headline.")
    dateline: str | None = Field(default=None, description="Where (and when) the story was filed, as printed.")
    published_at: datetime | None = Field(default=None, description="Publication time, with its offset.")
    updated_at: datetime | None = Field(default=None, description="Last modification time, with its offset.")
    tags: list[str] = Field(default_factory=list, description="Keywords the publisher gave.")
    subjects: list[str] = Field(
        default_factory=list, description="Subject codes, e.g. 'medtop:20000232' or 'subj:15000000'."
    )
    section: str | None = Field(default=None, description="Section or desk, e.g. 'Sport'.")
    media_type: str | None = Field(default=None, description="The upload's format, sniffed from content.")
    encoding: str | None = Field(default=None, description="The encoding the upload was decoded from.")
    # Added with issue 15; optional, with defaults.
    published_date: date | None = Field(default=None, description=PUBLISHED_DATE)
    updated_date: date | None = Field(default=None, description=UPDATED_DATE)
    extraction: str | None = Field(default=None, description=EXTRACTION)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)
