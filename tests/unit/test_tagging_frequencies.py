"""How common an Arabic word is (`frequencies.py`), its build (`scripts/build_word_frequencies.py`) and
the crf features it gives (`fq=`, `fq.st=`)."""

from __future__ import annotations

from array import array

import pytest

from articleflow.core.tagging import int64s
from articleflow.core.tagging.features import word_features
from articleflow.core.tagging.frequencies import WordFrequencies, arabic_word_frequencies, key_hash
from articleflow.core.tagging.gazetteer import get_gazetteer
from articleflow.core.tagging.text import token_key
from tests.conftest import load_script


def test_the_hash_is_pinned() -> None:
    # the committed files are looked up by this hash: it must not change (nor depend on PYTHONHASHSEED)
    expected = int.from_bytes(bytes.fromhex("2683a007a6227225"), "little", signed=True)
    assert key_hash("قال") == expected


def test_common_words_are_common_and_an_unfamiliar_name_is_absent() -> None:
    frequencies = arabic_word_frequencies()
    assert len(frequencies) > 300_000
    said, security, held = (frequencies.zipf(token_key(w)) for w in ("قال", "الأمن", "عقد"))
    assert said is not None and said > 5.5
    assert security is not None and security > 4.5
    assert held is not None and held > 4.5
    assert frequencies.zipf(token_key("كيهارا")) is None
    # keys are folded like the features' keys: hamza forms read alike
    assert frequencies.zipf(token_key("الامن")) == security


def test_features_give_arabic_words_their_frequency_bins() -> None:
    gaz = get_gazetteer()
    own = word_features("قال", gaz)[0]
    assert "fq=12" in own and "fq.st=12" in own
    assert "fq=r" in word_features("كيهارا", gaz)[0]
    # the stem without its clitics is looked up too: وبلير is rarer than بلير
    blair = [f for f in word_features("وبلير", gaz)[0] if f.startswith("fq")]
    assert blair[0] != blair[1].replace("fq.st=", "fq=")
    assert not [f for f in word_features("Tokyo", gaz)[0] if f.startswith("fq")]  # Arabic only


def test_mismatched_files_are_refused() -> None:
    with pytest.raises(ValueError, match="rebuild"):
        WordFrequencies(array("q", [1, 2]), b"\x01")


def test_the_build_adds_up_the_forms_of_a_key_and_drops_rare_keys(tmp_path, monkeypatch) -> None:
    script = load_script("build_word_frequencies")
    # centibel bins: bin 300 is one word in a thousand (Zipf 6), bin 800 one in 10^8 (Zipf 1)
    bins: list[list[str]] = [[] for _ in range(801)]
    bins[300] = ["الأمن", "الامن"]  # two spellings of one key
    bins[400] = ["قال"]
    bins[800] = ["كيهارا"]  # below the floor
    frequencies = script.key_frequencies(bins)
    assert frequencies[token_key("الأمن")] == pytest.approx(6 + 0.30103, abs=1e-4)  # twice Zipf 6
    assert frequencies[token_key("قال")] == pytest.approx(5)
    assert script.write(frequencies, tmp_path) == 2
    hashes = int64s.from_bytes((tmp_path / "ar-words.i64").read_bytes())
    loaded = WordFrequencies(hashes, (tmp_path / "ar-words.zipf").read_bytes())
    assert loaded.zipf(token_key("الامن")) == 6.3
    assert loaded.zipf(token_key("قال")) == 5.0
    assert loaded.zipf(token_key("كيهارا")) is None
