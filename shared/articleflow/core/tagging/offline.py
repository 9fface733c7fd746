"""The offline tagger (the default backend): rules, a compact gazetteer and, for Arabic, a shipped CRF
model; no network.

For Arabic text a statistical model trained on ANERcorp (`data/ner-ar.crfsuite`, see its licence
file beside it) proposes people, places, organisations and other names; its spans are trimmed of
proclitics and linked like any model's (`modelspans.SpanLinker`) and replace the Arabic rules'
guesses (`OfflineTagger._with_model`). The model is opened once per process (`arabic_model`), on
first use or earlier through `load_model()` / `tagging.get_default_tagger()` (init, or a
before-snapshot hook), so that no event pays for it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging import rules
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.arabic import conjunction_skip, has_arabic, name_key, proclitic_splits
from articleflow.core.tagging.frequencies import word_zipf
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.merge import merge, resolve_overlaps
from articleflow.core.tagging.modelspans import MODEL_RULE, ModelSpan, SpanLinker, word_before
from articleflow.core.tagging.rules import Context, NameIndex, is_definite
from articleflow.core.tagging.spans import Candidate, FieldText, entity_key
from articleflow.core.tagging.text import word_info
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity

if TYPE_CHECKING:
    from articleflow.core.tagging.crf import CrfModel

log = logging.getLogger("articleflow.tagging.offline")

DEFAULT_ARABIC_MODEL = Path(__file__).resolve().parents[2] / "data" / "ner-ar.crfsuite"
_SCRIPT_LANGUAGE = {"Arab": "ar", "Cyrl": "ru"}
_RULES_ONLY_TYPES = frozenset({"DATE", "QUANTITY", "PRODUCT"})
_MODEL_REPLACES = frozenset({"title_person", "org_pattern", "place", "facility", "capitalised", "club"})


@cache
def arabic_model(path: Path = DEFAULT_ARABIC_MODEL) -> CrfModel | None:
    """The Arabic CRF model, opened once per process; None (rules only) without numpy."""
    from articleflow.core.tagging.crf import CrfModel

    try:
        return CrfModel(path)
    except ImportError:  # pragma: no cover - the tag function ships numpy
        log.warning("numpy is not installed: Arabic is tagged by the rules alone")
        return None


def _occupied(text: str, candidates: list[Candidate]) -> bytearray:
    """One byte per character of `text`: 1 where one of `candidates` lies."""
    taken = bytearray(len(text) + 1)
    for c in candidates:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    return taken


# "مسقط - ", "القاهرة (وكالات) –": the place a story was filed from, before the first dash of its body,
# is a place whether or not the model says so (ANERcorp 3-fold CV: no change; its sentences carry none)
_DATELINE_END = re.compile(r"\s*(?:\([^()\n]{1,40}\)\s*)?[-–—:]")


def _is_dateline(text: str, c: Candidate) -> bool:
    return c.start < 40 and not text[: c.start].strip() and _DATELINE_END.match(text, c.end) is not None


# "led by" (بقيادة، برئاسة، بزعامة): a head noun read with ب, followed by the person who leads
_LED_BY = frozenset(name_key(w) for w in ("بقيادة", "وبقيادة", "برئاسة", "وبرئاسة", "بزعامة", "وبزعامة"))


def _org_after_head(text: str, c: Candidate) -> Candidate:
    """A person the model found right after an indefinite organisation head, in construct with it
    (مجموعة لولو هايبرماركت، شركة ديمورا), is the organisation. After a definite head a person may
    follow (رئيس المحكمة جعفر الموسوي). ANERcorp 3-fold CV: 3 spans of 27,000 change (neutral)."""
    m = word_before(text, c.start) if c.type == "PERSON" else None
    if m is None or m.group(1).startswith("لل") or name_key(m.group(1)) in _LED_BY:
        return c
    heads = lx.keys_of("ar_org_heads", "ar_business_heads")
    if not any(k in heads and not is_definite(k) for _skip, k in word_info(m.group(1))[5]):
        return c
    return replace(c, type="ORGANIZATION", key=entity_key("ORGANIZATION", c.key.split("|", 1)[1]))


# A place the model passed over stays after a place cue (في، إلى، مدينة: `ar_place_triggers`) when
# general Arabic text rarely uses its words (وصل إلى بعقوبة); a frequent one (إلى الزرقاء, "the blue")
# is left to the model. ANERcorp 3-fold CV, default tagger: LOCATION P/R 0.896/0.832 -> 0.894/0.837,
# F1 0.863 -> 0.864, overall 0.755 -> 0.756; at 3.5 recall gains less, at 4.5 precision loses more.
# The cue may carry a conjunction (وفي سوسة), or be ب on the place (بصفاقس) when the word is rarer with
# it than without (not بنوك, "banks"): LOCATION 0.865 -> 0.866 (P/R 0.894/0.838 -> 0.893/0.840), 8 more
# places right on the folds. Anywhere, without a cue, at Zipf under 3.5: 0.864. Plural and dual place
# nouns are cues too (بلدتي عرسال: `ar_place_list_triggers`), and a place kept joins the next by و
# (`_after_a_place_and`): 3 more spans on the folds, 2 right. A name of several words needs one word
# under Zipf 4.5 (محافظة ذي قار, دير الزور: ذي and دير are common, الزور is 4.0).
RARE_PLACE_ZIPF = 4.0
RARE_NAME_WORD_ZIPF = 4.5


def _rare_place_after_cue(text: str, c: Candidate) -> bool:
    name = text[c.start : c.end]
    if not has_arabic(name):
        return False
    words = name.split()
    if _in_proclitic(text, c.start):  # and the word with ب on it rarer than without (not بنوك, "banks")
        if word_zipf("ب" + words[0]) >= word_zipf(words[0]):
            return False
    elif not _after_a_place_cue(text, c.start):
        return False
    return min(word_zipf(word) for word in words) < (RARE_PLACE_ZIPF if len(words) == 1 else RARE_NAME_WORD_ZIPF)


def _after_a_place_cue(text: str, start: int) -> bool:
    """Whether a place cue is the word before `start`, a conjunction on it or not (في، وفي، ومن)."""
    before = word_before(text, start)
    if before is None:
        return False
    triggers = lx.keys_of("ar_place_triggers", "ar_place_list_triggers")
    return conjunction_skip(name_key(before.group(1)), triggers) is not None


def _in_proclitic(text: str, start: int) -> bool:
    """Whether the preposition ب ("in") leads the word at `start` (بصفاقس), a conjunction before it or not."""
    return text[start - 1 : start] == "ب" and (start < 2 or not text[start - 2].isalpha() or text[start - 2] in "وف")


def _after_a_place_and(text: str, c: Candidate, located: bytearray) -> bool:
    """A gazetteer place joined by و to a place the model found (من عدن وتعز: the model passed over
    تعز, a word general text also uses). ANERcorp 3-fold CV, default tagger: LOCATION recall 0.837 ->
    0.838, precision unchanged (0.894); with the rare-word condition of `_rare_place_after_cue`, or
    Zipf under 4.5, it changed nothing there and missed تعز."""
    conjunction = c.start - 1
    if (
        conjunction < 1
        or text[conjunction] != "و"
        or not (text[conjunction - 1].isspace() or text[conjunction - 1] in "،,")
    ):
        return False
    last = conjunction - 1  # the last character of the word before, past spaces and commas
    while last >= 0 and (text[last].isspace() or text[last] in "،,"):
        last -= 1
    return last >= 0 and bool(located[last]) and has_arabic(text[c.start : c.end])


def _region_headed(text: str, c: Candidate) -> bool:
    """Whether a facility's head is a region or a natural feature (مدينة، جبل: `ar_region_heads`)."""
    return name_key(text[c.start : c.end]).split(" ")[0] in lx.keys("ar_region_heads")


def _replaced_by_full_name(text: str, c: Candidate, names: list[Candidate]) -> Candidate | None:
    """The model's span a rule's facility or organisation replaces: the shorter one opening it, when
    that is the only model span (`names`) it overlaps. A facility not headed by a region, or an
    organisation of three words or more ending on what it is for (للاستثمار, `rules.says_what_for`;
    ANERcorp leaves other endings out, a demonym: وزارة السياحة الإسرائيلية)."""
    if c.rule == "facility":
        if _region_headed(text, c):
            return None
    elif c.rule == "org_pattern":
        words = text[c.start : c.end].split()
        if len(words) < 3 or not rules.says_what_for(name_key(words[-1])):
            return None
    else:
        return None
    overlapping = [n for n in names if n.start < c.end and c.start < n.end]
    if len(overlapping) == 1 and overlapping[0].start == c.start and overlapping[0].end < c.end:
        return overlapping[0]
    return None


def _rule_kept(text: str, c: Candidate, taken: bytearray, located: bytearray) -> bool:
    """Whether a rule's candidate stays next to the Arabic model (see `OfflineTagger._with_model`)."""
    if c.type in _RULES_ONLY_TYPES or c.rule not in _MODEL_REPLACES:
        return True
    if 1 in taken[c.start : c.end]:
        return False
    if c.rule == "place" and (
        _is_dateline(text, c) or _rare_place_after_cue(text, c) or _after_a_place_and(text, c, located)
    ):
        return True
    if c.rule == "facility":
        return not _region_headed(text, c)
    if c.rule == "club":
        return True
    return c.rule == "org_pattern" and len(text[c.start : c.end].split()) > 2


_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "كم", "نا", "ه")


def _surname_like(key: str, gaz: Gazetteer) -> bool:
    """A last name that may stand alone for the person: not a function word, in Arabic not even with
    a clitic on it (وهو، معهم: the end of a name the model overreached) nor a known place (فلسطين), not an Arabic
    definite word (الأسد، العربي، الثاني are adjectives or nouns far more often than surnames).
    ANERcorp fold 1, default tagger: person precision 0.70 -> 0.76, recall unchanged (F1 0.710 -> 0.723)."""
    if len(key) < 3 or is_definite(key):
        return False
    stop = lx.keys("ar_stopwords")
    if not has_arabic(key):  # a Latin surname may be a place's name too (Lloyd Austin)
        return key not in stop
    readings = [key, *(restore + key[skip:] for skip, restore in proclitic_splits(key))]
    if any(r in stop or r in gaz.names for r in readings):
        return False
    return not any(key.endswith(p) and key[: -len(p)] in stop for p in _PRONOUN_SUFFIXES)


def _spreading_surnames(candidates: list[Candidate], gaz: Gazetteer) -> dict[str, set[str]]:
    """Last word -> keys of the persons it may stand alone for, elsewhere in the article.

    * A word of a place's, organisation's or other name in the article does not (معتقل غوانتانامو
      taken for a person; ANERcorp 3-fold CV of the default tagger +0.1 to +0.4 F1 per fold).
    * An Arabic one of a model's person only if it stands alone as a person somewhere: those spans overreach
      by a word (ناجي صبري عقد, "held"; spreading عقد made 14 wrong mentions in one fold; +0.3 to +1.0).
    """
    names = [(c.type, c.key.split("|", 1)[1]) for c in candidates]
    named_otherwise = {word for type_, name in names if type_ != "PERSON" for word in name.split(" ")}
    alone = {name for type_, name in names if type_ == "PERSON" and " " not in name}
    surnames: dict[str, set[str]] = {}
    for c, (type_, name) in zip(candidates, names, strict=True):
        last = name.rsplit(" ", 1)[-1]
        if (
            type_ == "PERSON"
            and last != name
            and last not in named_otherwise
            and (last in alone or c.rule != MODEL_RULE or not has_arabic(last))
            and _surname_like(last, gaz)
        ):
            surnames.setdefault(last, set()).add(c.key)
    return surnames


def article_language(article: NormalizedArticle) -> str:
    lang = (article.language or "und").split("-")[0].lower()
    if lang in ("und", "") and article.script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[article.script]
    return lang or "und"


def article_fields(article: NormalizedArticle) -> list[FieldText]:
    """The texts a tagger reads: body, title, each caption, each byline author."""
    fields = [FieldText("body", article.body)]
    if article.title:
        fields.append(FieldText("title", article.title))
    for i, cap in enumerate(article.captions):
        fields.append(FieldText("caption", cap.text, i))
    for i, author in enumerate(article.byline.authors):
        fields.append(FieldText("byline", author, i))
    return fields


class OfflineTagger:
    """Finds persons, places, organisations, products, dates and quantities with rules.

    >>> tagger = OfflineTagger()
    >>> entities = tagger.tag(article)  # list[Entity], mentions index the field they name
    """

    needs = frozenset({"aliases"})

    name = "offline"

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        aliases: AliasTable | None = None,
        arabic_model_path: str | Path | None = DEFAULT_ARABIC_MODEL,
    ) -> None:
        self.gazetteer = gazetteer or get_gazetteer()
        self.aliases = aliases  # the publisher's alias table: found in the text, and ids for its names
        # None: rules only. The model is opened on first use, once per process and path
        # (`arabic_model`): building the tagger imports no numpy; `load_model()` at init
        # or in a before-snapshot hook moves the opening out of the first Arabic event.
        self.arabic_model_path = Path(arabic_model_path) if arabic_model_path else None
        self.linker = SpanLinker(self.name, aliases=aliases, gazetteer=self.gazetteer)

    def load_model(self) -> CrfModel | None:
        """The Arabic model (opened now if it is not yet), or None for rules only."""
        return arabic_model(self.arabic_model_path) if self.arabic_model_path is not None else None

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        language = article_language(article)
        fields = article_fields(article)
        contexts = [Context(f.text, language, self.gazetteer) for f in fields]
        model_spans = self._model_spans(fields, contexts)
        for f, ctx in zip(fields, contexts, strict=True):
            if f.field == "byline":
                f.candidates = rules.byline_candidates(f)
                continue
            f.candidates = self._first_pass(ctx, model_spans.get(id(f)))

        # second pass, one walk: curated organisations/products, and names found anywhere in the
        # first pass (full names, surnames, organisation expansions)
        known = self._known_names(fields)
        surnames = rules.definite_surnames([c for f in fields for c in f.candidates])
        for f, ctx in zip(fields, contexts, strict=True):
            if f.field != "byline":
                f.candidates += rules.find_names(ctx, known)
                f.candidates += rules.surnames_after_saying(ctx, surnames)
                if self.aliases is not None and len(self.aliases):
                    f.candidates += rules.find_names(ctx, self.aliases.name_index())

        for f in fields:
            f.candidates = resolve_overlaps(f.candidates)
            for c in f.candidates:
                c.field = f.field
                c.index = f.index
        if self.aliases is None:
            return merge(fields, tagger=self.name)
        self.aliases.apply_to_candidates(fields)
        return self.aliases.apply_to_entities(merge(fields, tagger=self.name))

    def _model_spans(self, fields: list[FieldText], contexts: list[Context]) -> dict[int, list[ModelSpan]]:
        """The Arabic model's spans of each Arabic text (by `id` of its field), consistent across the
        article (`CrfModel.article_spans`); none without a model."""
        arabic = [f for f, ctx in zip(fields, contexts, strict=True) if f.field != "byline" and ctx.has_arabic]
        model = self.load_model() if arabic else None
        if model is None:
            return {}
        return dict(zip((id(f) for f in arabic), model.article_spans([f.text for f in arabic]), strict=True))

    def _first_pass(self, ctx: Context, model_spans: list[ModelSpan] | None) -> list[Candidate]:
        places = rules.find_places(ctx)
        out = list(places)
        out += rules.find_designators(ctx.text)
        out += rules.find_dates(ctx)
        out += rules.find_quantities(ctx)
        out += rules.find_acronyms(ctx)
        if ctx.has_arabic:
            out += rules.arabic_title_persons(ctx)
            out += rules.arabic_org_patterns(ctx)
            out += rules.arabic_named_organisations(ctx)
            out += rules.arabic_facilities(ctx)
            out += rules.arabic_clubs(ctx)
            if model_spans is not None:
                out = self._with_model(ctx, model_spans, out)
        if any(not t.arabic and t.cap for t in ctx.tokens):
            out += rules.capitalised_sequences(ctx, places)
            out += rules.descriptor_organisations(ctx)
        if ctx.lang in ("fr", "es", "und"):
            out += rules.lower_org_heads(ctx)
            out += rules.romance_org_names(ctx)
            out += rules.romance_facilities(ctx)
        return out

    def _with_model(self, ctx: Context, model_spans: list[ModelSpan], found: list[Candidate]) -> list[Candidate]:
        """The model's names replace the rules' guesses. Cross-validated on ANERcorp, the Arabic
        title, organisation-pattern and gazetteer candidates the model did not confirm were 5-20 %
        right (one-word places) or cost F1 (multi-word ones); the model's own were 62-91 % right.
        Dates, quantities, designators, curated names and acronyms stay; a facility (دار ضيافة
        إيكورا; not one headed by a region or a natural feature, مدينة or جبل, `ar_region_heads`) or an
        organisation pattern of three words or more (القوات المسلحة الأميركية) stays
        where the model found nothing, and replaces the model's shorter span opening it where it
        names the whole (`_replaced_by_full_name`: مطار رفيق الحريري الدولي، البنك الأوروبي للاستثمار). Where a
        kept rule and the model give the same span, the rule's candidate (with its canonical name, id
        and acronym links) is the one kept."""
        # the model learnt Arabic names: in a page that mixes scripts (an Indonesian page quoting a hadith),
        # its spans over Latin words are guesses (Hendaknya kalian mencintai, PERSON), left to the Latin rules
        names = [
            c
            for c in self.linker.model_candidates(ctx.text, model_spans, ctx.lang)
            if has_arabic(ctx.text[c.start : c.end])
        ]
        names = [_org_after_head(ctx.text, c) for c in names]
        # a curated name or the publisher's alias (باتريوت, PRODUCT) beats a model span it overlaps
        # (a guessed "ستشتري صواريخ باتريوت", PERSON), whatever their lengths
        curated = rules.find_names(ctx, rules.curated_index())
        if self.aliases is not None and len(self.aliases):
            curated += rules.find_names(ctx, self.aliases.name_index())
        taken = _occupied(ctx.text, curated)
        names = [c for c in names if 1 not in taken[c.start : c.end]]
        # a facility or an organisation the rule names in full beats the model's shorter span opening it
        # (مطار رفيق -> مطار رفيق الحريري الدولي, البنك الأوروبي -> البنك الأوروبي للاستثمار)
        replaced = {id(r) for c in found if (r := _replaced_by_full_name(ctx.text, c, names)) is not None}
        names = [c for c in names if id(c) not in replaced]
        taken = _occupied(ctx.text, names)
        located = _occupied(ctx.text, [c for c in names if c.type == "LOCATION"])
        kept = []
        for c in found:  # the places in the text's order: a place kept joins the next by و (في صفاقس وسوسة)
            if _rule_kept(ctx.text, c, taken, located):
                kept.append(c)
                if c.rule == "place":
                    located[c.start : c.end] = b"\x01" * (c.end - c.start)
        same = {(c.start, c.end) for c in kept}
        return [c for c in names if (c.start, c.end) not in same] + kept + curated

    def _known_names(self, fields: list[FieldText]) -> NameIndex:
        index = rules.curated_index().copy()
        for f in fields:
            for c in f.candidates:
                name = c.key.split("|", 1)[1]
                if c.type == "PERSON" and c.rule != MODEL_RULE:  # the model's names spread by spelling (crf.py)
                    index.add(name, "PERSON", c.key, c.canonical, None, key_is_name=True)
                elif c.type == "ORGANIZATION" and c.rule in ("acronym_expansion", "org_pattern"):
                    index.add(name, "ORGANIZATION", c.key, c.canonical, None, key_is_name=True)
        surnames = _spreading_surnames([c for f in fields for c in f.candidates], self.gazetteer)
        for surname, keys in surnames.items():
            if len(keys) == 1 and surname not in index.names:
                key = next(iter(keys))
                index.add(surname, "PERSON", key, None, None, key_is_name=True)
        return index
