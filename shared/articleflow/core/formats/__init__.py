"""Input formats: detect an upload's format, decode it, extract it to an `ExtractedDocument`.

Pure (no AWS). Modules: `detect` (media type from content, with key/Content-Type hints),
`encoding` (bytes to text, legacy code pages, mojibake repair), `document` (the common
`ExtractedDocument`), `xmlsafe` (untrusted XML), and one extractor per format: `html`,
`markdown`, `jsonfmt`, `newsxml` (NITF and NewsML-G2), `docx`. Plain text needs no extractor.

Heavy libraries load only on the path that needs them: trafilatura and lxml's HTML parser for
HTML, lxml for XML and .docx, PyYAML for front matter, charset-normalizer for a legacy code
page, ftfy for suspected mojibake. Importing this package imports none of them.

`normalize_upload` is the one entry point normalize's handler (and the CLI) use.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from importlib import import_module

from articleflow.core.errors import RejectedInput
from articleflow.models.article import NormalizedArticle

from . import detect
from .document import ExtractedCaption, ExtractedDocument

__all__ = ["SUPPORTED_MEDIA_TYPES", "ExtractedCaption", "ExtractedDocument", "extract", "normalize_upload"]


def _html(text: str, payload: bytes | None) -> ExtractedDocument:
    from .html import extract_html

    return extract_html(text)


def _markdown(text: str, payload: bytes | None) -> ExtractedDocument:
    from .markdown import extract_markdown

    return extract_markdown(text)


def _json(text: str, payload: bytes | None) -> ExtractedDocument:
    from .jsonfmt import extract_json

    return extract_json(text)


def _nitf(text: str, payload: bytes | None) -> ExtractedDocument:
    from .newsxml import extract_nitf

    return extract_nitf(text)


def _g2(text: str, payload: bytes | None) -> ExtractedDocument:
    from .newsxml import extract_newsml_g2

    return extract_newsml_g2(text)


def _docx(text: str, payload: bytes | None) -> ExtractedDocument:
    from .docx import extract_docx

    if payload is None:
        raise RejectedInput("malformed_docx", "the .docx bytes did not reach normalize")
    return extract_docx(payload)


_EXTRACTORS: dict[str, Callable[[str, bytes | None], ExtractedDocument]] = {
    detect.HTML: _html,
    detect.MARKDOWN: _markdown,
    detect.JSON: _json,
    detect.NITF: _nitf,
    detect.NEWSML_G2: _g2,
    detect.DOCX: _docx,
}
SUPPORTED_MEDIA_TYPES = frozenset({detect.PLAIN, *_EXTRACTORS})


def extract(media_type: str, text: str, payload: bytes | None = None) -> ExtractedDocument:
    """The `ExtractedDocument` of an upload of a structured format (not plain text)."""
    extractor = _EXTRACTORS.get(media_type)
    if extractor is None:
        raise RejectedInput(
            "unsupported_format",
            f"{media_type} uploads are not supported; send plain text, Markdown, HTML, JSON "
            "(the documented input schema), IPTC NITF or NewsML-G2 XML, or a Word .docx",
        )
    try:
        return extractor(text, payload)
    except (ValueError, OverflowError, RecursionError, SyntaxError) as error:
        # Every extractor turns the bad input it knows into RejectedInput; this catches what a
        # parser library raises on input nobody foresaw, which no retry can ever fix either.
        raise RejectedInput(
            "unparseable", f"the {media_type} upload cannot be parsed: {type(error).__name__}: {error}"
        ) from error


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
    from articleflow.core.normalize import normalize_document, normalize_text

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


# The libraries the decoders and extractors import lazily (each only on the path that needs it).
DECODING_LIBRARIES = ("charset_normalizer", "ftfy")
EXTRACTION_LIBRARIES = (*DECODING_LIBRARIES, "yaml", "lxml.html", "trafilatura")


def preload(libraries: tuple[str, ...]) -> None:
    """Import lazily loaded libraries now: before a SnapStart snapshot they then cost restores nothing."""
    for name in libraries:
        import_module(name)
