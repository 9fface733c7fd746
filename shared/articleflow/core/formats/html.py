"""HTML pages: the article's main text (trafilatura), plus the metadata trafilatura leaves out.

Body: trafilatura's main-text extraction (comments excluded, tables kept) on a tree we parse
ourselves with lxml (HTML parser, no network; HTML comments and processing instructions dropped
at parse time, as trafilatura does: React pages put ``<!-- -->`` inside sentences). Before it,
the elements the markup names as navigation, ads, share bars, newsletter boxes, related links and
comments are taken out and listed in ``removed`` (`html_furniture`; short pages are where
extractors keep them), and tables used for layout become ``<div>``s. What trafilatura still lets
through is caught by the shared page-furniture rules of normalize. When it finds nothing, the
JSON-LD ``articleBody``, then the ``<p>`` elements of ``<article>`` / ``<main>``, are used; and
when the result holds less than half of what trafilatura's own extraction finds on the page, that
is the body (`_body`). ``ExtractedDocument.extraction`` records which path it was.

Scripts are never run: lxml only parses them, ``<script>``, ``<style>``, ``<noscript>``,
``<template>``, ``<iframe>`` and ``<object>`` never reach the text, and JSON-LD is read with
`json.loads` as data.

Metadata, first found wins, in this order: JSON-LD (``NewsArticle`` and its kin, also inside
``@graph``), OpenGraph / ``article:*`` properties, then ``<meta name>`` and ``<title>``:
headline, description (the standfirst), authors, datePublished / dateModified (a date-time only
with a time zone; a bare date such as ``2025-06-02`` as a date), articleSection, keywords and
``article:tag``, the image with its caption, the canonical URL, the declared language
(``inLanguage``, ``<html lang>``). ``<figcaption>`` of the main text are captions too.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from articleflow.core.errors import RejectedInput

from .document import ExtractedCaption, ExtractedDocument, parse_date, parse_datetime, split_keywords
from .html_furniture import take_furniture

if TYPE_CHECKING:
    from lxml import html as lxml_html

__all__ = ["extract_html", "extract_html_fragment"]

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "report",
    "liveblogposting",
}
# The largest of the 181 pages of the public extraction benchmark has 1,709 elements.
MAX_ELEMENTS = 8_000
_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: a no-break space is the publisher's
# A table cell holding one of these, or this much text, is page layout, not data.
_LAYOUT_BLOCKS = ("p", "div", "table", "h1", "h2", "h3", "ul", "ol", "article", "section", "br")
_RUNNING_TEXT = 80
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
# Ours is replaced by trafilatura's when it holds less than this share of trafilatura's words.
_FALLBACK_SHARE = 0.5
_WORD = re.compile(r"\w+")
# Control characters XML forbids: lxml parses them into text but raises ValueError when it
# later joins that text (dropping a <script> whose tail holds one). Normalize removes them anyway.
_XML_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_XML_FORBIDDEN_SPACE = re.compile(r"[\x0b\x0c]")


def _parse(text: str) -> lxml_html.HtmlElement:
    from lxml import etree
    from lxml import html as lxml_html

    text = _XML_DECLARATION.sub("", text, count=1)
    text = _XML_FORBIDDEN_SPACE.sub(" ", _XML_FORBIDDEN_CONTROL.sub("", text))
    try:
        parser = lxml_html.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
        )
        tree = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise RejectedInput("malformed_html", f"the HTML page cannot be parsed: {error}") from error
    # Extraction costs ~80 us per element (trafilatura, justext): 10 MiB of "<br>" would take minutes.
    for count, _ in enumerate(tree.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise RejectedInput("too_complex", f"the HTML page has over {MAX_ELEMENTS} elements")
    return tree


def _clean(value: object) -> str:
    return _SPACE.sub(" ", value).strip() if isinstance(value, str) else ""


def _json_ld_objects(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: object, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node[:50]:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            found.append(node)
            if "@graph" in node:
                walk(node["@graph"], depth + 1)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            walk(json.loads(script.text or ""), 0)
        except (ValueError, RecursionError):
            continue
    return found


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _names(value: object) -> list[str]:
    """Authors from JSON-LD: a string, a Person/Organization object, or a list of them."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items[:20]:
        name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
        if name and not name.startswith("http"):
            out.append(name)
    return out


def _image(value: object) -> ExtractedCaption | None:
    item = value[0] if isinstance(value, list) and value else value
    if isinstance(item, dict):
        caption = _clean(item.get("caption")) or _clean(item.get("description"))
        url = _clean(item.get("url")) or _clean(item.get("contentUrl")) or None
        credit = _clean(item.get("creditText")) or _clean(item.get("copyrightHolder")) or None
        if caption:
            return ExtractedCaption(text=caption, credit=credit, url=url)
    return None


def _meta(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        content = _clean(node.get("content"))
        if key and content:
            out.setdefault(key, []).append(content)
    return out


def _metadata(tree: lxml_html.HtmlElement, doc: ExtractedDocument) -> None:
    article = next((node for node in _json_ld_objects(tree) if _types(node) & _ARTICLE_TYPES), {})
    meta = _meta(tree)

    def first(*keys: str) -> str | None:
        for key in keys:
            if meta.get(key):
                return meta[key][0]
        return None

    title_node = tree.find(".//title")
    doc.title = (
        _clean(article.get("headline"))
        or first("og:title", "twitter:title")
        or (_clean(title_node.text_content()) if title_node is not None else "")
        or None
    )
    doc.standfirst = _clean(article.get("description")) or first("og:description", "description") or None
    doc.authors = _names(article.get("author")) or [
        name
        for value in meta.get("author", []) + meta.get("article:author", [])
        for name in [value]
        if not name.startswith("http")
    ]
    published = [
        article.get("datePublished"),
        first("article:published_time", "date", "pubdate", "dc.date", "dcterms.created"),
    ]
    updated = [article.get("dateModified"), first("article:modified_time", "og:updated_time")]
    doc.published_at = next(filter(None, map(parse_datetime, published)), None)
    doc.updated_at = next(filter(None, map(parse_datetime, updated)), None)
    if doc.published_at is None:
        doc.published_date = next(filter(None, map(parse_date, published)), None)
    if doc.updated_at is None:
        doc.updated_date = next(filter(None, map(parse_date, updated)), None)
    section = article.get("articleSection")
    doc.section = _clean(section[0] if isinstance(section, list) and section else section) or first("article:section")
    doc.tags = split_keywords(article.get("keywords")) or split_keywords(
        meta.get("article:tag", []) + meta.get("news_keywords", []) + meta.get("keywords", [])
    )
    canonical = next((link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"), None)
    url = article.get("url") or article.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id")
    doc.url = _clean(url) or _clean(canonical) or first("og:url") or None
    language = article.get("inLanguage")
    doc.language = _clean(language) or _clean(tree.get("lang")) or first("og:locale", "language") or None
    image = _image(article.get("image"))
    if image:
        doc.captions.append(image)


def _strip_never_text(tree: lxml_html.HtmlElement) -> None:
    for node in list(tree.iter(*_NEVER_TEXT)):
        parent = node.getparent()
        if parent is not None:
            node.drop_tree()


def _scope(tree: lxml_html.HtmlElement, *paths: str) -> lxml_html.HtmlElement:
    for path in paths:
        node = tree.find(path)
        if node is not None:
            return node
    return tree


def _unwrap_layout_tables(tree: lxml_html.HtmlElement) -> None:
    """Tables used for page layout (a cell holds blocks or running text) become ``<div>``s.

    Otherwise the story of an old table-layout page comes out as one table row (``| ... |``),
    glued to the menu and sidebar cells beside it. Data tables (short cells) stay tables.
    """
    for table in list(tree.iter("table")):
        cells = table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")
        if any(
            next(cell.iter(*_LAYOUT_BLOCKS), None) is not None or len(_clean(cell.text_content())) >= _RUNNING_TEXT
            for cell in cells
        ):
            for node in [table, *table.xpath("./* | ./tr/* | ./*/tr | ./*/tr/*")]:
                if node.tag in _TABLE_PARTS:
                    node.tag = "div"


def _figcaptions(tree: lxml_html.HtmlElement, doc: ExtractedDocument) -> None:
    scope = _scope(tree, ".//article", ".//main")
    seen = {caption.text.casefold() for caption in doc.captions}
    for node in scope.iter("figcaption"):
        text = _clean(node.text_content())
        if text and text.casefold() not in seen and len(text) <= 600:
            seen.add(text.casefold())
            doc.captions.append(ExtractedCaption(text=text))


def _fallback_blocks(tree: lxml_html.HtmlElement, article_body: object) -> tuple[list[str], str]:
    if isinstance(article_body, str) and article_body.strip():
        return [line for line in article_body.split("\n") if line.strip()], "json_ld"
    scope = _scope(tree, ".//article", ".//main", ".//body")
    return [text for node in scope.iter("p") if (text := _clean(node.text_content()))], "paragraphs"


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


def _main_text(tree: lxml_html.HtmlElement, url: str | None) -> list[str]:
    import trafilatura

    text = trafilatura.extract(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
        deduplicate=False,
    )
    return _lines(text)


def _body(tree: lxml_html.HtmlElement, page: str, url: str | None, article_body: object) -> tuple[list[str], str]:
    """The body blocks and the path that produced them (`ExtractedDocument.extraction`).

    Ours first (then JSON-LD ``articleBody``, then the article's ``<p>``); but a page trafilatura
    can read is never lost: when ours holds less than half of the words trafilatura's own
    extraction finds (its defaults but readers' comments, on the page as uploaded), trafilatura's
    is the body. Words, not characters: a body as long as trafilatura's but made of something
    else (a link list kept instead of the story) is caught too.
    """
    import trafilatura

    blocks, path = _main_text(tree, url), "articleflow"
    if not blocks:
        blocks, path = _fallback_blocks(tree, article_body)
    theirs = _lines(trafilatura.extract(page, url=url, include_comments=False))
    if _share_of_words(blocks, theirs) < _FALLBACK_SHARE:
        return theirs, "trafilatura"
    return blocks, path


def _share_of_words(ours: list[str], theirs: list[str]) -> float:
    """The share of the text of `theirs` (its words with repeats, weighed by length: a Chinese or
    Japanese word is a whole phrase) that `ours` also holds; 1.0 if it has none."""

    def chars(words: Counter[str]) -> int:
        return sum(len(word) * count for word, count in words.items())

    their_words = Counter(_WORD.findall(" ".join(theirs).casefold()))
    total = chars(their_words)
    if not total:
        return 1.0
    return chars(Counter(_WORD.findall(" ".join(ours).casefold())) & their_words) / total


def extract_html(text: str) -> ExtractedDocument:
    """An HTML page (see the module docstring)."""
    tree = _parse(text)
    doc = ExtractedDocument(media_type="text/html")
    _metadata(tree, doc)
    article_body = next(
        (node.get("articleBody") for node in _json_ld_objects(tree) if _types(node) & _ARTICLE_TYPES), None
    )
    _strip_never_text(tree)
    _figcaptions(tree, doc)
    furniture = take_furniture(tree)
    _unwrap_layout_tables(tree)
    doc.blocks, doc.extraction = _body(tree, text, doc.url, article_body)
    kept = "\n".join(doc.blocks)
    doc.removed += [(kind, item) for kind, item in furniture if item not in kept]
    return doc


def extract_html_fragment(fragment: str) -> list[str]:
    """Paragraph blocks of an HTML body fragment (JSON ``html`` field, NewsML-G2 XHTML)."""
    from lxml import html as lxml_html

    tree = _parse(f"<html><body>{fragment}</body></html>")
    _strip_never_text(tree)
    blocks: list[str] = []
    block_tags = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td", "th"}
    body = tree.find(".//body")
    if body is None:
        return blocks
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag not in block_tags:
            continue
        if any(isinstance(a.tag, str) and a.tag in block_tags for a in node.iterancestors()):
            continue
        text = _clean(node.text_content())
        if text:
            blocks.append(text)
    if not blocks:
        text = _clean(lxml_html.tostring(body, method="text", encoding="unicode"))
        if text:
            blocks.append(text)
    return blocks
