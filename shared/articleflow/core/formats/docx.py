"""Word `.docx`: a ZIP checked for zip-bomb safety before a byte is inflated, then its XML.

The container check is ingest's (`articleflow.core.decoding.container.check_container`).
`extract_docx(data)` re-checks the container, then inflates only the parts it reads
(``word/document.xml``, ``docProps/core.xml``) through a bounded read that stops at the declared
size (a lying header cannot make it inflate more), and parses them with `xmlsafe.parse_xml`.

Mapping: paragraphs in document order (tables included); the ``Title`` style is the title,
``Subtitle`` the standfirst, ``Caption`` a caption (its credit split off by the shared caption
rule); headings stay in the body as subheads; tracked deletions are not text. ``docProps/core.xml``
gives the title when no paragraph has the Title style, ``cp:keywords`` the tags, ``dc:language``
the declared language. ``dc:creator`` is not used: it names whoever made the file (often a
template), not the story's author.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from articleflow.core.decoding.container import check_container, open_zip
from articleflow.core.decoding.detect import DOCX
from articleflow.core.errors import RejectedInput

from .document import ExtractedCaption, ExtractedDocument, split_keywords

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["extract_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except Exception as error:  # BadZipFile, zlib.error, EOFError, CRC mismatch...
        raise RejectedInput("malformed_docx", f"the .docx member {name} cannot be read: {error!r}") from error
    if len(data) > info.file_size:
        raise RejectedInput("zip_bomb", f"the .docx member {name} inflates beyond its declared size")
    return data


def _paragraph_text(paragraph: object) -> str:
    parts: list[str] = []
    for node in paragraph.iter():  # type: ignore[attr-defined]
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("\u2011")
    return "".join(parts)


def extract_docx(data: bytes) -> ExtractedDocument:
    from .xmlsafe import parse_xml

    check_container(data)
    with open_zip(data) as archive:
        document_xml = _read(archive, "word/document.xml")
        core_xml = _read(archive, "docProps/core.xml")
    if document_xml is None:
        raise RejectedInput("malformed_docx", "the ZIP has no word/document.xml: not a Word document")
    doc = ExtractedDocument(media_type=DOCX, title_from_body=True)
    _add_paragraphs(doc, parse_xml(document_xml, "word/document.xml"))
    if core_xml is not None:
        _add_core_properties(doc, parse_xml(core_xml, "docProps/core.xml"))
    if doc.title:
        doc.title_from_body = False
    return doc


def _add_paragraphs(doc: ExtractedDocument, root: etree._Element) -> None:
    """Each non-empty paragraph, in document order, to the part its style says."""
    for paragraph in root.iter(f"{_W}p"):
        style_node = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style = (style_node.get(f"{_W}val") or "").lower() if style_node is not None else ""
        text = _paragraph_text(paragraph).strip()
        if text:
            _add_paragraph(doc, style, text)


def _add_paragraph(doc: ExtractedDocument, style: str, text: str) -> None:
    if style == "title" and doc.title is None:
        doc.title = " ".join(text.split())
    elif style == "subtitle" and doc.standfirst is None:
        doc.standfirst = " ".join(text.split())
    elif style == "caption":
        doc.captions.append(ExtractedCaption(text=" ".join(text.split())))
    else:
        doc.blocks.extend(line for line in text.split("\n") if line.strip())


def _add_core_properties(doc: ExtractedDocument, core: etree._Element) -> None:
    """docProps/core.xml: the title (unless a paragraph gave one), the keywords as tags, the language."""
    from .xmlsafe import local_name, text_of

    for node in core:
        name, value = local_name(node), text_of(node)
        if not value:
            continue
        if name == "title" and doc.title is None:
            doc.title = value
        elif name == "keywords":
            doc.tags = split_keywords(value)
        elif name == "language":
            doc.language = value
