"""Arabic matching keys and proclitic stripping.

Keys are for *matching only*: offsets always point into the unchanged display text.
`arabic_key` folds the spelling differences that do not change a name:

* alef and hamza carriers: أ إ آ ٱ -> ا, ؤ -> و, ئ -> ي
* alef maksura ى -> ي, teh marbuta ة -> ه
* harakat (U+064B-U+0652), superscript alef (U+0670) and tatweel (U+0640) are dropped
* Persian/Urdu letter forms fold to their Arabic counterparts (ی ک ہ ۀ ے ڤ پ ...)
* Arabic-Indic and Persian digits become ASCII digits
* a small table of transliteration variants: الأميركي / الأمريكي ("يرك" -> "ريك"), ...

`proclitic_splits` lists the ways a token can be read as proclitics + a word, e.g.
``واليابان`` -> skip ``و``; ``للقوات`` -> skip ``لل`` and restore the article (key ``القوات``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container

ARABIC_LETTER_RE = re.compile(r"[\u0620-\u064A\u0671-\u06D3\u06FA-\u06FF]")
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ے": "ي",  # Urdu yeh barree
        "ک": "ك",  # keheh
        "ڪ": "ك",
        "ہ": "ه",  # Urdu heh goal
        "ۀ": "ه",
        "ە": "ه",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "گ": "ك",
        **{c: None for c in ARABIC_MARKS},
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)

# Transliteration variants folded to one form (applied after the letter folding above).
# Each pair is (variant, preferred); keep it small and specific.
_VARIANTS: tuple[tuple[str, str], ...] = (
    ("يرك", "ريك"),  # الأميركي / الأمريكي, أميركا / أمريكا
    ("اغون", "اجون"),  # البنتاغون / البنتاجون
)


def arabic_key(text: str) -> str:
    """Fold an Arabic-script string to its matching key (see module docstring)."""
    key = text.translate(_FOLD)
    for variant, preferred in _VARIANTS:
        if variant in key:
            key = key.replace(variant, preferred)
    return key


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER_RE.search(text) is not None


_LATIN_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u2010": "-", "\u2011": "-"})


def token_key(token: str) -> str:
    """Matching key of one token of any script.

    Arabic script is folded with `arabic_key`; other scripts are NFC-normalised and case-folded
    (Latin accents are kept: 'Salé' and 'sale' are different words). Hyphens and apostrophes inside
    a token become spaces, so 'Saint-Étienne' and 'Saint Étienne' share the key 'saint étienne'.
    """
    if ARABIC_LETTER_RE.search(token):
        key = arabic_key(token)
    else:
        if not token.isascii():
            token = unicodedata.normalize("NFC", token)
        key = token.translate(_LATIN_FOLD).casefold()
    if "-" in key or "'" in key or "." in key:
        key = key.replace("-", " ").replace("'", " ").replace(".", " ")
        key = " ".join(key.split())
    return key


_KEY_TOKEN_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u064b-\u0652\u0670\u0640'’-])*")


_NAME_KEYS: dict[str, str] = {}
_NAME_KEYS_MAX = 100_000


def name_key(name: str) -> str:
    """Matching key of a multi-word name: token keys joined by single spaces. Memoised: the rules,
    the linker and the merge ask again for the names an article repeats."""
    key = _NAME_KEYS.get(name)
    if key is None:
        key = " ".join([token_key(t) for t in _KEY_TOKEN_RE.findall(name)])
        if len(_NAME_KEYS) < _NAME_KEYS_MAX:
            _NAME_KEYS[name] = key
    return key


# --- proclitics ------------------------------------------------------------------------------

_CONJ = "وف"
_PREP = "بلك"


def starts_with_conjunction(word: str) -> bool:
    """Whether the conjunction و/ف leads `word` (a display word or a key), with more than two letters
    after it: ومينورو، وبالمدينة; not ولد or فيل, too short to hold a word after a conjunction."""
    return len(word) > 3 and word[0] in _CONJ


def conjunction_skip(key: str, words: Container[str]) -> int | None:
    """How many letters lead `key` before a word of `words`: 0 if it is one, 1 if it is one with the
    conjunction و/ف on it (وفي، واتحاد، وقالت), None otherwise. Unlike `starts_with_conjunction`, a
    short word after the conjunction counts: the lists hold words such as في."""
    if key in words:
        return 0
    if key[:1] in _CONJ and key[1:] in words:
        return 1
    return None


def _base_letters(token: str) -> list[tuple[int, str]]:
    """(display index, letter) for the token's letters, skipping harakat and tatweel."""
    return [(i, c) for i, c in enumerate(token) if c not in ARABIC_MARKS]


def proclitic_splits(token: str, min_rest: int = 2) -> list[tuple[int, str]]:
    """Ways to read `token` as proclitics + word, most likely first.

    Each split is ``(skip, restore)``: the word starts at display index ``skip`` of the token and its
    key is ``restore + arabic_key(token[skip:])``. ``restore`` is ``"ال"`` when ``لل`` stands for
    ``ل`` + ``ال`` (the article's alef is elided: للقوات = ل + القوات). The article ``ال`` itself is
    never stripped: it stays part of names that have it (اليابان) and a demonym like المالي must not
    become the country مالي. Conjunction و/ف, then preposition ب/ل/ك, are stripped.
    """
    letters = _base_letters(token)
    n = len(letters)
    out: list[tuple[int, str]] = []
    pos = 0
    conj_options = [0]
    if n > min_rest and letters[0][1] in _CONJ:
        conj_options.append(1)
    for c in conj_options:
        pos = c
        if c:
            out.append((letters[pos][0], ""))
        if n - pos > min_rest and letters[pos][1] in _PREP:
            prep = letters[pos][1]
            nxt = pos + 1
            if prep == "ل" and letters[nxt][1] == "ل" and n - nxt - 1 >= min_rest:
                # لل + word: ل + (ا)ل + word
                out.append((letters[nxt + 1][0], "ال"))
            out.append((letters[nxt][0], ""))
    # dedupe, keep order
    seen: set[tuple[int, str]] = set()
    result = []
    for split in out:
        if split not in seen and split[0] > 0:
            seen.add(split)
            result.append(split)
    return result


_ELISION_RE = re.compile(r"^(?:[ldjmnstcLDJMNSTC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=\w)")


def latin_clitic_splits(token: str) -> list[tuple[int, str]]:
    """French/Italian elisions: l'Ukraine -> Ukraine, d'Emmanuel -> Emmanuel."""
    m = _ELISION_RE.match(token)
    return [(m.end(), "")] if m else []


def strip_proclitics(token: str, is_known: Callable[[str], bool] | Container[str]) -> tuple[int, str]:
    """Return ``(skip, word)`` for the first reading of `token` whose key is known.

    `is_known` is a predicate on keys, or a container of keys. The whole token wins when it is known
    itself; ``(0, token)`` is returned when no reading is known.
    """
    check: Callable[[str], bool] = is_known if callable(is_known) else is_known.__contains__
    if check(token_key(token)):
        return (0, token)
    splits = proclitic_splits(token) if has_arabic(token) else latin_clitic_splits(token)
    for skip, restore in splits:
        if check(restore + token_key(token[skip:])):
            return (skip, token[skip:])
    return (0, token)
