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

from articleflow.core.formats.document import ExtractedDocument
from articleflow.core.text.structure import split_units
from articleflow.core.text.unicode import clean_text
from articleflow.models.article import NormalizedArticle

from .document import normalize_document

__all__ = ["normalize_text"]


def normalize_text(
    text: str,
    *,
    language_hint: str | None = None,
    title_hint: str | None = None,
    encoding: str | None = None,
) -> NormalizedArticle:
    """Normalize an uploaded plain-text article (already decoded).

    `language_hint` and `title_hint` come from publisher metadata and win over detection.
    The classification itself is `normalize_document`'s, shared with every other format.
    """
    units = split_units(clean_text(text))
    doc = ExtractedDocument(media_type="text/plain", title_from_body=True)
    return normalize_document(doc, language_hint=language_hint, title_hint=title_hint, encoding=encoding, units=units)
