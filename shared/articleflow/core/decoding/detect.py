"""Tell an upload's format from its content; the key's extension and Content-Type are hints.

Media types returned (`MEDIA_TYPES`): ``text/plain``, ``text/markdown``, ``text/html``,
``application/json``, ``application/nitf+xml`` (IPTC NITF), ``application/vnd.iptc.g2.newsitem+xml``
(IPTC NewsML-G2 newsItem or newsMessage), ``application/xml`` (any other XML: normalize rejects
it as unsupported), and ``DOCX`` for a Word document (a ZIP holding ``word/document.xml``).

Content decides whenever it can: a ``.txt`` key holding an HTML page is HTML, a ``.html`` key
holding plain prose is plain text. The hints only settle what content cannot: Markdown without
front matter or headings looks like plain text, so a ``.md`` key or a ``text/markdown``
Content-Type makes it Markdown.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = [
    "DOCX",
    "HTML",
    "JSON",
    "MARKDOWN",
    "MEDIA_TYPES",
    "NEWSML_G2",
    "NITF",
    "PLAIN",
    "XML",
    "is_zip",
    "sniff_bytes",
    "sniff_text",
]

PLAIN = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
JSON = "application/json"
NITF = "application/nitf+xml"
NEWSML_G2 = "application/vnd.iptc.g2.newsitem+xml"
XML = "application/xml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = (PLAIN, MARKDOWN, HTML, JSON, NITF, NEWSML_G2, XML, DOCX)

_ZIP = b"PK\x03\x04"
_XML_PROLOG = re.compile(r"^(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>|\s)*", re.DOTALL)
_ROOT = re.compile(r"^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_HTML_TAGS = re.compile(
    r"<(?:html|head|body|article|main|div|p|section|h[1-6]|meta|title|header|nav|span|br|a)\b[^>]*>",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"^---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.DOTALL)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_SIGNALS = re.compile(
    r"^#{1,6}[ \t]+\S|\[[^\]\n]+\]\((?:https?:|/|\.)[^)\s]*\)|^!\[|\*\*[^*\n]+\*\*|^```",
    re.MULTILINE,
)
_MARKDOWN_HINTS = (".md", ".markdown", ".mdown", ".mkd")
# News XML told by its root element's local name (whatever its namespace prefix).
_ROOT_MEDIA_TYPES = {"nitf": NITF, "newsitem": NEWSML_G2, "newsmessage": NEWSML_G2, "html": HTML}


def is_zip(data: bytes) -> bool:
    return data.startswith(_ZIP)


def sniff_bytes(data: bytes) -> str | None:
    """The media type of a binary container upload (a .docx), or None for anything else."""
    if not is_zip(data):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return DOCX if "word/document.xml" in names else None


def _xml_root(head: str) -> tuple[str, str] | None:
    rest = head[_XML_PROLOG.match(head).end() :]  # type: ignore[union-attr]
    match = _ROOT.match(rest)
    if not match:
        return None
    return (match.group(1) or "").rstrip(":"), match.group(2)


def sniff_text(text: str, key: str | None = None, content_type: str | None = None) -> str:
    """The media type of decoded text (see the module docstring for the hints' role)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    head = stripped[:4096]
    lower = head[:1024].lower()
    if lower.startswith("<!doctype html") or lower.startswith("<html"):
        return HTML
    if stripped.startswith("<"):
        return _sniff_markup(head, lower)
    if stripped.startswith("{") and stripped.rstrip().endswith("}"):
        return JSON
    return MARKDOWN if _looks_like_markdown(stripped, key, content_type) else PLAIN


def _sniff_markup(head: str, lower: str) -> str:
    """Text starting with a tag: a news XML by its root element, HTML, other XML, or plain text."""
    root = _xml_root(head)
    if root is not None:
        by_root = _ROOT_MEDIA_TYPES.get(root[1].lower())
        if by_root is not None:
            return by_root
        if lower.startswith("<?xml") and "<html" not in lower:
            return XML
    if _HTML_TAGS.search(head):
        return HTML
    return XML if lower.startswith("<?xml") else PLAIN


def _looks_like_markdown(stripped: str, key: str | None, content_type: str | None) -> bool:
    """Front matter, a heading on the first line, a Markdown hint, or two Markdown constructs."""
    if _FRONT_MATTER.match(stripped):
        return True
    hinted = (key or "").lower().endswith(_MARKDOWN_HINTS) or "markdown" in (content_type or "").lower()
    first_line = stripped.split("\n", 1)[0]
    return bool(_MD_HEADING.match(first_line)) or hinted or len(_MD_SIGNALS.findall(stripped[:20000])) >= 2
