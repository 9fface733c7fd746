"""The Amazon Comprehend backend: DetectEntities / BatchDetectEntities, then our linker and rules.

    tagger = load_tagger(settings)                 # runtime/tagger.py hands in adapters.comprehend.BotoComprehend
    tagger = ComprehendTagger(BotoComprehend(stubbed_client))   # in tests, or any `EntityService` fake

Limits (Amazon Comprehend API reference, checked 2025; the botocore model carries no max length):
* DetectEntities ``Text``: "A UTF-8 text string. The maximum string size is 100 KB."
* BatchDetectEntities ``TextList``: "The list can contain a maximum of 25 documents. The maximum size of
  each document is 5 KB." (older revisions: "fewer than 5,000 bytes of UTF-8 encoded characters").
So each text is cut at sentence boundaries into chunks of fewer than 5,000 UTF-8 bytes, sent 25 to a
BatchDetectEntities call; a single sentence longer than that (no boundary to cut at) goes alone to
DetectEntities when it is under 100,000 bytes, and is cut at spaces otherwise.

Languages (botocore's LanguageCode enum): ar, en, fr, es, de, it, pt, hi, ja, ko, zh, zh-TW. Any other
article language falls back to the offline tagger, with a warning log line and the `on_fallback`
hook (the tag function turns it into a `TaggerFallback` metric); it never fails the article.

Comprehend's offsets are character offsets into the submitted chunk; the chunk's start is added, and
a mention whose text does not sit at the given offsets is looked up near them (so a service that
counts UTF-16 units for astral characters cannot shift our spans).
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from articleflow.core.ports import BatchResult, DetectedEntity, EntityService
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.modelspans import ModelSpan, SpanLinker
from articleflow.core.tagging.offline import OfflineTagger, article_fields, article_language
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity, EntityType

log = logging.getLogger("articleflow.tagging.comprehend")
T = TypeVar("T")

BATCH_MAX_DOCUMENTS = 25
BATCH_DOC_MAX_BYTES = 4_999  # "fewer than 5,000 bytes" (5 KB) per BatchDetectEntities document
DETECT_MAX_BYTES = 99_999  # "maximum string size is 100 KB" for DetectEntities
SUPPORTED_LANGUAGES = frozenset({"ar", "en", "fr", "es", "de", "it", "pt", "hi", "ja", "ko", "zh", "zh-TW"})
TYPE_MAP: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "COMMERCIAL_ITEM": "PRODUCT",
    "DATE": "DATE",
    "EVENT": "EVENT",
    "QUANTITY": "QUANTITY",
    "TITLE": "OTHER",  # titles of works (books, films), not people's titles
    "OTHER": "OTHER",
}
RETRYABLE_ERRORS = frozenset(
    {"ThrottlingException", "TooManyRequestsException", "InternalServerException", "ServiceUnavailable"}
)
# batch item error codes that no retry can fix
PERMANENT_ITEM_ERRORS = ("SIZE", "UNSUPPORTED", "INVALID")

_SENTENCE_END_RE = re.compile(r"(?<=[.!?؟।。！？…])[\"'»”’)\]]*\s+|\n+\s*|(?<=[؛;])\s+")


def comprehend_language(language: str, script: str | None = None) -> str | None:
    """Comprehend's code for a BCP 47 tag, or None when Comprehend does not support it.

    >>> comprehend_language("ar-EG"), comprehend_language("zh-Hant"), comprehend_language("vi")
    ('ar', 'zh-TW', None)
    """
    parts = language.replace("_", "-").split("-")
    base = parts[0].lower()
    if base == "zh":
        rest = {p.lower() for p in parts[1:]}
        if "hant" in rest or rest & {"tw", "hk", "mo"} or script == "Hant":
            return "zh-TW"
        return "zh"
    return base if base in SUPPORTED_LANGUAGES else None


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut_at_spaces(text: str, start: int, end: int, max_bytes: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into pieces under max_bytes, at whitespace (inside a word only if it must)."""
    out: list[tuple[int, int]] = []
    while start < end:
        if _utf8_len(text[start:end]) <= max_bytes:
            out.append((start, end))
            break
        # the longest prefix within budget (UTF-8 is at most 4 bytes a character)
        lo, hi = start + 1, min(end, start + max_bytes)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _utf8_len(text[start:mid]) <= max_bytes:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        space = text.rfind(" ", start + 1, cut)
        if space > start:
            cut = space
        out.append((start, cut))
        start = cut
    return out


def sentence_chunks(text: str, max_bytes: int = BATCH_DOC_MAX_BYTES) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, cut at sentence ends, each under `max_bytes` UTF-8 bytes when a
    sentence allows it; consecutive sentences are packed together. A sentence longer than `max_bytes`
    is its own piece when under `DETECT_MAX_BYTES` (sent to DetectEntities), else cut at spaces."""
    sentences: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END_RE.finditer(text):
        if m.end() > pos:
            sentences.append((pos, m.end()))
            pos = m.end()
    if pos < len(text):
        sentences.append((pos, len(text)))
    chunks: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    cur_bytes = 0
    for s, e in sentences:
        n = _utf8_len(text[s:e])
        if cur is not None and cur_bytes + n <= max_bytes:
            cur = (cur[0], e)
            cur_bytes += n
            continue
        if cur is not None:
            chunks.append(cur)
            cur = None
        if n <= max_bytes:
            cur, cur_bytes = (s, e), n
        elif n <= DETECT_MAX_BYTES:
            chunks.append((s, e))
        else:
            chunks.extend(_cut_at_spaces(text, s, e, DETECT_MAX_BYTES))
    if cur is not None:
        chunks.append(cur)
    return [(s, e) for s, e in chunks if text[s:e].strip()]


def _error_code(error: BaseException) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


@dataclass(slots=True)
class _Chunk:
    field: int  # index into the article's fields
    start: int
    text: str
    entities: list[DetectedEntity] | None = None


def map_offsets(chunk_text: str, chunk_start: int, entity: DetectedEntity) -> tuple[int, int] | None:
    """Offsets of a Comprehend entity in our text: the chunk's start plus the entity's offsets; when
    the text there differs from what Comprehend says it found, the nearest occurrence is used."""
    b, e = entity.begin, entity.end
    if 0 <= b < e <= len(chunk_text) and (not entity.text or chunk_text[b:e] == entity.text):
        return chunk_start + b, chunk_start + e
    if entity.text:
        candidates = [m.start() for m in re.finditer(re.escape(entity.text), chunk_text)]
        if candidates:
            best = min(candidates, key=lambda p: abs(p - b))
            return chunk_start + best, chunk_start + best + len(entity.text)
    return None


class ComprehendTagger:
    """Finds entities with Amazon Comprehend, then links and completes them like the offline tagger."""

    name = "comprehend"
    needs = frozenset({"entity_service", "aliases", "on_fallback"})

    def __init__(
        self,
        entity_service: EntityService,
        *,
        aliases: AliasTable | None = None,
        gazetteer: Gazetteer | None = None,
        max_attempts: int = 5,
        item_retries: int = 3,
        backoff_base: float = 0.2,
        backoff_cap: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        on_fallback: Callable[[str], None] | None = None,
    ) -> None:
        self.api = entity_service
        self.aliases = aliases
        self.gazetteer = gazetteer or get_gazetteer()
        self.max_attempts = max(1, max_attempts)
        self.item_retries = max(0, item_retries)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.sleep = sleep
        self.on_fallback = on_fallback
        self.linker = SpanLinker(self.name, aliases=aliases, gazetteer=self.gazetteer)
        self._offline: OfflineTagger | None = None
        self.calls = {"detect": 0, "batch": 0}

    # -- public ----------------------------------------------------------------------------------

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        language = comprehend_language(article.language, article.script)
        if language is None:
            base = article_language(article)
            language = comprehend_language(base) if base != "und" else None
        if language is None:
            return self._fall_back(article, f"language {article.language!r} is not supported by Comprehend")
        fields = article_fields(article)
        chunks: list[_Chunk] = []
        for i, f in enumerate(fields):
            if f.field == "byline":
                continue
            chunks += [_Chunk(i, s, f.text[s:e]) for s, e in sentence_chunks(f.text)]
        try:
            self._detect(chunks, language)
        except Exception as error:
            if _error_code(error) == "UnsupportedLanguageException":
                return self._fall_back(article, f"Comprehend rejected language {language!r}")
            raise
        spans: list[list[ModelSpan]] = [[] for _ in fields]
        for chunk in chunks:
            for ent in chunk.entities or []:
                where = map_offsets(chunk.text, chunk.start, ent)
                if where is None:
                    log.warning("comprehend entity %r not found in its chunk; dropped", ent.text)
                    continue
                spans[chunk.field].append(ModelSpan(where[0], where[1], TYPE_MAP.get(ent.type, "OTHER"), ent.score))
        return self.linker.tag_fields(fields, spans, article_language(article))

    # -- calls -----------------------------------------------------------------------------------

    def _fall_back(self, article: NormalizedArticle, reason: str) -> list[Entity]:
        log.warning("comprehend tagger falls back to the offline tagger: %s", reason)
        if self.on_fallback is not None:
            self.on_fallback(reason)
        if self._offline is None:
            self._offline = OfflineTagger(gazetteer=self.gazetteer, aliases=self.aliases)
        return self._offline.tag(article)

    def _delay(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff_base * (2**attempt)) * (0.5 + random.random() / 2)

    def _with_retries(self, call: Callable[[], T]) -> T:
        """Our own bounded retry on top of botocore's (which already retried inside the call)."""
        for attempt in range(self.max_attempts):
            try:
                return call()
            except Exception as error:
                if _error_code(error) not in RETRYABLE_ERRORS or attempt + 1 >= self.max_attempts:
                    raise
                log.info("comprehend %s; retrying (attempt %d)", _error_code(error), attempt + 2)
                self.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    def _detect(self, chunks: list[_Chunk], language: str) -> None:
        small = [c for c in chunks if _utf8_len(c.text) <= BATCH_DOC_MAX_BYTES]
        for c in chunks:
            if c.entities is None and _utf8_len(c.text) > BATCH_DOC_MAX_BYTES:
                self.calls["detect"] += 1
                c.entities = self._with_retries(partial(self.api.detect_entities, c.text, language))
        for i in range(0, len(small), BATCH_MAX_DOCUMENTS):
            self._batch(small[i : i + BATCH_MAX_DOCUMENTS], language)

    def _batch(self, batch: list[_Chunk], language: str) -> None:
        pending = list(batch)
        for round_ in range(self.item_retries + 1):
            texts = [c.text for c in pending]
            self.calls["batch"] += 1
            result: BatchResult = self._with_retries(partial(self.api.batch_detect_entities, texts, language))
            failed: list[_Chunk] = []
            for idx, chunk in enumerate(pending):
                if idx in result.results:
                    chunk.entities = result.results[idx]
                    continue
                code = result.errors.get(idx, "MISSING_RESULT")
                if any(word in code.upper() for word in PERMANENT_ITEM_ERRORS) or round_ == self.item_retries:
                    log.warning("comprehend gave up on a %d-byte chunk: %s", _utf8_len(chunk.text), code)
                    if self.on_fallback is not None:
                        self.on_fallback(f"batch item error {code}")
                    chunk.entities = []
                else:
                    failed.append(chunk)
            if not failed:
                return
            self.sleep(self._delay(round_))
            pending = failed
