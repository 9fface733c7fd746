"""Sports clubs named by a common word or a place (`rules/arabic_clubs.py`): pure rule, no model."""

from __future__ import annotations

import pytest

from articleflow.core.tagging.rules import Context, arabic_clubs


def clubs(text: str) -> list[str]:
    return [text[c.start : c.end] for c in arabic_clubs(Context(text, "ar"))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a match's verb before the club, على after a club, a club word, a demonym (left out), و between two
        (
            "وفاز الهلال على النصر بهدفين في مباراة الدوري، وقال مدرب الأهلي إن لاعبي الشباب والوحدة تعبوا.",
            ["الهلال", "النصر", "الأهلي", "الشباب", "الوحدة"],
        ),
        ("وتأهل الاتفاق السعودي بعد تعادله أمام النصر العماني في البطولة.", ["الاتفاق", "النصر"]),
        # a preposition on the club word is read through
        ("وانتقل لفريق العربي بعد مباراة أمام الأهلي.", ["العربي", "الأهلي"]),
    ],
)
def test_a_club_named_by_a_common_word_is_found_where_sports_news_names_a_club(text: str, expected: list[str]) -> None:
    assert clubs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # no sports in the text: النصر is "victory", الوحدة "unity"
        "وقال مدرب الفريق الوطني للمفاوضات إن النصر قريب وإن الوحدة ممكنة.",
        # an adjective in a chain, and the federation (an organisation's head) before a demonym
        "حماية الفلكلور العربي الفلسطيني في الملعب، وقرر الاتحاد الكويتي تعيين المدرب.",
        # a club's word with no cue around it
        "وقال العربي في المباراة إن الجزيرة جميلة.",
    ],
)
def test_the_same_words_elsewhere_are_no_club(text: str) -> None:
    assert clubs(text) == []
