"""Dates: month names in any CLDR language and the Arabic Levantine/Egyptian/Maghreb forms, with an
optional day and year; ISO, numeric and Vietnamese dates; a cue word + a year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import arabic_key, name_key, proclitic_splits
from articleflow.core.tagging.gazetteer import Gazetteer
from articleflow.core.tagging.rules.context import Context, split_key, splits
from articleflow.core.tagging.scan import finditer_near
from articleflow.core.tagging.spans import Candidate, entity_key
from articleflow.core.tagging.text import Token

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


@dataclass
class _MonthDate:
    """A date being built around a month name: its first character, its last token, and what was
    found around the month (a day, a year, or context that makes an ambiguous month a date)."""

    start: int
    last: int
    day: int | None = None
    year: int | None = None
    context: bool = False


def find_dates(ctx: Context) -> list[Candidate]:
    """Month names (any CLDR language, Arabic Levantine/Egyptian/Maghreb forms, pairs like
    يوليو/تموز) with an optional day before and year after; ISO and numeric dates; cue + year."""
    out: list[Candidate] = []
    tokens = ctx.tokens
    year_cues = lx.keys("year_cues")
    month_words = ctx.words_with_reading_in(_month_first_words(ctx.gazetteer))
    after = 0  # the token after the last date found
    for i in [i for i, tok in enumerate(tokens) if tok.digit or tok.text in month_words]:
        if i < after:
            continue
        tok = tokens[i]
        found = _month_at(ctx, i)
        if found is not None:
            candidate, last = _month_date(ctx, i, *found)
            if candidate is not None:
                out.append(candidate)
                after = last + 1
                continue
        else:
            # cue + year: "عام 2024", "in 2024"
            y = _year(tok)
            # the cue may carry a conjunction or a preposition (وخلال 2026، وفي عام 2024)
            if (
                y is not None
                and i > 0
                and tokens[i - 1].joined
                and any(k in year_cues for _s, k in tokens[i - 1].readings)
            ):
                out.append(Candidate(tok.start, tok.end, "DATE", entity_key("DATE", str(y)), 0.7, "date", str(y)))
    return out + _numeric_dates(ctx) + _vietnamese_dates(ctx)


def _month_date(ctx: Context, i: int, month: int, month_last: int) -> tuple[Candidate | None, int]:
    """The date around the month name at tokens i..month_last, and its last token; None when the
    month word is left alone (an ambiguous month without context, a lower-case one without a day or
    year in en/de)."""
    tokens = ctx.tokens
    tok = tokens[i]
    date = _MonthDate(_arabic_month_start(ctx, i, month, month_last) if tok.arabic else tok.start, month_last)
    _pair_after(ctx, date, month)
    _day_around(ctx, i, date)
    _year_after(ctx, date)
    if not date.context and i > 0 and tokens[i - 1].joined:
        prev = tokens[i - 1]
        cues = lx.keys("date_cues")
        date.context = prev.key in cues or any(split_key(prev, s, r) in cues for s, r in splits(prev)[1:])
    month_key = name_key(ctx.text[tok.start : tokens[month_last].end])
    if tok.arabic:
        month_key = arabic_key(month_key)
    ambiguous = lx.keys("ambiguous_months")
    is_ambiguous = month_key in ambiguous or any(split_key(tok, s, r) in ambiguous for s, r in splits(tok)[1:])
    if is_ambiguous and not date.context:
        return None, i
    if not tok.arabic and not tok.cap and ctx.lang in ("en", "de", "und") and date.day is None and date.year is None:
        return None, i
    canon = _iso(date.year, month, date.day)
    end = tokens[date.last].end
    confidence = 0.9 if date.context else 0.8
    return Candidate(date.start, end, "DATE", entity_key("DATE", canon), confidence, "date", canon), date.last


def _arabic_month_start(ctx: Context, i: int, month: int, last: int) -> int:
    """Where an Arabic month name starts inside its token: after a proclitic (وفي يوليو -> يوليو)."""
    tok = ctx.tokens[i]
    ar_months = lx.arabic_months()
    for skip, restore in proclitic_splits(tok.text):
        key = split_key(tok, skip, restore)
        if ar_months.get(key) == month or (last > i and ar_months.get(key + " " + ctx.tokens[last].key)):
            return tok.start + skip
    return tok.start


def _pair_after(ctx: Context, date: _MonthDate, month: int) -> None:
    """The same month again after a slash: يوليو/تموز, juillet/July."""
    tokens = ctx.tokens
    last = date.last
    if last + 1 < len(tokens) and _gap(ctx, tokens[last], tokens[last + 1]).strip() == "/":
        pair = _month_at(ctx, last + 1)
        if pair is not None and pair[0] == month:
            date.last = pair[1]
            date.context = True


def _day_around(ctx: Context, i: int, date: _MonthDate) -> None:
    """A day before the month ("28 يوليو", "le 28 juillet", "28 de julio", "12. März") or, in Latin
    scripts, after it ("July 28", "July 28, 2024")."""
    tokens = ctx.tokens
    tok = tokens[i]
    j = i - 1
    if j >= 0 and tokens[j].key in ("de",) and tokens[j].joined and j - 1 >= 0 and tokens[j - 1].joined:
        j -= 1
    if j >= 0 and _day(tokens[j]) is not None and (tokens[j].joined or _day_period(ctx, tokens[j], tok)):
        date.day = _day(tokens[j])
        date.start = tokens[j].start
        date.context = True
        return
    last = date.last
    if (
        last + 1 < len(tokens)
        and tokens[last].joined
        and not tok.arabic
        and _day(tokens[last + 1]) is not None
        and _year(tokens[last + 1]) is None
    ):
        date.last = last + 1
        date.day = _day(tokens[last + 1])
        date.context = True


def _year_after(ctx: Context, date: _MonthDate) -> None:
    """A year after the month (and day): "2024", ", 2024", "de 2024", "/2024", and the era marker "2024 م"."""
    tokens = ctx.tokens
    n = len(tokens)
    k = date.last + 1
    if k < n and tokens[k].key == "de" and tokens[date.last].joined:
        k += 1
    if k >= n:
        return
    gap = _gap(ctx, tokens[k - 1], tokens[k])
    if gap.strip() not in ("", ",", "،") or "\n" in gap:
        return
    date.year = _year(tokens[k])
    if date.year is None:
        return
    date.last = k
    date.context = True
    if k + 1 < n and tokens[k + 1].key in ("م",) and tokens[k].joined:
        date.last = k + 1


def _numeric_dates(ctx: Context) -> list[Candidate]:
    """ISO dates (2024-07-28) and numeric ones (28/07/2024; 07/28/2024 in English when it can be)."""
    out: list[Candidate] = []
    for m in finditer_near(_ISO_DATE_RE, ctx.numbers, 0, ctx.text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            canon = _iso(y, mo, d)
            out.append(Candidate(m.start(), m.end(), "DATE", entity_key("DATE", canon), 0.95, "date", canon))
    for m in finditer_near(_NUMERIC_DATE_RE, ctx.numbers, 0, ctx.text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if ctx.lang == "en" and a <= 12:
            mo, d = a, b  # US order
        else:
            d, mo = a, b
        if 1 <= mo <= 12 and 1 <= d <= 31:
            canon = _iso(y, mo, d)
            out.append(Candidate(m.start(), m.end(), "DATE", entity_key("DATE", canon), 0.8, "date", canon))
    return out


def _vietnamese_dates(ctx: Context) -> list[Candidate]:
    """Vietnamese dates: "ngày 28 tháng 7 năm 2024", "tháng 7/2024"."""
    out: list[Candidate] = []
    if ctx.lang not in ("vi", "und") or "háng" not in ctx.text:
        return out
    for m in _VI_DATE_RE.finditer(ctx.text):
        d_s, mo_s, y_s = m.group(1), m.group(2), m.group(3)
        mo = int(mo_s)
        if not 1 <= mo <= 12:
            continue
        canon = _iso(int(y_s) if y_s else None, mo, int(d_s) if d_s else None)
        start = m.start(1) if d_s else m.start()
        out.append(Candidate(start, m.end(), "DATE", entity_key("DATE", canon), 0.85, "date", canon))
    return out
