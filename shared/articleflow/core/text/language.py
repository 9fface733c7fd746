"""Language, script and direction detection without a model.

Two steps, both small tables in this module:

1. Script: count letters (``str.isalpha``) per ISO 15924 script using Unicode block ranges
   (`_SCRIPT_RANGES`). The script with the most letters wins, so Latin acronyms (USFJ, PAC-3)
   inside Arabic text do not matter. Han with enough kana is Japanese (``Jpan``); Hangul is
   Korean (``Kore``); Han alone is Chinese, ``Hans`` or ``Hant`` from a few characters that
   exist only in one of the two orthographies (``Hani`` when none is seen).
2. Language within the script:
   - Arabic script: letters that only some orthographies use (Urdu ٹ ڈ ڑ ں ے ہ ھ; Persian
     پ چ ژ گ with ک ی; Arabic ك ي ة ى; Pashto and Sorani letters) plus stopwords.
   - Latin: Vietnamese by its stacked diacritics (ơ ư đ ă and U+1EA0-U+1EF9), otherwise the
     share of tokens that are stopwords of each language in `_LATIN_STOPWORDS`.
   - Cyrillic: ``uk`` (і ї є ґ), ``be`` (ў), ``sr`` (ј љ њ ћ ђ џ), ``mk`` (ѓ ќ ѕ), ``bg`` by
     stopwords when ы and э are absent, else ``ru``.
   - Scripts used by essentially one language map directly (`_SINGLE_LANGUAGE_SCRIPTS`).
   Anything too short or ambiguous is ``und`` (BCP 47 "undetermined").

Direction is ``rtl`` for right-to-left scripts (`RTL_SCRIPTS`), else ``ltr``.
A language hint (publisher metadata) always wins over detection; see `resolve_language`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

__all__ = [
    "RTL_SCRIPTS",
    "LanguageInfo",
    "canonical_language_tag",
    "detect_language",
    "detect_script",
    "direction_for_script",
    "resolve_language",
]

UNDETERMINED = "und"
COMMON_SCRIPT = "Zyyy"

# (first code point, last code point, ISO 15924 code), sorted by first code point.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00C0, 0x024F, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0700, 0x074F, "Syrc"),
    (0x0750, 0x077F, "Arab"),
    (0x0780, 0x07BF, "Thaa"),
    (0x08A0, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B00, 0x0B7F, "Orya"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"),
    (0x0D00, 0x0D7F, "Mlym"),
    (0x0D80, 0x0DFF, "Sinh"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"),
    (0x1000, 0x109F, "Mymr"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),
    (0x1200, 0x139F, "Ethi"),
    (0x1780, 0x17FF, "Khmr"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hang"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xAC00, 0xD7AF, "Hang"),
    (0xF900, 0xFAFF, "Hani"),
    (0xFB1D, 0xFB4F, "Hebr"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0xFF21, 0xFF3A, "Latn"),
    (0xFF41, 0xFF5A, "Latn"),
    (0xFF66, 0xFF9F, "Kana"),
    (0x20000, 0x3134F, "Hani"),
)
_RANGE_STARTS = [start for start, _, _ in _SCRIPT_RANGES]

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})

# Scripts written (in news text) by essentially one language.
_SINGLE_LANGUAGE_SCRIPTS = {
    "Grek": "el",
    "Hebr": "he",
    "Armn": "hy",
    "Geor": "ka",
    "Thai": "th",
    "Laoo": "lo",
    "Khmr": "km",
    "Mymr": "my",
    "Sinh": "si",
    "Thaa": "dv",
    "Guru": "pa",
    "Gujr": "gu",
    "Orya": "or",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Beng": "bn",
    "Kore": "ko",
    "Jpan": "ja",
}


def _words_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Likely script of a language when the text itself has no letters (CLDR likely subtags).
_LIKELY_SCRIPT = {
    "ar": "Arab",
    "fa": "Arab",
    "ur": "Arab",
    "ps": "Arab",
    "ckb": "Arab",
    "sd": "Arab",
    "ug": "Arab",
    "he": "Hebr",
    "yi": "Hebr",
    "dv": "Thaa",
    "syr": "Syrc",
    "ru": "Cyrl",
    "uk": "Cyrl",
    "be": "Cyrl",
    "bg": "Cyrl",
    "mk": "Cyrl",
    "el": "Grek",
    "ja": "Jpan",
    "ko": "Kore",
    "zh": "Hans",
    "hi": "Deva",
    "th": "Thai",
    "en": "Latn",
    "fr": "Latn",
    "es": "Latn",
    "pt": "Latn",
    "it": "Latn",
    "de": "Latn",
    "nl": "Latn",
    "vi": "Latn",
    "id": "Latn",
    "tr": "Latn",
    "pl": "Latn",
}

# --- Han: characters that exist in only one orthography (frequent in news text). -------------
_SIMPLIFIED_ONLY = frozenset("这们国说时为个会来对发经过后动关长门问间还进实现见东车华军务区应业总亿与记让点学报开无机")
_TRADITIONAL_ONLY = frozenset(
    "這們國說時為個會來對發經過後動關長門問間還進實現見東車華軍務區應業總億與記讓點學報開無機"
)

# --- Arabic script. ------------------------------------------------------------------------
_URDU_LETTERS = frozenset("ٹڈڑںےۓہھ")
_PERSIAN_LETTERS = frozenset("پچژگ")
_PERSIAN_URDU_LETTERS = frozenset("کی")  # keheh, Farsi yeh: both Persian and Urdu
_ARABIC_LETTERS = frozenset("كيةى")  # kaf, Arabic yeh, teh marbuta, alef maksura
_PASHTO_LETTERS = frozenset("ټډړښږځڅڼۍې")
_SORANI_LETTERS = frozenset("ێۆڵڕە")
_ARABIC_SCRIPT_STOPWORDS = {
    "ar": _words_set("في من على إلى عن أن التي الذي هذا هذه مع كان قد بين بعد أو ما لا ثم كما وقال حيث"),
    "fa": _words_set("در به از را که این با است برای آن شد یک می‌شود نیز بود شده خود تا"),
    "ur": _words_set("کے کی کا ہے میں اور سے کو نے ہیں کہ پر بھی یہ تھا گیا"),
}

# --- Latin script: short stopword lists (function words that news text is full of). ---------
_LATIN_STOPWORDS = {
    "en": _words_set("the and of to in is that for on with was as by at are from it has have said will be this"),
    "fr": _words_set("le la les des et est du un une que dans pour sur au qui pas avec ce sont aux"),
    "es": _words_set("el la los las del y que en por con para una es al se lo como su fue"),
    "pt": _words_set("o a os as do da dos das e que em um uma para com não no na foi ao"),
    "it": _words_set("il lo la gli le di che e è del della un una per con non sono nel alla"),
    "de": _words_set("der die das und ist nicht mit den von zu sich auf für dem ein eine im des"),
    "nl": _words_set("de het een van en is dat op te in niet met voor zijn ook aan"),
    "id": _words_set("yang dan di dari ini untuk dengan itu dalam tidak akan pada adalah"),
    "tr": _words_set("ve bir bu da de için ile olarak çok daha gibi olan ama"),
    "pl": _words_set("i w na z się nie do to że jest jak po oraz przez dla"),
}
_VIETNAMESE_LETTERS = frozenset("ăâđêôơưĂÂĐÊÔƠƯ") | frozenset(chr(c) for c in range(0x1EA0, 0x1EFA))

# --- Cyrillic. ------------------------------------------------------------------------------
_BULGARIAN_STOPWORDS = _words_set("е че са които това да от за се")

_WORD = re.compile(r"[^\W\d_]+(?:[\u200c'’-][^\W\d_]+)*")

MAX_DETECT_CHARS = 20_000

# Thresholds: below these a guess is "und".
_MIN_LETTERS = 12
_MIN_STOPWORD_HITS = 2
_MIN_STOPWORD_SHARE = 0.08


@dataclass(frozen=True)
class LanguageInfo:
    language: str
    script: str
    direction: str


def _script_of(char: str) -> str | None:
    code = ord(char)
    index = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if index >= 0:
        start, end, script = _SCRIPT_RANGES[index]
        if start <= code <= end:
            return script
    return None


def _letter_counts(text: str) -> Counter[str]:
    """How often each letter (``str.isalpha``) occurs: one C-level count, then the distinct
    characters (a few hundred at most) are filtered, instead of a Python step per character."""
    chars = Counter(text)
    return Counter({char: n for char, n in chars.items() if char.isalpha()})


def _scripts_of_letters(letters: Counter[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for char, n in letters.items():
        script = _script_of(char)
        if script:
            counts[script] += n
    return counts


def _han_variant(letters: Counter[str]) -> str:
    simplified = sum(n for c, n in letters.items() if c in _SIMPLIFIED_ONLY)
    traditional = sum(n for c, n in letters.items() if c in _TRADITIONAL_ONLY)
    if simplified > traditional:
        return "Hans"
    if traditional > simplified:
        return "Hant"
    return "Hani"


def detect_script(text: str) -> str:
    """ISO 15924 code of the main script of `text` (``Zyyy`` when it has no letters)."""
    letters = _letter_counts(text)
    return _script_from_counts(letters, _scripts_of_letters(letters))


def _script_from_counts(letters: Counter[str], counts: Counter[str]) -> str:
    if not counts:
        return COMMON_SCRIPT
    kana = counts["Hira"] + counts["Kana"]
    cjk = kana + counts["Hani"] + counts["Hang"]
    if cjk and cjk >= max(counts.values()):
        if counts["Hang"] >= max(kana, counts["Hani"]) or counts["Hang"] > cjk * 0.3:
            return "Kore"
        if kana > cjk * 0.05:
            return "Jpan"
        return _han_variant(letters)
    return counts.most_common(1)[0][0]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _best_by_stopwords(words: list[str], table: dict[str, frozenset[str]]) -> str:
    if not words:
        return UNDETERMINED
    hits = {lang: sum(1 for w in words if w in stops) for lang, stops in table.items()}
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    (best, best_hits), (_, second_hits) = ranked[0], ranked[1]
    if best_hits < _MIN_STOPWORD_HITS or best_hits / len(words) < _MIN_STOPWORD_SHARE:
        return UNDETERMINED
    if best_hits <= second_hits:
        return UNDETERMINED
    return best


def _detect_arabic_script_language(text: str, letters: Counter[str]) -> str:
    total = sum(letters.values())

    def share(chars: frozenset[str]) -> float:
        return sum(letters[c] for c in chars) / total

    if share(_PASHTO_LETTERS) > 0.01:
        return "ps"
    if share(_SORANI_LETTERS) > 0.01:
        return "ckb"
    urdu, persian, both, arabic = (
        share(_URDU_LETTERS),
        share(_PERSIAN_LETTERS),
        share(_PERSIAN_URDU_LETTERS),
        share(_ARABIC_LETTERS),
    )
    by_words = _best_by_stopwords(_words(text), dict(_ARABIC_SCRIPT_STOPWORDS))
    if by_words != UNDETERMINED:
        return by_words
    if urdu > 0.01:
        return "ur"
    if persian + both > arabic and persian + both > 0.01:
        return "fa"
    if arabic > 0.01:
        return "ar"
    return UNDETERMINED


def _detect_latin_language(text: str, letters: Counter[str]) -> str:
    vietnamese = sum(n for c, n in letters.items() if c in _VIETNAMESE_LETTERS)
    if vietnamese / sum(letters.values()) > 0.03:
        return "vi"
    return _best_by_stopwords(_words(text), _LATIN_STOPWORDS)


def _detect_cyrillic_language(text: str) -> str:
    lowered = text.lower()
    if any(c in lowered for c in "ў"):
        return "be"
    if any(c in lowered for c in "іїєґ"):
        return "uk"
    if any(c in lowered for c in "јљњћђџ"):
        return "sr"
    if any(c in lowered for c in "ѓќѕ"):
        return "mk"
    if "ы" not in lowered and "э" not in lowered:
        words = _words(text)
        if sum(1 for w in words if w in _BULGARIAN_STOPWORDS) >= _MIN_STOPWORD_HITS:
            return "bg"
    return "ru"


def detect_language(text: str) -> tuple[str, str]:
    """Return ``(language, script)`` for `text`; language is ``und`` when unsure.

    Only the first `MAX_DETECT_CHARS` characters are looked at (plenty for a decision, and it
    keeps a huge upload from costing seconds here).
    """
    text = text[:MAX_DETECT_CHARS]
    letters = _letter_counts(text)
    counts = _scripts_of_letters(letters)
    script = _script_from_counts(letters, counts)
    if script == COMMON_SCRIPT:
        return UNDETERMINED, script
    if sum(counts.values()) < _MIN_LETTERS and script not in {"Hans", "Hant", "Hani", "Jpan"}:
        return UNDETERMINED, script
    if script in {"Hans", "Hant", "Hani"}:
        return "zh", script
    if script == "Arab":
        return _detect_arabic_script_language(text, letters), script
    if script == "Latn":
        return _detect_latin_language(text, letters), script
    if script == "Cyrl":
        return _detect_cyrillic_language(text), script
    return _SINGLE_LANGUAGE_SCRIPTS.get(script, UNDETERMINED), script


def direction_for_script(script: str) -> str:
    return "rtl" if script in RTL_SCRIPTS else "ltr"


_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def canonical_language_tag(tag: str | None) -> str | None:
    """Canonical casing of a BCP 47 tag (``EN_us`` -> ``en-US``); None if it is not one."""
    if tag is None:
        return None
    tag = tag.strip().replace("_", "-")
    if not _TAG.match(tag):
        return None
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _script_subtag(tag: str) -> str | None:
    for part in tag.split("-")[1:]:
        if len(part) == 4 and part.isalpha():
            return part
    return None


def resolve_language(text: str, language_hint: str | None = None) -> LanguageInfo:
    """Language, script and direction of `text`; a valid `language_hint` wins over detection.

    With a hint, the script is the hint's script subtag if it has one, else the script
    detected in the text, else the hint language's likely script.
    """
    language, script = detect_language(text)
    hint = canonical_language_tag(language_hint)
    if hint is not None:
        language = hint
        hinted_script = _script_subtag(hint)
        if hinted_script:
            script = hinted_script
        elif script == COMMON_SCRIPT:
            script = _LIKELY_SCRIPT.get(hint.split("-")[0], COMMON_SCRIPT)
    return LanguageInfo(language=language, script=script, direction=direction_for_script(script))
