"""Well-known peers on the same articles, for ratios.

* **trafilatura** (`trafilatura.extract`, default options) on the article wrapped in a plain
  news-page HTML document (`articles.as_html`): the nearest widely used "clean article text"
  extractor; our normalize works on plain text, so this is a ratio against a known baseline,
  not a like-for-like job.
* **pyahocorasick** over the offline tagger's own gazetteer names (the 67k matching keys in
  `articleflow/data/gazetteer.json.gz`): the text is folded the same way for matching
  (`arabic_key` for Arabic, casefold otherwise, one C-level `str.translate`), then every hit on
  word boundaries is kept. It is a keyword matcher only: no proclitic splitting, no rules for
  persons/organisations/dates, no offsets back into the display text, no entity merging. So it
  is a floor: what finding the gazetteer names alone costs with a C automaton.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from bench.articles import as_html, build_article


def trafilatura_version() -> str | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return str(getattr(trafilatura, "__version__", "?"))


def trafilatura_call(corpus: str, size: int) -> tuple[Callable[[], object], int] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    document = as_html(build_article(corpus, size))
    return (lambda: trafilatura.extract(document)), len(document.encode("utf-8"))


@cache
def gazetteer_automaton() -> Any:
    import ahocorasick

    from articleflow.core.tagging.gazetteer import load_data

    names: dict[str, int] = load_data()["names"]
    automaton = ahocorasick.Automaton()
    for key in names:
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    return automaton


def automaton_build_seconds() -> float | None:
    import time

    try:
        import ahocorasick  # noqa: F401
    except ImportError:
        return None
    gazetteer_automaton.cache_clear()
    start = time.perf_counter()
    gazetteer_automaton()
    return time.perf_counter() - start


def _fold(text: str) -> str:
    from articleflow.core.tagging.arabic import arabic_key

    return arabic_key(text.casefold())


def keyword_matches(text: str) -> list[tuple[int, int]]:
    folded = _fold(text)
    n = len(folded)
    hits = []
    for end, length in gazetteer_automaton().iter(folded):
        start = end - length + 1
        if (start == 0 or not folded[start - 1].isalnum()) and (end + 1 == n or not folded[end + 1].isalnum()):
            hits.append((start, end + 1))
    return hits


def ahocorasick_call(body: str) -> Callable[[], object] | None:
    try:
        import ahocorasick  # noqa: F401
    except ImportError:
        return None
    gazetteer_automaton()
    return lambda: keyword_matches(body)


def ahocorasick_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("pyahocorasick")
    except Exception:
        return None
