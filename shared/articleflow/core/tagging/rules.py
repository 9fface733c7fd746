"""Per-language rules: each takes a `Context` (one text, tokenised) and returns `Candidate`s.

Reusable by other backends: `find_dates`, `find_quantities`, `find_designators` and `NameIndex`
work on any text; the Arabic rules (`arabic_title_persons`, `arabic_org_patterns`) and the Latin
rule (`capitalised_sequences`) need the tokens only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import cast

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import (
    arabic_key,
    latin_clitic_splits,
    name_key,
    proclitic_splits,
    token_key,
)
from articleflow.core.tagging.gazetteer import Gazetteer, get_gazetteer
from articleflow.core.tagging.spans import Candidate, FieldText, entity_key
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
        return {w for w, readings in by_word.items() if any(k in c for _s, k in readings for c in containers)}

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


# --- generic trie walk over token keys --------------------------------------------------------


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


def _latin_case_ok(ctx: Context, tok: Token, skip: int, need_upper: bool) -> bool:
    if tok.arabic:
        return True
    first = ctx.text[tok.start + skip]
    if not first.isupper():
        return False
    return not need_upper or tok.text[skip:].replace(".", "").isupper()


def find_places(ctx: Context) -> list[Candidate]:
    gaz = ctx.gazetteer
    names = gaz.names
    prefixes = gaz.prefixes
    out: list[Candidate] = []
    tokens = ctx.tokens
    known = ctx.words_with_reading_in(names, prefixes)
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.digit or tok.text not in known:
            i += 1
            continue
        match = longest_match(tokens, i, names.get, prefixes)
        if match is not None:
            skip, last, _value = match
            key = " ".join([k for s_, k in tok.readings if s_ == skip][:1] + [t.key for t in tokens[i + 1 : last + 1]])
            place = gaz.lookup(key, ctx.mask(tok))
            if place is not None and _latin_case_ok(ctx, tok, skip, False):
                conf = 0.92 if place.kind == "country" else 0.85
                out.append(
                    Candidate(
                        tok.start + skip,
                        tokens[last].end,
                        "LOCATION",
                        entity_key("LOCATION", place.id),
                        conf,
                        "place",
                        canonical=place.canonical,
                        id=place.id,
                    )
                )
                i = last + 1
                continue
        i += 1
    return out


def find_names(ctx: Context, index: NameIndex) -> list[Candidate]:
    """Walk `index` over the tokens (curated organisations/products, or names found earlier)."""
    out: list[Candidate] = []
    tokens = ctx.tokens
    names = index.names
    prefixes = index.prefixes
    if not names:
        return out
    known = ctx.words_with_reading_in(names, prefixes)
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.text not in known:
            i += 1
            continue
        match = longest_match(tokens, i, names.get, prefixes)
        if match is not None:
            skip, last, hit = match
            type_, key, canonical, id_, upper, rule, confidence = cast(NameEntry, hit)
            if _latin_case_ok(ctx, tok, skip, upper):
                out.append(Candidate(tok.start + skip, tokens[last].end, type_, key, confidence, rule, canonical, id_))
                i = last + 1
                continue
        i += 1
    return out


_CURATED: NameIndex | None = None


def curated_index() -> NameIndex:
    """Curated organisations and products (`lexicon.organizations()`, `lexicon.products()`)."""
    global _CURATED
    if _CURATED is None:
        idx = NameIndex()
        for canon, (oid, names) in lx.organizations().items():
            for n in names:
                idx.add(
                    n,
                    "ORGANIZATION",
                    entity_key("ORGANIZATION", name_key(canon)),
                    canon,
                    oid,
                    rule="curated",
                    confidence=0.9,
                )
        for canon, names in lx.products().items():
            for n in names:
                idx.add(n, "PRODUCT", entity_key("PRODUCT", canon.upper()), canon, None, rule="curated", confidence=0.9)
        _CURATED = idx
    return _CURATED


# --- products: model designators ---------------------------------------------------------------

_LATIN_DESIGNATOR_RE = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,4})[-‐‑]([0-9]{1,4}[A-Z]{0,2})(?![\w-])")
_ARABIC_DESIGNATOR_RE = re.compile(
    r"(?<![\w-])([\u0621-\u064A\u0671-\u06D3\u064B-\u0652]{2,7}(?: [\u0621-\u064A]{2,4})?)[-‐‑]([0-9٠-٩]{1,4})(?![\w-])"
)
_DESIGNATOR_STOP = {"COVID", "Covid", "G", "H", "MERS", "SARS", "Article", "Section", "Level", "Phase"}


def designator_key(canonical: str) -> str:
    return entity_key("PRODUCT", canonical.upper())


def find_designators(text: str) -> list[Candidate]:
    """Model designators: F-35, PAC-3, MiG-29, and Arabic transliterations إف-35, باك-3."""
    out: list[Candidate] = []
    for m in _LATIN_DESIGNATOR_RE.finditer(text):
        prefix, number = m.group(1), m.group(2)
        if prefix in _DESIGNATOR_STOP or (prefix.islower()):
            continue
        canon = f"{prefix}-{number}"
        out.append(Candidate(m.start(), m.end(), "PRODUCT", designator_key(canon), 0.88, "designator", canon))
    prefixes = {arabic_key(k): v for k, v in lx.designator_prefixes().items()}
    for m in _ARABIC_DESIGNATOR_RE.finditer(text):
        word, number = m.group(1), m.group(2)
        start = m.start(1)
        latin = prefixes.get(arabic_key(word))
        if latin is None:
            # a proclitic in front (وإف-35, لباك-3) or only the last word is the prefix
            last = word.split(" ")[-1]
            for skip, _restore in proclitic_splits(last, min_rest=1):
                latin = prefixes.get(arabic_key(last[skip:]))
                if latin is not None:
                    start = m.start(1) + len(word) - len(last) + skip
                    break
            if latin is None and arabic_key(last) in prefixes:
                latin = prefixes[arabic_key(last)]
                start = m.start(1) + len(word) - len(last)
        if latin is None:
            continue
        canon = f"{latin}-{int(number)}"
        out.append(Candidate(start, m.end(), "PRODUCT", designator_key(canon), 0.85, "designator", canon))
    return out


# --- dates -----------------------------------------------------------------------------------

_ISO_DATE_RE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/.])")
_VI_DATE_RE = re.compile(r"(?:(?:[Nn]gày\s+)?(\d{1,2})\s+)?[Tt]háng\s+(\d{1,2})(?:(?:\s+năm\s+|/)(\d{4}))?", re.UNICODE)
_DAY_SUFFIX_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|º)?$")


def _iso(year: int | None, month: int | None, day: int | None) -> str:
    y = f"{year:04d}" if year else "-"
    if month is None:
        return y
    m = f"{month:02d}"
    d = f"-{day:02d}" if day else ""
    return f"{y}-{m}{d}"


def _year(tok: Token) -> int | None:
    if tok.digit and len(tok.text) == 4:
        y = int(tok.text)
        if 1000 <= y <= 2200:
            return y
    return None


def _day(tok: Token) -> int | None:
    m = _DAY_SUFFIX_RE.match(tok.key)
    if m:
        d = int(m.group(1))
        if 1 <= d <= 31:
            return d
    return None


_MONTH_FIRSTS: dict[int, frozenset[str]] = {}


def _month_first_words(gaz: Gazetteer) -> frozenset[str]:
    found = _MONTH_FIRSTS.get(id(gaz))
    if found is None:
        words = {k.split(" ")[0] for k in gaz.months} | {k.split(" ")[0] for k in lx.arabic_months()}
        found = _MONTH_FIRSTS[id(gaz)] = frozenset(words)
    return found


def _month_at(ctx: Context, i: int) -> tuple[int, int] | None:
    """(month, last token index) when a month name starts at token i (one or two tokens)."""
    tokens = ctx.tokens
    tok = tokens[i]
    if tok.digit:
        return None
    ar_months = lx.arabic_months()
    firsts = _month_first_words(ctx.gazetteer)
    readings = ctx.readings(i) if tok.arabic else ((0, tok.key),)
    if not any(k.split(" ", 1)[0] in firsts for _s, k in readings):
        return None
    nxt = tokens[i + 1].key if tok.joined and i + 1 < len(tokens) else None
    candidates: list[tuple[str, int]] = []
    for _skip, k in readings:
        if nxt is not None:
            candidates.append((k + " " + nxt, i + 1))
        candidates.append((k, i))
    for key, last in candidates:
        if tok.arabic:
            month = ar_months.get(key)
            if month is None:
                month = ctx.gazetteer.month(key, ctx.arabic_mask)
        else:
            month = ctx.gazetteer.month(key, ctx.latin_mask)
        if month is not None:
            return month, last
    return None


def _gap(ctx: Context, a: Token, b: Token) -> str:
    return ctx.text[a.end : b.start]


def _day_period(ctx: Context, day: Token, month: Token) -> bool:
    """A day written with a period before the month: "12. März" (German and others)."""
    return day.digit and ctx.lang in lx.keys("day_period_languages") and _gap(ctx, day, month) in (". ", ".\u00a0", ".")


def find_dates(ctx: Context) -> list[Candidate]:
    """Month names (any CLDR language, Arabic Levantine/Egyptian/Maghreb forms, pairs like
    يوليو/تموز) with an optional day before and year after; ISO and numeric dates; cue + year."""
    out: list[Candidate] = []
    tokens = ctx.tokens
    text = ctx.text
    ambiguous = lx.keys("ambiguous_months")
    cues = lx.keys("date_cues")
    year_cues = lx.keys("year_cues")
    n = len(tokens)
    firsts = _month_first_words(ctx.gazetteer)
    month_words = ctx.words_with_reading_in(firsts)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.digit and tok.text not in month_words:
            i += 1
            continue
        found = _month_at(ctx, i)
        if found is None:
            # cue + year: "عام 2024", "in 2024"
            y = _year(tok)
            if y is not None and i > 0 and tokens[i - 1].joined and tokens[i - 1].key in year_cues:
                out.append(Candidate(tok.start, tok.end, "DATE", entity_key("DATE", str(y)), 0.7, "date", str(y)))
            i += 1
            continue
        month, last = found
        start = tok.start
        if tok.arabic:
            for skip, restore in proclitic_splits(tok.text):
                if lx.arabic_months().get(split_key(tok, skip, restore)) == month or (
                    last > i and lx.arabic_months().get(split_key(tok, skip, restore) + " " + tokens[last].key)
                ):
                    start = tok.start + skip
                    break
        end = tokens[last].end
        context = False
        # pair: يوليو/تموز, juillet/July
        if (
            last + 1 < n
            and _gap(ctx, tokens[last], tokens[last + 1]).strip() in ("/", "-", "،", "(")
            and (_gap(ctx, tokens[last], tokens[last + 1]).strip() == "/")
        ):
            pair = _month_at(ctx, last + 1)
            if pair is not None and pair[0] == month:
                last = pair[1]
                end = tokens[last].end
                context = True
        day: int | None = None
        # day before: "28 يوليو", "le 28 juillet", "28 de julio"
        j = i - 1
        if j >= 0 and tokens[j].key in ("de",) and tokens[j].joined and j - 1 >= 0 and tokens[j - 1].joined:
            j -= 1
        if j >= 0 and _day(tokens[j]) is not None and (tokens[j].joined or _day_period(ctx, tokens[j], tok)):
            day = _day(tokens[j])
            start = tokens[j].start
            context = True
        # day after (English): "July 28", "July 28, 2024"
        elif (
            last + 1 < n
            and tokens[last].joined
            and not tok.arabic
            and _day(tokens[last + 1]) is not None
            and _year(tokens[last + 1]) is None
        ):
            last += 1
            day = _day(tokens[last])
            end = tokens[last].end
            context = True
        # year after: "2024", ", 2024", "de 2024", "/2024"
        year: int | None = None
        k = last + 1
        if k < n and tokens[k].key == "de" and tokens[last].joined:
            k += 1
        if (
            k < n
            and _gap(ctx, tokens[k - 1], tokens[k]).strip() in ("", ",", "،")
            and "\n" not in _gap(ctx, tokens[k - 1], tokens[k])
        ):
            year = _year(tokens[k])
            if year is not None:
                last = k
                end = tokens[k].end
                context = True
                # "2024 م" (Gregorian era marker)
                if k + 1 < n and tokens[k + 1].key in ("م",) and tokens[k].joined:
                    last = k + 1
                    end = tokens[k + 1].end
        if not context and i > 0 and tokens[i - 1].joined:
            prev = tokens[i - 1]
            context = prev.key in cues or any(split_key(prev, s, r) in cues for s, r in splits(prev)[1:])
        month_key = name_key(text[tok.start : tokens[found[1]].end])
        if tok.arabic:
            month_key = arabic_key(month_key)
        is_ambiguous = month_key in ambiguous or any(split_key(tok, s, r) in ambiguous for s, r in splits(tok)[1:])
        if is_ambiguous and not context:
            i += 1
            continue
        if not tok.arabic and not tok.cap and ctx.lang in ("en", "de", "und") and day is None and year is None:
            i += 1
            continue
        canon = _iso(year, month, day)
        out.append(Candidate(start, end, "DATE", entity_key("DATE", canon), 0.9 if context else 0.8, "date", canon))
        i = last + 1
    for m in _ISO_DATE_RE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            canon = _iso(y, mo, d)
            out.append(Candidate(m.start(), m.end(), "DATE", entity_key("DATE", canon), 0.95, "date", canon))
    for m in _NUMERIC_DATE_RE.finditer(text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if ctx.lang == "en" and a <= 12:
            mo, d = a, b  # US order
        else:
            d, mo = a, b
        if 1 <= mo <= 12 and 1 <= d <= 31:
            canon = _iso(y, mo, d)
            out.append(Candidate(m.start(), m.end(), "DATE", entity_key("DATE", canon), 0.8, "date", canon))
    if ctx.lang in ("vi", "und") and "háng" in text:
        for m in _VI_DATE_RE.finditer(text):
            d_s, mo_s, y_s = m.group(1), m.group(2), m.group(3)
            mo = int(mo_s)
            if not 1 <= mo <= 12:
                continue
            canon = _iso(int(y_s) if y_s else None, mo, int(d_s) if d_s else None)
            out.append(
                Candidate(
                    m.start(1) if d_s else m.start(), m.end(), "DATE", entity_key("DATE", canon), 0.85, "date", canon
                )
            )
    return out


# --- quantities --------------------------------------------------------------------------------

_NUM = r"(?<![\w.,٫٬/-])(?:\d{1,3}(?:[,٬]\d{3})+|\d+)(?:[.٫]\d+)?(?![\w/-]|[.,٫]\d)"
_SCALE = (
    r"(?:\s+(?:thousand|million|billion|trillion|milliards?|millions?|mil|millones"
    r"|ألف|آلاف|مليون|ملايين|مليار|مليارات|تريليون|nghìn|triệu|tỷ))?"
)
_CURRENCY_WORDS = (
    r"(?:d['’]|de\s+)?(?:dollars?|euros?|pounds?|yen|USD|EUR|دولار(?:ا|ات)?|يورو|ين|جنيه(?:ا|ات)?"
    r"|ريال(?:ا|ات)?|درهم|دينار|روبل|đô la|đồng)"
)
_PERCENT_RE = re.compile(
    _NUM + r"(?:\s?[%٪]|\s+(?:في المائة|في المئة|بالمائة|بالمئة|percent|per cent|pour cent|por ciento|phần trăm)\b)"
)
_CURRENCY_RE = re.compile(
    r"(?:[$€£¥]\s?" + _NUM + _SCALE + r")|(?:" + _NUM + _SCALE + r"\s*" + _CURRENCY_WORDS + r"(?![\w]))"
)
_COUNT_RE = re.compile(_NUM + _SCALE + r"\s+([^\W\d_][^\W_]*(?:[\u064B-\u0652][^\W_]*)*)")
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
_LATIN_COUNT_STOP = {
    "and",
    "or",
    "of",
    "the",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "et",
    "ou",
    "de",
    "du",
    "des",
    "le",
    "la",
    "les",
    "en",
    "au",
    "y",
    "el",
    "los",
    "las",
    "is",
    "was",
    "are",
    "were",
    "a",
    "an",
    "percent",
    "per",
}


def find_quantities(ctx: Context) -> list[Candidate]:
    """Percentages, currency amounts, and number + counted noun (150 طائرة, 150 aircraft)."""
    text = ctx.text
    out: list[Candidate] = []
    # The spans taken so far, sorted by start. They never overlap (and none is empty: every
    # pattern consumes a number and more), so their ends are sorted too, and a new span overlaps
    # one iff the last span starting before its end reaches past its start: a bisection instead of
    # a walk over every earlier quantity (quadratic in a long article).
    starts: list[int] = []
    ends: list[int] = []
    stop = lx.keys("ar_stopwords")
    ar_months = lx.arabic_months()

    def add(start: int, end: int, conf: float) -> None:
        i = bisect.bisect_left(starts, end)
        if i and ends[i - 1] > start:
            return
        starts.insert(i, start)
        ends.insert(i, end)
        canon = " ".join(text[start:end].translate(_DIGITS).split())
        out.append(Candidate(start, end, "QUANTITY", entity_key("QUANTITY", name_key(canon)), conf, "quantity", canon))

    for m in _PERCENT_RE.finditer(text):
        add(m.start(), m.end(), 0.85)
    for m in _CURRENCY_RE.finditer(text):
        add(m.start(), m.end(), 0.85)
    for m in _COUNT_RE.finditer(text):
        noun = m.group(1)
        nkey = token_key(noun)
        number = text[m.start() : m.start(1)].strip()
        digits = "".join(c for c in number if c.isdigit())
        if len(digits) == 4 and 1000 <= int(digits) <= 2200 and "," not in number:
            continue  # a year
        if (
            len(noun) < 2
            or text[m.end() : m.end() + 1] in ("'", "’")
            or noun[0].isupper()
            or nkey in _LATIN_COUNT_STOP
            or nkey in lx.keys("latin_modal_verbs")  # "12 will be enough": a number, then its verb
            or nkey in stop
            or nkey in ar_months
        ):
            continue
        if ctx.gazetteer.month(nkey, ctx.gazetteer.all_languages_mask()) is not None:
            continue
        add(m.start(), m.end(), 0.7)
    return out


# --- Arabic: persons after titles ---------------------------------------------------------------


def is_definite(key: str) -> bool:
    return key.startswith("ال") and len(key) > 3


def _arabic_name_token(ctx: Context, tok: Token, first: bool) -> bool:
    key = tok.key
    if not tok.arabic or tok.digit or not key:  # a lone tatweel (ـ) folds to an empty key
        return False
    if key in lx.keys("ar_stopwords") or key in lx.keys("ar_titles") or key in lx.arabic_months():
        return False
    if key in lx.keys("ar_org_heads") or key in lx.keys("ar_descriptors"):
        return False
    if is_definite(key):
        return False
    if not first and key[0] in "وف" and len(key) > 3:
        return False  # a conjunction starts the next phrase
    return len(key) >= 2


_NAME_COMPOUNDS = {"عبد", "ابو", "ابي", "بن", "ابن", "بنت", "ال"}


def arabic_title_persons(ctx: Context) -> list[Candidate]:
    """Names after titles and roles: ``وزير الخارجية الأميركي أنتوني بلينكن``,
    ``نظيريهما اليابانيين يوكو كاميكاوا ومينورو كيهارا`` (two people after a dual/plural title)."""
    tokens = ctx.tokens
    titles = lx.keys("ar_titles")
    plural = lx.keys("ar_plural_titles")
    descriptors = lx.keys("ar_descriptors")
    stop = lx.keys("ar_stopwords")
    out: list[Candidate] = []
    n = len(tokens)
    title_words = ctx.words_with_reading_in(titles, plural)
    for i, tok in enumerate(tokens):
        if not tok.arabic or tok.text not in title_words:
            continue
        title_key = next((k for _s, k in tok.readings if k in titles or k in plural), None)
        if title_key is None:
            continue
        is_plural = title_key in plural
        j = i + 1
        if not tok.joined:
            continue
        # descriptors: definite words (الخارجية الأميركي), construct nouns (خارجية), places
        described = 0
        while j < n and described < 5 and tokens[j].arabic:
            key = tokens[j].key
            if key in stop:
                break
            is_desc = (
                (is_definite(key) and key not in stop)
                or key in descriptors
                or key in titles
                or ctx.gazetteer.lookup(key, ctx.arabic_mask) is not None
            )
            if not is_desc:
                break
            described += 1
            if not tokens[j].joined:
                j = n  # punctuation after the descriptors: no name follows
                break
            j += 1
        if j >= n:
            continue
        names = []
        start_tok = j
        while True:
            span = _take_name(ctx, start_tok)
            if span is None:
                break
            names.append(span)
            last = span[1]
            if not is_plural or not tokens[last].joined or last + 1 >= n:
                break
            nxt = tokens[last + 1]
            if not (nxt.text[0] == "و" and len(nxt.key) > 3):
                break
            span2 = _take_name(ctx, last + 1, skip=1)
            if span2 is None:
                break
            names.append(span2)
            break
        for k, (first, last, skip) in enumerate(names):
            start = tokens[first].start + skip
            end = tokens[last].end
            key = name_key(ctx.text[start:end])
            conf = 0.88 if last > first else 0.72
            del k
            out.append(
                Candidate(start, end, "PERSON", entity_key("PERSON", key), conf, "title_person", ctx.text[start:end])
            )
    return out


def _take_name(ctx: Context, first: int, skip: int = 0) -> tuple[int, int, int] | None:
    """Token range (first, last, skip) of a 1-4 token Arabic name starting at token `first`."""
    tokens = ctx.tokens
    n = len(tokens)
    tok = tokens[first]
    if skip:
        rest = tok.text[skip:]
        probe = Token(tok.start + skip, tok.end, rest, token_key(rest), True, False, False, False, tok.joined)
    else:
        probe = tok
    if not _arabic_name_token(ctx, probe, True):
        return None
    last = first
    while last + 1 < n and last - first < 3 and tokens[last].joined:
        nxt = tokens[last + 1]
        if tokens[last].key in _NAME_COMPOUNDS and nxt.arabic and nxt.key not in lx.keys("ar_stopwords"):
            last += 1
            continue
        if not _arabic_name_token(ctx, nxt, False):
            break
        last += 1
    return first, last, skip


# --- Arabic: organisation patterns ---------------------------------------------------------------

_AR_ORG_CONNECTORS = {"في", "عن", "من", "ل", "الى"}


def arabic_org_patterns(ctx: Context) -> list[Candidate]:
    """Head noun + definite modifiers: وزارة الدفاع, القوات المسلحة الأميركية,
    قوات الدفاع عن النفس اليابانية, القوات الأمريكية في اليابان (with في + place)."""
    tokens = ctx.tokens
    heads = lx.keys("ar_org_heads")
    weak = lx.keys("ar_weak_org_heads")
    stop = lx.keys("ar_stopwords")
    out: list[Candidate] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.arabic or not tok.joined:
            i += 1
            continue
        reading = next(((s, k) for s, k in tok.readings if k in heads and k not in weak), None)
        if reading is None:
            i += 1
            continue
        skip, head_key = reading
        j = i + 1
        last = i
        while j < n and tokens[j].arabic:
            key = tokens[j].key
            if is_definite(key) and key not in stop:
                last = j
            elif (
                key in _AR_ORG_CONNECTORS
                and j + 1 < n
                and tokens[j].joined
                and tokens[j + 1].arabic
                and (is_definite(tokens[j + 1].key) or ctx.gazetteer.lookup(tokens[j + 1].key, ctx.arabic_mask))
            ):
                last = j + 1
                j += 1
            else:
                break
            if not tokens[j].joined:
                break
            j += 1
        if last == i:
            i += 1
            continue
        # trim trailing "new/current/joint"
        while last > i + 1 and tokens[last].key in lx.keys("ar_org_trailing"):
            last -= 1
        start = tok.start + skip
        key = " ".join([head_key, *(t.key for t in tokens[i + 1 : last + 1])])
        out.append(
            Candidate(start, tokens[last].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.62, "org_pattern")
        )
        i = last + 1
    return out


# --- acronyms (Latin caps), with an expansion right before "(ACR)" ------------------------------


def find_acronyms(ctx: Context) -> list[Candidate]:
    tokens = ctx.tokens
    text = ctx.text
    stop = set(lx.words("acronym_stopwords"))
    heads = lx.keys("ar_org_heads")
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        word = tok.text
        if tok.arabic or not tok.upper or not word.isalpha() or not (2 <= len(word) <= 6) or word in stop:
            continue
        if tok.sentence_start and i + 1 < len(tokens) and tokens[i + 1].upper:
            continue  # an all-caps headline, not an acronym
        acr_key = entity_key("ORGANIZATION", word)
        cand = Candidate(tok.start, tok.end, "ORGANIZATION", acr_key, 0.6, "acronym", word)
        out.append(cand)
        # expansion: "... (ACR)"
        if i == 0 or _char_before(text, tok.start) != "(" or _char_after(text, tok.end) != ")":
            continue
        k = i - 1
        exp = _arabic_expansion(ctx, k, heads) if tokens[k].arabic else _latin_expansion(ctx, k)
        if exp is None:
            continue
        start, end, key = exp
        cand.confidence = 0.8
        out.append(
            Candidate(
                start,
                end,
                "ORGANIZATION",
                entity_key("ORGANIZATION", key),
                0.8,
                "acronym_expansion",
                aliases=(acr_key,),
            )
        )
        cand.aliases = (entity_key("ORGANIZATION", key),)
    return out


def _char_before(text: str, index: int) -> str:
    """The last non-space character before `index` ("" if none); scans only the spaces, so a
    check per token stays linear in the text (slicing `text[:index]` made it quadratic)."""
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return text[index - 1] if index > 0 else ""


def _char_after(text: str, index: int) -> str:
    """The first non-space character at or after `index` ("" if none)."""
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""


def _arabic_expansion(ctx: Context, last: int, heads: frozenset[str]) -> tuple[int, int, str] | None:
    tokens = ctx.tokens
    stop = lx.keys("ar_stopwords") - _AR_ORG_CONNECTORS
    while last > 0 and tokens[last].key in lx.keys("ar_org_trailing"):
        last -= 1
    k = last
    while k >= 0 and last - k < 12 and tokens[k].arabic:
        tok = tokens[k]
        if k < last and not tok.joined:
            return None
        for skip, restore in splits(tok):
            if split_key(tok, skip, restore) in heads:
                key = " ".join([split_key(tok, skip, restore), *(t.key for t in tokens[k + 1 : last + 1])])
                return tok.start + skip, tokens[last].end, key
        if tok.key in stop:
            return None
        k -= 1
    return None


def _latin_expansion(ctx: Context, last: int) -> tuple[int, int, str] | None:
    tokens = ctx.tokens
    connectors = lx.keys("latin_connectors")
    stopwords = set(lx.words("latin_stopwords"))
    k = last
    first = None
    while k >= 0 and last - k < 10:
        tok = tokens[k]
        if k < last and not tok.joined:
            break
        if tok.cap and tok.text not in stopwords:
            first = k
        elif tok.key not in connectors:
            break
        k -= 1
    if first is None or (first == last and not tokens[first].cap):
        return None
    if first == last:
        return None
    key = " ".join(t.key for t in tokens[first : last + 1])
    return tokens[first].start, tokens[last].end, key


# --- Latin scripts: capitalised sequences --------------------------------------------------------


def capitalised_sequences(ctx: Context, places: list[Candidate]) -> list[Candidate]:
    """Persons and organisations from capitalised word sequences (Latin scripts).

    Leading stopwords and titles are dropped (a title makes what follows a person, even one word);
    an organisation word (Ministry, Forces, Inc, Bộ ...) makes the sequence an organisation; a
    sequence of two or more remaining words is a person. Places found by the gazetteer at the start
    of a sequence are split off (`Tokyo Governor Yuriko Koike`).
    """
    tokens = ctx.tokens
    n = len(tokens)
    titles = {t for t in lx.words("latin_titles")}
    lower_titles = lx.keys("latin_lower_titles")
    stopwords = set(lx.words("latin_stopwords"))
    connectors = lx.keys("latin_connectors")
    org_words = set(lx.words("latin_org_words"))
    place_words = set(lx.words("latin_place_words"))
    place_at = {c.start: c for c in places}
    german = ctx.lang == "de"
    given_names = set(lx.words("de_given_names"))
    evidence = _PersonEvidence(ctx)
    out: list[Candidate] = []
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.arabic or not _capish(ctx, tok):
            i += 1
            continue
        # the sequence: capitalised tokens, connectors between them, only spaces in between
        j = i
        seq = [i]
        while j + 1 < n and tokens[j].joined:
            nxt = tokens[j + 1]
            if _capish(ctx, nxt) and not nxt.arabic:
                seq.append(j + 1)
                j += 1
            elif nxt.key in connectors and j + 2 < n and nxt.joined and _capish(ctx, tokens[j + 2]):
                seq.extend([j + 1, j + 2])
                j += 2
            elif (
                nxt.key in connectors
                and j + 3 < n
                and nxt.joined
                and tokens[j + 2].joined
                and tokens[j + 2].key in _SECOND_CONNECTORS
                and _capish(ctx, tokens[j + 3])
            ):
                seq.extend([j + 1, j + 2, j + 3])  # de la, de las, von der, of the
                j += 3
            else:
                break
        i = j + 1
        words = [tokens[k] for k in seq]
        titled = i - len(seq) - 1 >= 0 and tokens[seq[0] - 1].joined and tokens[seq[0] - 1].key in lower_titles
        if len(words) > 2 and words[0].sentence_start and words[1].key in connectors and not titled:
            words.pop(0)  # "Traffic on the Harbour Bridge": the first word is capitalised by position
        if len(words) > 1 and words[-1].text in place_words and not any(w.text in org_words for w in words):
            while words and (words[0].text in stopwords or words[0].key in connectors):
                words.pop(0)
            if len(words) > 1:
                start = words[0].start + _clitic_skip(words[0])
                key = name_key(ctx.text[start : words[-1].end])
                out.append(Candidate(start, words[-1].end, "LOCATION", entity_key("LOCATION", key), 0.7, "capitalised"))
            continue
        if any(w.text in org_words or _strip_clitic(w) in org_words or (german and _de_org_word(w)) for w in words):
            # organisation: whole sequence minus leading stopwords
            while words and (words[0].text in stopwords or words[0].key in connectors):
                words.pop(0)
            while words and words[-1].key in connectors:
                words.pop()
            if german and words:
                words = _de_org_span(words, org_words, connectors)
            if len(words) == 1 and (words[0].text in org_words or (german and not _de_org_word(words[0], True))):
                continue
            if words:
                last_tok = seq[-1] if words[-1] is tokens[seq[-1]] else None
                if last_tok is not None and any(w.key in connectors for w in words):
                    words += _conjoined_tail(ctx, last_tok)  # Ministerio de Agricultura y Pesca
                start = words[0].start + _clitic_skip(words[0])
                key = name_key(ctx.text[start : words[-1].end])
                out.append(
                    Candidate(start, words[-1].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.7, "capitalised")
                )
            continue
        # drop leading stopwords, titles, connectors and places
        while words:
            w = words[0]
            if w.text in stopwords or w.key in connectors:
                words.pop(0)
            elif w.text in titles or w.text.rstrip(".") + "." in titles:
                titled = True
                words.pop(0)
            elif w.start in place_at or (w.start + _clitic_skip(w)) in place_at:
                p = place_at.get(w.start) or place_at[w.start + _clitic_skip(w)]
                words = [x for x in words if x.start >= p.end]
                titled = False
            else:
                break
        if german:
            # nouns are capitalised: a person needs a role word, a known given name or a title
            k = max((x for x, w in enumerate(words) if _de_title(w)), default=-1)
            if k >= 0:
                words = words[k + 1 :]
                while words and (words[0].key in connectors or words[0].text in stopwords):
                    words.pop(0)
                titled = True
            elif not titled and not (words and words[0].text in given_names):
                continue
        while words and (words[-1].key in connectors or words[-1].text in stopwords):
            words.pop()
        if not words or any(w.upper and len(w.text) > 1 and "." not in w.text for w in words):
            continue
        if len(words) == 1 and not titled:
            continue
        if sum(1 for w in words if w.key not in connectors) > 4:
            continue
        if any(w.start in place_at and words[x - 1].key in connectors for x, w in enumerate(words) if x):
            continue  # "<noun> de <place>" (Vecinos de Sevilla), not a name
        coordinated = bool(out) and out[-1].type == "PERSON" and _coordinated(ctx.text, out[-1].end, words[0].start)
        if not german and not titled and not coordinated and not evidence.person(words):
            continue  # capitalised words alone do not make a person (Harbour Bridge, Night Bus)
        start = words[0].start + _clitic_skip(words[0])
        end = words[-1].end
        key = name_key(ctx.text[start:end])
        conf = 0.85 if titled else 0.65
        out.append(
            Candidate(
                start,
                end,
                "PERSON",
                entity_key("PERSON", key),
                conf,
                "title_person" if titled else "capitalised",
                ctx.text[start:end],
            )
        )
    return out


def _coordinated(text: str, end: int, start: int) -> bool:
    """Only "and" (or a comma) between two names: "Yoko Kamikawa and Minoru Kihara"."""
    between = text[end:start].strip(" ,")
    return between.lower() in _PERSON_CONJUNCTIONS


class _PersonEvidence:
    """What makes capitalised words a person's name in Latin-script text (titles are checked by the
    caller): a known given name first, a verb of saying right before or after ("Smith said", "said
    Jane Doe", "Payan a promis"), or the last word alone elsewhere in the text (a surname-only
    mention, a sentence's first word too: "Kamau said")."""

    def __init__(self, ctx: Context) -> None:
        tokens = ctx.tokens
        self.text = ctx.text
        self.tokens = tokens
        self.index = {t.start: k for k, t in enumerate(tokens)}
        self.given = set(lx.words("latin_given_names")) | set(lx.words("de_given_names"))
        self.saying = lx.keys("latin_saying_verbs")
        self.auxiliaries = lx.keys("latin_saying_auxiliaries")
        n = len(tokens)
        self.alone = {
            t.text
            for k, t in enumerate(tokens)
            if t.cap
            and not (k and tokens[k - 1].joined and _capish(ctx, tokens[k - 1]))
            and not (t.joined and k + 1 < n and _capish(ctx, tokens[k + 1]))
        }

    def person(self, words: list[Token]) -> bool:
        if words[0].text in self.given or (len(words) > 1 and words[-1].text in self.alone):
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


def descriptor_organisations(ctx: Context) -> list[Candidate]:
    """A capitalised name right after a common noun for a company or body: "the engineering firm
    Arup", "the operator Keolis Downer" (rule org_pattern: later mentions of the name join it)."""
    tokens = ctx.tokens
    descriptors = lx.keys("latin_org_descriptors")
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens[:-1]):
        if tok.cap or tok.key not in descriptors or not tok.joined:
            continue
        j = i + 1
        if not _capish(ctx, tokens[j]) or tokens[j].arabic:
            continue
        last = j
        while last + 1 < n and last - j < 3 and tokens[last].joined and _capish(ctx, tokens[last + 1]):
            last += 1
        start, end = tokens[j].start, tokens[last].end
        key = name_key(ctx.text[start:end])
        out.append(Candidate(start, end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.7, "org_pattern"))
    return out


_SECOND_CONNECTORS = frozenset({"la", "las", "los", "le", "der", "den", "the", "l'", "l’"})
_CONJUNCTIONS = frozenset({"y", "e", "et", "und"})
_PERSON_CONJUNCTIONS = _CONJUNCTIONS | {"and", ""}
_DE_ADJECTIVE_ENDINGS = ("er", "e", "es")


def _de_org_word(tok: Token, strong: bool = False) -> bool:
    """A German organisation compound (Bundesministerium, Landesamt, Verkehrsgesellschaft)."""
    key = tok.key
    suffixes = lx.words("de_strong_org_suffixes") if strong else lx.words("de_org_suffixes")
    return any(key.endswith(x) and len(key) > len(x) for x in suffixes)


def _de_title(tok: Token) -> bool:
    """A German role word, alone or in a compound (Minister, Verkehrsminister, Projektleiterin)."""
    if tok.text in lx.words("de_titles") or tok.text in lx.words("latin_titles"):
        return True
    key = tok.key
    return any(key.endswith(x) for x in lx.words("de_title_suffixes"))


def _de_org_span(words: list[Token], org_words: set[str], connectors: frozenset[str]) -> list[Token]:
    """The organisation in a German capitalised sequence: from its head word back over adjectives
    (Münchner Verkehrsgesellschaft, Technische Universität) only, not over the nouns before it
    (Team der Universität Jena -> Universität Jena)."""
    head = next(
        (x for x, w in enumerate(words) if w.text in org_words or _de_org_word(w)),
        0,
    )
    start = head
    while start > 0:
        prev = words[start - 1]
        if prev.key in connectors or "-" in prev.text or not prev.key.endswith(_DE_ADJECTIVE_ENDINGS):
            break
        start -= 1
    return words[start:]


def _conjoined_tail(ctx: Context, last: int) -> list[Token]:
    """Conjunction (y, et, und) + capitalised words right after an organisation name with a connector in it
    (Comisión de Límites y Aguas, Bundesministerium für Bildung und Forschung); French, Spanish,
    German only."""
    tokens = ctx.tokens
    if ctx.lang not in ("fr", "es", "de") or last + 2 >= len(tokens):
        return []
    conj = tokens[last + 1]
    if not tokens[last].joined or not conj.joined or conj.key not in _CONJUNCTIONS:
        return []
    tail: list[Token] = []
    k = last + 2
    while k < len(tokens) and _capish(ctx, tokens[k]) and not tokens[k].arabic:
        tail.append(tokens[k])
        if not tokens[k].joined:
            break
        k += 1
    if not tail or len(tail) > 2:
        return []
    return [conj, *tail]


def lower_org_heads(ctx: Context) -> list[Candidate]:
    """A lower-case head + de/des/du + a capitalised name, in running text: le ministère des Armées,
    le ministère de l'Intérieur, el ministerio de Defensa."""
    tokens = ctx.tokens
    heads = lx.keys("lower_org_heads")
    connectors = lx.keys("latin_connectors") | _SECOND_CONNECTORS
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.key not in heads or tok.cap or not tok.joined:
            continue
        j = i + 1
        while j < n and tokens[j].key in connectors and tokens[j].joined and j - i <= 2:
            j += 1
        if j == i + 1 or j >= n or not _capish(ctx, tokens[j]):
            continue
        last = j
        while last + 1 < n and tokens[last].joined and _capish(ctx, tokens[last + 1]) and last - j < 3:
            last += 1
        start = tok.start
        key = name_key(ctx.text[start : tokens[last].end])
        out.append(
            Candidate(start, tokens[last].end, "ORGANIZATION", entity_key("ORGANIZATION", key), 0.72, "org_pattern")
        )
    return out


def _clitic_skip(tok: Token) -> int:
    if "'" not in tok.text and "’" not in tok.text:
        return 0  # an elision needs its apostrophe (the common case: no regex call)
    sp = latin_clitic_splits(tok.text)
    return sp[0][0] if sp else 0


def _strip_clitic(tok: Token) -> str:
    return tok.text[_clitic_skip(tok) :]


def _capish(ctx: Context, tok: Token) -> bool:
    if tok.cap and not tok.digit:
        return True
    skip = _clitic_skip(tok)
    return bool(skip) and ctx.text[tok.start + skip].isupper()


# --- Arabic: named facilities and places (دار ضيافة إيكورا, مطار هانيدا) ----------------------------


def arabic_facilities(ctx: Context) -> list[Candidate]:
    """Facility/feature head + a proper name: دار ضيافة إيكورا, قاعدة يوكوتا, جزيرة أوكيناوا."""
    tokens = ctx.tokens
    heads = lx.facility_heads()
    out: list[Candidate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not tok.arabic or not tok.joined:
            continue
        for skip, key in ctx.readings(i):
            words = heads.get(key)
            if words is None:
                continue
            j = i
            ok = True
            for w in words[1:]:
                j += 1
                if j >= n or tokens[j].key != w or (j < n - 1 and not tokens[j].joined and w != words[-1]):
                    ok = False
                    break
            if not ok or j + 1 >= n or not tokens[j].joined:
                continue
            span = _take_name(ctx, j + 1)
            if span is None:
                continue
            start = tok.start + skip
            end = tokens[span[1]].end
            nkey = " ".join([key, *words[1:], *(t.key for t in tokens[j + 1 : span[1] + 1])])
            out.append(Candidate(start, end, "LOCATION", entity_key("LOCATION", nkey), 0.7, "facility"))
            break
    return out


def byline_candidates(f: FieldText) -> list[Candidate]:
    """A byline author is one person: the whole (trimmed) author string."""
    text = f.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if end <= start:
        return []
    key = entity_key("PERSON", name_key(text[start:end]))
    return [Candidate(start, end, "PERSON", key, 0.9, "title_person", text[start:end])]
