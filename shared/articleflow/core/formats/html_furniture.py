"""Page furniture of an HTML page, found by its markup: navigation, ad slots, share bars,
newsletter boxes, related links and comment counters.

An element is furniture when it is a ``<nav>`` (or ``role="navigation"``) or a word of its
``class``/``id`` names a kind (``share-bar`` -> share, ``ad-slot`` -> ad, ``related-posts`` ->
related, ...). Class names are matched word by word (split at ``-``, ``_``, camelCase and
spaces), so ``header`` never matches ``ad`` nor ``publish-date`` ``pub``. Only the outermost
such element counts, and never one that holds the story: an element holding an ``<article>``,
``<main>`` or ``<h1>``, or more than a third of the page's text, is a layout wrapper whatever
its name says.

`take_furniture` takes them out of the tree before the main-text extraction (short pages are
where extractors keep menus and share bars: with little text, everything looks like content)
and returns them as ``(kind, text)`` for the article's ``removed`` list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import html as lxml_html

__all__ = ["take_furniture"]

# Words of class/id names, per kind. Site templates name their classes in English mostly; the
# others are the common local names seen on news sites in our languages.
_KIND_WORDS: dict[str, frozenset[str]] = {
    "navigation": frozenset(
        {"nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs", "topnav", "sitenav"}
    ),
    "ad": frozenset(
        {"ad", "ads", "advert", "adverts", "advertisement", "adslot", "sponsor", "sponsored", "dfp"}
        | {"publicidad", "publicite", "werbung", "anzeige", "reklama", "guanggao", "quang", "promo"}
    ),
    "share": frozenset({"share", "sharing", "sharebar", "social", "sns", "partage", "compartir", "teilen", "chia"}),
    "newsletter": frozenset({"newsletter", "subscribe", "subscription", "signup", "boletin"}),
    "related": frozenset(
        {"related", "relacionadas", "lies", "xiangguan", "weitere", "recommended", "readmore", "outbrain"}
        | {"taboola", "trending", "popular", "lien"}
    ),
    "comments": frozenset({"comment", "comments", "commentaires", "kommentare", "pinglun", "binh", "disqus"}),
}
_WORD_KIND = {word: kind for kind, words in _KIND_WORDS.items() for word in words}
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_STORY_TAGS = ("article", "main", "h1")
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong"}
    | {"sub", "sup", "time", "u"}
)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
# More than this share of the page's text is the story's container, not furniture.
_MAX_SHARE = 1 / 3


def _kind(node: lxml_html.HtmlElement) -> str | None:
    if node.tag == "nav" or (node.get("role") or "").strip().lower() == "navigation":
        return "navigation"
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    for word in _NAME_WORDS.findall(names):
        kind = _WORD_KIND.get(word.lower())
        if kind is not None:
            return kind
    return None


def _text(node: lxml_html.HtmlElement) -> str:
    """The element's text, with a space where a block or a line break separates two pieces
    (``text_content`` would glue a heading to the first link under it)."""
    from lxml import etree

    parts: list[str] = []
    for event, element in etree.iterwalk(node, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if element.tag not in _INLINE:
            parts.append(" ")
        if event == "start":
            parts.append(element.text or "")
        elif element is not node:
            parts.append(element.tail or "")
    return _SPACE.sub(" ", "".join(parts)).strip()


def take_furniture(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """Remove the page furniture from `tree` (in place); its `(kind, text)`, in page order."""
    body = tree.find(".//body")
    if body is None:
        return []
    page_chars = len(_text(body)) or 1
    found: list[tuple[lxml_html.HtmlElement, str]] = []
    taken: set[lxml_html.HtmlElement] = set()
    for node in body.iterdescendants():
        if not isinstance(node.tag, str) or any(a in taken for a in node.iterancestors()):
            continue
        kind = _kind(node)
        if kind is None or next(node.iter(*_STORY_TAGS), None) is not None:
            continue
        if len(_text(node)) > page_chars * _MAX_SHARE:
            continue
        found.append((node, kind))
        taken.add(node)
    out: list[tuple[str, str]] = []
    for node, kind in found:
        text = _text(node)
        node.drop_tree()
        if text:
            out.append((kind, text))
    return out
