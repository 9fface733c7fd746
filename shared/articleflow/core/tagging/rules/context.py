"""The shared context of the rules: one text, tokenised, with the article's language and gazetteer masks;
clitic readings of a token; `NameIndex` and the longest-match walk over token keys."""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from functools import cached_property

from articleflow.core.tagging.arabic import latin_clitic_splits, name_key, proclitic_splits, token_key
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.scan import number_spans
from articleflow.core.tagging.text import Token, tokenize
from articleflow.models.entities import EntityType

ARABIC_SCRIPT_LANGS = ("ar", "fa", "ur", "ps")


@dataclass
class Context:
    """One text to tag, with what the rules need to know about the article."""

    text: str
    language: str = "und"
    gazetteer: Gazetteer = field(default_factory=get_gazetteer)
    tokens: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tokens:
            self.tokens = tokenize(self.text)
        lang = self.language.split("-")[0].lower()
        gaz = self.gazetteer
        self.lang = lang
        # Latin/other names: the article's language (all of them when unknown); Arabic script: always.
        self.latin_mask = gaz.all_languages_mask() if lang in ("und", "") else gaz.mask_for(lang)
        arabic_langs = (lang,) if lang in ARABIC_SCRIPT_LANGS else ("ar",)
        self.arabic_mask = gaz.mask_for(*arabic_langs)
        self.cyrillic_mask = gaz.script_mask("Cyrl")
        self._readings_by_word: dict[str, tuple[tuple[int, str], ...]] | None = None
        self.has_arabic = any(t.arabic for t in self.tokens)

    def words_with_reading_in(self, *containers: Container[str]) -> set[str]:
        """The distinct token texts with a reading key in one of `containers`: a rule tests a token
        with one set lookup instead of walking its readings (a token's readings depend on its
        text only, see `tokenize`)."""
        by_word = self._readings_by_word
        if by_word is None:
            by_word = self._readings_by_word = {t.text: t.readings for t in self.tokens}
        return {w for c in containers for w, readings in by_word.items() for _s, k in readings if k in c}

    @cached_property
    def numbers(self) -> list[tuple[int, int]]:
        """(start, end) of each run of digits: where dates and quantities start (`scan.finditer_near`)."""
        return number_spans(self.text)

    def readings(self, i: int) -> tuple[tuple[int, str], ...]:
        """(skip, key) readings of token i: the whole token, then clitic splits."""
        return self.tokens[i].readings

    def mask(self, tok: Token) -> int:
        if tok.arabic:
            return self.arabic_mask
        if "\u0400" <= tok.text[0] <= "\u04ff":
            return self.cyrillic_mask
        return self.latin_mask


def splits(tok: Token) -> list[tuple[int, str]]:
    """Readings of a token as clitics + word: ``[(0, "")]`` first, then proclitic/elision splits."""
    extra = proclitic_splits(tok.text) if tok.arabic else latin_clitic_splits(tok.text)
    return [(0, ""), *extra]


def split_key(tok: Token, skip: int, restore: str) -> str:
    return tok.key if not skip else restore + token_key(tok.text[skip:])


NameEntry = tuple[EntityType, str, str | None, str | None, bool, str, float]


@dataclass
class NameIndex:
    """Names keyed by matching key, with word-level prefixes for a longest-match walk.

    Each entry: (type, entity key, canonical, id, needs upper case, rule, confidence).
    """

    names: dict[str, NameEntry] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)

    def add(
        self,
        name: str,
        type_: EntityType,
        key: str,
        canonical: str | None,
        id_: str | None,
        *,
        key_is_name: bool = False,
        rule: str = "known_name",
        confidence: float = 0.75,
    ) -> None:
        nkey = name if key_is_name else name_key(name)
        if not nkey:
            return
        upper = not key_is_name and name.replace(".", "").replace(" ", "").isupper() and name.isascii()
        self.names.setdefault(nkey, (type_, key, canonical, id_, upper, rule, confidence))
        words = nkey.split(" ")
        for i in range(1, len(words)):
            self.prefixes.add(" ".join(words[:i]))

    def copy(self) -> NameIndex:
        return NameIndex(dict(self.names), set(self.prefixes))


def longest_match(
    tokens: list[Token], i: int, get: Callable[[str], object | None], prefixes: Container[str]
) -> tuple[int, int, object] | None:
    """The longest name starting at token `i`: tries the token's readings in order (the whole token
    first, then without proclitics/elisions) and extends over space-joined tokens while the key is a
    known prefix. Returns (skip, last token index, hit) or None."""
    n = len(tokens)
    for skip, key in tokens[i].readings:
        best: tuple[int, object] | None = None
        j = i
        while True:
            hit = get(key)
            if hit is not None:
                best = (j, hit)
            if j + 1 >= n or not tokens[j].joined or key not in prefixes:
                break
            j += 1
            key = key + " " + tokens[j].key
        if best is not None:
            return skip, best[0], best[1]
    return None
