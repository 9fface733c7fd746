"""The crf backend's second pass (stacking.py) and the model file holding both passes (modelfile.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from articleflow.core.tagging.features import DOCUMENT_WINDOW, DocumentCues
from articleflow.core.tagging.modelfile import MAGIC, pack, unpack
from articleflow.core.tagging.stacking import HELD_OUT_PARTS, FirstPassCues, held_out_labels, label_type

TITLED = ["قال", "الرئيس", "سيلفانو", "إن", "الاتفاق", "مهم", "."]
TITLED_LABELS = ["O", "O", "S-PERSON", "O", "O", "O", "O"]
ALONE = ["ثم", "غادر", "سيلفانو", "القاعة", "."]
FILLER = ["وكان", "الاجتماع", "طويلا", "."]


def cues_of(sentences: list[list[str]], labels: list[list[str]]) -> FirstPassCues:
    return FirstPassCues(DocumentCues(sentences), labels)


def test_a_mention_learns_the_type_the_first_pass_gave_its_other_mentions() -> None:
    cues = cues_of([TITLED, ALONE], [TITLED_LABELS, ["O"] * len(ALONE)])
    alone = dict(zip(ALONE, cues.features(1), strict=True))
    assert alone["سيلفانو"] == ["s1doc=PERSON", "s1any=PERSON"]
    assert alone["ثم"] == [] and alone["."] == []  # function words and punctuation get none
    # the titled mention hears only from the other one, which the first pass left out
    assert dict(zip(TITLED, cues.features(0), strict=True))["سيلفانو"] == ["s1doc=O"]


def test_most_mentions_decide_and_any_name_is_told() -> None:
    sentences = [TITLED, TITLED, TITLED, ALONE]
    labels = [TITLED_LABELS, ["O"] * 7, ["O"] * 7, ["O"] * 5]
    alone = dict(zip(ALONE, cues_of(sentences, labels).features(3), strict=True))
    assert alone["سيلفانو"] == ["s1doc=O", "s1any=PERSON"]


def test_mentions_beyond_the_window_say_nothing() -> None:
    far = [TITLED, *[FILLER] * DOCUMENT_WINDOW, ALONE]
    labels = [TITLED_LABELS, *[["O"] * 4] * DOCUMENT_WINDOW, ["O"] * 5]
    assert dict(zip(ALONE, cues_of(far, labels).features(len(far) - 1), strict=True))["سيلفانو"] == []
    near, near_labels = far[:-2] + far[-1:], labels[:-2] + labels[-1:]
    assert dict(zip(ALONE, cues_of(near, near_labels).features(len(near) - 1), strict=True))["سيلفانو"] != []


def test_label_types() -> None:
    assert [label_type(x) for x in ("O", "B-PERSON", "S-LOCATION", "I-ORG")] == ["O", "PERSON", "LOCATION", "ORG"]


def test_each_block_is_tagged_by_a_model_trained_on_the_others() -> None:
    seen: list[list[str]] = []

    def train(xs: Sequence[str], ys: Sequence[Sequence[str]]) -> object:
        seen.append(list(xs))
        name = "+".join(xs)
        return lambda x: [f"{x} by {name}"]

    labels = held_out_labels(["a", "b", "c", "d", "e"], [["O"]] * 5, train, parts=2)  # type: ignore[arg-type]
    assert labels == [["a by d+e"], ["b by d+e"], ["c by d+e"], ["d by a+b+c"], ["e by a+b+c"]]
    assert seen == [["d", "e"], ["a", "b", "c"]]
    seen.clear()
    labels = held_out_labels(list("abcdefgh"), [["O"]] * 8, train)  # type: ignore[arg-type]
    assert len(seen) == HELD_OUT_PARTS == 4 and labels[0] == ["a by c+d+e+f+g+h"] and labels[7] == ["h by a+b+c+d+e+f"]


def test_model_files_hold_one_or_more_crfsuite_models() -> None:
    first, second = b"lCRF" + b"\x01" * 40, b"lCRF" + b"\x02" * 7
    assert unpack(pack([first, second])) == [first, second]
    assert unpack(first) == [first]  # a file crfsuite wrote: one pass
    for damaged in (b"not a model", MAGIC, pack([first])[:-1], pack([b"xxxx"])):
        with pytest.raises(ValueError):
            unpack(damaged)


def test_of_types_as_frequent_the_one_given_first_decides() -> None:
    sentences = [ALONE, TITLED, ALONE]
    labels = [["O", "O", "S-LOCATION", "O", "O"], TITLED_LABELS, ["O"] * 5]
    last = dict(zip(ALONE, cues_of(sentences, labels).features(2), strict=True))
    assert last["سيلفانو"] == ["s1doc=LOCATION", "s1any=LOCATION", "s1any=PERSON"]
    labels = [["O", "O", "S-PERSON", "O", "O"], [*TITLED_LABELS[:2], "S-LOCATION", *TITLED_LABELS[3:]], ["O"] * 5]
    last = dict(zip(ALONE, cues_of(sentences, labels).features(2), strict=True))
    assert last["سيلفانو"] == ["s1doc=PERSON", "s1any=LOCATION", "s1any=PERSON"]


def test_labels_of_other_sentences_are_an_error() -> None:
    with pytest.raises(ValueError):
        cues_of([TITLED, ALONE], [TITLED_LABELS, ["O"] * (len(ALONE) - 1)])
