"""Build the CoNLL test corpora from their annotated sources (tests/fixtures/conll/src/*.txt).

Source format: one sentence per line, entities in brackets (``[PER Minoru Kihara]``; types PER, LOC,
ORG, DATE, PROD, MISC), ``# lang = xx`` comment lines, ``---`` between documents. Tokens are the crf
backend's (words, and each punctuation character alone); a token any part of which lies in an entity
belongs to it (Arabic proclitics stay attached: ``و[LOC طوكيو]`` -> ``وطوكيو B-LOC``). Output is IOB2
with ``# text =`` lines, so the scorer can give taggers the original spacing.

    python scripts/conll_from_markup.py            # rewrites tests/fixtures/conll/*.conll
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from articleflow.core.tagging.crf import tokenize

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "tests" / "fixtures" / "conll" / "src"
OUT = ROOT / "tests" / "fixtures" / "conll"
ENTITY_RE = re.compile(r"\[(PER|LOC|ORG|DATE|PROD|MISC) ([^\[\]]+)\]")


def convert_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in ENTITY_RE.finditer(line):
        before = line[pos : m.start()]
        text_parts.append(before)
        length += len(before)
        spans.append((length, length + len(m.group(2)), m.group(1)))
        text_parts.append(m.group(2))
        length += len(m.group(2))
        pos = m.end()
    text_parts.append(line[pos:])
    text = "".join(text_parts)
    if "[" in text or "]" in text:
        raise ValueError(f"unbalanced markup in: {line}")
    rows = []
    prev_span = None
    for s, e in tokenize(text):
        tag = "O"
        for si, (a, b, t) in enumerate(spans):
            if s < b and a < e:
                tag = ("I-" if prev_span == si else "B-") + t
                prev_span = si
                break
        else:
            prev_span = None
        rows.append((text[s:e], tag))
    return text, rows


def convert(src: Path) -> str:
    out: list[str] = ["-DOCSTART- O", ""]
    for raw in src.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == "---":
            out += ["-DOCSTART- O", ""]
            continue
        if line.startswith("#"):
            out.append(line)
            continue
        text, rows = convert_line(line)
        out.append(f"# text = {text}")
        out += [f"{tok}\t{tag}" for tok, tag in rows]
        out.append("")
    return "\n".join(out)


def main() -> int:
    for src in sorted(SRC.glob("*.txt")):
        target = OUT / f"{src.stem}.conll"
        target.write_text(convert(src), encoding="utf-8")
        print(f"{target.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
