"""Line-level structure of a plain-text article: units, captions, bylines, headline.

A *unit* is a paragraph candidate: one non-empty line, or, when the file is hard-wrapped
(blank lines between blocks and most lines inside blocks end mid-sentence), one block with
its lines joined (see `split_units`).

Each unit is then one of: page furniture (`furniture.py`), a photo caption, a byline, the
headline, or a story paragraph. The rules, in the order they are applied:

- Caption: a unit ending in a photo-credit marker and a short credit, e.g. ``... الصورة: X``,
  ``... Photo: X``, ``... (Photo: X)``, ``... Ảnh: X``, ``... Foto: X``, ``...（新华社记者 X 摄）``.
  The credit goes to ``Caption.credit``; a credit-only line (``Photo: AFP``) is a caption
  with empty text (a picture was there, and its credit is kept).
- Byline, at the head (first two story units after the headline) only with a lead-in
  (``By X``, ``Par X``, ``Por X``, ``Theo X``, ``بقلم X``, ``记者 X`` ...); at the tail (the
  last two story units) also as ``- X (AFP)``, ``Name (according to A, B)`` or, for the very
  last unit, a bare short name. Parenthesised or ``|``-separated parts are sources, with
  lead-ins such as ``وفقا لصحيفة``, ``according to``, ``theo``, ``selon`` stripped.
- Headline: the first story unit (none if that is a lead-in byline) if it is short (at most
  25 words / 200 characters, 60 for CJK), does not end in sentence punctuation (``?`` and
  ``!`` are allowed) and the next story unit that is not a lead-in byline is longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .furniture import first_chars, match_furniture

__all__ = [
    "BylineParts",
    "CaptionParts",
    "looks_like_headline",
    "match_caption",
    "parse_byline",
    "split_units",
]

# --- units ---------------------------------------------------------------------------------

_SENTENCE_END = tuple(".!?。！？؟۔…:\"»”’')）]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


_WRAPPED_MIN_LEN = 40


def _looks_hard_wrapped(blocks: list[list[str]]) -> bool:
    """Blank lines between blocks, and most lines inside blocks are long and end mid-sentence."""
    if len(blocks) < 2:
        return False
    inner = [line for block in blocks for line in block[:-1] if match_furniture(line) is None]
    if len(inner) < 3:
        return False
    wrapped = sum(1 for line in inner if len(line) >= _WRAPPED_MIN_LEN and not line.endswith(_SENTENCE_END))
    return wrapped / len(inner) >= 0.6


def _join_wrapped(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if (out.endswith("-") and len(out) > 1 and out[-2].isalpha()) or (_CJK.match(out[-1]) and _CJK.match(line[0])):
            out += line
        else:
            out += " " + line
    return out


def _reflow(block: list[str]) -> list[str]:
    """Join a hard-wrapped block; a furniture line stays a unit of its own."""
    units: list[str] = []
    run: list[str] = []
    for line in block:
        if match_furniture(line) is not None:
            if run:
                units.append(_join_wrapped(run))
                run = []
            units.append(line)
        else:
            run.append(line)
    if run:
        units.append(_join_wrapped(run))
    return units


def split_units(text: str) -> list[str]:
    """Paragraph candidates of cleaned text (see the module docstring)."""
    blocks = [[line for line in block.split("\n") if line] for block in text.split("\n\n")]
    blocks = [block for block in blocks if block]
    if _looks_hard_wrapped(blocks):
        return [unit for block in blocks for unit in _reflow(block)]
    return [line for block in blocks for line in block]


# --- captions ------------------------------------------------------------------------------

_CREDIT_MARKERS = [
    "photo credit",
    "photos?",
    "photograph",
    "image",
    "picture",
    "credit",
    "crédit(?: photo)?",
    "crédito",
    "fotos?",
    "ảnh",
    "фото",
    "фотография",
    "الصورة",
    "صورة",
    "تصوير",
    "عکس",
    "تصویر",
    "图片来源",
    "图片",
    "图源",
    "图",
    "圖片",
    "圖",
    "照片",
    "摄影",
    "攝影",
]
_MARKER = "(?:" + "|".join(sorted(_CREDIT_MARKERS, key=len, reverse=True)) + ")"
_CREDIT = r"(?P<credit>[^()\[\]（）:：]{1,80}?)"
_CAPTION = re.compile(
    rf"(?:^|(?<!\s)\s|(?<=[.。!?؟|，,]))[\(\[（]?\s*{_MARKER}\s*(?:[:：]|\s+(?:by|par|de)\s+)\s*{_CREDIT}"
    r"\s*[\)\]）]?\s*$",
    re.IGNORECASE,
)
# A necessary condition for `_CAPTION` (it contains a marker), far cheaper to search for.
_MARKER_SEEN = re.compile(rf"(?={first_chars(_CREDIT_MARKERS)}){_MARKER}", re.IGNORECASE)
# Chinese: "（新华社记者 李明 摄）"
_CAPTION_ZH = re.compile(r"[（(]\s*(?P<credit>[^（）()]{1,40}?)\s*(?:摄|攝)\s*[)）]\s*$")
_MAX_CREDIT_WORDS = 8


@dataclass(frozen=True)
class CaptionParts:
    text: str
    credit: str


def match_caption(unit: str) -> CaptionParts | None:
    """Split a caption unit into its text and credit; None if the unit is not a caption."""
    match = (_MARKER_SEEN.search(unit) and _CAPTION.search(unit)) or _CAPTION_ZH.search(unit)
    if not match:
        return None
    credit = match.group("credit").strip()
    if not credit or len(credit.split()) > _MAX_CREDIT_WORDS:
        return None
    first_letter = next((c for c in credit if c.isalpha()), "")
    if first_letter.islower():  # "... the image: a burning car", "... la photo de famille"
        return None
    text = unit[: match.start()].rstrip(" |–—-")
    return CaptionParts(text=text, credit=credit)


# --- bylines -------------------------------------------------------------------------------

_BYLINE_LEADS = [
    "by",
    "written by",
    "reporting by",
    "words by",
    "par",
    "por",
    "von",
    "di",
    "door",
    "theo",
    "bởi",
    "bài",
    "автор",
    "текст",
    "بقلم",
    "كتب",
    "كتبت",
    "نویسنده",
    "گزارش",
    "تحریر",
    "رپورٹ",
    "作者",
    "本报记者",
    "本報記者",
    "记者",
    "記者",
    "文",
]
_LEAD = "(?:" + "|".join(sorted(_BYLINE_LEADS, key=len, reverse=True)) + ")"
_BYLINE_LEAD = re.compile(rf"^(?P<open>[\(（])?\s*{_LEAD}(?:\s*[:：/／|]\s*|\s+)(?P<body>.+)$", re.IGNORECASE)
_BYLINE_DASH = re.compile(r"^[-–—]\s*(?P<body>\S.*)$")
_BYLINE_PARENS = re.compile(r"^(?P<names>[^()（）]{2,80}?)\s*[\(（](?P<sources>[^()（）]{2,160})[\)）]$")
# `(?<!\s)`: an attempt starts only where a run of spaces starts, not at every space of a long
# run (each attempt would scan the rest of the run: quadratic).
_SOURCE_SPLIT = re.compile(r"(?<!\s)\s*[|–—]\s*|(?<!\s)\s+-\s+")

# Lead-ins before a source list, stripped (longest first). Arabic variants with and without
# tanwin.
_SOURCE_LEADINS = [
    "وفقا لصحيفة",
    "وفقاً لصحيفة",
    "وفقًا لصحيفة",
    "وفقا لوكالة",
    "وفقاً لوكالة",
    "وفقًا لوكالة",
    "وفقا لموقع",
    "وفقا لـ",
    "وفقاً لـ",
    "وفقًا لـ",
    "وفقا ل",
    "وفقاً ل",
    "وفقًا ل",
    "نقلا عن",
    "نقلاً عن",
    "بحسب",
    "حسب",
    "according to",
    "based on",
    "with",
    "via",
    "from",
    "theo",
    "tổng hợp",
    "selon",
    "d'après",
    "d’après",
    "avec",
    "según",
    "con información de",
    "de acuerdo con",
    "laut",
    "mit",
    "по данным",
    "по материалам",
    "综合",
    "綜合",
    "据",
    "據",
    "به نقل از",
    "بر اساس",
    "بشکریہ",
    "بحوالہ",
]
_SOURCE_LEADIN = re.compile(
    r"^(?:" + "|".join(re.escape(s) for s in sorted(_SOURCE_LEADINS, key=len, reverse=True)) + r")\s*",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(
    r"(?<!\s)\s*[,،、;؛]\s*|(?<!\s)\s+(?:and|&|et|y|e|und|và|и|i|و|ve|va|اور|和|與|与)\s+", re.IGNORECASE
)
# Arabic "و" ("and") is written attached to the next word: "رويترز، والأناضول". It is only
# stripped from a list item after the first when what follows is clearly a new word (an "ال",
# "أ", "إ", "آ" start, or a known agency), never from names like "وول ستريت جورنال".
_ARABIC_CONJ = re.compile(r"^و(?=(?:ال|أ|إ|آ)\w{2,})")

# Agencies recognised in a bare "- X" tail line (everything else there is an author).
_AGENCIES = frozenset(
    s.casefold()
    for s in [
        "AFP",
        "AP",
        "Reuters",
        "dpa",
        "EFE",
        "ANSA",
        "Xinhua",
        "TASS",
        "RIA Novosti",
        "Interfax",
        "Kyodo",
        "Yonhap",
        "Anadolu",
        "IRNA",
        "WAFA",
        "Bloomberg",
        "Europa Press",
        "TTXVN",
        "Agencies",
        "Agences",
        "رويترز",
        "فرانس برس",
        "أ ف ب",
        "أسوشيتد برس",
        "الأناضول",
        "وكالات",
        "ايرنا",
        "新华社",
        "新華社",
    ]
)

_NOT_A_NAME = re.compile(r"[\d!?؟;:：。،؛\"«»“”]|[.]$")
_MAX_NAME_WORDS = 5


@dataclass
class BylineParts:
    authors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _split_list(text: str) -> list[str]:
    items = [item.strip(" .") for item in _LIST_SPLIT.split(text.strip())]
    items = [item for item in items if item]
    if len(items) > 1:
        items = [items[0], *(_strip_arabic_conjunction(item) for item in items[1:])]
    return items


def _strip_arabic_conjunction(item: str) -> str:
    if item.startswith("و") and item[1:].casefold() in _AGENCIES:
        return item[1:]
    return _ARABIC_CONJ.sub("", item)


def _split_sources(text: str) -> list[str]:
    return _split_list(_SOURCE_LEADIN.sub("", text.strip()))


def _is_name_list(names: list[str], *, cased: bool) -> bool:
    if not names:
        return False
    for name in names:
        words = name.split()
        if not words or len(words) > _MAX_NAME_WORDS or _NOT_A_NAME.search(name):
            return False
        if cased and any(w[0].isalpha() and w[0].islower() for w in words if w not in _NAME_PARTICLES):
            return False
    return True


_NAME_PARTICLES = frozenset(["de", "da", "di", "du", "del", "der", "van", "von", "la", "le", "al", "el", "bin", "ibn"])


def _is_cased(text: str) -> bool:
    return any(c.isupper() or c.islower() for c in text if c.isalpha())


def _body_parts(body: str, *, bare_agencies: bool) -> BylineParts | None:
    """Authors and sources of a byline body: ``names (sources)`` or ``names | sources``."""
    cased = _is_cased(body)
    parens = _BYLINE_PARENS.match(body)
    if parens:
        authors = _split_list(parens.group("names"))
        sources = _split_sources(parens.group("sources"))
    else:
        head, *rest = _SOURCE_SPLIT.split(body, maxsplit=1)
        authors = _split_list(head)
        sources = _split_sources(rest[0]) if rest else []
        if bare_agencies and not sources and all(a.casefold() in _AGENCIES for a in authors):
            return BylineParts(authors=[], sources=authors)
    if not _is_name_list(authors, cased=cased):
        return None
    return BylineParts(authors=authors, sources=sources)


# Trailing contributor lines: "Additional reporting by Sam Lee in London; Editing by Ana Ruiz".
# Reporters and writers are authors; the editors' segment is part of the line, not a byline.
_CONTRIBUTOR_LEADS = [
    "additional reporting by",
    "additional reporting from",
    "reporting by",
    "reporting from",
    "writing by",
    "additional writing by",
    "contributed by",
    "with reporting by",
    "with reporting from",
    "reportage complémentaire de",
    "avec la contribution de",
    "información adicional de",
    "con información de",
    "con reportes de",
    "com informações de",
    "mitarbeit von",
    "mit material von",
]
_CONTRIBUTOR_LEAD = re.compile(
    "^(?:" + "|".join(sorted(map(re.escape, _CONTRIBUTOR_LEADS), key=len, reverse=True)) + r")\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_CONTRIBUTOR_OTHER = re.compile(r"^(?:editing|edited|compiled|translated|graphics|fact-checking)\b", re.IGNORECASE)
# "Sam Lee in London", "Pedro Ruiz en Bogotá": the place after the name is not the name.
_PLACE_SUFFIX = re.compile(r"\s+(?:in|en|à|em|aus|from)\s+\S.*$")


def _contributors(unit: str) -> BylineParts | None:
    """Authors of a contributor line (every ``;`` segment a contributor lead-in), or None."""
    authors: list[str] = []
    for segment in (s.strip(" .") for s in unit.split(";")):
        lead = _CONTRIBUTOR_LEAD.match(segment)
        if lead:
            authors += [_PLACE_SUFFIX.sub("", name) for name in _split_list(lead.group("names"))]
        elif segment and not _CONTRIBUTOR_OTHER.match(segment):
            return None
    return BylineParts(authors=[a for a in authors if a]) if authors else None


def parse_byline(unit: str, *, at_tail: bool, last: bool = False) -> BylineParts | None:
    """Byline parts of `unit`, or None. `at_tail`: the unit is among the last story units
    (then a contributor line counts too); `last`: it is the very last one (then a bare short
    name also counts)."""
    if at_tail and len(unit) <= 240:
        contributors = _contributors(unit)
        if contributors is not None:
            return contributors
    if len(unit) > 160:
        return None
    lead = _BYLINE_LEAD.match(unit)
    if lead:
        body = lead.group("body").strip()
        if lead.group("open"):  # "（记者 王小明）"
            body = body.rstrip(")）").strip()
        return _body_parts(body, bare_agencies=False)
    if not at_tail:
        return None
    dash = _BYLINE_DASH.match(unit)
    if dash:
        return _body_parts(dash.group("body").strip(), bare_agencies=True)
    if _BYLINE_PARENS.match(unit):
        return _body_parts(unit, bare_agencies=False)
    if last and len(unit) <= 40 and (2 <= len(unit.split()) <= 4 or unit.casefold() in _AGENCIES):
        return _body_parts(unit, bare_agencies=True)
    return None


# --- headline ------------------------------------------------------------------------------

_HEADLINE_END_OK = ("?", "!", "؟", "？", "！")
_TRAILING_CLOSERS = "\"'»”’)）]"


def looks_like_headline(unit: str, next_unit: str | None) -> bool:
    """True if `unit` (the first story unit) is a headline line."""
    if next_unit is None or len(next_unit) <= len(unit):
        return False
    core = unit.rstrip(_TRAILING_CLOSERS) or unit
    if core.endswith(_SENTENCE_END) and not core.endswith(_HEADLINE_END_OK):
        return False
    if core.endswith((",", "،", ";", "؛")):
        return False
    if len(_CJK.findall(unit)) > len(unit) / 2:
        return len(unit) <= 60
    return len(unit) <= 200 and len(unit.split()) <= 25
