"""Quantities: percentages, amounts of money and counted things (numbers with a scale word)."""

from __future__ import annotations

import bisect
import re

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key, token_key
from articleflow.core.tagging.rules.context import Context
from articleflow.core.tagging.scan import anchor_spans, finditer_near
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import word_info

# Thousands grouped by commas, or by spaces as in French and Spanish ("25 000", also with a no-break,
# narrow no-break or thin space).
_NUM = (
    r"(?<![\w.,٫٬/-])(?:\d{1,3}(?:[,٬]\d{3})+|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+)"
    r"(?:[.٫]\d+)?(?![\w/-]|[.,٫]\d)"
)

_SCALE = (
    r"(?:\s+(?:thousand|million|billion|trillion|milliards?|millions?|mil|millones"
    r"|ألف|آلاف|مليون|ملايين|مليار|مليارات|تريليون|nghìn|triệu|tỷ))?"
)

# The country after an Arabic currency is part of the amount (120 مليون دينار أردني، 5 آلاف جنيه إسترليني):
# the countries of the dollars, dinars, riyals, dirhams, pounds and liras the newswires quote.
_CURRENCY_COUNTRIES = (
    "أمريكي|أميركي|كندي|أسترالي|أردني|كويتي|بحريني|عراقي|ليبي|تونسي|جزائري|سعودي|قطري|عماني|يمني|إيراني"
    "|إماراتي|مغربي|مصري|سوداني|لبناني|سوري|إسترليني|استرليني|تركي"
)
_CURRENCY_WORDS = (
    r"(?:d['’]|de\s+)?(?:dollars?|euros?|pounds?|yen|USD|EUR|(?:دولار(?:ا|ات)?|يورو|ين|جنيه(?:ا|ات)?"
    r"|ريال(?:ا|ات)?|درهم|دينار|ليرة|روبل)(?:\s+(?:" + _CURRENCY_COUNTRIES + r")(?:ا|ة)?(?!\w))?|đô la|đồng)"
)

_PERCENT_RE = re.compile(
    _NUM + r"(?:\s?[%٪]|\s+(?:في المائة|في المئة|بالمائة|بالمئة|percent|per cent|pour cent|por ciento|phần trăm)\b)"
)

_CURRENCY_RE = re.compile(
    r"(?:[$€£¥]\s?" + _NUM + _SCALE + r")|(?:" + _NUM + _SCALE + r"\s*" + _CURRENCY_WORDS + r"(?![\w]))"
)

_COUNTED_NOUN = r"\s+([^\W\d_][^\W_]*(?:[\u064B-\u0652][^\W_]*)*)"
# a unit's adjective: 300 مليون متر مكعب، 61 مترا مكعبا، 40 كيلومترا مربعا، 47 درجة مئوية
_UNIT_ADJECTIVE = r"(?:\s+(?:(?:مكعب|مربع)(?:ا|ة)?|مئوية)(?!\w))?"
_COUNT_RE = re.compile(_NUM + _SCALE + _COUNTED_NOUN + _UNIT_ADJECTIVE)

# Arabic counts a scale word's two in its dual, with no digit: مليوني دولار (two million dollars),
# ملياري دولار, ألفي جندي (two thousand soldiers). ألفا is left out: it is a name too (ألفا روميو).
_DUALS = ("مليونا", "مليوني", "مليارا", "ملياري", "تريليونا", "تريليوني", "ألفي", "الفي")
_DUAL = r"(?:(?<!\w)|(?<=(?<!\w)[وبل]))(?:" + "|".join(_DUALS) + ")"  # a proclitic stays out (وألفي)
_DUAL_CURRENCY_RE = re.compile(_DUAL + r"\s+" + _CURRENCY_WORDS + r"(?!\w)")
_DUAL_COUNT_RE = re.compile(_DUAL + _COUNTED_NOUN)

# where an amount of money starts: a currency sign or a digit (`scan.finditer_near`; the other
# patterns start with a number, `Context.numbers`)
_DIGIT_OR_SIGN_RE = re.compile(r"[$€£¥\d]")

_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)


def find_quantities(ctx: Context) -> list[Candidate]:
    """Percentages, currency amounts, and number + counted noun (150 طائرة, 150 aircraft, مليوني حاوية)."""
    text = ctx.text
    out: list[Candidate] = []
    # The spans taken so far, sorted by start. They never overlap (and none is empty: every
    # pattern consumes a number and more), so their ends are sorted too, and a new span overlaps
    # one iff the last span starting before its end reaches past its start: a bisection instead of
    # a walk over every earlier quantity (quadratic in a long article).
    starts: list[int] = []
    ends: list[int] = []

    def add(start: int, end: int, conf: float) -> None:
        i = bisect.bisect_left(starts, end)
        if i and ends[i - 1] > start:
            return
        starts.insert(i, start)
        ends.insert(i, end)
        canon = " ".join(text[start:end].translate(_DIGITS).split())
        out.append(Candidate(start, end, "QUANTITY", entity_key("QUANTITY", name_key(canon)), conf, "quantity", canon))

    for m in finditer_near(_PERCENT_RE, ctx.numbers, 0, text):
        add(m.start(), m.end(), 0.85)
    for m in finditer_near(_CURRENCY_RE, anchor_spans(_DIGIT_OR_SIGN_RE, text), 0, text):
        add(m.start(), m.end(), 0.85)
    for m in finditer_near(_COUNT_RE, ctx.numbers, 0, text):
        number = text[m.start() : m.start(1)].strip()
        digits = "".join(c for c in number if c.isdigit())
        if len(digits) == 4 and 1000 <= int(digits) <= 2200 and "," not in number and not _arabic_count(text, m):
            continue  # a year
        if _counted(ctx, m):
            add(m.start(), m.end(), 0.7)
    for at in _word_starts(text, _DUALS):
        if amount := _DUAL_CURRENCY_RE.match(text, at):
            add(amount.start(), amount.end(), 0.85)
        elif (count := _DUAL_COUNT_RE.match(text, at)) and _counted(ctx, count):
            add(count.start(), count.end(), 0.7)
    return out


def _counted(ctx: Context, m: re.Match[str]) -> bool:
    """Whether the word after a number (`m`'s group 1) is what it counts: not a function word (إثر
    "following" too), a month, a modal verb ("12 will be enough") or a capitalised name."""
    noun = m.group(1)
    nkey = token_key(noun)
    if (
        len(noun) < 2
        or ctx.text[m.end() : m.end() + 1] in ("'", "’")
        or noun[0].isupper()
        or nkey in lx.keys("latin_not_counted")
        or nkey in lx.keys("ar_not_counted")
        or nkey in lx.keys("latin_modal_verbs")
        or nkey in lx.keys("ar_stopwords")
        or nkey in lx.arabic_months()
    ):
        return False
    return ctx.gazetteer.month(nkey, ctx.gazetteer.all_languages_mask()) is None


# An Arabic noun counted by a number over ten: indefinite, singular, accusative, 1200 إصابة، 1500 شخصا
# (a verb after a year, 2011 شهدت، ends neither way)
_ARABIC_COUNTED_RE = re.compile(r"(?!ال)[\u0621-\u064A]{2,}(?:ة|[^\Wاىةوي]ا|[^\Wاىةوي]\u064Bا)")
# units of measure, which no year is followed by (1800 ميغاواط، 2000 طن)
_ARABIC_UNITS = frozenset(
    ("ميغاواط", "كيلوواط", "غيغاواط", "كيلومتر", "متر", "طن", "برميل", "هكتار", "دونم", "ميل", "كيلوغرام", "لتر")
)
# before a year: its cues (عام 2011) and the prepositions of time (في 2011 تقريبا، منذ 2011)
_BEFORE_A_YEAR = frozenset(token_key(w) for w in ("في", "منذ", "حتى", "قبل", "بعد"))
_WORD_BEFORE_RE = re.compile(r"(\w+)\s+$")


def _arabic_count(text: str, m: re.Match[str]) -> bool:
    """Whether a number of four digits counts the Arabic noun after it (أكثر من 1200 إصابة), rather
    than being a year: the noun looks counted or is a unit, and no year cue stands before the number."""
    if _ARABIC_COUNTED_RE.fullmatch(m.group(1)) is None and m.group(1) not in _ARABIC_UNITS:
        return False
    before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
    if before is None:
        return True
    cues = lx.keys("year_cues")  # read with a clitic on them too, as `find_dates` reads them (وفي 2014)
    return not any(k in cues or k in _BEFORE_A_YEAR for _s, k in word_info(before.group(1))[5])


def _word_starts(text: str, words: tuple[str, ...]) -> list[int]:
    """Where any of `words` occurs in `text`, in order (a match there is checked whole by its pattern)."""
    found = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1)
    return sorted(found)
