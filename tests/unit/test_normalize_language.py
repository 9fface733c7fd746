"""Language, script and direction detection, and hints winning over it."""

from __future__ import annotations

import pytest

from articleflow.core.normalize.text import normalize_text
from articleflow.core.text.language import (
    canonical_language_tag,
    detect_language,
    detect_script,
    resolve_language,
)


@pytest.mark.parametrize(
    ("text", "language", "script"),
    [
        ("The government said on Monday that the new law will come into force in the spring.", "en", "Latn"),
        (
            "Le gouvernement a annoncé lundi que la nouvelle loi entrera en vigueur au printemps.",
            "fr",
            "Latn",
        ),
        ("El gobierno anunció el lunes que la nueva ley entrará en vigor en primavera.", "es", "Latn"),
        (
            "O governo anunciou na segunda-feira que a nova lei não entra em vigor antes da primavera.",
            "pt",
            "Latn",
        ),
        ("Il governo ha annunciato che la nuova legge entrerà in vigore con la primavera.", "it", "Latn"),
        (
            "Die Regierung hat am Montag mitgeteilt, dass das neue Gesetz im Frühjahr in Kraft tritt.",
            "de",
            "Latn",
        ),
        ("Chính phủ cho biết luật mới sẽ có hiệu lực từ mùa xuân năm sau.", "vi", "Latn"),
        ("Правительство заявило в понедельник, что новый закон вступит в силу весной.", "ru", "Cyrl"),
        ("Уряд заявив у понеділок, що новий закон набуде чинності навесні.", "uk", "Cyrl"),
        ("وقالت الحكومة يوم الاثنين إن القانون الجديد سيدخل حيز التنفيذ في الربيع.", "ar", "Arab"),
        ("دولت روز دوشنبه اعلام کرد که قانون جدید از بهار اجرا می‌شود.", "fa", "Arab"),
        ("حکومت نے پیر کے روز کہا کہ نیا قانون موسم بہار میں نافذ ہو گا۔", "ur", "Arab"),
        ("政府周一表示，这项新法律将于明年春天开始实施。", "zh", "Hans"),
        ("政府週一表示，這項新法律將於明年春天開始實施。", "zh", "Hant"),
        ("政府は月曜日、新しい法律が春に施行されると発表した。", "ja", "Jpan"),
        ("정부는 월요일 새 법이 봄에 시행된다고 밝혔다.", "ko", "Kore"),
        ("Η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι ο νέος νόμος θα ισχύσει την άνοιξη.", "el", "Grek"),
        ("הממשלה הודיעה ביום שני כי החוק החדש ייכנס לתוקף באביב.", "he", "Hebr"),
    ],
)
def test_detect_language(text: str, language: str, script: str) -> None:
    assert detect_language(text) == (language, script)


def test_latin_acronyms_do_not_change_arabic_script() -> None:
    text = "تعتزم الولايات المتحدة إعادة تأسيس القوات (USFJ) مع صواريخ PAC-3 و DICAS."
    assert detect_script(text) == "Arab"
    assert resolve_language(text).direction == "rtl"


@pytest.mark.parametrize("text", ["OK", "2026", "— 12 —", "Hello there", "Lorem ipsum dolor sit amet elit"])
def test_unsure_is_und(text: str) -> None:
    assert detect_language(text)[0] == "und"


def test_no_letters_is_common_script() -> None:
    assert detect_language("12:30 — 45%") == ("und", "Zyyy")


def test_han_without_marker_characters_is_hani() -> None:
    assert detect_language("天下太平") == ("zh", "Hani")


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("EN_us", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        (" ar ", "ar"),
        ("sr-latn", "sr-Latn"),
        ("", None),
        ("english please", None),
        ("x", None),
        (None, None),
    ],
)
def test_canonical_language_tag(tag: str | None, canonical: str | None) -> None:
    assert canonical_language_tag(tag) == canonical


def test_hint_wins_over_detection() -> None:
    info = resolve_language("The government said on Monday that the law is in force.", "fr")
    assert (info.language, info.script, info.direction) == ("fr", "Latn", "ltr")


def test_hint_script_subtag_sets_script() -> None:
    info = resolve_language("政府周一表示，这项新法律将于明年春天开始实施。", "zh-Hant")
    assert (info.language, info.script) == ("zh-Hant", "Hant")


def test_invalid_hint_is_ignored() -> None:
    info = resolve_language("وقالت الحكومة يوم الاثنين إن القانون الجديد سيدخل حيز التنفيذ.", "??")
    assert (info.language, info.script, info.direction) == ("ar", "Arab", "rtl")


def test_normalize_text_language_hint_wins() -> None:
    text = "Short headline here\n\nThe government said on Monday that the law is in force from the spring."
    article = normalize_text(text, language_hint="en-GB")
    assert article.language == "en-GB"
    assert article.script == "Latn"
    article = normalize_text(text, language_hint="de")
    assert article.language == "de"
