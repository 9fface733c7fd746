"""The trainable backend: a linear-chain CRF (python-crfsuite) over Arabic- and Latin-aware features.

    articleflow tagger train corpus/*.conll --out models/crf/ar-en.crfsuite   # train_model(...)
    tagger = get_tagger("crf", model_path="ar-en.crfsuite")                  # CrfTagger

A publisher with annotated articles gets a tagger for its own names and languages (Comprehend custom
entities do not support Arabic). The features (Arabic clitic segmentation, affixes, word shape,
gazetteer and lexicon membership, a two-token window, document cues) are in `features.py`. A model
tags in two passes, two CRFs in one file (`modelfile.py`): the second also reads what the first said
about each word's other mentions (`stacking.py`).

The model's spans then go through the same linker and rules as Comprehend's (`modelspans.SpanLinker`):
ids, proclitic-free spans, dates, designators, curated names and the publisher's alias table.
python-crfsuite trains the models and is imported only here, only to train; tagging reads a model's
weights with numpy (`viterbi.py`), imported when a model is opened.
"""

from __future__ import annotations

import itertools
import logging
import re
import struct
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from articleflow.core.tagging import modelfile
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.arabic import has_arabic, starts_with_conjunction
from articleflow.core.tagging.conll import Document, tags_to_spans
from articleflow.core.tagging.features import DocumentCues, ModelFeatures, token_features, with_document
from articleflow.core.tagging.frequencies import arabic_word_frequencies, word_zipf
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.modelspans import ModelSpan, SpanLinker
from articleflow.core.tagging.offline import OfflineTagger, article_fields, article_language
from articleflow.core.tagging.stacking import FirstPassCues, held_out_labels
from articleflow.core.tagging.text import TOKEN_RE
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity, EntityType

log = logging.getLogger("articleflow.tagging.crf")

# Words (as the offline tokenizer reads them) and every other non-space character on its own.
CRF_TOKEN_RE = re.compile(TOKEN_RE.pattern + r"|[^\s]")
_SENTENCE_END_TOKENS = frozenset(".!?؟…。")
TokenSpan = tuple[int, int, EntityType]  # first token, last token + 1, type
DEFAULT_PARAMS: dict[str, Any] = {
    "c1": 0.05,  # L1: keeps the model small. c1 0.01-0.3 and c2 0.001-0.2 were within 1.3 F1 points of each
    # other on an ANERcorp fold (scripts/tagger_cv.py --grid C1,C2 ...); with the larger lexicons, fold 1
    # gave 0.731 (c1 0.1, c2 0.01), 0.735 (0.05, 0.02: 2.1 MB), 0.733 (0.05, 0.05), 0.734 (0.02, 0.02: 3.0 MB)
    "c2": 0.02,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    "feature.possible_states": True,  # weights for unseen attribute/label pairs: 3-fold CV 0.688 -> 0.694
}


class CrfModelError(RuntimeError):
    """No model to tag with, or the model file cannot be opened."""


# [gap, token, gap, token, ..., gap] in one C call
_SPLIT_RE = re.compile(f"({CRF_TOKEN_RE.pattern})")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: words and single punctuation characters."""
    return split_tokens(text).spans()


class SplitText(NamedTuple):
    """A text split into its tokens, in one C call (`str.split` with the tokens as separators)."""

    words: list[str]  # the tokens
    gaps: list[str]  # what lies before each token, and after the last one
    ends: list[int]  # where each gap and token ends: token i is text[ends[2 * i] : ends[2 * i + 1]]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) of tokens first to last, both included."""
        return self.ends[2 * first], self.ends[2 * last + 1]

    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self.ends[0:-1:2], self.ends[1::2], strict=True))


def split_tokens(text: str) -> SplitText:
    parts = _SPLIT_RE.split(text)
    return SplitText(parts[1::2], parts[0::2], list(itertools.accumulate(map(len, parts))))


def sentences(split: SplitText) -> list[range]:
    """Token indexes grouped into sentences (after . ! ? ؟, or at a line break)."""
    words, gaps = split.words, split.gaps
    n = len(words)
    cuts = {i for i, gap in enumerate(gaps[1:n], 1) if "\n" in gap}
    cuts.update([i + 1 for i, word in enumerate(words[: n - 1]) if word in _SENTENCE_END_TOKENS])
    bounds = [0, *sorted(cuts), n]
    return [range(a, b) for a, b in itertools.pairwise(bounds)] if n else []


# --- training -----------------------------------------------------------------------------------


def bioes_labels(tags: list[str]) -> list[str]:
    """The labels a model learns, in BIOES with our types whatever the corpus scheme: a one-word name
    is S-, a longer one B- I- ... E- (ANERcorp 3-fold, raw model F1 per fold +0.9/+0.0/+0.5 over BIO;
    `tags_to_spans` reads both, so older BIO models still tag)."""
    labels = ["O"] * len(tags)
    for s, e, t in tags_to_spans(tags):
        if e - s == 1:
            labels[s] = f"S-{t}"
            continue
        labels[s] = f"B-{t}"
        labels[s + 1 : e - 1] = [f"I-{t}"] * (e - s - 2)
        labels[e - 1] = f"E-{t}"
    return labels


def training_sequences(docs: Iterable[Document]) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, BIOES labels with our types) per corpus sentence, whatever the corpus scheme: what
    the first pass learns from."""
    gaz = get_gazetteer()
    for doc in docs:
        cues = DocumentCues([sent.tokens for sent in doc.sentences], gaz)
        for si, sent in enumerate(doc.sentences):
            yield with_document(token_features(sent.tokens, gaz), cues.features(si)), bioes_labels(sent.tags)


def train_model(docs: Iterable[Document], out: str | Path, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train a model on `docs` and write it to `out`; returns a small report (sentences, labels, size).

    The model is two CRFs in one file (`modelfile`): the first tags with the word and document
    features, the second also reads what the first said about each word's other mentions
    (`stacking.py`). Its training needs first-pass labels of the corpus from models that never saw
    them: four more CRFs, each trained on three quarters of the corpus (`stacking.held_out_labels`).
    A corpus of one sentence gets the first pass only."""
    docs = [doc for doc in docs]
    sequences = [(si, x, y) for doc in docs for si, (x, y) in enumerate(training_sequences([doc])) if x]
    if not sequences:
        raise ValueError("no sentences to train on")
    settings = {**DEFAULT_PARAMS, **(params or {})}
    xs = [x for _si, x, _y in sequences]
    ys = [y for _si, _x, y in sequences]
    with tempfile.TemporaryDirectory() as tmp:
        models = [train_crf(xs, ys, settings, Path(tmp))]
        if len(sequences) > 1:
            first_pass = held_out_labels(xs, ys, lambda x, y: tagging(train_crf(x, y, settings, Path(tmp))))
            models.append(train_crf(_second_pass_sequences(docs, sequences, first_pass), ys, settings, Path(tmp)))
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(modelfile.pack(models))
    return {
        "sentences": len(sequences),
        "labels": sorted({label for y in ys for label in y}),
        "passes": len(models),
        "bytes": path.stat().st_size,
        "model": str(path),
    }


def train_crf(xs: Sequence[list[list[str]]], ys: Sequence[Sequence[str]], settings: dict[str, Any], tmp: Path) -> bytes:
    """One crfsuite model trained on (features, labels) sequences, as its file's bytes (`train_model`
    trains six; `scripts/screen_features.py` the first pass alone)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys, strict=True):
        trainer.append(x, y)
    trainer.set_params(settings)
    with tempfile.NamedTemporaryFile(dir=tmp, suffix=".crfsuite") as file:
        trainer.train(file.name)
        return Path(file.name).read_bytes()


def tagging(model: bytes) -> Callable[[list[list[str]]], list[str]]:
    """A function that tags one sentence's features with the crfsuite model `model` (its bytes)."""
    opened = _OpenedCrf(model)
    return lambda x: opened.tagger.tag(x)  # the closure keeps `opened`, and with it the model's bytes


def crfsuite_labels(model: bytes, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """The labels crfsuite itself gives an article's sentences with a model file (its bytes): every
    feature, as in training, one call per sentence and pass. What `CrfModel.sentence_labels` must
    agree with (the tests; `scripts/crf_parity.py` over a corpus)."""
    passes = [tagging(part) for part in modelfile.unpack(model)]
    cues = DocumentCues(sentences, get_gazetteer())
    features = [with_document(token_features(words), cues.features(si)) for si, words in enumerate(sentences)]
    labels = [passes[0](x) for x in features]
    if len(passes) > 1:
        stacked = FirstPassCues(cues, labels)
        labels = [passes[1](with_document([list(f) for f in x], stacked.features(si))) for si, x in enumerate(features)]
    return [list(sentence) for sentence in labels]


def _second_pass_sequences(
    docs: list[Document], sequences: list[tuple[int, list[list[str]], list[str]]], first_pass: list[Sequence[str]]
) -> list[list[list[str]]]:
    """The training sentences' features with their first-pass cues (`stacking.FirstPassCues`), per
    corpus document as for the document features."""
    gaz = get_gazetteer()
    out: list[list[list[str]]] = []
    at = 0
    for doc in docs:
        kept = [si for si, sent in enumerate(doc.sentences) if sent.tokens]
        document = DocumentCues([doc.sentences[si].tokens for si in kept], gaz)
        cues = FirstPassCues(document, first_pass[at : at + len(kept)])
        out += [with_document([list(f) for f in sequences[at + i][1]], cues.features(i)) for i in range(len(kept))]
        at += len(kept)
    return out


# --- tagging ------------------------------------------------------------------------------------


def bio_to_spans(labels: Sequence[str]) -> list[tuple[int, int, EntityType]]:
    return tags_to_spans(list(labels))


def _by_sentence(labels: list[str], lengths: Sequence[int]) -> list[list[str]]:
    ends = list(itertools.accumulate(lengths))
    return [labels[end - n : end] for n, end in zip(lengths, ends, strict=True)]


class _OpenedCrf:
    """A crfsuite model opened from its bytes. crfsuite reads them where they are, so they live as
    long as the tagger does."""

    def __init__(self, model: bytes) -> None:
        import pycrfsuite  # the trainable backend's only dependency, imported on use

        self.model = model
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(model)


class CrfModel:
    """An opened model file: the spans it finds in a text (offsets into that text).

    The model's passes are read into one weight matrix (`viterbi.CrfPasses`): an article's features
    are built once, as attribute ids (`features.ModelFeatures`), and each pass sums its weights and
    decodes every sentence of the article at once. crfsuite trains the models; tagging needs numpy
    only, imported when a model is opened."""

    def __init__(self, path: str | Path, gazetteer: Gazetteer | None = None) -> None:
        from articleflow.core.tagging.viterbi import CrfPasses  # numpy: only with a model

        self.path = Path(path)
        self.gazetteer = gazetteer or get_gazetteer()
        if not self.path.is_file():
            raise CrfModelError(f"CRF model {self.path} does not exist")
        try:
            self._passes = CrfPasses(
                [modelfile.read_weights(model) for model in modelfile.unpack(self.path.read_bytes())]
            )
        except (ValueError, IndexError, struct.error) as error:  # not a model, or a damaged one
            raise CrfModelError(f"cannot open CRF model {self.path}: {error}") from error
        self._features = ModelFeatures(self._passes.ids, self.gazetteer)
        arabic_word_frequencies()  # read by the features: loaded with the model, not by the first article

    def labels(self) -> list[str]:
        return list(self._passes.labels)

    def spans(self, text: str) -> list[ModelSpan]:
        split = split_tokens(text)
        return [ModelSpan(*split.span(s, e - 1), t, 0.8) for s, e, t in self._token_spans([split])[0]]

    def sentence_labels(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The labels of each token of an article's sentences (one document for the document features)."""
        passes = self._passes
        cues = DocumentCues(sentences, self.gazetteer)
        article = self._features.article(sentences, cues)
        scores = passes.scores(article)
        labels = _by_sentence(passes.decode(scores, article.lengths, 0), article.lengths)
        if passes.passes > 1:  # the first pass's types of each word's other mentions (stacking.py)
            tokens, ids = self._features.token_attributes(FirstPassCues(cues, labels).cued().items())
            labels = _by_sentence(passes.decode(passes.add(scores, tokens, ids), article.lengths, 1), article.lengths)
        return labels

    def _token_spans(self, splits: Sequence[SplitText]) -> list[list[TokenSpan]]:
        """(first token, last token + 1, type) of each name the model finds, per text of one article
        (the texts' sentences, in order, are one document for the document features)."""
        sents = [(ti, sent) for ti, split in enumerate(splits) for sent in sentences(split)]
        labels = self.sentence_labels([splits[ti].words[sent.start : sent.stop] for ti, sent in sents])
        found: list[list[TokenSpan]] = [[] for _ in splits]
        for (ti, sent), sentence_labels in zip(sents, labels, strict=True):
            if sentence_labels.count("O") != len(sentence_labels):  # most sentences name nothing
                found[ti] += [(sent.start + s, sent.start + e, t) for s, e, t in bio_to_spans(sentence_labels)]
        return found

    def article_spans(self, texts: Sequence[str]) -> list[list[ModelSpan]]:
        """Spans of each text of one article, made consistent across the article: a name the model
        tagged twice or more is also tagged where the model missed it (its most frequent type; longest
        names first, never over another span). News repeats its names, and the model's misses of an
        unfamiliar name are rarely all of its mentions (+1.5 F1 on an ANERcorp fold); not a one-word
        name that is a common word, nor an adjective taken for a person (`_spreads`)."""
        splits = [split_tokens(text) for text in texts]
        words = [split.words for split in splits]
        found = self._token_spans(splits)
        types: dict[tuple[str, ...], Counter[EntityType]] = defaultdict(Counter)
        for text_words, text_found in zip(words, found, strict=True):
            for s, e, t in text_found:
                types[tuple(text_words[s:e])][t] += 1
        surnames = {name[-1] for name, c in types.items() if len(name) > 1 and "PERSON" in c}
        most = {name: c.most_common(1)[0][0] for name, c in types.items() if sum(c.values()) >= 2}
        names = {name: t for name, t in most.items() if _spreads(name, t, surnames)}
        lengths = sorted({len(name) for name in names}, reverse=True)
        first_words = {name[0] for name in names}
        for text_words, text_found in zip(words, found, strict=True):
            taken = bytearray(len(text_words) + 1)
            for s, e, _t in text_found:
                taken[s:e] = b"\x01" * (e - s)
            starts = [i for i, w in enumerate(text_words) if w in first_words and not taken[i]]
            for n in lengths:
                for i in starts:
                    type_ = names.get(tuple(text_words[i : i + n]))
                    if type_ is not None and 1 not in taken[i : i + n]:
                        text_found.append((i, i + n, type_))
                        taken[i : i + n] = b"\x01" * n
        _extend_to_longer_names(words, found)
        return [
            sorted((ModelSpan(*split.span(s, e - 1), t, 0.8) for s, e, t in text_found), key=lambda sp: sp.start)
            for split, text_found in zip(splits, found, strict=True)
        ]


# Zipf frequency from which a one-word name is a common word (once in 100,000 words of general text)
COMMON_WORD_ZIPF = 5.0


def _spreads(name: tuple[str, ...], type_: EntityType, surnames: set[str]) -> bool:
    """Whether the model's name spreads to its untagged mentions: not a common word (`_common_word`),
    nor a person named by one Arabic definite word unless it ends a longer person's name the model
    found (توفيق الحكيم, then الحكيم). Such a word is an adjective or a noun far more often (السوداني
    after الرئيس, العنابي for Qatar's team, الأسد "the lion"), as in the rules' `offline._surname_like`."""
    if _common_word(name):
        return False
    word = name[0]
    definite = word.startswith("ال") and len(word) > 3
    return not (type_ == "PERSON" and len(name) == 1 and definite and word not in surnames)


def _common_word(name: tuple[str, ...]) -> bool:
    """A one-word name that general text uses often (`frequencies.py`): the model's two tags of it are
    no evidence for its other mentions (الشمس "the sun", العربي "Arab", السنة "the year" spread as an
    organisation). ANERcorp 3-fold CV: crf 0.752 -> 0.756, default 0.749 -> 0.753, no fold worse;
    flat from Zipf 4.5 to 5.0, and 5.5 keeps most of the wrong spreads."""
    if len(name) > 1 or not has_arabic(name[0]):  # the list is Arabic's
        return False
    return word_zipf(name[0]) >= COMMON_WORD_ZIPF


def _name_words(words: Sequence[str]) -> tuple[str, ...]:
    """A span's words with a conjunction و/ف dropped from the first (ومينورو كيهارا: مينورو كيهارا)."""
    first = words[0]
    return (first[1:] if starts_with_conjunction(first) else first, *words[1:])


def _extend_to_longer_names(words: list[list[str]], found: list[list[TokenSpan]]) -> None:
    """A span that starts a longer name of the same type found elsewhere in the article, followed by
    that name's other words, becomes that name (the caption's مينورو, followed by كيهارا, where the body
    has ومينورو كيهارا). ANERcorp 3-fold CV of the default tagger: within +-0.1 F1 per fold."""
    names = {_name_words(w[s:e]): t for w, spans in zip(words, found, strict=True) for s, e, t in spans}
    longer: dict[str, list[tuple[str, ...]]] = {}  # first word -> the names of two words or more, longest first
    for name in sorted((n for n in names if len(n) > 1), key=len, reverse=True):
        longer.setdefault(name[0], []).append(name)
    for text_words, text_found in zip(words, found, strict=True):
        taken = bytearray(len(text_words) + 1)
        for s, e, _t in text_found:
            taken[s:e] = b"\x01" * (e - s)
        for k, (s, e, t) in enumerate(text_found):
            head = _name_words(text_words[s:e])
            for name in longer.get(head[0], ()):
                end = s + len(name)
                if (
                    len(name) > len(head)
                    and names[name] == t
                    and name[: len(head)] == head
                    and tuple(text_words[e:end]) == name[len(head) :]
                    and 1 not in taken[e:end]
                ):
                    text_found[k] = (s, end, t)
                    taken[e:end] = b"\x01" * (end - e)
                    break


class CrfTagger:
    """Tags with a trained CRF model, then links and completes like the other backends.

    Without a model (no `model_path`) it falls back to the offline tagger and says so in a log line
    (and through `on_fallback`), rather than failing every article."""

    name = "crf"
    needs = frozenset({"model_path", "aliases", "on_fallback"})

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
        self._model = CrfModel(self.model_path, self.gazetteer) if self.model_path is not None else None
        self._offline: OfflineTagger | None = None

    def labels(self) -> list[str]:
        return self._model.labels() if self._model is not None else []

    def spans(self, text: str) -> list[ModelSpan]:
        """The model's spans in one text (offsets into it)."""
        return self._model.spans(text) if self._model is not None else []

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        if self._model is None:
            reason = "no CRF model configured (TAGGER_MODEL_KEY)"
            log.warning("crf tagger falls back to the offline tagger: %s", reason)
            if self.on_fallback is not None:
                self.on_fallback(reason)
            if self._offline is None:
                self._offline = OfflineTagger(gazetteer=self.gazetteer, aliases=self.aliases)
            return self._offline.tag(article)
        fields = article_fields(article)
        texts = [f for f in fields if f.field != "byline"]
        found = dict(zip((id(f) for f in texts), self._model.article_spans([f.text for f in texts]), strict=True))
        spans = [found.get(id(f), []) for f in fields]
        return self.linker.tag_fields(fields, spans, article_language(article))
