"""Audit every regex that sees user text for super-linear time: `python -m bench.redos`.

For each compiled pattern at module level in the modules below, every hostile atom is repeated
to two lengths and the pattern's `search` and `sub` are timed on both. A pattern whose time
grows more than 3x when the input doubles (linear would be 2x), and takes over 50 ms at the
larger size, is reported. It finds the classic cases (a scan to the end of the text from every
start position); it proves nothing about patterns it does not flag.

`python -m bench.redos --uploads 65536` times whole hostile uploads through ingest + normalize.
"""

from __future__ import annotations

import argparse
import importlib
import re
import time

MODULES = (
    "articleflow.core.formats.markdown",
    "articleflow.core.formats.html",
    "articleflow.core.decoding.detect",
    "articleflow.core.decoding.encoding",
    "articleflow.core.formats.jsonfmt",
    "articleflow.core.formats.newsxml",
    "articleflow.core.formats.docx",
    "articleflow.core.formats.document",
    "articleflow.core.text.furniture",
    "articleflow.core.text.structure",
    "articleflow.core.normalize.text",
    "articleflow.core.text.unicode",
    "articleflow.core.text.language",
    "articleflow.core.normalize.document",
    "articleflow.core.tagging.rules",
    "articleflow.core.tagging.arabic",
    "articleflow.core.tagging.text",
    "articleflow.core.tagging.offline",
    "articleflow.core.tagging.modelspans",
    "articleflow.core.text.words",
)
# Openers and separators of the constructs these patterns look for, each alone and after a word.
ATOMS = (
    "[",
    "](",
    "![",
    "[a](",
    "(",
    "<",
    "<a",
    "<!--",
    "<script>",
    "**a ",
    "__a ",
    "~~a ",
    "`",
    "_a ",
    "*a ",
    "http://",
    "<http://",
    "#",
    "-",
    "=",
    "a.",
    ". ",
    "A. ",
    "Mr ",
    "'",
    '"',
    "@",
    "1",
    "1,",
    "1.",
    "©",
    "|",
    " ",
    "\n",
    "\t",
    "a ",
    "A",
    "Aa ",
    "\u0627",
    "\u0648\u0627",
    "\u00a0",
    ":",
    "/",
    "By ",
    "---\n",
    "&",
    "&#",
    "{",
    "\\",
    "x-",
    "AB-",
    "F-3",
    "2026-",
    "12:",
    "٣",
    "،",
    "a, ",
)


def _timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def audit(size: int) -> list[tuple[str, str, str, float, float]]:
    flagged = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, pattern in vars(module).items():
            if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
                continue
            for atom in ATOMS:
                small = atom * (size // len(atom))
                large = atom * (2 * size // len(atom))
                times = []
                for text in (small, large):
                    times.append(_timed(pattern.search, text) + _timed(pattern.sub, "", text))
                if times[1] > 0.05 and times[1] > 3 * times[0]:
                    flagged.append((module_name, name, atom, times[0], times[1]))
    return flagged


# Whole uploads through ingest + normalize: (what goes before, the repeated piece).
HOSTILE_UPLOADS = (("# Title\n\n", "["), ("Title\n\n", "===\n"), ("<html><body><p>", "> "), ("Title\n\n", "a "))


def time_uploads(size: int) -> None:
    """Normalize each hostile upload of `size` bytes and print its time (or its quarantine reason)."""
    from articleflow.core.errors import RejectedInput
    from articleflow.core.ingest import inspect_upload
    from articleflow.core.normalize import normalize_upload

    normalize_upload("text/plain", "Warm-up.\n\nImports are not part of the figures.")
    for before, piece in HOSTILE_UPLOADS:
        data = (before + piece * (size // len(piece))).encode()[:size]
        start = time.perf_counter()
        try:
            upload = inspect_upload(data, max(size, 1))
            normalize_upload(upload.media_type, upload.text)
            outcome = "normalized"
        except RejectedInput as rejected:
            outcome = f"quarantined ({rejected.kind})"
        print(f"{before!r} + {piece!r} to {size:,} bytes: {time.perf_counter() - start:.2f} s, {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=8192, help="characters of the smaller hostile input")
    parser.add_argument("--uploads", type=int, metavar="BYTES", help="time whole hostile uploads of this size instead")
    args = parser.parse_args()
    if args.uploads:
        time_uploads(args.uploads)
        return
    flagged = audit(args.size)
    for module_name, name, atom, small, large in flagged:
        print(f"{module_name}.{name}: {atom!r} x{args.size}: {small * 1000:.1f} ms, x2: {large * 1000:.1f} ms")
    print(f"{len(flagged)} super-linear (pattern, input) pairs")


if __name__ == "__main__":
    main()
