"""Normalize an upload into a `NormalizedArticle` (pure, no AWS): the normalize stage's core.

`normalize_upload` is the one entry point normalize's handler (and the CLI) use. Modules: `text`
(`normalize_text`: plain text; the title rules are in its docstring), `document`
(`normalize_document`: any format's `ExtractedDocument`, the classification both share). The
primitives they build on are in `articleflow.core.text`, the extractors in `articleflow.core.formats`.
"""

from __future__ import annotations

import base64

from articleflow.core.decoding import detect
from articleflow.core.errors import RejectedInput
from articleflow.core.formats import extract
from articleflow.models.article import NormalizedArticle

__all__ = ["normalize_upload"]


def normalize_upload(
    media_type: str,
    text: str,
    *,
    payload: bytes | None = None,
    payload_base64: str | None = None,
    language_hint: str | None = None,
    title_hint: str | None = None,
    encoding: str | None = None,
) -> NormalizedArticle:
    """Any supported upload to a `NormalizedArticle`; `RejectedInput` if it can never work."""
    # Imported on the first article, not with the handler: the text primitives stay out of its cold import.
    from .document import normalize_document
    from .text import normalize_text

    if payload is None and payload_base64 is not None:
        payload = base64.b64decode(payload_base64, validate=True)
    if media_type == detect.PLAIN:
        article = normalize_text(text, language_hint=language_hint, title_hint=title_hint, encoding=encoding)
    else:
        document = extract(media_type, text, payload)
        article = normalize_document(document, language_hint=language_hint, title_hint=title_hint, encoding=encoding)
        article = article.model_copy(update={"media_type": media_type})
    if not article.paragraphs:
        raise RejectedInput("empty", "no article text is left after removing page furniture")
    return article
