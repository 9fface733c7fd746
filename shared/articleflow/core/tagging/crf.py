"""The trainable backend: a linear-chain CRF (python-crfsuite) over Arabic- and Latin-aware features.

    articleflow tagger train corpus/*.conll --out models/crf/ar-en.crfsuite   # train_model(...)
    tagger = get_tagger("crf", model_path="ar-en.crfsuite")                  # CrfTagger

A publisher with annotated articles gets a tagger for its own names and languages (Comprehend custom
entities do not support Arabic). Features per token (`token_features`): the matching key (Arabic
alef/hamza/teh marbuta/diacritics folded, Latin case-folded), the proclitic-stripped forms (و، ف، ب، ل،
لل، ك; French/Italian elisions), prefixes and suffixes of the stripped form, word shape, script, case,
digits, membership in our gazetteer (places, months), the curated organisation/product names, person
titles and organisation head words; the same for the neighbouring tokens.

The model's spans then go through the same linker and rules as Comprehend's (`modelspans.SpanLinker`):
ids, proclitic-free spans, dates, designators, curated names and the publisher's alias table.
python-crfsuite is imported only here, and only when a model is trained or opened.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging import rules
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.conll import Document, tags_to_spans
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.modelspans import ModelSpan, SpanLinker
from articleflow.core.tagging.offline import OfflineTagger, article_fields, article_language
from articleflow.core.tagging.text import TOKEN_RE, word_info
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity, EntityType

log = logging.getLogger("articleflow.tagging.crf")

# Words (as the offline tokenizer reads them) and every other non-space character on its own.
CRF_TOKEN_RE = re.compile(TOKEN_RE.pattern + r"|[^\s]")
_SENTENCE_END_TOKENS = frozenset(".!?؟…。")
DEFAULT_PARAMS: dict[str, Any] = {
    "c1": 0.05,  # L1: keeps the model small
    "c2": 0.05,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}


class CrfModelError(RuntimeError):
    """No model to tag with, or the model file cannot be opened."""


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: words and single punctuation characters."""
    return [m.span() for m in CRF_TOKEN_RE.finditer(text)]


def sentences(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Token indexes grouped into sentences (after . ! ? ؟, or at a line break)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, (s, e) in enumerate(spans):
        if cur and "\n" in text[spans[cur[-1]][1] : s]:
            out.append(cur)
            cur = []
        cur.append(i)
        if text[s:e] in _SENTENCE_END_TOKENS:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


# --- features -----------------------------------------------------------------------------------


@cache
def _lexicons() -> dict[str, frozenset[str]]:
    gaz = get_gazetteer()
    curated = rules.curated_index()
    first_words = {k.split(" ")[0] for k in curated.names}
    return {
        "title": lx.keys("AR_TITLES") | lx.keys("LATIN_TITLES") | lx.keys("LATIN_LOWER_TITLES"),
        "orghead": lx.keys("AR_ORG_HEADS") | lx.keys("LATIN_ORG_WORDS") | lx.keys("AR_WEAK_ORG_HEADS"),
        "stop": lx.keys("AR_STOPWORDS") | lx.keys("LATIN_STOPWORDS"),
        "month": frozenset(k for k in gaz.months if " " not in k) | frozenset(lx.arabic_months()),
        "curated": frozenset(k for k in curated.names if " " not in k),
        "curated_first": frozenset(first_words),
    }


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # scripts without case (Arabic)
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _script(word: str, arabic: bool) -> str:
    first = word[0]
    if arabic:
        return "Arab"
    if first.isdigit():
        return "Digit"
    if not first.isalpha():
        return "Punct"
    if first.isascii() or "\u00c0" <= first <= "\u024f" or "\u1e00" <= first <= "\u1eff":
        return "Latn"
    if "\u0400" <= first <= "\u04ff":
        return "Cyrl"
    return "Other"


_WORD_FEATURES: dict[str, tuple[list[str], list[str]]] = {}


def _word_features(word: str, gaz: Gazetteer) -> tuple[list[str], list[str]]:
    """(own features, the short list neighbours see) of one token, memoised."""
    hit = _WORD_FEATURES.get(word)
    if hit is not None:
        return hit
    if not word[0].isalnum():
        own = [f"p={word}", "script=Punct"]
        hit = (own, [f"p={word}"])
    else:
        key, arabic, cap, upper, digit, readings = word_info(word)
        stripped = readings[1][1] if len(readings) > 1 else key
        lex = _lexicons()
        keys = {k for _s, k in readings}
        own = [
            f"k={key}",
            f"st={stripped}",
            f"shape={_shape(word)}",
            f"script={_script(word, arabic)}",
            f"len={min(len(word), 8)}",
        ]
        for n in (1, 2, 3):
            if len(stripped) > n:
                own += [f"pre{n}={stripped[:n]}", f"suf{n}={stripped[-n:]}"]
        if cap:
            own.append("cap")
        if upper and len(word) > 1:
            own.append("upper")
        if digit:
            own.append("digit")
        if "-" in word:
            own.append("hyphen")
        if len(readings) > 1:
            own.append("clitic")
        flags = []
        if keys & gaz.names.keys():
            flags.append("gaz.place")
        if keys & gaz.prefixes:
            flags.append("gaz.prefix")
        for name, words in lex.items():
            if keys & words:
                flags.append(f"lex.{name}")
        own += flags
        near = [f"k={key}", *flags]
        if cap:
            near.append("cap")
        if arabic:
            near.append("arab")
        hit = (own, near)
    if len(_WORD_FEATURES) < 200_000:
        _WORD_FEATURES[word] = hit
    return hit


def token_features(words: Sequence[str], gaz: Gazetteer | None = None) -> list[list[str]]:
    """CRF features of each token of one sentence."""
    gaz = gaz or get_gazetteer()
    info = [_word_features(w, gaz) for w in words]
    n = len(words)
    out: list[list[str]] = []
    for i in range(n):
        feats = ["bias", *info[i][0]]
        if i == 0:
            feats.append("BOS")
        if i == n - 1:
            feats.append("EOS")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                near = info[j][1] if abs(off) == 1 else info[j][1][:1]
                feats += [f"{off}:{f}" for f in near]
        out.append(feats)
    return out


# --- training -----------------------------------------------------------------------------------


def training_sequences(docs: Iterable[Document]) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, BIO labels with our types) per corpus sentence, whatever the corpus scheme."""
    gaz = get_gazetteer()
    for doc in docs:
        for sent in doc.sentences:
            labels = ["O"] * len(sent.tokens)
            for s, e, t in tags_to_spans(sent.tags):
                labels[s] = f"B-{t}"
                for i in range(s + 1, e):
                    labels[i] = f"I-{t}"
            yield token_features(sent.tokens, gaz), labels


def train_model(docs: Iterable[Document], out: str | Path, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train a CRF on `docs` and write it to `out`; returns a small report (sentences, labels, size)."""
    import pycrfsuite  # the trainable backend's only dependency, imported on use

    trainer = pycrfsuite.Trainer(verbose=False)
    sentences_n = 0
    labels: set[str] = set()
    for xseq, yseq in training_sequences(docs):
        if not xseq:
            continue
        trainer.append(xseq, yseq)
        sentences_n += 1
        labels.update(yseq)
    if not sentences_n:
        raise ValueError("no sentences to train on")
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    return {"sentences": sentences_n, "labels": sorted(labels), "bytes": path.stat().st_size, "model": str(path)}


# --- tagging ------------------------------------------------------------------------------------


def bio_to_spans(labels: Sequence[str]) -> list[tuple[int, int, EntityType]]:
    return tags_to_spans(list(labels))


class CrfTagger:
    """Tags with a trained CRF model, then links and completes like the other backends.

    Without a model (no `model_path`) it falls back to the offline tagger and says so in a log line
    (and through `on_fallback`), rather than failing every article."""

    name = "crf"

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        aliases: AliasTable | None = None,
        gazetteer: Gazetteer | None = None,
        on_fallback: Callable[[str], None] | None = None,
    ) -> None:
        self.gazetteer = gazetteer or get_gazetteer()
        self.aliases = aliases
        self.on_fallback = on_fallback
        self.model_path = Path(model_path) if model_path else None
        self.linker = SpanLinker(self.name, aliases=aliases, gazetteer=self.gazetteer, quantities=True)
        self._tagger: Any = None
        self._offline: OfflineTagger | None = None
        if self.model_path is not None:
            self._tagger = self._open(self.model_path)

    @staticmethod
    def _open(path: Path) -> Any:
        import pycrfsuite

        if not path.is_file():
            raise CrfModelError(f"CRF model {path} does not exist")
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(path))
        except Exception as error:  # crfsuite raises a bare ValueError/OSError on a bad file
            raise CrfModelError(f"cannot open CRF model {path}: {error}") from error
        return tagger

    def labels(self) -> list[str]:
        return list(self._tagger.labels()) if self._tagger is not None else []

    def spans(self, text: str) -> list[ModelSpan]:
        """The model's spans in one text (offsets into it)."""
        tok = tokenize(text)
        out: list[ModelSpan] = []
        for sent in sentences(text, tok):
            words = [text[tok[i][0] : tok[i][1]] for i in sent]
            labels = self._tagger.tag(token_features(words, self.gazetteer))
            for s, e, t in bio_to_spans(labels):
                out.append(ModelSpan(tok[sent[s]][0], tok[sent[e - 1]][1], t, 0.8))
        return out

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        if self._tagger is None:
            reason = "no CRF model configured (TAGGER_MODEL_KEY)"
            log.warning("crf tagger falls back to the offline tagger: %s", reason)
            if self.on_fallback is not None:
                self.on_fallback(reason)
            if self._offline is None:
                self._offline = OfflineTagger(gazetteer=self.gazetteer, aliases=self.aliases)
            return self._offline.tag(article)
        fields = article_fields(article)
        spans = [[] if f.field == "byline" else self.spans(f.text) for f in fields]
        return self.linker.tag_fields(fields, spans, article_language(article))
