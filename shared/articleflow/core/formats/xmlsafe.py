"""Parse untrusted XML without expanding entities, reading DTDs or touching the network.

`parse_xml` refuses any entity declaration up front (billion laughs, quadratic blowup and
XXE all need one) with ``RejectedInput('xml_entities')``, then parses with lxml set to
``resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False``: an external
DTD reference (``<!DOCTYPE nitf SYSTEM "nitf.dtd">``, common in agency files) is never
fetched. Malformed XML is ``RejectedInput('malformed_xml')`` with libxml2's message and line.
References to entities the document could not define (``&nbsp;`` under an unread DTD) become
the HTML character of that name, or stay as ``&name;`` text: nothing is dropped.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from articleflow.core.errors import RejectedInput

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["local_name", "parse_xml", "text_of"]

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_xml(data: bytes | str, what: str) -> etree._Element:
    from lxml import etree

    raw = _XML_DECLARATION.sub("", data, count=1).encode("utf-8") if isinstance(data, str) else data
    if _ENTITY_DECLARATION.search(raw):
        raise RejectedInput(
            "xml_entities",
            f"{what} declares XML entities (<!ENTITY>): entity expansion and external entities "
            "(billion laughs, XXE) are refused",
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise RejectedInput("malformed_xml", f"{what} is not well-formed XML: {error}") from error
    if root is None:
        raise RejectedInput("malformed_xml", f"{what} has no root element")
    _resolve_entity_references(root)
    return root


def _resolve_entity_references(root: etree._Element) -> None:
    from lxml import etree

    for entity in list(root.iter(etree.Entity)):
        name = str(entity.text or "")
        char = html.unescape(name)
        parent = entity.getparent()
        if parent is None:
            continue
        replacement = char if char != name else name
        previous = entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + replacement + (entity.tail or "")
        else:
            parent.text = (parent.text or "") + replacement + (entity.tail or "")
        parent.remove(entity)


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: a no-break space is the publisher's


def text_of(element: etree._Element | None) -> str:
    """All text inside `element`, whitespace collapsed (markup is only a container here)."""
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()
