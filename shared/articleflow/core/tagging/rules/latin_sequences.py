"""Latin scripts: capitalised sequences, typed as person, place or organisation by their words and
what surrounds them (titles, given names, verbs of saying)."""

from __future__ import annotations

import re
from functools import cache, cached_property

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.rules.german_organisations import de_org_span, de_org_word, de_title
from articleflow.core.tagging.rules.latin_words import (
    PERSON_CONJUNCTIONS,
    SECOND_CONNECTORS,
    capish,
    clitic_skip,
    conjoined_head,
    conjoined_tail,
    strip_clitic,
)
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token
from articleflow.models.entities import EntityType

_HUMP_RE = re.compile(r"[A-Z][a-z]{2,}|[A-Z][a-z]+$|^[A-Z][a-z]+")


def capitalised_sequences(ctx: Context, places: list[Candidate]) -> list[Candidate]:
    """Persons and organisations from capitalised word sequences (Latin scripts).

    Leading stopwords and titles are dropped (a title makes what follows a person, even one word);
    an organisation word (Ministry, Forces, Inc, Bộ ...) makes the sequence an organisation; a
    sequence of two or more remaining words is a person. Places found by the gazetteer at the start
    of a sequence are split off (`Tokyo Governor Yuriko Koike`).
    """
    return _CapitalisedSequences(ctx, places).find()


class _CapitalisedSequences:
    """One text's capitalised sequences, with the word lists and the places that type them."""

    def __init__(self, ctx: Context, places: list[Candidate]) -> None:
        self.ctx = ctx
        self.tokens = ctx.tokens
        self.titles = set(lx.words("latin_titles"))
        self.lower_titles = lx.keys("latin_lower_titles")
        self.stopwords = set(lx.words("latin_stopwords"))
        self.connectors = lx.keys("latin_connectors")
        self.org_words = set(lx.words("latin_org_words"))
        self.place_words = set(lx.words("latin_place_words"))
        self.place_at = {c.start: c for c in places}
        self.german = ctx.lang == "de"
        self.given_names = set(lx.words("de_given_names"))
        self.surname_prefixes = set(lx.words("latin_surname_prefixes"))
        self.evidence = _PersonEvidence(ctx)

    def find(self) -> list[Candidate]:
        tokens = self.tokens
        out: list[Candidate] = []
        after = 0  # the token after the last sequence
        for i in [i for i, tok in enumerate(tokens) if not tok.arabic and capish(self.ctx, tok)]:
            if i < after or (out and tokens[i].start < out[-1].end):  # inside a name found (its conjoined tail)
                continue
            seq = self._sequence(i)
            after = seq[-1] + 1
            for part in self._parts(seq):
                found = self._typed(part, out)
                if found is not None:
                    if out and found.start < out[-1].end:
                        out.pop()  # "The Securities" before "and Exchange Commission", now part of it
                    out.append(found)
        return out

    def _parts(self, seq: list[int]) -> list[list[int]]:
        """The names a sequence holds: an organisation and the titled person after it (Bank of England |
        Governor Andrew Bailey), or a titled person and the organisation after "of" (Professor Anders
        Lindqvist | of Uppsala University). A title inside an organisation's name stays (Ministry of
        Defence, Ministry of Foreign Affairs): it follows a connector, or no name follows it."""
        words = [self.tokens[k] for k in seq]
        titles, connectors = self.titles, self.connectors
        org = [w.text in self.org_words for w in words]
        for x in range(1, len(words)):
            before = words[x - 1]
            if (
                words[x].text in titles
                and any(org[:x])
                and not org[x]
                and before.text not in titles
                and before.key not in connectors
                and any(w.text not in titles and w.key not in connectors for w in words[x + 1 :])
            ):
                return [seq[:x], *self._parts(seq[x:])]
        if words[0].text in titles:
            for x in range(1, len(words) - 1):
                if words[x].key == "of" and any(org[x + 1 :]) and not any(org[:x]) and words[x - 1].text not in titles:
                    return [seq[:x], seq[x + 1 :]]
        return [seq]

    def _sequence(self, i: int) -> list[int]:
        """Token indices of the sequence starting at i: capitalised tokens and the connectors between
        them, with only spaces in between."""
        ctx, tokens, connectors = self.ctx, self.tokens, self.connectors
        n = len(tokens)
        j = i
        seq = [i]
        while j + 1 < n and tokens[j].joined:
            nxt = tokens[j + 1]
            if capish(ctx, nxt) and not nxt.arabic:
                seq.append(j + 1)
                j += 1
            elif nxt.key in connectors and j + 2 < n and nxt.joined and self._continues(tokens[j + 2]):
                seq.extend([j + 1, j + 2])
                j += 2
            elif (
                nxt.key in connectors
                and j + 3 < n
                and nxt.joined
                and tokens[j + 2].joined
                and tokens[j + 2].key in SECOND_CONNECTORS
                and self._continues(tokens[j + 3])
            ):
                seq.extend([j + 1, j + 2, j + 3])  # de la, de las, von der, of the
                j += 3
            else:
                break
        return seq

    def _continues(self, word: Token) -> bool:
        """Whether a capitalised word after a connector carries the name on: not a day, a month or
        another function word ("Ford Motor Company on Monday", "Capitol on July 4")."""
        return (
            capish(self.ctx, word)
            and word.text not in self.stopwords
            and self.ctx.gazetteer.month(word.key, self.ctx.latin_mask) is None
        )

    def _typed(self, seq: list[int], out: list[Candidate]) -> Candidate | None:
        """The place, organisation or person the sequence names, if any (`out`: found so far)."""
        tokens, connectors, org_words = self.tokens, self.connectors, self.org_words
        words = [tokens[k] for k in seq]
        # a lower-case title before the name (the mayor Anne Hidalgo), but not "of" a place (la maire d'Argentan)
        titled = (
            seq[0] - 1 >= 0
            and tokens[seq[0] - 1].joined
            and tokens[seq[0] - 1].key in self.lower_titles
            and not clitic_skip(words[0])
        )
        if len(words) > 2 and words[0].sentence_start and words[1].key in connectors and not titled:
            words.pop(0)  # "Traffic on the Harbour Bridge": the first word is capitalised by position
        if len(words) > 1 and words[-1].text in self.place_words:
            return self._place(words)  # Union Station, Sinhalese Sports Club Ground: the place word ends it
        if any(w.text in org_words or strip_clitic(w) in org_words or (self.german and de_org_word(w)) for w in words):
            return self._organisation(seq, words, out)
        brand = self._drop_leading(list(words))
        if len(brand) == 1 and self._camel_case(brand[0].text):
            return self._candidate(brand, "ORGANIZATION")  # WeWork, PayPal, SoftBank: a company's spelling
        return self._person(words, titled, out)

    def _camel_case(self, word: str) -> bool:
        """A capital inside a word after lower-case letters and before two more (WeWork, not PhD),
        and not a surname's prefix (McDonald, DeSantis, LeBron)."""
        humps = _HUMP_RE.findall(word)
        return len(humps) > 1 and "".join(humps) == word and humps[0] not in self.surname_prefixes

    def _drop_leading(self, words: list[Token]) -> list[Token]:
        while words and (words[0].text in self.stopwords or words[0].key in self.connectors):
            words.pop(0)
        return words

    def _candidate(self, words: list[Token], type_: EntityType) -> Candidate:
        start = words[0].start + clitic_skip(words[0])
        key = name_key(self.ctx.text[start : words[-1].end])
        return Candidate(start, words[-1].end, type_, entity_key(type_, key), 0.7, "capitalised")

    def _place(self, words: list[Token]) -> Candidate | None:
        """A sequence ending in a place word (Harbour Bridge, Central Station)."""
        words = self._drop_leading(words)
        return self._candidate(words, "LOCATION") if len(words) > 1 else None

    def _organisation(self, seq: list[int], words: list[Token], out: list[Candidate]) -> Candidate | None:
        """A sequence with an organisation word: the whole sequence minus leading stopwords."""
        german, org_words, connectors = self.german, self.org_words, self.connectors
        words = self._drop_leading(words)
        while words and words[-1].key in connectors:
            words.pop()
        if german and words:
            words = de_org_span(words, org_words, connectors)
        if len(words) == 1 and (words[0].text in org_words or (german and not de_org_word(words[0], True))):
            return None
        if not words:
            return None
        head = conjoined_head(self.ctx, self.evidence.index[words[0].start], self.stopwords)
        if (
            head
            and head[0].start not in self.place_at
            and not (out and out[-1].end > head[0].start and out[-1].type == "PERSON")
        ):
            words = head + words
        last_tok = seq[-1] if words[-1] is self.tokens[seq[-1]] else None
        if last_tok is not None and any(w.key in connectors for w in words):
            words += conjoined_tail(self.ctx, last_tok)  # Ministerio de Agricultura y Pesca
        return self._candidate(words, "ORGANIZATION")

    def _person(self, words: list[Token], titled: bool, out: list[Candidate]) -> Candidate | None:
        """A person: what is left once titles, stopwords and places are dropped, with evidence."""
        connectors, stopwords, text = self.connectors, self.stopwords, self.ctx.text
        words, titled = self._drop_titles_and_places(words, titled)
        if self.german:
            found = self._german_person(words, titled)
            if found is None:
                return None
            words, titled = found
        while words and (words[-1].key in connectors or words[-1].text in stopwords):
            words.pop()
        if not words or any(w.upper and len(w.text) > 1 and "." not in w.text for w in words):
            return None
        if words[-1].text in self.titles:
            return None  # "Foreign Minister said": a role, not a name (a name never ends in a title)
        if len(words) == 1 and not titled:
            return None
        if sum(1 for w in words if w.key not in connectors) > 4:
            return None
        if any(w.start in self.place_at and words[x - 1].key in connectors for x, w in enumerate(words) if x):
            return None  # "<noun> de <place>" (Vecinos de Sevilla), not a name
        coordinated = bool(out) and out[-1].type == "PERSON" and _coordinated(text, out[-1].end, words[0].start)
        if not self.german and not titled and not coordinated and not self.evidence.person(words):
            return None  # capitalised words alone do not make a person (Harbour Bridge, Night Bus)
        start = words[0].start + clitic_skip(words[0])
        end = words[-1].end
        key = name_key(text[start:end])
        rule = "title_person" if titled else "capitalised"
        return Candidate(
            start, end, "PERSON", entity_key("PERSON", key), 0.85 if titled else 0.65, rule, text[start:end]
        )

    def _drop_titles_and_places(self, words: list[Token], titled: bool) -> tuple[list[Token], bool]:
        """Leading stopwords, connectors and titles (a title makes the rest a person), and a place at
        the front with everything before it (Tokyo Governor Yuriko Koike)."""
        place_at = self.place_at
        while words:
            w = words[0]
            if w.text in self.stopwords or w.key in self.connectors:
                words.pop(0)
            elif (
                w.text in self.titles
                or w.text.rstrip(".") + "." in self.titles
                or (w.sentence_start and w.key in self.lower_titles)  # "Opener Tom Ashcroft made 97"
            ):
                titled = True
                words.pop(0)
            elif len(words) > 1 and w.text in self.evidence.given:
                break  # a given name that is a place too: Sam Fairweather, Jordan Henderson
            elif w.start in place_at or (w.start + clitic_skip(w)) in place_at:
                p = place_at.get(w.start) or place_at[w.start + clitic_skip(w)]
                words = [x for x in words if x.start >= p.end]
                titled = False
            else:
                break
        return words, titled

    def _german_person(self, words: list[Token], titled: bool) -> tuple[list[Token], bool] | None:
        """German capitalises nouns: a person needs a role word, a known given name or a title."""
        k = max((x for x, w in enumerate(words) if de_title(w)), default=-1)
        if k >= 0:
            return self._drop_leading(words[k + 1 :]), True
        if not titled and not (words and words[0].text in self.given_names):
            return None
        return words, titled


def _coordinated(text: str, end: int, start: int) -> bool:
    """Only "and" (or a comma) between two names: "Yoko Kamikawa and Minoru Kihara"."""
    between = text[end:start].strip(" ,")
    return between.lower() in PERSON_CONJUNCTIONS


@cache
def _latin_given_names() -> frozenset[str]:
    return frozenset(lx.words("latin_given_names")) | frozenset(lx.words("de_given_names"))


class _PersonEvidence:
    """What makes capitalised words a person's name in Latin-script text (titles are checked by the
    caller): a known given name first, a verb of saying right before or after ("Smith said", "said
    Jane Doe", "Payan a promis"), or the last word alone elsewhere in the text (a surname-only
    mention, a sentence's first word too: "Kamau said")."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.tokens = ctx.tokens
        self.gazetteer, self.place_mask = ctx.gazetteer, ctx.latin_mask
        self.given = _latin_given_names()
        self.saying = lx.keys("latin_saying_verbs")
        self.auxiliaries = lx.keys("latin_saying_auxiliaries")

    # built on the first question only: an Arabic article quoting one Latin word asks none
    @cached_property
    def index(self) -> dict[int, int]:
        return {t.start: k for k, t in enumerate(self.tokens)}

    @cached_property
    def alone(self) -> dict[str, list[int]]:
        """Where each capitalised word stands alone (its start offsets): a surname-only mention."""
        ctx, tokens = self.ctx, self.tokens
        n = len(tokens)
        alone: dict[str, list[int]] = {}
        for k, t in enumerate(tokens):
            if (
                t.cap
                and not (k and tokens[k - 1].joined and capish(ctx, tokens[k - 1]))
                and not (t.joined and k + 1 < n and capish(ctx, tokens[k + 1]))
            ):
                alone.setdefault(t.text, []).append(t.start)
        return alone

    def person(self, words: list[Token]) -> bool:
        if words[0].text in self.given or (len(words) > 1 and self._mentioned_alone(words)):
            return True
        first, last = self.index[words[0].start], self.index[words[-1].start]
        tokens = self.tokens
        if first > 0 and tokens[first - 1].joined and tokens[first - 1].key in self.saying:
            return True
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        if after is None or self.text[tokens[last].end : after.start].strip(" ,"):
            return False
        if after.key in self.saying:
            return True
        verb = tokens[last + 2] if last + 2 < len(tokens) else None
        return after.key in self.auxiliaries and after.joined and verb is not None and verb.key in self.saying

    def _mentioned_alone(self, words: list[Token]) -> bool:
        """The last word alone somewhere outside these words ("of the Zodiac" is inside "Knights of
        the Zodiac": the connectors leave its last word alone, which is no evidence of a surname),
        and not a known place's name (California alone names the state: "Southern California")."""
        last = words[-1]
        if self.gazetteer.lookup(last.key, self.place_mask) is not None:
            return False
        start, end = words[0].start, last.end
        return any(not start <= at < end for at in self.alone.get(last.text, ()))
