"""From spans a model found (Comprehend, CRF) to entities, with the offline tagger's linker and rules.

A model backend produces `ModelSpan`s per text (offsets into that text). `spans_to_entities` then:

1. trims each span (edge spaces/punctuation) and drops proclitics and elisions the model kept
   (``وطوكيو`` -> ``طوكيو``, ``l'Ukraine`` -> ``Ukraine``), so spans follow the offline convention;
   completes a person cut after a name particle (``حمد بن عيسى آل`` -> ``... آل خليفة``), splits
   what one span ran together (a country before a person, two organisations joined by و and a head)
   and corrects the type where the words around say otherwise (في + place, a club's city);
2. links it with `linker.link_span` (ISO 3166/GeoNames ids, curated organisations and products);
3. adds what the rules find: dates, model designators (F-35, PAC-3), a quoted or Latin name after
   an Arabic organisation head (شركة "إعمار العقارية"), curated names and the publisher's aliases (and
   quantities when asked);
4. resolves overlaps (longest span wins), applies the alias table, and merges mentions into entities.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging import rules
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.arabic import conjunction_skip, name_key
from articleflow.core.tagging.frequencies import word_zipf
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.linker import link_span
from articleflow.core.tagging.merge import merge, resolve_overlaps
from articleflow.core.tagging.rules import Context
from articleflow.core.tagging.spans import Candidate, FieldText, entity_key
from articleflow.core.tagging.text import TOKEN_RE, word_info
from articleflow.models.entities import Entity, EntityType

MODEL_RULE = "model"
MODEL_PRIORITY = 65  # same-length tie-breaks: below designators/dates/curated/places, above capitalised
_EDGE = " \t\n\u00a0\u200e\u200f\u202f.,;:!?؟،؛\"'«»“”‘’()[]{}<>-–—/"
# proclitics followed by the article: وال، فال، بال، كال، وبال، فبال ... (the article stays in the name)
_AR_CLITIC_BEFORE_ARTICLE = re.compile(r"^(?:[وف][بك]?|[بك])(?=ال[^\W\d_]{2,})")
# لل = ل + ال with the alef elided (للقوات): the offline rules show the word after لل
_AR_LAM_LAM = re.compile(r"^[وف]?لل(?=[^\W\d_]{2,})")
_AR_NAME_AFTER_CONJ = re.compile(r"[\u0621-\u064a]{3,}")
# the words that join a person's names (حمد بن عيسى آل خليفة، سعد بن أبي وقاص، جان مارك دو لا سابليير):
# a person's span never ends on one
_NAME_PARTICLES = frozenset(
    {"بن", "ابن", "بنت", "ال", "ابو", "ابي", "ابا", "عبد", "ولد", "ام", "دو", "دي", "دا", "فان", "فون"}
)
_ROMANCE_PARTICLES = frozenset({"دو", "دي", "دا"})
_ROMANCE_ARTICLES = frozenset({"لا", "لو"})  # after one of those only (دو لا، دي لا)
_NEXT_WORD = re.compile(r"[ \u00a0]+([^\W\d_]+)")
# على and إلى spelt with alef maksura are prepositions, never a name's first word; the keys fold على
# into the given name علي, and the model read فاز الرجاء على الوداد as a person على الوداد. In
# ANERcorp's train part على is outside a name 1,445 times and starts one once; علي is a person 43 times.
_LEADING_PREPOSITION = re.compile(r"(?:على|إلى)\s+(?=\S)")
_LATIN_ELISION = re.compile(r"^(?:[ldjmnstcLDJMNSTC]|[qQ]u)['’](?=[A-ZÀ-ÖØ-Þ])")
_LINKABLE: dict[EntityType, EntityType | None] = {
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "PRODUCT": "PRODUCT",
    "OTHER": None,
}


@dataclass(frozen=True, slots=True)
class ModelSpan:
    start: int
    end: int
    type: EntityType
    score: float = 0.8


def _known_predicate(gaz: Gazetteer, aliases: AliasTable | None) -> Callable[[str], bool]:
    """Whether a word's key, once a proclitic is read off, is a word a name starts with: a known name,
    or a head noun (بجامعة القاهرة، لمجلس الأمن: the name is جامعة القاهرة, مجلس الأمن)."""
    curated = rules.curated_index().names
    orgs = lx.org_names()
    heads = lx.keys_of("ar_org_heads", "ar_business_heads", "ar_org_triggers") | lx.facility_heads().keys()

    def known(key: str) -> bool:
        return (
            gaz.knows(key)
            or key in curated
            or key in orgs
            or key in heads
            or (aliases is not None and key in aliases.entries)
        )

    return known


def trim_span(text: str, start: int, end: int, known: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """Drop edge punctuation/spaces and leading proclitics/elisions; returns the new (start, end)."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if start >= end:
        return start, start
    first = TOKEN_RE.search(text, start, end)  # the first word only: what a proclitic may lead
    if first is None:
        return start, end
    word = first.group()
    key, arabic, _cap, _upper, _digit, readings = word_info(word)
    skip = 0
    # كريم is Karim, not ك + ريم (a place too); a known name whole is no clitic + word (كاليفورنيا, not ك + اليفورنيا)
    if arabic and not _a_given_name(key) and not (known is not None and known(key)):
        for s, key in readings[1:]:
            if known is not None and known(key):
                skip = s
                break
        if not skip:
            m = _AR_LAM_LAM.match(word) or _AR_CLITIC_BEFORE_ARTICLE.match(word)
            if m and len(word) - m.end() >= 3:
                skip = m.end()
    else:
        m = _LATIN_ELISION.match(word)
        if m:
            skip = m.end()
    if skip and skip < len(word):
        start = first.start() + skip
    return start, end


def _coordinated_person(text: str, previous: ModelSpan | None, span: ModelSpan, start: int) -> bool:
    """A person span starting with و right after another person: the و is the conjunction (a corpus
    token such as ومينورو carries it), not the name's first letter (وليد، ويليام)."""
    return (
        span.type == "PERSON"
        and previous is not None
        and previous.type == "PERSON"
        and text[start : start + 1] == "و"
        and not text[previous.end : span.start].strip(" ،,")
        and _AR_NAME_AFTER_CONJ.match(text, start + 1) is not None
    )


def complete_person(text: str, start: int, end: int) -> int:
    """The end of a person's span that ended on a name particle (`_NAME_PARTICLES`): the name's next
    words are taken (up to three), or the particle dropped where no name word follows."""
    particles = _NAME_PARTICLES
    for _ in range(3):
        last = text.rfind(" ", start, end) + 1 or start
        particle = name_key(text[last:end])
        if particle not in particles:
            return end
        nxt = _NEXT_WORD.match(text, end)
        articles = _ROMANCE_ARTICLES if particle in _ROMANCE_PARTICLES else frozenset()
        if nxt is None or (name_key(nxt.group(1)) in lx.keys("ar_stopwords") - articles):
            return len(text[:last].rstrip())
        end = nxt.end()
        particles = _NAME_PARTICLES | articles
    return end


# Zipf frequency from which a word is common in general Arabic text (three times in 100,000 words)
_COMMON_ZIPF = 4.5


def _before_an_object(text: str, start: int, end: int) -> int:
    """The end of a person's span of two words or more without its last word when that word is an
    indefinite accusative noun, the verb's object (عقد عباس اجتماعا، قدم مها أحمد برنامجا: "a meeting",
    "a programme"): it ends in ا, with a common word before the ا, and no name list knows it (رشا، لينا).
    ANERcorp folds: 4 spans right again, none lost."""
    last = text.rfind(" ", start, end)
    if last < 0:
        return end
    key = name_key(text[last + 1 : end])
    if len(key) < 4 or not key.endswith("ا") or word_zipf(key[:-1]) < _COMMON_ZIPF or _a_name_word(key):
        return end
    return len(text[:last].rstrip())


def _with_family_name(text: str, end: int) -> int:
    """The end of a person's span with the family name after it, if the word after it is one: definite,
    ending in ي, in the public surname list and rare in general text (ريم فايز الحديدي، جاسم علي المناعي;
    not a demonym or an adjective, الفلسطيني، الثاني, nor a verb, أولمرت التقى)."""
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None:
        return end
    word = nxt.group(1)
    key = name_key(word)
    if (
        word.endswith("ي")
        and key.startswith("ال")
        and key in lx.person_names("ar_surnames")
        and word_zipf(key) < _COMMON_ZIPF
    ):
        return nxt.end()
    return end


def _a_name_word(key: str) -> bool:
    """Whether a word is in our given names or a public Arabic-script name list (`lexicon.person_names`)."""
    return _a_given_name(key) or key in lx.person_names("ar_surnames") or key in lx.person_names("ar_foreign")


def _a_given_name(key: str) -> bool:
    """Whether a word is a given name as it stands, in our list or the public one: no proclitic leads it
    (كريم، فاتن، كروس). The surname and foreign lists also hold clitic forms (بروسيا، بنوك)."""
    return key in lx.keys("ar_given_names") or key in lx.person_names("ar_given")


_WORD_BEFORE = re.compile(r"(?:^|(?<=\s))([^\W\d_]+)[ \u00a0]+$")
# after في ("in") a name is a place: in ANERcorp's train part a place 589 times, a person 3
_IN = frozenset({"في", "وفي", "ففي"})


def word_before(text: str, start: int) -> re.Match[str] | None:
    """The word right before `start`, only spaces between (group 1), if one is."""
    return _WORD_BEFORE.search(text, max(0, start - 30), start)


# a king's, a prince's or a sheikh's name after a facility's head (ملعب الأمير مولاي عبد الله)
_ROYAL_TITLES = frozenset(name_key(w) for w in ("الملك", "الملكة", "الأمير", "الأميرة", "الشيخ", "الشيخة", "السلطان"))


def _named_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The facility a person's span names, if a facility's head comes right before it, or before a royal
    title before it: ملعب محمد الخامس، مطار الملكة علياء الدولي are places, not people. Not after a
    region's or a natural feature's head (مدينة، جبل: `ar_region_heads`), where a person's name is rare."""
    before = word_before(text, start)
    if before is not None and name_key(before.group(1)) in _ROYAL_TITLES:
        before = word_before(text, before.start(1))
    if before is None:
        return None
    readings = word_info(before.group(1))[5]
    skip = next((s for s, k in readings if k in lx.facility_heads() and k not in lx.keys("ar_region_heads")), None)
    if skip is None:
        return None
    closing = _NEXT_WORD.match(text, end)
    if closing is not None and name_key(closing.group(1)) in lx.keys("ar_facility_name_ends"):
        end = closing.end()
    return before.start(1) + skip, end


def _club_around_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a sports club named by a city and a word before or after it, if the place is one."""
    before = word_before(text, start)
    if before is not None:  # و on the club's word stays out (واتحاد طنجة)
        skip = conjunction_skip(name_key(before.group(1)), lx.keys("ar_club_before_place"))
        if skip is not None:
            return before.start(1) + skip, end
    after = _NEXT_WORD.match(text, end)
    if after is not None and name_key(after.group(1)) in lx.keys("ar_club_after_place"):
        return start, after.end()
    return None


_AND_WORD = re.compile(r" و([^\W\d_]+)")


def _second_organisation(text: str, start: int, end: int) -> list[int]:
    """Where each further organisation starts in an organisation's span that joins several with و
    and a head noun (جامعة قطر وجامعة مالايا: after the و)."""
    heads = lx.keys_of("ar_org_heads", "ar_org_triggers")
    return [m.start(1) for m in _AND_WORD.finditer(text, start, end) if name_key(m.group(1)) in heads]


# the countryside of a place is a place of its own, with its side (ريف دمشق، بريف حلب الشمالي): the model
# tags ريف and the city apart, the city alone, or ريف alone
_COUNTRYSIDE = re.compile(r"[وفبل]?(ريف)(?:[ \u00a0]+([^\W\d_]+)(?:[ \u00a0]+([^\W\d_]+))?)?(?!\w)")
_COUNTRYSIDE_BEFORE = re.compile(r"(?<!\w)[وفبل]?(ريف)[ \u00a0]+$")
_SIDE_AFTER = re.compile(r"(?:[ \u00a0]+ال(?:شمالي|جنوبي|شرقي|غربي)){1,2}(?!\w)")


def _countryside(text: str, spans: list[ModelSpan], known: Callable[[str], bool]) -> list[ModelSpan]:
    """`spans` with ريف and the place after it one place, its side included (ريف حلب الشمالي); a span
    opening with ريف and no known place after it is no name (ريف هادئ, "a quiet countryside")."""
    out: list[ModelSpan] = []
    for span in spans:
        region = None
        if span.type == "LOCATION" and (before := _COUNTRYSIDE_BEFORE.search(text, max(0, span.start - 8), span.start)):
            region = (before.start(1), span.end)
        elif span.type == "LOCATION" and (opening := _COUNTRYSIDE.match(text, span.start)):
            place = opening.group(2)
            if place is None:
                continue
            if opening.group(3) is not None and known(name_key(f"{place} {opening.group(3)}")):
                place_end = opening.end(3)  # ريف دير الزور
            elif known(name_key(place)):
                place_end = opening.end(2)
            else:
                continue
            region = (opening.start(1), max(span.end, place_end))
        if region is None:
            out.append(span)
            continue
        start, end = region
        side = _SIDE_AFTER.match(text, end)
        out = [s for s in out if s.start < start - 1]  # not the model's ريف before its city
        out.append(ModelSpan(start, side.end() if side else end, "LOCATION", span.score))
    return out


class SpanLinker:
    """Turns the model's spans of each text into entities (see the module docstring)."""

    def __init__(
        self,
        tagger: str,
        *,
        aliases: AliasTable | None = None,
        gazetteer: Gazetteer | None = None,
        quantities: bool = False,
    ) -> None:
        self.tagger = tagger
        self.aliases = aliases
        self.gazetteer = gazetteer or get_gazetteer()
        self.quantities = quantities
        self._known = _known_predicate(self.gazetteer, aliases)

    def model_candidates(self, text: str, spans: list[ModelSpan], language: str) -> list[Candidate]:
        """The model's own spans, trimmed (no proclitic, no edge punctuation) and linked."""
        out: list[Candidate] = []
        previous: ModelSpan | None = None
        for span in _countryside(text, spans, self._known):
            start, end = trim_span(text, span.start, span.end, self._known)
            if (m := _LEADING_PREPOSITION.match(text, start, end)) is not None:
                if span.type == "PERSON":  # read as the name علي: the rest is no person either
                    continue
                start = m.end()
            if _coordinated_person(text, previous, span, start):
                start += 1  # يوكو كاميكاوا ومينورو كيهارا: the conjunction joins two people
            previous = span
            out += [
                self._link(text, s, e, part, language) for s, e, part in self._names(text, span, start, end) if e > s
            ]
        return out

    def _names(self, text: str, span: ModelSpan, start: int, end: int) -> list[tuple[int, int, ModelSpan]]:
        """The names one trimmed span holds: a "person" right after في is a place; a person completed
        past a trailing name particle, with a country opening it split off (رئيس وزراء ماليزيا أنور
        إبراهيم); a city with a club's word is the club; organisations joined by و and a head split
        (جامعة قطر وجامعة مالايا)."""
        if span.type == "PERSON" and (before := word_before(text, start)) is not None and before.group(1) in _IN:
            span = ModelSpan(start, end, "LOCATION")  # في كوبرتينو
        if span.type == "PERSON" and " " in text[start:end] and self.gazetteer.knows(name_key(text[start:end])):
            span = ModelSpan(start, end, "LOCATION")  # تيزي وزو: a known place's name of several words
        if span.type == "PERSON":
            end = _with_family_name(text, _before_an_object(text, start, complete_person(text, start, end)))
            facility = _named_after(text, start, end)
            if facility is not None:  # ملعب محمد الخامس، مطار الملكة علياء الدولي
                return [(*facility, ModelSpan(*facility, "LOCATION"))]
            country = self._country_before_person(text, start, end)
            if country is not None:
                return [(start, country, ModelSpan(start, country, "LOCATION")), (country + 1, end, span)]
        if span.type == "LOCATION":
            club = _club_around_place(text, start, end)
            if club is not None:  # دينامو كييف، مانشستر يونايتد
                return [(*club, ModelSpan(*club, "ORGANIZATION"))]
        if span.type == "ORGANIZATION":
            cuts = _second_organisation(text, start, end)
            return list(zip([start, *cuts], [cut - 2 for cut in cuts] + [end], [span] * (len(cuts) + 1), strict=True))
        return [(start, end, span)]

    def _country_before_person(self, text: str, start: int, end: int) -> int | None:
        """The end of a country's name opening a person's span of three words or more, if one does."""
        first = text.find(" ", start, end)
        if first < 0 or text.count(" ", first + 1, end) < 1:
            return None
        place = self.gazetteer.lookup(name_key(text[start:first]), self.gazetteer.all_languages_mask())
        return first if place is not None and place.kind == "country" else None

    def candidates(self, text: str, spans: list[ModelSpan], language: str) -> list[Candidate]:
        out = self.model_candidates(text, spans, language)
        ctx = Context(text, language, self.gazetteer)
        out += rules.find_dates(ctx)
        out += rules.find_designators(text)
        out += rules.arabic_named_organisations(ctx)
        out += rules.find_names(ctx, rules.curated_index())
        if self.aliases is not None and len(self.aliases):
            out += rules.find_names(ctx, self.aliases.name_index())
        if self.quantities:
            out += rules.find_quantities(ctx)
        return out

    def _link(self, text: str, start: int, end: int, span: ModelSpan, language: str) -> Candidate:
        surface = text[start:end]
        if span.type in _LINKABLE:
            link = link_span(surface, _LINKABLE[span.type], language)
            if link is not None and link.end > link.start:
                return Candidate(
                    start + link.start,
                    start + link.end,
                    link.type,
                    link.key,
                    max(span.score, 0.5),
                    MODEL_RULE,
                    canonical=link.canonical,
                    id=link.id,
                    priority=MODEL_PRIORITY + 1,
                )
        key = entity_key(span.type, name_key(surface))
        return Candidate(start, end, span.type, key, span.score, MODEL_RULE, priority=MODEL_PRIORITY)

    def entities(self, fields: list[FieldText]) -> list[Entity]:
        """Resolve, alias, merge: `fields` carry their candidates (see `candidates`)."""
        for f in fields:
            f.candidates = resolve_overlaps(f.candidates)
            for c in f.candidates:
                c.field = f.field
                c.index = f.index
        if self.aliases is not None:
            self.aliases.apply_to_candidates(fields)
        entities = merge(fields, tagger=self.tagger)
        if self.aliases is not None:
            entities = self.aliases.apply_to_entities(entities)
        return entities

    def tag_fields(self, fields: list[FieldText], spans: list[list[ModelSpan]], language: str) -> list[Entity]:
        """Entities from a model's spans per field (byline authors are taken whole, as offline does)."""
        for f, field_spans in zip(fields, spans, strict=True):
            if f.field == "byline":
                f.candidates = rules.byline_candidates(f)
            else:
                f.candidates = self.candidates(f.text, field_spans, language)
        return self.entities(fields)


__all__ = ["ModelSpan", "SpanLinker", "trim_span"]
