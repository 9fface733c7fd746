"""The public Arabic-script person-name lists (crf features) and when a person's last word spreads."""

from __future__ import annotations

import pytest

from articleflow.core.tagging import lexicon as lx
from articleflow.core.tagging.arabic import name_key
from articleflow.core.tagging.crf import TokenSpan, _extend_to_longer_names
from articleflow.core.tagging.features import token_features
from articleflow.core.tagging.gazetteer import get_gazetteer
from articleflow.core.tagging.modelspans import MODEL_RULE
from articleflow.core.tagging.offline import _spreading_surnames
from articleflow.core.tagging.spans import Candidate, entity_key


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("ar_given", ["محمد", "فاطمة"]),
        ("ar_surnames", ["زيدان", "الخطيب"]),
        ("ar_foreign", ["بلير", "شيراك", "برلسكوني"]),
    ],
)
def test_lists_hold_matching_keys(name: str, listed: list[str]) -> None:
    keys = lx.person_names(name)
    assert len(keys) > 5_000
    assert all(name_key(word) in keys for word in listed)
    assert all(name_key(key) == key and len(key) >= 2 for key in list(keys)[:2_000])  # folded already


def test_a_listed_name_is_a_feature_of_the_word_and_of_its_neighbours() -> None:
    feats = [set(f) for f in token_features(["قال", "وبلير", "إن"])]
    assert "lex.name_foreign" in feats[1]  # the stem after the conjunction و
    assert "-1:lex.name_foreign" in feats[2] and "+1:lex.name_foreign" in feats[0]


def _person(name: str, rule: str = MODEL_RULE) -> Candidate:
    return Candidate(0, len(name), "PERSON", entity_key("PERSON", name_key(name)), 0.8, rule)


def test_a_model_persons_last_word_spreads_only_if_it_stands_alone_somewhere() -> None:
    gaz = get_gazetteer()
    overreach = _person("ناجي صبري عقد")  # "held": the model took the verb after the name
    assert _spreading_surnames([overreach], gaz) == {}
    blair = _person("توني بلير")
    assert _spreading_surnames([blair, _person("بلير")], gaz) == {"بلير": {blair.key}}


def test_a_rule_persons_last_word_spreads_without_standing_alone() -> None:
    titled = _person("مينورو كيهارا", rule="title_person")
    assert _spreading_surnames([titled], get_gazetteer()) == {"كيهارا": {titled.key}}


def test_a_word_of_another_name_does_not_spread() -> None:
    place = Candidate(0, 9, "LOCATION", entity_key("LOCATION", "غوانتانامو"), 0.8, MODEL_RULE)
    person = _person("معتقلي غوانتانامو")
    assert _spreading_surnames([person, place, _person("غوانتانامو")], get_gazetteer()) == {}


def test_a_span_starting_a_longer_name_found_elsewhere_becomes_that_name() -> None:
    body = ["ووزير", "الدفاع", "يوكو", "كاميكاوا", "ومينورو", "كيهارا"]
    caption = ["الوزير", "مينورو", "كيهارا", "قبل", "المحادثات"]
    other = ["مينورو", "وصل"]
    found: list[list[TokenSpan]] = [
        [(2, 4, "PERSON"), (4, 6, "PERSON")],
        [(1, 2, "PERSON")],
        [(0, 1, "PERSON")],
    ]
    _extend_to_longer_names([body, caption, other], found)
    assert found == [[(2, 4, "PERSON"), (4, 6, "PERSON")], [(1, 3, "PERSON")], [(0, 1, "PERSON")]]


def test_a_longer_name_of_another_type_or_over_another_span_does_not_extend() -> None:
    first = ["جامعة", "القاهرة"]
    second = ["جامعة", "القاهرة"]
    found: list[list[TokenSpan]] = [[(0, 2, "ORGANIZATION")], [(0, 1, "PERSON"), (1, 2, "LOCATION")]]
    _extend_to_longer_names([first, second], found)
    assert found[1] == [(0, 1, "PERSON"), (1, 2, "LOCATION")]
