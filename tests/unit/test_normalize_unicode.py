"""Unicode cleanup: the only rewriting normalize does."""

from __future__ import annotations

import pytest

from articleflow.core.normalize.text import normalize_text
from articleflow.core.text.unicode import clean_line, clean_text, fold_presentation_forms


@pytest.mark.parametrize(
    "char",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
    ],
)
def test_bidi_controls_removed(char: str) -> None:
    assert clean_text(f"abc{char}def {char}ghi") == "abcdef ghi"


def test_bidi_override_does_not_survive_normalize() -> None:
    article = normalize_text("\u202eنص معكوس في الفقرة الأولى من المقال.\u202c")
    assert article.paragraphs == ["نص معكوس في الفقرة الأولى من المقال."]


def test_zwnj_and_zwj_kept() -> None:
    assert clean_text("می\u200cشود") == "می\u200cشود"
    assert clean_text("क्\u200dष") == "क्\u200dष"


def test_c0_and_c1_controls_removed_newline_kept() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x80f\x9fg\nh") == "abcdefg\nh"


def test_line_breaks_unified() -> None:
    assert clean_text("a\r\nb\rc\x0bd\x0ce\x85f\u2028g\u2029h") == "a\nb\nc\nd\ne\nf\ng\nh"


def test_bom_removed_everywhere() -> None:
    assert clean_text("\ufeffabc\ufeffdef") == "abcdef"


def test_nfc() -> None:
    decomposed = "Tha\u0300nh pho\u0302\u0301 Ha\u0300 No\u0323\u0302i"
    assert clean_text(decomposed) == "Thành phố Hà Nội"
    # Arabic alef + combining hamza above composes to U+0623.
    assert clean_text("\u0627\u0654") == "\u0623"


def test_arabic_presentation_forms_folded() -> None:
    # "سلام" written with presentation forms (initial seen, medial lam, final alef... ) and lam-alef.
    assert fold_presentation_forms("\ufeb3\ufefc\ufee1") == "سلام"
    assert clean_text("\ufe8d\ufedf\ufee4\ufed8\ufe8e\ufedf\ufe94") == "المقالة"


def test_presentation_form_harakat_fold_to_bare_mark() -> None:
    assert fold_presentation_forms("\u0628\ufe76") == "\u0628\u064e"


def test_nfkc_only_on_presentation_forms() -> None:
    # Full-width letters, superscripts and the "ﬁ" ligature are not Arabic presentation forms.
    assert clean_text("Ｈ² ﬁ \ufdfc") == "Ｈ² ﬁ \ufdfc"


def test_whitespace_tidied() -> None:
    assert clean_text("  a \t  b\u3000c \u2003 d  \n\n\n\n  e  ") == "a b c d\n\ne"


def test_single_no_break_space_kept() -> None:
    assert clean_text("Lire aussi\u00a0: x\u202f! y\u00a0\u00a0z") == "Lire aussi\u00a0: x\u202f! y z"


def test_lone_surrogate_removed() -> None:
    assert clean_text("a\udcffb") == "ab"


def test_clean_line_joins_lines() -> None:
    assert clean_line(" A\n\n  title\u200f ") == "A title"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\ufeff\u200f\u202e\x00", "\u00a0\u3000"])
def test_empty_after_cleaning_gives_empty_article(text: str) -> None:
    article = normalize_text(text)
    assert article.paragraphs == []
    assert article.title is None
    assert article.title_origin == "none"
    assert article.captions == []
    assert article.removed == []
    assert (article.language, article.script, article.direction) == ("und", "Zyyy", "ltr")


def test_empty_text_with_hints() -> None:
    article = normalize_text("", language_hint="fa", title_hint="عنوان")
    assert article.paragraphs == []
    assert (article.title, article.title_origin) == ("عنوان", "explicit")
    assert (article.language, article.script, article.direction) == ("fa", "Arab", "rtl")
