"""Property: ingest + normalize on any input either give an article or a quarantine reason, in bounded time.

Strategies for every format the pipeline reads (raw bytes, Unicode in several encodings, HTML,
NITF/NewsML XML, JSON, Markdown with YAML front matter, .docx zips), each mixed with the
fragments that broke it before: control characters, unclosed markup, long runs of one opener,
impossible dates. A short derandomized run is part of `make test`; `pytest -m stress
tests/unit/test_fuzz.py -s` runs 70,000 inputs and prints its figures.
"""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articleflow.core.errors import RejectedInput
from articleflow.core.ingest import inspect_upload
from articleflow.core.normalize import normalize_upload

MAX_BYTES = 10 * 1024 * 1024
# Per input, the bound (normalize's Lambda timeout is 30 s). CPU time of this process, not
# wall time: on a shared machine, other processes' load would otherwise decide the result.
CPU_SECONDS_BOUND = 2.0

HOSTILE = [
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1f",
    "\u202e",
    "\ufeff",
    "\u200f",
    "\r",
    "\n\n",
    "&#1;",
    "&amp;",
    "&",
    "<",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<p>",
    "</p>",
    "<br>",
    "<![CDATA[",
    "[",
    "](",
    "![",
    "**",
    "__",
    "~~",
    "`",
    "_",
    "*",
    "#",
    "---",
    "> ",
    "- ",
    "1. ",
    "|",
    " ",
    "\t",
    "ال",
    "و",
    "Photo: ",
    "By ",
    "Reuters",
    "2026-02-30",
    "+99:00",
    "\\",
    "{",
    "}",
    '"',
    "'",
    "http://",
    "<http://",
]
WORDS = st.sampled_from(["news", "the", "council", "مدينة", "رويترز", "Montréal", "東京", "année", "2026", "F-35"])
FRAGMENT = st.one_of(st.sampled_from(HOSTILE), WORDS, st.text(max_size=20))
TEXT = st.lists(FRAGMENT, max_size=80).map("".join)
LONG_RUN = st.tuples(st.sampled_from(HOSTILE), st.integers(0, 40_000)).map(lambda pair: pair[0] * pair[1])
BODY = st.one_of(TEXT, LONG_RUN, st.tuples(TEXT, LONG_RUN, TEXT).map("".join))


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    parts = draw(
        st.lists(st.tuples(st.sampled_from(["p", "div", "h1", "script", "style", "figure", "a"]), BODY), max_size=12)
    )
    body = "".join(f"<{tag}>{text}</{tag}>" if draw(st.booleans()) else f"<{tag}>{text}" for tag, text in parts)
    head = draw(
        st.sampled_from(
            [
                "",
                '<meta property="og:title" content="T">',
                '<script type="application/ld+json">{"@type":"NewsArticle","headline":"x"}</script>',
            ]
        )
    )
    return f"<!DOCTYPE html><html><head>{head}<title>{draw(TEXT)}</title></head><body>{body}</body></html>".encode()


@st.composite
def news_xml(draw: st.DrawFn) -> bytes:
    text = draw(BODY).replace("<", "&lt;") if draw(st.booleans()) else draw(BODY)
    if draw(st.booleans()):
        doc = (
            f'<?xml version="1.0"?><nitf><head><title>{draw(TEXT)}</title></head>'
            f"<body><body.content><p>{text}</p></body.content></body></nitf>"
        )
    else:
        doc = (
            '<?xml version="1.0"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentSet>'
            f'<inlineXML contenttype="application/nitf+xml"><nitf><body><body.content><p>{text}</p>'
            "</body.content></body></nitf></inlineXML></contentSet></newsItem>"
        )
    return doc.encode()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


@st.composite
def json_articles(draw: st.DrawFn) -> bytes:
    fields = {
        "title": TEXT,
        "body": BODY,
        "html": BODY,
        "published_at": st.sampled_from(["2026-02-30T00:00:00Z", "2026-01-01T00:00:00+99:00", "x"]) | TEXT,
        "authors": JSON_VALUES,
        "captions": JSON_VALUES,
        "tags": JSON_VALUES,
    }
    article = {name: draw(value) for name, value in fields.items() if draw(st.booleans())}
    return json.dumps(article, ensure_ascii=draw(st.booleans())).encode()


@st.composite
def markdown_articles(draw: st.DrawFn) -> bytes:
    yaml_value = st.one_of(
        TEXT.map(json.dumps),
        st.sampled_from(
            [
                "2026-02-30",
                "2026-01-01T10:00:00+99:00",
                "2026-13-01",
                "[a, b",
                "{x: y}",
                "!!python/object:os.system",
                "*anchor",
                "&a [*a]",
                "1e999",
            ]
        ),
    )
    front = "".join(
        f"{key}: {draw(yaml_value)}\n"
        for key in draw(st.lists(st.sampled_from(["title", "date", "author", "tags", "updated"]), max_size=5))
    )
    head = f"---\n{front}---\n" if draw(st.booleans()) else ""
    return f"{head}# {draw(TEXT)}\n\n{draw(BODY)}\n\n{draw(BODY)}\n".encode()


EXTRA_PARTS = ["word/styles.xml", "docProps/core.xml", "word/x.bin"]


@st.composite
def docx_files(draw: st.DrawFn) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        if draw(st.booleans()):
            paragraphs = "".join(
                f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in draw(st.lists(BODY, max_size=5))
            )
            archive.writestr(
                "word/document.xml",
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{paragraphs}</w:body></w:document>",
            )
        for name in draw(st.lists(st.sampled_from(EXTRA_PARTS), max_size=2, unique=True)):
            archive.writestr(name, draw(st.binary(max_size=200)))
    return buffer.getvalue()


ENCODED_TEXT = st.tuples(BODY, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256", "latin-1"])).map(
    lambda pair: pair[0].encode(pair[1], errors="replace")
)
UPLOADS = {
    "bytes": st.binary(max_size=4096),
    "unicode": ENCODED_TEXT,
    "html": html_pages(),
    "xml": news_xml(),
    "json": json_articles(),
    "markdown": markdown_articles(),
    "docx": docx_files(),
}
FIGURES: dict[str, list[float]] = {}


def ingest_and_normalize(data: bytes, kind: str) -> None:
    """What the pipeline's first two stages make of an upload: an article, or RejectedInput."""
    start = time.process_time()
    try:
        upload = inspect_upload(data, MAX_BYTES)
        normalize_upload(upload.media_type, upload.text, payload=upload.payload, encoding=upload.encoding)
    except RejectedInput as rejected:
        assert rejected.kind and rejected.reason
    spent = time.process_time() - start
    FIGURES.setdefault(kind, []).append(spent)
    assert spent < CPU_SECONDS_BOUND, f"{spent:.2f} s of CPU for one input"


# Hypothesis's own deadline measures wall time: off, the CPU bound above stands in for it.
QUICK = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
LONG = settings(max_examples=10_000, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_any_upload_is_an_article_or_a_quarantine_reason(kind: str) -> None:
    @QUICK
    @given(UPLOADS[kind])
    @example(b"# Title\n\n" + b"[" * 65536)  # 30 s before the link pattern was made linear
    @example(b"<p>x<script></script>\x01</p>")
    @example(b"<html><body><style></style>\x0c<p>text</p></body></html>")
    @example(b"---\ndate: 2026-02-30\n---\n# T\n\nbody\n")
    @example(b"---\ndate: 2026-01-01T00:00:00+99:00\n---\n# T\n\nbody\n")
    def check(data: bytes) -> None:
        ingest_and_normalize(data, kind)

    check()


@pytest.mark.stress
@pytest.mark.parametrize("kind", sorted(UPLOADS))  # 7 x 10,000 inputs
def test_any_upload_is_an_article_or_a_quarantine_reason_at_length(kind: str) -> None:
    @LONG
    @given(UPLOADS[kind])
    def check(data: bytes) -> None:
        ingest_and_normalize(data, kind)

    check()
    times = FIGURES[kind]
    slowest, median = max(times) * 1000, sorted(times)[len(times) // 2] * 1000
    print(f"fuzz {kind}: {len(times)} inputs, slowest {slowest:.0f} ms of CPU, median {median:.1f} ms")
