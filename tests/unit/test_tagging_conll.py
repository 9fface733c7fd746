"""CoNLL/IOB reading, tag schemes, seqeval-style scoring, and `articleflow tagger train|eval`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from articleflow.core.tagging.conll import (
    Scores,
    document_article,
    evaluate,
    map_type,
    read_conll,
    tags_to_spans,
)
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity, EntityType, Mention
from articleflow_dev import cli_tagger

CORPORA = Path(__file__).resolve().parents[1] / "fixtures" / "conll"


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PERSON"), (3, 4, "LOCATION")]),  # IOB2
        (["I-PER", "I-PER", "B-PER", "O", "I-ORG"], [(0, 2, "PERSON"), (2, 3, "PERSON"), (4, 5, "ORGANIZATION")]),
        (
            ["B-ORG", "E-ORG", "S-GPE", "U-PERS", "B-MISC", "I-MISC", "L-MISC"],
            [(0, 2, "ORGANIZATION"), (2, 3, "LOCATION"), (3, 4, "PERSON"), (4, 7, "OTHER")],
        ),  # BIOES / BILOU
        (["B-PER", "I-LOC", "O"], [(0, 1, "PERSON"), (1, 2, "LOCATION")]),  # type change starts a new entity
    ],
)
def test_tag_schemes(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert tags_to_spans(tags) == spans


def test_corpus_types_map_onto_ours() -> None:
    assert [map_type(t) for t in ("PER", "pers", "LOC", "GPE", "ORG", "MISC", "DATE", "PROD", "WEIRD")] == [
        "PERSON",
        "PERSON",
        "LOCATION",
        "LOCATION",
        "ORGANIZATION",
        "OTHER",
        "DATE",
        "PRODUCT",
        "OTHER",
    ]


def test_reads_documents_comments_and_languages(tmp_path: Path) -> None:
    path = tmp_path / "fr-sample.conll"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n# text = Macron à Paris.\nMacron NNP B-PER\nà P O\nParis NNP B-LOC\n. . O\n\n"
        "-DOCSTART- O\n\n# lang = en\nBiden B-PER\n# O\n",
        encoding="utf-8",
    )
    first, second = read_conll(path)
    assert first.language == "fr" and second.language == "en"
    assert first.sentences[0].text == "Macron à Paris."
    assert first.sentences[0].tokens == ["Macron", "à", "Paris", "."]
    assert second.sentences[0].tokens == ["Biden", "#"]  # "# O" is a token, not a comment
    layout = document_article(first)
    assert layout.article.body == "Macron à Paris."
    assert layout.offsets == [[(0, 6), (7, 8), (9, 14), (14, 15)]]


class FixedTagger:
    """Returns the given body spans as entities."""

    name = "fixed"

    def __init__(self, spans: list[tuple[str, EntityType]]) -> None:
        self.spans = spans

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        out = []
        for text, type_ in self.spans:
            start = article.body.index(text)
            out.append(
                Entity(
                    text=text,
                    type=type_,
                    mentions=[Mention(start=start, end=start + len(text))],
                    confidence=0.9,
                    tagger="fixed",
                )
            )
        return out


CORPUS = """-DOCSTART- O

وصل B-PER
كيهارا I-PER
إلى O
وطوكيو B-LOC
مع O
وزير O
الدفاع O
. O

وقال O
أوستن B-PER
إن O
اليابان B-LOC
ستشتري O
إف-35 B-PROD
. O
"""


def test_scores_exact_spans_per_type_and_micro() -> None:
    docs = read_conll(CORPUS, language="ar")
    tagger = FixedTagger(
        [
            ("وصل كيهارا", "PERSON"),  # exact
            ("طوكيو", "LOCATION"),  # proclitic left out: still the token وطوكيو -> exact
            ("أوستن", "ORGANIZATION"),  # wrong type: a false positive and a miss
            ("اليابان ستشتري", "LOCATION"),  # too long: a false positive and a miss
            ("الدفاع", "ORGANIZATION"),  # spurious
            ("إف-35", "PRODUCT"),
        ]
    )
    scores = evaluate(tagger, docs, all_types=True)  # ORGANIZATION is not in this corpus
    by = scores.by_type
    assert (by["PERSON"].tp, by["PERSON"].fp, by["PERSON"].fn) == (1, 0, 1)
    assert (by["LOCATION"].tp, by["LOCATION"].fp, by["LOCATION"].fn) == (1, 1, 1)
    assert (by["ORGANIZATION"].tp, by["ORGANIZATION"].fp, by["ORGANIZATION"].fn) == (0, 2, 0)
    assert by["PRODUCT"].f1 == 1.0
    overall = scores.overall
    assert (overall.tp, overall.fp, overall.fn) == (3, 3, 2)
    assert overall.precision == pytest.approx(0.5)
    assert overall.recall == pytest.approx(0.6)
    assert overall.f1 == pytest.approx(2 * 0.5 * 0.6 / 1.1)


def test_types_the_corpus_does_not_annotate_are_not_scored_unless_asked() -> None:
    docs = read_conll(CORPUS, language="ar")
    tagger = FixedTagger([("وصل كيهارا", "PERSON"), ("مع", "QUANTITY")])
    assert "QUANTITY" not in evaluate(tagger, docs).by_type
    assert evaluate(tagger, docs, all_types=True).by_type["QUANTITY"].fp == 1


def test_scores_table_and_dict() -> None:
    scores = Scores()
    scores.add({(0, 0, 1, "PERSON")}, {(0, 0, 1, "PERSON"), (0, 2, 3, "LOCATION")}, None)
    assert scores.as_dict()["overall"]["precision"] == 0.5
    assert "overall (micro)" in scores.table()


def test_fixture_corpora_cover_five_languages_disjointly() -> None:
    files = sorted(p.name for p in CORPORA.glob("*.conll"))
    langs = {name.split("-")[0] for name in files}
    assert {"ar", "en", "fr", "es", "de"} <= langs
    for lang in langs:
        train, test = read_conll(CORPORA / f"{lang}-train.conll"), read_conll(CORPORA / f"{lang}-test.conll")
        tokens = sum(len(s.tokens) for d in train + test for s in d.sentences)
        assert tokens >= 300, lang
        train_text = {s.text for d in train for s in d.sentences}
        assert not train_text & {s.text for d in test for s in d.sentences}  # disjoint
        assert all(d.language == lang for d in train + test)


# --- CLI ------------------------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="articleflow")
    cli_tagger.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_cli_train_then_eval_offline_and_crf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pycrfsuite")
    model = tmp_path / "m.crfsuite"
    assert run_cli(["tagger", "train", *map(str, sorted(CORPORA.glob("*-train.conll"))), "--out", str(model)]) == 0
    assert model.stat().st_size > 0
    assert run_cli(["tagger", "eval", str(CORPORA / "en-test.conll")]) == 0
    offline = capsys.readouterr().out
    assert "tagger offline" in offline and "overall (micro)" in offline
    assert run_cli(["tagger", "eval", str(CORPORA / "en-test.conll"), "--model", str(model), "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert result["tagger"] == "crf"
    assert result["scores"]["overall"]["f1"] > 0.4  # trained on other articles, not these


def test_cli_rejects_model_for_another_backend(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="crf"):
        run_cli(["tagger", "eval", str(CORPORA / "en-test.conll"), "--tagger", "offline", "--model", "x"])
    with pytest.raises(SystemExit, match="--model"):
        run_cli(["tagger", "eval", str(CORPORA / "en-test.conll"), "--tagger", "crf"])


def test_run_options(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tagger", default="offline")
    cli_tagger.add_run_options(parser)
    model = tmp_path / "m.crfsuite"
    model.write_bytes(b"x")
    opts = cli_tagger.pipeline_options(parser.parse_args(["--model", str(model)]))
    assert opts == {"tagger": "crf", "model": model, "alias_table": None}
    assert cli_tagger.pipeline_options(parser.parse_args([]))["tagger"] == "offline"
    with pytest.raises(SystemExit):
        cli_tagger.pipeline_options(parser.parse_args(["--tagger", "comprehend", "--model", str(model)]))
