"""CoNLL/IOB corpora: reading, tag schemes, and entity-level scoring of any tagger.

File format: one token per line, the tag in the last column (columns separated by spaces or tabs), a
blank line between sentences, ``-DOCSTART-`` lines between documents. Optional comment lines:
``# lang = ar`` (the document's language) and ``# text = <the sentence as written>`` (lets the scorer
give the tagger the original spacing; without it tokens are joined with spaces, none before closing
punctuation). Tag schemes IOB1, IOB2 and BIOES/BILOU are read alike; corpus types map onto ours:
PER/PERS/PERSON -> PERSON, LOC/GPE/FAC -> LOCATION, ORG -> ORGANIZATION, MISC -> OTHER, ... (`TYPE_MAP`).

Scoring follows the seqeval convention: an entity counts only when its token span and its type match
exactly; precision, recall and F1 per type and micro-averaged overall. A tagger's character spans are
projected onto the corpus tokens (every token a span overlaps), so a span that leaves a proclitic out
(``طوكيو`` in the token ``وطوكيو``) still matches the token.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from articleflow.core.tagging.arabic import has_arabic
from articleflow.core.tagging.base import Tagger
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import ENTITY_TYPES, EntityType

TYPE_MAP: dict[str, EntityType] = {
    "PER": "PERSON",
    "PERS": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "LOCATION": "LOCATION",
    "GPE": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
    "ORGANISATION": "ORGANIZATION",
    "MISC": "OTHER",
    "OTHER": "OTHER",
    "NORP": "OTHER",
    "DATE": "DATE",
    "TIME": "DATE",
    "PROD": "PRODUCT",
    "PRODUCT": "PRODUCT",
    "COMMERCIAL_ITEM": "PRODUCT",
    "EVENT": "EVENT",
    "QUANTITY": "QUANTITY",
    "CARDINAL": "QUANTITY",
    "MONEY": "QUANTITY",
    "PERCENT": "QUANTITY",
}
_TAG_RE = re.compile(r"^(?:O|[BIESLU][-_]\S+)$")
_CLOSERS = set(".,;:!?)]}»”%،؛؟…") | {"'s", "’s"}
_OPENERS = set("([{«“")
_LANG_FROM_NAME = re.compile(r"^([a-z]{2,3})(?:[-_.]|$)")


def map_type(label: str) -> EntityType:
    """Our entity type for a corpus type (unknown ones count as OTHER)."""
    upper = label.upper()
    if upper in TYPE_MAP:
        return TYPE_MAP[upper]
    return next((t for t in ENTITY_TYPES if t == upper), "OTHER")


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]
    text: str | None = None  # "# text = ..." when given


@dataclass
class Document:
    sentences: list[Sentence] = field(default_factory=list)
    language: str = "und"
    name: str = ""


def _is_comment(line: str) -> bool:
    if not line.startswith("#"):
        return False
    parts = line.split()
    return not (len(parts) >= 2 and _TAG_RE.match(parts[-1]))


def _read_source(source: str | Path) -> tuple[str, str]:
    """(text, file name) of a corpus given as a path, a file name or its text."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and Path(source).is_file()):
        path = Path(source)
        return path.read_text(encoding="utf-8-sig"), path.name
    return str(source), ""


def _read_comment(line: str, doc: Document, language: str | None, sent_text: str | None) -> str | None:
    """A ``# text = ...`` comment gives the sentence's text (returned), ``# lang = xx`` the document's
    language unless the caller set one; other comments change nothing."""
    key, sep, value = line[1:].partition("=")
    key = key.strip().lower()
    if sep and key == "text":
        return value.strip()
    if sep and key in ("lang", "language") and not language:
        doc.language = value.strip()
    return sent_text


def read_conll(source: str | Path, *, language: str | None = None) -> list[Document]:
    """Documents of a CoNLL file (or of the text given). The language is, in order: `language`, a
    ``# lang = xx`` comment, the file name's prefix (``ar-news.conll`` -> ar), else "und"."""
    text, name = _read_source(source)
    m = _LANG_FROM_NAME.match(name.lower())
    default_lang = language or (m.group(1) if m else "und")
    docs: list[Document] = []
    doc = Document(language=default_lang, name=name)
    tokens: list[str] = []
    tags: list[str] = []
    sent_text: str | None = None

    def end_sentence() -> None:
        nonlocal tokens, tags, sent_text
        if tokens:
            doc.sentences.append(Sentence(tokens, tags, sent_text))
        tokens, tags, sent_text = [], [], None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            end_sentence()
            continue
        if line.startswith("-DOCSTART-"):
            end_sentence()
            if doc.sentences:
                docs.append(doc)
            doc = Document(language=default_lang, name=name)
            continue
        if _is_comment(line):
            sent_text = _read_comment(line, doc, language, sent_text)
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"{name or 'corpus'}: line {raw!r} has no tag column")
        tokens.append(parts[0])
        tags.append(parts[-1])
    end_sentence()
    if doc.sentences:
        docs.append(doc)
    return docs


def read_corpora(paths: Iterable[str | Path], *, language: str | None = None) -> list[Document]:
    docs: list[Document] = []
    for p in paths:
        path = Path(p)
        files = sorted(path.rglob("*.conll")) + sorted(path.rglob("*.iob")) if path.is_dir() else [path]
        for f in files:
            docs += read_conll(f, language=language)
    return docs


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, EntityType]]:
    """Entity spans ``(first token, last token + 1, type)`` of a tag sequence in IOB1, IOB2 or BIOES.

    ``B-``/``S-``/``U-`` start an entity, ``I-``/``E-``/``L-`` continue one of the same type (or start
    one, as IOB1 and lenient IOB2 readers do), ``E-``/``L-``/``S-``/``U-`` end it."""
    spans: list[tuple[int, int, EntityType]] = []
    cur: tuple[int, str] | None = None

    def close(end: int) -> None:
        nonlocal cur
        if cur is not None:
            spans.append((cur[0], end, map_type(cur[1])))
        cur = None

    for i, tag in enumerate(tags):
        if tag == "O" or len(tag) < 3:
            if cur is not None:  # most tokens are outside any name: no call for them
                close(i)
            continue
        prefix, label = tag[0].upper(), tag[2:]
        if prefix in "BSU" or cur is None or cur[1] != label:
            close(i)
            cur = (i, label)
        if prefix in "ESLU":
            close(i + 1)
    close(len(tags))
    return spans


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens with single spaces, none before closing or after opening punctuation."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    prev = ""
    for tok in tokens:
        if parts and tok not in _CLOSERS and prev not in _OPENERS:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), offsets


def align(text: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """Offsets of each token in `text`, in order, or None when they are not all there."""
    offsets = []
    pos = 0
    for tok in tokens:
        at = text.find(tok, pos)
        if at < 0 or text[pos:at].strip():
            return None
        offsets.append((at, at + len(tok)))
        pos = at + len(tok)
    return offsets


@dataclass
class _Layout:
    article: NormalizedArticle
    offsets: list[list[tuple[int, int]]]  # per sentence, token offsets into the body


def document_article(doc: Document) -> _Layout:
    """The document as an article: one paragraph per sentence, with token offsets into the body."""
    paragraphs: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for s in doc.sentences:
        aligned = align(s.text, s.tokens) if s.text else None
        if aligned is not None and s.text is not None:
            text = s.text
        else:
            text, aligned = detokenize(s.tokens)
        paragraphs.append(text)
        offsets.append([(a + pos, b + pos) for a, b in aligned])
        pos += len(text) + 2  # paragraphs are joined by a blank line
    body = "\n\n".join(paragraphs)
    script = "Arab" if has_arabic(body) else "Latn"
    article = NormalizedArticle(
        paragraphs=paragraphs,
        language=doc.language,
        script=script,
        direction="rtl" if script == "Arab" else "ltr",
    )
    return _Layout(article, offsets)


TokenSpan = tuple[int, int, int, EntityType]  # sentence, first token, last token + 1, type


def project(spans: Iterable[tuple[int, int, EntityType]], offsets: list[list[tuple[int, int]]]) -> set[TokenSpan]:
    """Character spans -> (sentence, first token, last token + 1, type) over the corpus tokens."""
    starts = [(toks[0][0] if toks else 0) for toks in offsets]
    out: set[TokenSpan] = set()
    for start, end, type_ in spans:
        si = bisect.bisect_right(starts, start) - 1
        if si < 0:
            continue
        toks = offsets[si]
        hit = [i for i, (a, b) in enumerate(toks) if a < end and start < b]
        if hit:
            out.add((si, hit[0], hit[-1] + 1, type_))
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Scores:
    by_type: dict[str, Counts] = field(default_factory=dict)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.by_type.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    def add(self, gold: set[tuple[object, ...]], pred: set[tuple[object, ...]], types: set[str] | None) -> None:
        for item in gold | pred:
            t = str(item[-1])
            if types is not None and t not in types:
                continue
            c = self.by_type.setdefault(t, Counts())
            if item in gold and item in pred:
                c.tp += 1
            elif item in pred:
                c.fp += 1
            else:
                c.fn += 1

    def table(self) -> str:
        rows = [f"{'type':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}"]
        for t in sorted(self.by_type):
            c = self.by_type[t]
            rows.append(f"{t:<14}{c.precision:>10.3f}{c.recall:>10.3f}{c.f1:>10.3f}{c.support:>9}")
        o = self.overall
        rows.append(f"{'overall (micro)':<14}{o.precision:>10.3f}{o.recall:>10.3f}{o.f1:>10.3f}{o.support:>9}")
        return "\n".join(rows)

    def as_dict(self) -> dict[str, dict[str, float]]:
        out = {
            t: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
            for t, c in sorted(self.by_type.items())
        }
        o = self.overall
        out["overall"] = {"precision": o.precision, "recall": o.recall, "f1": o.f1, "support": o.support}
        return out


def gold_types(docs: Iterable[Document]) -> set[str]:
    return {t for d in docs for s in d.sentences for _s, _e, t in tags_to_spans(s.tags)}


def evaluate(tagger: Tagger, docs: list[Document], *, types: set[str] | None = None, all_types: bool = False) -> Scores:
    """Score `tagger` on `docs`: exact token span + type matches (seqeval convention).

    Only the types the corpus annotates are scored unless `all_types` (a corpus without, say, QUANTITY
    annotations cannot tell a right quantity from a wrong one)."""
    if types is None and not all_types:
        types = gold_types(docs)
    scores = Scores()
    for di, doc in enumerate(docs):
        layout = document_article(doc)
        gold = {(di, si, s, e, t) for si, sent in enumerate(doc.sentences) for s, e, t in tags_to_spans(sent.tags)}
        spans = [
            (m.start, m.end, ent.type) for ent in tagger.tag(layout.article) for m in ent.mentions if m.field == "body"
        ]
        pred = {(di, *item) for item in project(spans, layout.offsets)}
        scores.add(set(gold), set(pred), types)
    return scores
