"""The crf backend's features: what a token looks like, and what its neighbours look like.

`token_features(words)` gives each token of a sentence its own features and a window of its
neighbours' (two either side). A token's own features (`word_features`, memoised per word):

* its matching key (`k=`, Arabic folded, Latin case-folded), word shape, script, length;
* Arabic clitic segmentation (`segment`): conjunction و/ف, preposition ب/ك/ل, the article ال (or لل),
  and a possessive/object suffix (ها، هم، نا ...), each as a feature, and the stem that is left
  (`st=`) with its prefixes and suffixes (nisba -ي/-ية, plural -ون/-ات say more than the raw word);
* how common the word and its stem are in general Arabic text (`fq=`, `fq.st=`: `frequencies.py`);
* membership, of the word or its stem, in our gazetteer (places, months), the curated names,
  titles, given names, verbs of saying and role words that precede a person, organisation heads
  (وزارة، شركة، جامعة ...) and place cues (مدينة، في ...), and in the public Arabic-script name lists
  (given names, surnames, foreign names as Arabic writes them: `lexicon.person_names`).

Neighbours contribute their key, stem, clitics and lexicon flags, and the stem bigrams around the
token; the CRF weighs them (L1 keeps only what pays).

`DocumentCues` adds what a word's other mentions nearby say (`doc.prev=title` ...): news names a
person once after a title and then alone, and the mention alone learns from the first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging import rules
from articleflow.core.tagging.arabic import name_key, starts_with_conjunction
from articleflow.core.tagging.frequencies import arabic_word_frequencies
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.text import word_info

# Object/possessive suffixes, longest first; only stripped when three letters or more remain.
_ENCLITICS = ("هما", "كما", "هم", "هن", "كم", "نا", "ها")
_FEATURE_CACHE_MAX = 200_000


def segment(key: str) -> tuple[str, str, str]:
    """(proclitics, stem, enclitic) of a folded Arabic key: ``وبالمدينة`` -> ("و+ب+ال", "مدينه", "")."""
    procs: list[str] = []
    stem = key
    if starts_with_conjunction(stem):
        procs.append(stem[0])
        stem = stem[1:]
    if len(stem) > 3 and stem[0] in "بكل":
        if stem.startswith("لل") and len(stem) > 4:  # ل + ال with the alef elided
            procs += ["ل", "ال"]
            stem = stem[2:]
        else:
            procs.append(stem[0])
            stem = stem[1:]
    if "ال" not in procs and stem.startswith("ال") and len(stem) > 3:
        procs.append("ال")
        stem = stem[2:]
    enclitic = ""
    for suffix in _ENCLITICS:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
            enclitic = suffix
            stem = stem[: -len(suffix)]
            break
    return "+".join(procs), stem, enclitic


@cache
def lexicons() -> dict[str, frozenset[str]]:
    """Feature name -> the word keys it flags."""
    gaz = get_gazetteer()
    # the football clubs are left out: the model learnt these two on the other curated names, and
    # clubs open with countries and common words (المغرب الفاسي, اتحاد الخميسات). ANERcorp 3-fold CV,
    # default tagger with the clubs: 0.767 with them in the features or out; crf 0.767 in, 0.768 out.
    clubs = {name_key(n) for _id, names in lx.football_clubs().values() for n in names}
    curated_names = [k for k in rules.curated_index().names if k not in clubs]
    return {
        "title": lx.keys("ar_titles") | lx.keys("latin_titles") | lx.keys("latin_lower_titles"),
        "orghead": lx.keys("ar_org_heads") | lx.keys("latin_org_words") | lx.keys("ar_org_triggers"),
        "stop": lx.keys("ar_stopwords") | lx.keys("latin_stopwords"),
        "month": frozenset(k for k in gaz.months if " " not in k) | frozenset(lx.arabic_months()),
        "curated": frozenset(k for k in curated_names if " " not in k),
        "curated_first": frozenset(k.split(" ")[0] for k in curated_names),
        "given": lx.keys("ar_given_names") | lx.keys("latin_given_names") | lx.keys("de_given_names"),
        "trigger": lx.keys("ar_person_triggers") | lx.keys("latin_saying_verbs"),
        "placecue": lx.keys("ar_place_triggers") | lx.keys("latin_place_words"),
        # public Arabic-script name lists (Wikidata, arabnamer): ANERcorp 3-fold CV, raw model F1 per fold
        # 0.732/0.689/0.693 -> 0.738/0.704/0.706, most of it PERSON
        "name_given": lx.person_names("ar_given"),
        "name_surname": lx.person_names("ar_surnames"),
        "name_foreign": lx.person_names("ar_foreign"),
    }


# letters of the Arabic script: alphabetic and without case, a word of them all has the shape "a"
_ARABIC_LETTERS_RE = re.compile("[\u0620-\u064a\u0671-\u06d3\u06fa-\u06fc]+")


def _shape(word: str) -> str:
    if _ARABIC_LETTERS_RE.fullmatch(word):
        return "a"
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


# word -> (own features, what the next token sees ("-1:..."), the previous one ("+1:..."), the token two
# after ("-2:..."), two before ("+2:..."), stem): built once per word, the position prefixes included
WordFeatures = tuple[list[str], list[str], list[str], list[str], list[str], str]
_CACHE: dict[str, WordFeatures] = {}


def word_features(word: str, gaz: Gazetteer) -> WordFeatures:
    hit = _CACHE.get(word)
    if hit is not None:
        return hit
    if not word[0].isalnum():
        hit = _positioned([f"p={word}", "script=Punct"], [f"p={word}"], [f"p={word}"], word)
    else:
        hit = _alnum_features(word, gaz)
    if len(_CACHE) < _FEATURE_CACHE_MAX:
        _CACHE[word] = hit
    return hit


def _alnum_features(word: str, gaz: Gazetteer) -> WordFeatures:
    key, arabic, cap, upper, digit, readings = word_info(word)
    procs, stem, enclitic, stem_keys = _segments(key, arabic, readings)
    keys = {k for _s, k in readings} | stem_keys
    own = [
        f"k={key}",
        f"st={stem}",
        f"shape={_shape(word)}",
        f"script={_script(word, arabic)}",
        f"len={min(len(stem), 8)}",
    ]
    for n in (1, 2, 3, 4):
        if len(stem) > n:
            own += [f"pre{n}={stem[:n]}", f"suf{n}={stem[-n:]}"]
    own += _clitic_features(procs, enclitic, len(readings) > 1)
    own += _case_features(word, cap, upper, digit)
    flags = _membership_flags(keys, gaz)
    own += flags
    if arabic:
        own += [f"fq={_frequency_bin(key)}", f"fq.st={_frequency_bin(stem)}"]
    near = [f"k={key}", f"st={stem}", *flags]
    if procs:
        near.append(f"proc={procs}")
    if cap:
        near.append("cap")
    if arabic:
        near.append("arab")
    far = [f"st={stem}", *flags]
    return _positioned(own, near, far, stem)


def _frequency_bin(key: str) -> str:
    """How common the key is in general Arabic text (`frequencies.py`), in half steps of Zipf
    frequency up to 6, "r" (rare) when the list lacks it. ANERcorp 3-fold CV, first pass alone, raw
    labels (`scripts/screen_features.py`): bins for the word and its stem 0.736 -> 0.745. With a finer
    rounding of the list while choosing: for its neighbours too 0.740, quarter steps 0.744, keys down
    to Zipf 1.0 instead of 1.5 0.743."""
    zipf = arabic_word_frequencies().zipf(key)
    return "r" if zipf is None else str(min(int(zipf * 2), 12))


def _segments(key: str, arabic: bool, readings: tuple[tuple[int, str], ...]) -> tuple[str, str, str, set[str]]:
    """(proclitics, stem, enclitic, extra keys to look up): Arabic words are segmented, with the stem
    and its definite form looked up too; a Latin word's stem is its elision split (l'Europe)."""
    if not arabic:
        return "", readings[1][1] if len(readings) > 1 else key, "", set()
    procs, stem, enclitic = segment(key)
    extra = {stem, "ال" + stem} if procs.endswith("ال") else {stem}
    return procs, stem, enclitic, extra


def _clitic_features(procs: str, enclitic: str, split: bool) -> list[str]:
    out = [f"proc={procs}", *(f"clitic.{p}" for p in procs.split("+")), "clitic"] if procs else []
    if not procs and split:
        out.append("clitic")
    if enclitic:
        out.append(f"enc={enclitic}")
    return out


def _case_features(word: str, cap: bool, upper: bool, digit: bool) -> list[str]:
    out = []
    if cap:
        out.append("cap")
    if upper and len(word) > 1:
        out.append("upper")
    if digit:
        out.append("digit")
    if "-" in word:
        out.append("hyphen")
    return out


def _membership_flags(keys: set[str], gaz: Gazetteer) -> list[str]:
    """Gazetteer and lexicon membership of any of the word's keys."""
    flags = []
    if keys & gaz.names.keys():
        flags.append("gaz.place")
    if keys & gaz.prefixes:
        flags.append("gaz.prefix")
    for name, words in lexicons().items():
        if keys & words:
            flags.append(f"lex.{name}")
    return flags


def _positioned(own: list[str], near: list[str], far: list[str], stem: str) -> WordFeatures:
    return (
        own,
        [f"-1:{f}" for f in near],
        [f"+1:{f}" for f in near],
        [f"-2:{f}" for f in far],
        [f"+2:{f}" for f in far],
        stem,
    )


def token_features(words: Sequence[str], gaz: Gazetteer | None = None) -> list[list[str]]:
    """CRF features of each token of one sentence (every feature: what training sees)."""
    gaz = gaz or get_gazetteer()
    info = [word_features(w, gaz) for w in words]
    pairs = [f"{a[5]}|{b[5]}" for a, b in itertools.pairwise(info)]
    return _sentence_features(info, _TEXT_MARKS, [([f"bi-1={p}"], [f"bi+1={p}"]) for p in pairs])


# word -> its features as a model reads them: `WordFeatures` as attribute ids, without the attributes
# the model has no weights for, in `WORD_GROUPS` (the word's own with "bias"); and its stem
ModelWordFeatures = tuple[tuple[list[int], list[int], list[int], list[int], list[int]], str]
# (stem, next stem) -> the ids of the pair's stem bigram features the model has weights for, as the
# second word sees them ("bi-1=") and as the first does ("bi+1=")
_Bigrams = tuple[list[int], list[int]]


class ArticleAttributes(NamedTuple):
    """An article's features as ids of a model's attributes (`ModelFeatures.article`), in the layout
    `viterbi.CrfPasses.scores` sums: each distinct word's attributes, as a group per position (`WORD_GROUPS`),
    each token's word, and the attributes that are the token's alone."""

    groups: list[int]  # the ids of every group, the groups of the first position for every word, then ...
    counts: list[int]  # how many ids each group has
    words: list[int]  # each token's distinct word (its index)
    lengths: list[int]  # each sentence's length in tokens, the sentences laid end to end
    tokens: list[int]  # the tokens of `ids`: token-only attributes (stem bigrams, BOS/EOS, document cues)
    ids: list[int]


# What a word's attributes are to the tokens around it: the offset of the token that reads each
# group of `ModelWordFeatures` (its own at 0, its `-1:` features the next token's ...).
WORD_GROUPS = (0, 1, -1, 2, -2)


class ModelFeatures:
    """`token_features` for one trained model, as ids of the attributes it has weights for (`ids`): a
    word's features are found once per distinct word and a stem bigram's once per distinct pair of
    stems, and the model's weights are summed once per word of an article (`viterbi.CrfPasses`)."""

    def __init__(self, ids: dict[str, int], gaz: Gazetteer | None = None) -> None:
        self.ids = ids
        self.gaz = gaz or get_gazetteer()
        self._cache: dict[str, ModelWordFeatures] = {}
        self._bigrams: dict[tuple[str, str], _Bigrams] = {}
        self._marks = [[ids[m]] if m in ids else [] for m in _TEXT_MARKS]

    def word(self, word: str) -> ModelWordFeatures:
        hit = self._cache.get(word)
        if hit is None:
            *lists, stem = word_features(word, self.gaz)
            own, prev, nxt, prev2, next2 = [self.known(fs) for fs in lists]
            hit = ((self._marks[0] + own, prev, nxt, prev2, next2), stem)
            if len(self._cache) < _FEATURE_CACHE_MAX:
                self._cache[word] = hit
        return hit

    def known(self, features: Sequence[str]) -> list[int]:
        """The ids of the `features` the model has weights for."""
        ids = self.ids
        return [ids[f] for f in features if f in ids]

    def _bigram(self, stems: tuple[str, str]) -> _Bigrams:
        pair = f"{stems[0]}|{stems[1]}"
        hit = (self.known([f"bi-1={pair}"]), self.known([f"bi+1={pair}"]))
        if len(self._bigrams) < _FEATURE_CACHE_MAX:
            self._bigrams[stems] = hit
        return hit

    def article(self, sentences: Sequence[Sequence[str]], cues: DocumentCues) -> ArticleAttributes:
        """The attributes of an article's sentences (their `words`), with their document `cues` (built
        from the same sentences: their word index is shared)."""
        word, known_word, bigram, known_bigram = self.word, self._cache.get, self._bigram, self._bigrams.get
        words = cues.words
        info = [known_word(w) or word(w) for w in cues.distinct]
        lengths = [len(s) for s in sentences]
        starts = cues.starts[:-1]
        bos, eos = self._marks[1:]
        tokens = starts * len(bos) + [start + n - 1 for start, n in zip(starts, lengths, strict=True)] * len(eos)
        ids = bos * len(starts) + eos * len(starts)
        first = set(starts)
        stems = [info[w][1] for w in words]
        for t, pair in enumerate(itertools.pairwise(stems)):
            before, after = known_bigram(pair) or bigram(pair)
            if (before or after) and t + 1 not in first:  # most pairs: no weights; none across sentences
                tokens += [t + 1] * len(before) + [t] * len(after)
                ids += before + after
        more_tokens, more_ids = self.token_attributes(cues.cued().items())
        return ArticleAttributes(
            [i for g in range(len(WORD_GROUPS)) for w in info for i in w[0][g]],
            [len(w[0][g]) for g in range(len(WORD_GROUPS)) for w in info],
            words,
            lengths,
            tokens + more_tokens,
            ids + more_ids,
        )

    def token_attributes(self, features: Iterable[tuple[int, Sequence[str]]]) -> tuple[list[int], list[int]]:
        """(token, attribute id) pairs, as two lists, of the features the model knows among these
        (token, its features) pairs (tokens: indexes into the article's)."""
        tokens: list[int] = []
        ids: list[int] = []
        # by the list's id (the cues' lists are shared, a few per article); the list is kept with its
        # ids, so that no other list can take its id during the call
        known: dict[int, tuple[Sequence[str], list[int]]] = {}
        for token, found in features:
            if found:
                hit = known.get(id(found))
                if hit is None:
                    hit = known[id(found)] = (found, self.known(found))
                tokens += [token] * len(hit[1])
                ids += hit[1]
        return tokens, ids


_TEXT_MARKS = ("bias", "BOS", "EOS")


def _sentence_features[T](
    info: Sequence[tuple[list[T], list[T], list[T], list[T], list[T], str]],
    marks: tuple[T, T, T],
    bigrams: Sequence[tuple[list[T], list[T]]],
) -> list[list[T]]:
    """Each token's features: "bias", its own, BOS/EOS, the previous token's and the stem bigram with it,
    the next one's and the bigram with it, then the tokens two before and two after. `bigrams[i]`:
    the bigram features of tokens i and i + 1 as token i + 1 sees them, then as token i does (each
    a list of none or one)."""
    n = len(info)
    if not n:
        return []
    bias, bos, eos = marks
    none: list[T] = []
    ends = [none] * n
    ends[0] = [bos]
    ends[-1] = [bos, eos] if n == 1 else [eos]
    prev1 = [none, *[w[1] for w in info[:-1]]]
    next1 = [*[w[2] for w in info[1:]], none]
    prev2 = [none, none, *[w[3] for w in info[:-2]]][:n]
    next2 = [*[w[4] for w in info[2:]], none, none][:n]
    bigram_before = [none, *[b[0] for b in bigrams]]
    bigram_after = [*[b[1] for b in bigrams], none]
    return [
        [bias, *w[0], *e, *p1, *b1, *n1, *a1, *p2, *n2]
        for w, e, p1, b1, n1, a1, p2, n2 in zip(
            info, ends, prev1, bigram_before, next1, bigram_after, prev2, next2, strict=True
        )
    ]


# Lexicon flags of a neighbour that say what a word after or before it is (`DocumentCues`).
_CUES = {
    "lex.title": "title",
    "lex.trigger": "title",
    "lex.placecue": "place",
    "lex.orghead": "org",
    "lex.name_given": "given",
}
_CUE_KINDS = ("title", "place", "org", "given")  # a word's cue kinds: bits 0-3 of an int
# where the cue sits: the word before a mention (its kinds' bits), after it (<< 4), two before (<< 8;
# ANERcorp 3-fold: +0.1 / +0.5 / 0.0 per fold)
_CUE_SIDES = ("prev", "next", "prev2")
# Sentences either side whose mentions of a word count: an article's length, and no more when a whole
# corpus is tagged as one text. ANERcorp folds, raw model F1: +1.3 / +1.1 points (10), as for blocks of
# 20 sentences read as articles.
DOCUMENT_WINDOW = 10
_CUE_CACHE: dict[str, tuple[str | None, int]] = {}


def _cue_info(word: str, gaz: Gazetteer) -> tuple[str | None, int]:
    """(the key its mentions share, its stem without clitics, or None when they say nothing:
    punctuation, function words, one or two letters; the cue kinds it is, as bits of `_CUE_KINDS`)."""
    hit = _CUE_CACHE.get(word)
    if hit is None:
        own, *_neighbours, stem = word_features(word, gaz)
        key = own[0][2:] if own[0].startswith("k=") else None
        if key is not None and (len(key) < 3 or "lex.stop" in own):
            key = None
        elif key is not None and len(stem) >= 3:
            key = stem  # وبلير and لبلير share بلير's cues (ANERcorp 3-fold: +1.1 / -0.1 / +0.1 per fold)
        kinds = {_CUES[f] for f in own if f in _CUES}
        hit = (key, sum(1 << i for i, kind in enumerate(_CUE_KINDS) if kind in kinds))
        if len(_CUE_CACHE) < _FEATURE_CACHE_MAX:
            _CUE_CACHE[word] = hit
    return hit


@cache
def _document_features(cues: int) -> list[str]:
    """The features of the cue bits of `cues` (`_CUE_SIDES` x `_CUE_KINDS`), sorted. Shared between calls:
    not to be changed by the caller."""
    kinds = len(_CUE_KINDS)
    return sorted(
        f"doc.{_CUE_SIDES[bit // kinds]}={_CUE_KINDS[bit % kinds]}"
        for bit in range(len(_CUE_SIDES) * kinds)
        if cues >> bit & 1
    )


class TokenCues:
    """Features that some tokens of a text's sentences have (most have none): `features(si)`, a list
    per token of sentence si; `cued()`, token (its index in the text) -> its features. `starts`:
    where each sentence starts in the text's tokens, and where the text ends."""

    def __init__(self, lengths: Iterable[int]) -> None:
        self.starts = list(itertools.accumulate(lengths, initial=0))
        self._cued: dict[int, list[str]] = {}

    def cued(self) -> dict[int, list[str]]:
        return self._cued

    def features(self, si: int) -> list[list[str]]:
        """Sentence `si`'s, a list per token (shared lists: not to be changed by the caller)."""
        get = self._cued.get
        return [get(t, []) for t in range(self.starts[si], self.starts[si + 1])]


class DocumentCues(TokenCues):
    """What the other mentions of each word say, within `DOCUMENT_WINDOW` sentences of a text: the
    cues next to them (`doc.prev=title`: some mention follows a title or a verb of saying, `doc.next=
    place`, `doc.prev2=title`: a title two words before ...), sorted; the mention's own included.
    Built once per text (an article, a corpus document).

    Kept for the second pass (`stacking.FirstPassCues`) and the model's features: `distinct`, the
    text's distinct words, and `words`, each token's index in them; `mentions`, the tokens whose
    mentions share a key (the word's stem; not function words, punctuation, one or two letters),
    as arrays of their index in the text, their key (an int) and their sentence."""

    def __init__(self, sentences: Sequence[Sequence[str]], gaz: Gazetteer | None = None) -> None:
        import numpy as np  # with a model only (windows.py)

        from articleflow.core.tagging.windows import bitmasks, window_counts

        lengths = [len(s) for s in sentences]
        super().__init__(lengths)
        gaz = gaz or get_gazetteer()
        index: dict[str, int] = {}
        self.words = [index.setdefault(w, len(index)) for sentence in sentences for w in sentence]
        self.distinct = list(index)
        keys: dict[str | None, int] = {None: -1}
        info = [_cue_info(w, gaz) for w in self.distinct]
        word = np.array(self.words, dtype=np.intp)
        key = np.array([keys.setdefault(k, len(keys) - 1) for k, _kinds in info], dtype=np.intp)[word]
        kinds = np.array([k for _key, k in info], dtype=np.intp)[word]
        mention = np.flatnonzero(key >= 0)
        mention_key = key[mention]
        sentence = np.repeat(np.arange(len(sentences)), lengths)[mention]
        self.mentions = (mention, mention_key, sentence)
        position = np.arange(len(word)) - np.repeat(self.starts[:-1], lengths)
        length = np.repeat(lengths, lengths)
        width = len(_CUE_KINDS)
        around = np.zeros(len(word), dtype=np.intp)  # each token's cue bits (_CUE_SIDES x _CUE_KINDS)
        around[1:] |= np.where(position[1:] >= 1, kinds[:-1], 0)
        around[:-1] |= np.where(position[:-1] + 1 < length[:-1], kinds[1:], 0) << width
        around[2:] |= np.where(position[2:] >= 2, kinds[:-2], 0) << 2 * width
        source, bit = np.nonzero((around[mention, None] >> np.arange(len(_CUE_SIDES) * width)) & 1)
        counts = window_counts(
            (mention_key[source], sentence[source], bit),
            len(_CUE_SIDES) * width,
            (mention_key, sentence),
            DOCUMENT_WINDOW,
        )
        found = bitmasks(counts > 0)
        cued = np.flatnonzero(found)
        self._cued.update(zip(mention[cued].tolist(), map(_document_features, found[cued].tolist()), strict=True))


def with_document(features: list[list[str]], document: list[list[str]]) -> list[list[str]]:
    """A sentence's token features with its document features added (`ModelFeatures` adds those its
    model knows)."""
    for feats, extra in zip(features, document, strict=True):
        feats += extra
    return features
