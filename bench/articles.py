"""Synthetic articles of a given size, built by repeating real paragraphs.

Two corpora, each one language so that language detection and the tagger see a plausible text:

* ``ar``: the real upload ``../shared/samples/ar-news-japan-command.txt`` (read from beside the
  repo, never copied into it) plus ``samples/ar-port-agreement.txt``. The article is the first
  story paragraph and the photo caption (with its ``الصورة:`` credit), then the story paragraphs of
  both files cycled until the size is reached, then the real byline, ad slot, source line and
  comment counter.
* ``en``: ``samples/en-library-reopens.txt``: the headline, the first paragraph and the caption,
  then its story paragraphs cycled, then its byline and page furniture.

The last story paragraph is cut at a word boundary so the UTF-8 size is within a few bytes of the
target (sizes in the reports are the real byte counts).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "samples"
ARABIC_SAMPLE = REPO_ROOT.parent / "shared" / "samples" / "ar-news-japan-command.txt"

KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class Corpus:
    name: str
    description: str
    head: tuple[str, ...]  # lines that open the article once (headline, first paragraph, caption)
    story: tuple[str, ...]  # paragraphs cycled to fill the article
    tail: tuple[str, ...]  # byline and page furniture, once at the end


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def corpus(name: str) -> Corpus:
    if name == "ar":
        if not ARABIC_SAMPLE.is_file():  # a checkout without ../shared/: the repo's own Arabic sample only
            port = _lines(SAMPLES / "ar-port-agreement.txt")
            return Corpus(
                name="ar",
                description="Arabic: samples/ar-port-agreement.txt only (../shared/samples/ is not beside the repo)",
                head=(port[0], port[1]),
                story=(*port[2:5], port[0]),
                tail=tuple(port[5:9]),
            )
        news = _lines(ARABIC_SAMPLE)  # 1 story, 2 caption, 3-11 story, 12 byline, 13-15 furniture
        port = _lines(SAMPLES / "ar-port-agreement.txt")  # 1 story, 2 caption, 3-5 story, 6-9 tail
        return Corpus(
            name="ar",
            description="Arabic: ../shared/samples/ar-news-japan-command.txt (paragraphs 1, 3-11, its "
            "caption, byline and furniture) + samples/ar-port-agreement.txt (paragraphs 1, 3-5)",
            head=(news[0], news[1]),
            story=(*news[2:11], port[0], *port[2:5], news[0]),
            tail=tuple(news[11:15]),
        )
    if name == "en":
        en = _lines(SAMPLES / "en-library-reopens.txt")  # 1 title, 2 story, 3 caption, 4-6 story, 7-10 tail
        return Corpus(
            name="en",
            description="English: samples/en-library-reopens.txt (headline, caption, story paragraphs "
            "2 and 4-6 cycled, byline and furniture)",
            head=(en[0], en[1], en[2]),
            story=(*en[3:6], en[1]),
            tail=tuple(en[6:10]),
        )
    raise KeyError(f"unknown corpus {name!r} (ar, en)")


def _size(lines: list[str] | tuple[str, ...]) -> int:
    return len("\n".join(lines).encode("utf-8")) + 1 if lines else 0


def _cut(paragraph: str, budget: int) -> str:
    """The longest word-boundary prefix of `paragraph` whose UTF-8 size is at most `budget`."""
    encoded = paragraph.encode("utf-8")[:budget]
    text = encoded.decode("utf-8", errors="ignore")
    return text.rsplit(" ", 1)[0] if " " in text and len(text) < len(paragraph) else text


@cache
def build_article(corpus_name: str, size: int) -> str:
    """An article of about `size` UTF-8 bytes (never more), lines separated by newlines."""
    c = corpus(corpus_name)
    tail = list(c.tail) if _size(c.head) + _size(c.tail) < size else []
    budget = size - _size(tail)
    lines: list[str] = []
    used = 0  # UTF-8 bytes of `lines`, one newline after each
    for line in c.head:
        cost = len(line.encode("utf-8")) + 1
        if used + cost > budget:
            break
        lines.append(line)
        used += cost
    story = [(p, len(p.encode("utf-8")) + 1) for p in c.story]
    i = 0
    while True:
        paragraph, cost = story[i % len(story)]
        i += 1
        if used + cost <= budget:
            lines.append(paragraph)
            used += cost
            continue
        room = budget - used - 1  # its newline
        if room > 40:
            lines.append(_cut(paragraph, room))
        break
    text = "\n".join([*lines, *tail]) + "\n"
    assert len(text.encode("utf-8")) <= size, (corpus_name, size, len(text.encode("utf-8")))
    return text


def as_html(text: str, title: str | None = None) -> str:
    """The article wrapped in a plain news-page HTML document (for the trafilatura peer)."""
    paragraphs = [line for line in text.splitlines() if line.strip()]
    head = html.escape(title or paragraphs[0][:80])
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f'{head}</title></head>\n<body><header><nav><a href="/">Home</a></nav></header>\n'
        f"<main><article><h1>{head}</h1>\n{body}\n</article></main>\n"
        "<footer><p>© Example</p></footer></body></html>\n"
    )


def size_label(size: int) -> str:
    if size >= MIB:
        return f"{size / MIB:.3g} MiB"
    return f"{size / KIB:g} KiB"
