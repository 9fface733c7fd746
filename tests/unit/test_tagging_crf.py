"""The trainable crf backend: trains on a small corpus the test writes, tags held-out sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pycrfsuite")

from articleflow.core.tagging import Tagger, get_tagger
from articleflow.core.tagging.conll import read_conll, tags_to_spans
from articleflow.core.tagging.crf import (
    CrfModel,
    CrfModelError,
    CrfTagger,
    crfsuite_labels,
    sentences,
    split_tokens,
    token_features,
    tokenize,
    train_model,
)
from articleflow.core.tagging.modelfile import read_weights, unpack
from articleflow.core.tagging.viterbi import CrfPasses
from articleflow.models.article import NormalizedArticle

# (sentence with [TYPE ...] marks) — invented news sentences, several patterns per type
EN_TEMPLATES = [
    "Minister [PER {p}] arrived in [LOC {l}] on Monday .",
    "[PER {p}] told reporters in [LOC {l}] that talks would continue .",
    "The [ORG {o}] said [PER {p}] would visit [LOC {l}] next week .",
    "Officials from the [ORG {o}] met in [LOC {l}] .",
]
AR_TEMPLATES = [
    "وصل الوزير [PER {p}] إلى [LOC {l}] يوم الاثنين .",
    "وقال [PER {p}] للصحفيين في [LOC {l}] إن المحادثات ستستمر .",
    "وأعلنت [ORG {o}] أن [PER {p}] سيزور [LOC {l}] الأسبوع المقبل .",
]
EN_NAMES = ["Anna Berg", "Tomas Lind", "Maria Costa", "David Okafor", "Sara Nilsson", "Paul Weber"]
EN_PLACES = ["Oslo", "Lagos", "Lima", "Hanoi", "Quito", "Dakar"]
EN_ORGS = ["Nordic Council", "Green Fund", "Harbour Authority", "Civic League", "Rail Agency", "Water Board"]
AR_NAMES = ["سامي الحداد", "ليلى منصور", "كريم العلي", "هدى سالم", "نادر يوسف", "رنا خليل"]
AR_PLACES = ["القاهرة", "بيروت", "تونس", "الرباط", "عمان", "الدوحة"]
AR_ORGS = ["وزارة الصحة", "هيئة الموانئ", "جامعة النيل", "شركة الاتصالات", "نقابة المهندسين", "وزارة المالية"]
MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


def conll_lines(marked: str) -> list[str]:
    lines, label, inside = [], "O", False
    for word in marked.split():
        if word.startswith("["):
            label, inside = word[1:], True
            first = True
            continue
        closing = word.endswith("]")
        word = word.rstrip("]")
        if inside:
            lines.append(f"{word}\t{'B' if first else 'I'}-{label}")
            first = False
        else:
            lines.append(f"{word}\tO")
        if closing:
            inside = False
    return lines


def write_corpus(path: Path, templates: list[str], names: list[str], places: list[str], orgs: list[str]) -> None:
    out = ["-DOCSTART- O", ""]
    for i in range(len(names)):
        for j, t in enumerate(templates):
            k = (i + j) % len(names)
            out += conll_lines(t.format(p=names[k], l=places[(k + 1) % len(places)], o=orgs[(k + 2) % len(orgs)]))
            out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crf")
    write_corpus(root / "en-train.conll", EN_TEMPLATES, EN_NAMES[:5], EN_PLACES[:5], EN_ORGS[:5])
    write_corpus(root / "ar-train.conll", AR_TEMPLATES, AR_NAMES[:5], AR_PLACES[:5], AR_ORGS[:5])
    docs = read_conll(root / "en-train.conll") + read_conll(root / "ar-train.conll")
    report = train_model(docs, root / "model.crfsuite")
    assert report["sentences"] == 5 * 4 + 5 * 3
    assert report["passes"] == 2
    assert {"B-PERSON", "E-PERSON", "S-LOCATION", "B-ORGANIZATION", "E-ORGANIZATION"} <= set(report["labels"])
    return root / "model.crfsuite"


def spans(article: NormalizedArticle, tagger: Tagger) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in tagger.tag(article)}


def test_tags_held_out_english_sentence(model: Path) -> None:
    tagger = get_tagger("crf", model_path=model)
    assert isinstance(tagger, CrfTagger)
    # a name, place and organisation never seen in training
    article = NormalizedArticle(
        paragraphs=["Minister Paul Weber arrived in Dakar on Monday. The Water Board said Weber would visit Quito."],
        language="en",
    )
    found = spans(article, tagger)
    assert ("PERSON", "Paul Weber") in found
    assert ("LOCATION", "Dakar") in found
    assert ("ORGANIZATION", "Water Board") in found
    entities = {e.text: e for e in tagger.tag(article)}
    assert entities["Dakar"].id == "geonames:2253354"  # our linker adds ids after the model
    assert entities["Paul Weber"].tagger == "crf"


def test_tags_held_out_arabic_sentence_without_proclitics(model: Path) -> None:
    tagger = get_tagger("crf", model_path=model)
    article = NormalizedArticle(
        paragraphs=["وصل الوزير نادر يوسف إلى الدوحة يوم الاثنين. وقال يوسف للصحفيين في والدوحة إن المحادثات ستستمر."],
        language="ar",
        script="Arab",
    )
    entities = tagger.tag(article)
    by_text = {(e.type, e.text): e for e in entities}
    assert ("PERSON", "نادر يوسف") in by_text
    doha = by_text[("LOCATION", "الدوحة")]
    assert doha.id is not None and doha.id.startswith("geonames:")
    body = article.body
    assert all(body[m.start : m.end] == "الدوحة" for m in doha.mentions)  # و stripped from والدوحة


def test_dates_and_designators_come_from_the_rules(model: Path) -> None:
    tagger = get_tagger("crf", model_path=model)
    article = NormalizedArticle(paragraphs=["Anna Berg flew an F-35 to Oslo on 28 July 2024."], language="en")
    found = spans(article, tagger)
    assert ("PRODUCT", "F-35") in found
    assert ("DATE", "28 July 2024") in found


def test_no_model_falls_back_to_offline() -> None:
    reasons: list[str] = []
    tagger = CrfTagger(on_fallback=reasons.append)
    entities = tagger.tag(NormalizedArticle(paragraphs=["President Emmanuel Macron visited Japan."], language="en"))
    assert entities and all(e.tagger == "offline" for e in entities)
    assert reasons and "TAGGER_MODEL_KEY" in reasons[0]


def test_bad_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CrfModelError):
        CrfTagger(model_path=tmp_path / "missing.crfsuite")
    junk = tmp_path / "junk.crfsuite"
    junk.write_bytes(b"not a model")
    with pytest.raises(CrfModelError):
        CrfTagger(model_path=junk)


def test_an_article_is_tagged_as_crfsuite_tags_it(model: Path) -> None:
    sentences = [
        ["وقال", "الوزير", "نادر", "يوسف", "في", "طوكيو", "إن", "المحادثات", "ستستمر", "."],
        ["Minister", "Anna", "Berg", "arrived", "in", "Quito", "."],
        ["يوسف"],  # one token: BOS and EOS both
        ["The", "Water", "Board", "said", "Berg", "would", "visit", "Lima", "next", "week", "."],
        ["وأعلنت", "هيئة", "الموانئ", "أن", "يوسف", "سيزور", "بيروت", "."],
    ]
    expected = crfsuite_labels(model.read_bytes(), sentences)
    assert any(label != "O" for labels in expected for label in labels)
    assert CrfModel(model).sentence_labels(sentences) == expected


def test_weights_are_those_crfsuite_reads(model: Path) -> None:
    import pycrfsuite

    for part in unpack(model.read_bytes()):
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(part)
        info = tagger.info()
        weights = read_weights(part)
        assert set(weights.attributes) == {a for a, _label in info.state_features}
        assert sorted(weights.labels) == sorted(tagger.labels())
        passes = CrfPasses([weights])
        at = {label: i for i, label in enumerate(passes.labels)}
        for (attribute, label), weight in info.state_features.items():
            assert passes.weights[at[label], passes.ids[attribute]] == pytest.approx(weight, abs=1e-6)  # info(): %f
        for (source, target), weight in info.transitions.items():
            assert passes.transitions[0][at[source], at[target]] == pytest.approx(weight, abs=1e-6)


def test_an_unreadable_model_layout_is_a_clear_error(model: Path, tmp_path: Path) -> None:
    part = bytearray(unpack(model.read_bytes())[0])
    part[48:52] = b"XXXX"  # the feature chunk's magic
    bad = tmp_path / "bad.crfsuite"
    bad.write_bytes(bytes(part))
    with pytest.raises(CrfModelError, match="feature chunk"):
        CrfModel(bad)


def test_features_cover_arabic_keys_clitics_shape_and_gazetteer() -> None:
    feats = token_features(["وطوكيو", "Tokyo", "F-35", "."])
    ar, latin, designator, dot = (set(f) for f in feats)
    assert "clitic" in ar and "st=طوكيو" in ar and "script=Arab" in ar and "gaz.place" in ar
    assert "cap" in latin and "shape=Xx" in latin and "k=tokyo" in latin and "gaz.place" in latin
    assert "hyphen" in designator and "-1:gaz.place" in designator
    assert "EOS" in dot and "BOS" in ar
    assert any(f.startswith("suf3=") for f in ar)


def test_tokenize_and_sentences_keep_offsets() -> None:
    text = "Kihara met Austin in Tokyo. وقال كيهارا، إن…\nNext line"
    toks = tokenize(text)
    words = [text[s:e] for s, e in toks]
    assert words[:6] == ["Kihara", "met", "Austin", "in", "Tokyo", "."]
    assert "،" in words
    split = split_tokens(text)
    assert split.spans() == toks and split.words == words
    sents = sentences(split)
    assert [words[s.start : s.stop][-1] for s in sents] == [".", "…", "line"]


def test_models_learn_bioes_labels_from_any_corpus_scheme() -> None:
    from articleflow.core.tagging.crf import bioes_labels

    iob2 = ["B-PERS", "I-PERS", "I-PERS", "O", "B-LOC", "B-ORG", "I-ORG"]
    assert bioes_labels(iob2) == [
        "B-PERSON",
        "I-PERSON",
        "E-PERSON",
        "O",
        "S-LOCATION",
        "B-ORGANIZATION",
        "E-ORGANIZATION",
    ]
    assert bioes_labels(["I-LOC", "I-LOC", "O", "I-PER"]) == ["B-LOCATION", "E-LOCATION", "O", "S-PERSON"]  # IOB1
    assert tags_to_spans(bioes_labels(iob2)) == tags_to_spans(iob2)


def test_the_second_pass_reads_what_the_first_said_about_other_mentions(model: Path) -> None:
    first, second = unpack(model.read_bytes())
    assert not any(a.startswith("s1") for a in read_weights(first).attributes)
    assert any(a.startswith("s1doc=") for a in read_weights(second).attributes)  # weights for the first pass's cues
    assert CrfModel(model)._passes.passes == 2


def test_a_model_crfsuite_wrote_alone_still_tags(model: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.crfsuite"
    single.write_bytes(unpack(model.read_bytes())[0])  # as models trained before the second pass were
    tagger = get_tagger("crf", model_path=single)
    article = NormalizedArticle(paragraphs=["Minister Paul Weber arrived in Dakar on Monday."], language="en")
    assert ("PERSON", "Paul Weber") in spans(article, tagger)


def test_a_corpus_of_one_sentence_trains_one_pass(tmp_path: Path) -> None:
    corpus = tmp_path / "en-one.conll"
    corpus.write_text("\n".join(conll_lines(EN_TEMPLATES[0].format(p="Anna Berg", l="Oslo"))) + "\n", encoding="utf-8")
    report = train_model(read_conll(corpus), tmp_path / "one.crfsuite")
    assert report["passes"] == 1 and report["sentences"] == 1
    assert len(unpack((tmp_path / "one.crfsuite").read_bytes())) == 1
