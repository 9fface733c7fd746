"""Document features: what a word's other mentions nearby say (features.DocumentCues)."""

from __future__ import annotations

from articleflow.core.tagging.conll import Document, Sentence
from articleflow.core.tagging.crf import training_sequences
from articleflow.core.tagging.features import DOCUMENT_WINDOW, DocumentCues, ModelFeatures, with_document

TITLED = ["قال", "الرئيس", "سيلفانو", "إن", "الاتفاق", "مهم", "."]
ALONE = ["ثم", "غادر", "سيلفانو", "القاعة", "."]
FILLER = ["وكان", "الاجتماع", "طويلا", "."]


def test_a_mention_alone_learns_what_its_titled_mention_says() -> None:
    cues = DocumentCues([TITLED, ALONE])
    alone = dict(zip(ALONE, cues.features(1), strict=True))
    assert "doc.prev=title" in alone["سيلفانو"]  # from الرئيس before it in the first sentence
    assert alone["ثم"] == [] and alone["."] == []  # function words and punctuation get none
    assert DocumentCues([ALONE]).features(0) == [[]] * len(ALONE)  # alone, it says nothing


def test_mentions_beyond_the_window_say_nothing() -> None:
    far = DocumentCues([TITLED, *[FILLER] * DOCUMENT_WINDOW, ALONE])
    near = DocumentCues([TITLED, *[FILLER] * (DOCUMENT_WINDOW - 1), ALONE])
    last = DOCUMENT_WINDOW + 1
    assert "doc.prev=title" not in dict(zip(ALONE, far.features(last), strict=True))["سيلفانو"]
    assert "doc.prev=title" in dict(zip(ALONE, near.features(last - 1), strict=True))["سيلفانو"]


def test_only_the_features_a_model_knows_are_added() -> None:
    document = [["doc.prev=title", "doc.next=place"], []]
    assert with_document([["bias"], ["bias"]], document) == [["bias", "doc.prev=title", "doc.next=place"], ["bias"]]
    model = ModelFeatures({"bias": 0, "EOS": 1, "doc.prev=title": 2})  # none of the words' own features
    article = model.article([TITLED, ALONE], DocumentCues([TITLED, ALONE]))
    assert set(article.groups) == {0}  # each word's own group: "bias" alone
    ends = {(len(TITLED) - 1, 1), (len(TITLED) + len(ALONE) - 1, 1)}
    cued = {(1, 2), (2, 2), (len(TITLED) + 2, 2)}  # الرئيس after قال, سيلفانو after الرئيس, and alone
    assert set(zip(article.tokens, article.ids, strict=True)) == ends | cued


def test_training_sees_the_document_features() -> None:
    doc = Document([Sentence(TITLED, ["O"] * 7), Sentence(ALONE, ["O", "O", "B-PERS", "O", "O"])])
    (_first, _), (second, labels) = list(training_sequences([doc]))
    assert labels[2] == "S-PERSON"
    assert "doc.prev=title" in second[2]


def test_a_words_forms_with_clitics_share_its_cues() -> None:
    cues = DocumentCues([TITLED, ["ثم", "غادر", "وسيلفانو", "القاعة", "."]])
    assert "doc.prev=title" in cues.features(1)[2]  # وسيلفانو: the conjunction و, then سيلفانو


def test_a_title_two_words_before_a_mention_is_a_cue_of_its_own() -> None:
    cues = DocumentCues([["قال", "وزير", "الخارجية", "سيلفانو", "."], ["ثم", "غادر", "سيلفانو", "."]])
    assert "doc.prev2=title" in cues.features(1)[2]


def test_cues_do_not_cross_a_sentence_boundary() -> None:
    # قال and الرئيس end one sentence: سيلفانو, first or second word of the next, hears neither
    for next_sentence in (["سيلفانو", "غادر", "."], ["ثم", "سيلفانو", "غادر", "."]):
        cues = DocumentCues([["ثم", "قال", "الرئيس"], next_sentence])
        assert cues.features(1)[next_sentence.index("سيلفانو")] == []
    cues = DocumentCues([["ثم", "غادر", "سيلفانو"], ["الرئيس", "قال", "."]])
    assert cues.features(0)[2] == []  # nor the words starting the next sentence
