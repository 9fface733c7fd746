"""Input formats: extract a decoded upload of a structured format to an `ExtractedDocument`.

Pure (no AWS). Modules: `document` (the common `ExtractedDocument`), `xmlsafe` (untrusted XML),
and one extractor per format: `html` (with `html_furniture`), `markdown`, `jsonfmt`, `newsxml`
(NITF and NewsML-G2), `docx`. Plain text needs no extractor. Telling the format and decoding the
bytes happen before, in `articleflow.core.decoding`; turning the document into a
`NormalizedArticle` after, in `articleflow.core.normalize`.

Heavy libraries load only on the path that needs them: trafilatura and lxml's HTML parser for
HTML, lxml for XML and .docx, PyYAML for front matter. Importing this package imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from articleflow.core.decoding import DECODING_LIBRARIES, detect
from articleflow.core.errors import RejectedInput

from .document import ExtractedCaption, ExtractedDocument

__all__ = ["EXTRACTION_LIBRARIES", "SUPPORTED_MEDIA_TYPES", "ExtractedCaption", "ExtractedDocument", "extract"]


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


# The libraries the decoders and extractors import lazily (each only on the path that needs it),
# which normalize's before-snapshot hook loads.
EXTRACTION_LIBRARIES = (*DECODING_LIBRARIES, "yaml", "lxml.html", "trafilatura")
