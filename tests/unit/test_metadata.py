"""RFC 2047 encoded words in S3 user metadata: decoded by ingest, encoded by the CLI."""

from __future__ import annotations

import base64

import pytest

from articleflow.core.metadata import MalformedEncodedWord, decode_metadata, decode_value, encode_value

ARABIC_PUBLISHER = "صحيفة الأخبار"


def b_word(text: str, charset: str = "UTF-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def test_plain_ascii_is_left_alone():
    assert decode_value("Example Daily") == "Example Daily"
    assert encode_value("Example Daily") == "Example Daily"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (b_word(ARABIC_PUBLISHER), ARABIC_PUBLISHER),
        ("=?utf-8?b?w4ljaG8gZGUgbCdPdWVzdA==?=", "Écho de l'Ouest"),
        ("=?ISO-8859-1?Q?=C9cho_de_l'Ouest?=", "Écho de l'Ouest"),
        ("=?windows-1256?Q?=D5=CD=ED=DD=C9?=", "صحيفة"),
        (b_word("Écho", "iso-8859-1"), "Écho"),
        ("=?UTF-8*ar?B?2LXYrdmK2YHYqQ==?=", "صحيفة"),  # RFC 2231 language suffix
        ("=?UTF-8?B?2LXYrdmK2YHYqQ?=", "صحيفة"),  # padding left off, as some clients send it
        ("Le =?UTF-8?Q?=C3=89cho?= du jour", "Le Écho du jour"),  # plain text around a word is kept
    ],
)
def test_b_and_q_words_in_any_charset_are_decoded(encoded, expected):
    assert decode_value(encoded) == expected


def test_whitespace_between_adjacent_words_is_dropped_but_not_around_plain_text():
    assert decode_value(f"{b_word('صحيفة ')}  \t{b_word('الأخبار')}") == ARABIC_PUBLISHER
    assert decode_value(f"{b_word('Écho')} de {b_word('l’Ouest')}") == "Écho de l’Ouest"


@pytest.mark.parametrize(
    "malformed",
    [
        "=?no-such-charset?B?YWJj?=",
        "=?UTF-8?B?not*base64?=",
        "=?UTF-8?B?/w==?=",  # a lone 0xff byte is not UTF-8
    ],
)
def test_malformed_words_raise_a_clear_error(malformed):
    with pytest.raises(MalformedEncodedWord):
        decode_value(malformed)


def test_decode_metadata_keeps_a_malformed_value_as_sent_with_a_warning():
    decoded = decode_metadata({"publisher": b_word(ARABIC_PUBLISHER), "title": "=?UTF-8?B?/w==?=", "language": "ar"})
    assert decoded.values == {"publisher": ARABIC_PUBLISHER, "title": "=?UTF-8?B?/w==?=", "language": "ar"}
    (warning,) = decoded.warnings
    assert warning.startswith("x-amz-meta-title: kept as sent")
    assert "not UTF-8" in warning


@pytest.mark.parametrize("value", [ARABIC_PUBLISHER, "Écho de l'Ouest", "東京新聞 " * 40, "a" * 60 + "é" + "𝕏" * 30])
def test_encoding_is_ascii_in_words_of_at_most_75_characters_and_round_trips(value):
    encoded = encode_value(value)
    assert encoded.isascii()
    assert all(len(word) <= 75 for word in encoded.split(" "))
    assert decode_value(encoded) == value
