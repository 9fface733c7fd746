import pytest

from articleflow.core.text.words import word_count


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("The harbour reopened on Monday.", 5),
        ("Prices rose 4.5% — again .", 4),  # a lone dash or stop is not a word
        ("في 28 يوليو/تموز.", 3),
        ("F-35 and PAC-3", 3),
        ("上海新开放三座公园", 9),
        ("上海 Disney 乐园", 5),
        ("서울에서 회의가 열렸다", 3),  # Korean is written with spaces
    ],
)
def test_word_count(text, count):
    assert word_count(text) == count
