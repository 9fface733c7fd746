"""News-agency XML: IPTC NITF (3.x) and IPTC NewsML-G2 (newsItem / newsMessage).

Parsed by `xmlsafe.parse_xml` (entity declarations refused, no DTD or network access).
Element names are matched by local name, so any namespace prefix (or none) works.

NITF: ``head/title`` and ``hedline/hl1`` (title; ``hl1`` wins), ``hedline/hl2`` or ``abstract``
(standfirst), ``byline`` (``person`` elements are authors; else the byline text goes through the
shared byline rule; ``byttl`` and ``distributor`` are sources), ``dateline`` (as printed),
``docdata/date.issue@norm`` (published_at, ``20260126T093000+0100`` or ISO), ``key-list/keyword``
(tags), ``tobject.subject@tobject.subject.refnum`` (subject codes, ``subj:15000000``),
``pubdata@ex-ref`` (url), ``xml:lang``; the body is ``body.content``'s paragraphs, subheads,
list items and table cells in order, ``media`` elements giving captions (``media-caption``, credit
``media-producer``); ``body.end/tagline`` is never body text: its contributors ("Additional
reporting by ...", "Reporting by ...; Editing by ...") join the byline's authors, anything else
goes to ``removed`` (kind ``tagline``, or the furniture kind, e.g. ``copyright``).

NewsML-G2: in a ``newsMessage`` the first ``newsItem`` with text content is the article and
``picture`` items give captions. ``contentMeta``: ``headline``, ``description`` (standfirst),
``creator/name`` (authors), ``infoSource/name`` or ``creditline`` (sources), ``dateline`` or
``located/name``, ``keyword`` (tags), ``subject@qcode`` (subject codes), ``language@tag``,
``contentCreated`` or ``itemMeta/firstCreated`` (published_at), ``versionCreated`` (updated_at).
The body is ``contentSet``'s ``inlineXML`` (NITF or XHTML) or ``inlineData`` (plain text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articleflow.core.errors import RejectedInput
from articleflow.core.text.furniture import match_furniture
from articleflow.core.text.structure import parse_byline, split_units
from articleflow.core.text.unicode import clean_text

from .document import ExtractedCaption, ExtractedDocument, parse_datetime, split_keywords
from .xmlsafe import local_name, parse_xml, text_of

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["extract_newsml_g2", "extract_nitf"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BLOCKS = {"p", "hl2", "li", "td", "th", "pre", "bq", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt"}
_CAPTION_HOLDERS = {"media", "figure"}


def _find(node: etree._Element | None, *names: str) -> etree._Element | None:
    """The first descendant (document order) whose local name is one of `names`."""
    if node is None:
        return None
    wanted = set(names)
    return next((child for child in node.iter() if local_name(child) in wanted), None)


def _find_all(node: etree._Element | None, name: str) -> list[etree._Element]:
    if node is None:
        return []
    return [child for child in node.iter() if local_name(child) == name]


def _body_blocks(content: etree._Element, doc: ExtractedDocument) -> list[str]:
    blocks: list[str] = []
    for node in content.iter():
        name = local_name(node)
        ancestors = [local_name(a) for a in node.iterancestors()]
        if any(a in _CAPTION_HOLDERS for a in ancestors):
            continue
        if name in _CAPTION_HOLDERS:
            caption = text_of(_find(node, "media-caption", "figcaption", "caption"))
            credit = text_of(_find(node, "media-producer", "credit")) or None
            reference = _find(node, "media-reference", "img")
            url = reference.get("source") or reference.get("src") if reference is not None else None
            if caption or credit:
                doc.captions.append(ExtractedCaption(text=caption, credit=credit, url=url))
            continue
        if name in _BLOCKS and not any(a in _BLOCKS for a in ancestors):
            text = text_of(node)
            if text:
                blocks.append(text)
    return blocks


def _nitf_byline(byline: etree._Element, doc: ExtractedDocument) -> None:
    persons = [text_of(p) for p in _find_all(byline, "person") if text_of(p)]
    titles = [text_of(t) for t in _find_all(byline, "byttl") if text_of(t)]
    if persons:
        doc.authors.extend(persons)
        doc.sources.extend(t for t in titles if len(t.split()) <= 4)
        return
    text = text_of(byline)
    if not text:
        return
    parts = parse_byline(text, at_tail=False) or parse_byline(text, at_tail=True, last=True)
    if parts is not None:
        doc.authors.extend(parts.authors)
        doc.sources.extend(parts.sources)
    else:
        doc.authors.append(text)


def _nitf_tagline(text: str, doc: ExtractedDocument) -> None:
    """A ``body.end/tagline`` is never story text: its contributors ("Additional reporting by
    ...") join the byline; anything else is listed in ``removed`` (as page furniture when it
    is some, e.g. a copyright line, else as ``tagline``)."""
    if not text:
        return
    furniture = match_furniture(text)
    parts = None if furniture is not None else parse_byline(text, at_tail=True)
    if parts is not None:
        doc.authors.extend(parts.authors)
        doc.sources.extend(parts.sources)
    else:
        doc.removed.append((furniture.kind if furniture is not None else "tagline", text))


def _fill_from_nitf(nitf: etree._Element, doc: ExtractedDocument) -> None:
    head = _find(nitf, "head")
    hedline = _find(nitf, "hedline")
    doc.title = text_of(_find(hedline, "hl1")) or text_of(_find(head, "title")) or doc.title
    standfirst = text_of(_find(hedline, "hl2")) or text_of(_find(nitf, "abstract"))
    doc.standfirst = standfirst or doc.standfirst
    for byline in _find_all(_find(nitf, "body.head"), "byline"):
        _nitf_byline(byline, doc)
    distributor = text_of(_find(nitf, "distributor"))
    if distributor:
        doc.sources.append(distributor)
    dateline = _find(nitf, "dateline")
    if dateline is not None and text_of(dateline):
        doc.dateline = text_of(dateline)
    issue = _find(head, "date.issue")
    if issue is not None:
        doc.published_at = parse_datetime(issue.get("norm")) or doc.published_at
    release = _find(head, "date.release")
    if doc.published_at is None and release is not None:
        doc.published_at = parse_datetime(release.get("norm"))
    doc.tags += [k.get("key") or text_of(k) for k in _find_all(head, "keyword") if k.get("key") or text_of(k)]
    for subject in _find_all(head, "tobject.subject"):
        refnum = subject.get("tobject.subject.refnum")
        if refnum:
            doc.subjects.append(f"subj:{refnum}")
    pubdata = _find(head, "pubdata")
    if pubdata is not None and (pubdata.get("ex-ref") or "").startswith(("http://", "https://")):
        doc.url = pubdata.get("ex-ref")
    doc.language = nitf.get(_XML_LANG) or _find_lang(nitf) or doc.language
    content = _find(nitf, "body.content")
    if content is not None:
        doc.blocks += _body_blocks(content, doc)
    for tagline in _find_all(_find(nitf, "body.end"), "tagline"):
        _nitf_tagline(text_of(tagline), doc)


def _find_lang(node: etree._Element) -> str | None:
    for child in node.iter():
        lang = child.get(_XML_LANG)
        if lang:
            return lang
    return None


def extract_nitf(text: str) -> ExtractedDocument:
    root = parse_xml(text, "the NITF document")
    if local_name(root) != "nitf":
        raise RejectedInput("unsupported_format", f"expected an NITF <nitf> root, found <{local_name(root)}>")
    doc = ExtractedDocument(media_type="application/nitf+xml")
    _fill_from_nitf(root, doc)
    doc.tags = split_keywords(doc.tags)
    return doc


def _item_class(item: etree._Element) -> str:
    node = _find(item, "itemClass")
    return (node.get("qcode") or "") if node is not None else ""


def _has_text_content(item: etree._Element) -> bool:
    return _find(item, "inlineXML", "inlineData") is not None


def _g2_content(item: etree._Element, doc: ExtractedDocument) -> None:
    content_set = _find(item, "contentSet")
    inline = _find(content_set, "inlineXML", "inlineData")
    if inline is None:
        return
    if local_name(inline) == "inlineData":
        doc.blocks += split_units(clean_text(inline.text or ""))
        return
    nitf = _find(inline, "nitf")
    if nitf is not None:
        saved_title = doc.title
        _fill_from_nitf(nitf, doc)
        doc.title = saved_title or doc.title
        return
    body = _find(inline, "body")
    doc.blocks += _body_blocks(inline if body is None else body, doc)


def extract_newsml_g2(text: str) -> ExtractedDocument:
    root = parse_xml(text, "the NewsML-G2 document")
    if local_name(root) == "newsItem":
        items = [root]
    elif local_name(root) == "newsMessage":
        items = _find_all(root, "newsItem")
    else:
        raise RejectedInput(
            "unsupported_format", f"expected a NewsML-G2 newsItem or newsMessage, found <{local_name(root)}>"
        )
    texts = [i for i in items if _has_text_content(i) and "picture" not in _item_class(i)]
    if not texts:
        raise RejectedInput("empty", "the NewsML-G2 document holds no text item (inlineXML or inlineData)")
    item = texts[0]
    doc = ExtractedDocument(media_type="application/vnd.iptc.g2.newsitem+xml")
    meta = _find(item, "contentMeta")
    item_meta = _find(item, "itemMeta")
    doc.title = text_of(_find(meta, "headline")) or None
    doc.standfirst = text_of(_find(meta, "description")) or None
    doc.authors = [text_of(_find(c, "name")) or c.get("literal") or "" for c in _find_all(meta, "creator")]
    doc.authors = [a for a in doc.authors if a]
    doc.sources = [text_of(_find(s, "name")) or s.get("literal") or "" for s in _find_all(meta, "infoSource")]
    doc.sources = [s for s in doc.sources if s]
    if not doc.sources and text_of(_find(meta, "creditline")):
        doc.sources = [text_of(_find(meta, "creditline"))]
    if not doc.authors and text_of(_find(meta, "by")):
        parts = parse_byline(text_of(_find(meta, "by")), at_tail=False)
        if parts:
            doc.authors, doc.sources = parts.authors, doc.sources + parts.sources
    doc.dateline = text_of(_find(meta, "dateline")) or text_of(_find(_find(meta, "located"), "name")) or None
    doc.tags = split_keywords([text_of(k) for k in _find_all(meta, "keyword")])
    doc.subjects = [s.get("qcode") or "" for s in _find_all(meta, "subject") if s.get("qcode")]
    language = _find(meta, "language")
    doc.language = (language.get("tag") if language is not None else None) or item.get(_XML_LANG)
    doc.published_at = parse_datetime(text_of(_find(meta, "contentCreated"))) or parse_datetime(
        text_of(_find(item_meta, "firstCreated"))
    )
    doc.updated_at = parse_datetime(text_of(_find(item_meta, "versionCreated")))
    _g2_content(item, doc)
    for picture in items:
        if picture is item or "picture" not in _item_class(picture):
            continue
        picture_meta = _find(picture, "contentMeta")
        caption = text_of(_find(picture_meta, "description")) or text_of(_find(picture_meta, "headline"))
        credit = text_of(_find(picture_meta, "creditline")) or None
        if caption:
            doc.captions.append(ExtractedCaption(text=caption, credit=credit))
    return doc
