"""The Comprehend backend against botocore's Stubber (moto has no DetectEntities)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from articleflow.adapters.comprehend import BotoComprehend, DetectedEntity
from articleflow.config import Settings
from articleflow.core.tagging.aliases import AliasTable
from articleflow.core.tagging.comprehend import (
    BATCH_DOC_MAX_BYTES,
    BATCH_MAX_DOCUMENTS,
    DETECT_MAX_BYTES,
    ComprehendTagger,
    comprehend_language,
    map_offsets,
    sentence_chunks,
)
from articleflow.models.article import Caption, NormalizedArticle
from articleflow.models.entities import Entity
from articleflow.runtime.tagger import load_tagger

AR_BODY = (
    "وصل وزير الدفاع الياباني مينورو كيهارا إلى وطوكيو يوم 28 يوليو/تموز 2024.\n\n"
    "وقال كيهارا إن اليابان ستشتري طائرات إف-35 من شركة لوكهيد مارتن."
)
AR = NormalizedArticle(
    title="كيهارا في طوكيو",
    paragraphs=AR_BODY.split("\n\n"),
    captions=[Caption(text="مينورو كيهارا في طوكيو")],
    language="ar",
    script="Arab",
)
EN = NormalizedArticle(
    paragraphs=[
        "Defense Secretary Lloyd Austin met Minoru Kihara in Tokyo on July 28, 2024.",
        "Austin said Japan would buy more F-35 jets from Lockheed Martin, the author of The Art of War noted.",
    ],
    language="en-US",
    script="Latn",
)


def ent(text: str, needle: str, type_: str, score: float = 0.95, nth: int = 0) -> dict[str, Any]:
    """A Comprehend entity for the nth occurrence of `needle` in `text` (offsets in characters)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"Type": type_, "Text": needle, "BeginOffset": start, "EndOffset": start + len(needle), "Score": score}


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "comprehend", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def tagger_for(client: Any, **options: Any) -> ComprehendTagger:
    return ComprehendTagger(entity_service=BotoComprehend(client), sleep=lambda _s: None, **options)


def by_key(entities: list[Entity]) -> dict[tuple[str, str], Entity]:
    return {(e.type, e.text): e for e in entities}


def ar_results() -> list[dict[str, Any]]:
    body, title, caption = AR.body, AR.title or "", AR.captions[0].text
    return [
        {
            "Index": 0,
            "Entities": [
                ent(body, "مينورو كيهارا", "PERSON"),
                ent(body, "وطوكيو", "LOCATION"),  # Comprehend keeps the conjunction; we must not
                ent(body, "28 يوليو/تموز 2024", "DATE"),
                ent(body, "كيهارا", "PERSON", nth=1),
                ent(body, "اليابان", "LOCATION"),
                ent(body, "إف-35", "COMMERCIAL_ITEM"),
                ent(body, "لوكهيد مارتن", "ORGANIZATION"),
            ],
        },
        {"Index": 1, "Entities": [ent(title, "كيهارا", "PERSON"), ent(title, "طوكيو", "LOCATION")]},
        {"Index": 2, "Entities": [ent(caption, "مينورو كيهارا", "PERSON"), ent(caption, "طوكيو", "LOCATION")]},
    ]


def test_arabic_article_types_spans_ids_and_fields(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_response(
        "batch_detect_entities",
        {"ResultList": ar_results(), "ErrorList": []},
        {"TextList": [AR.body, AR.title, AR.captions[0].text], "LanguageCode": "ar"},
    )
    entities = by_key(tagger_for(client).tag(AR))

    kihara = entities[("PERSON", "مينورو كيهارا")]
    assert kihara.tagger == "comprehend"
    assert kihara.count == 4  # full name, surname in the body, title and caption: one entity
    assert {m.field for m in kihara.mentions} == {"body", "title", "caption"}
    assert {(m.field, AR.captions[0].text[m.start : m.end]) for m in kihara.mentions if m.field == "caption"} == {
        ("caption", "مينورو كيهارا")
    }

    tokyo = entities[("LOCATION", "طوكيو")]  # proclitic و dropped, linked to GeoNames by our linker
    assert tokyo.id == "geonames:1850147"
    assert tokyo.canonical == "Tokyo"
    body_mention = next(m for m in tokyo.mentions if m.field == "body")
    assert AR.body[body_mention.start : body_mention.end] == "طوكيو"
    assert AR.body[body_mention.start - 1] == "و"

    assert entities[("LOCATION", "اليابان")].id == "iso3166:JP"
    assert entities[("PRODUCT", "إف-35")].canonical == "F-35"  # COMMERCIAL_ITEM -> PRODUCT, designator rule
    assert entities[("DATE", "28 يوليو/تموز 2024")].canonical == "2024-07-28"  # the date rule's value
    assert ("ORGANIZATION", "لوكهيد مارتن") in entities
    for e in entities.values():
        for m in e.mentions:
            text = {"body": AR.body, "title": AR.title, "caption": AR.captions[0].text}[m.field]
            assert text is not None and text[m.start : m.end].strip() == text[m.start : m.end]


def test_english_type_mapping_and_language_code(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    body = EN.body
    stub.add_response(
        "batch_detect_entities",
        {
            "ResultList": [
                {
                    "Index": 0,
                    "Entities": [
                        ent(body, "Lloyd Austin", "PERSON"),
                        ent(body, "Minoru Kihara", "PERSON"),
                        ent(body, "Tokyo", "LOCATION"),
                        ent(body, "July 28, 2024", "DATE"),
                        ent(body, "Austin", "PERSON", nth=1),
                        ent(body, "Japan", "LOCATION"),
                        ent(body, "F-35 jets", "COMMERCIAL_ITEM"),
                        ent(body, "Lockheed Martin", "ORGANIZATION"),
                        ent(body, "The Art of War", "TITLE"),
                    ],
                }
            ],
            "ErrorList": [],
        },
        {"TextList": [body], "LanguageCode": "en"},
    )
    entities = by_key(tagger_for(client).tag(EN))
    assert entities[("PERSON", "Lloyd Austin")].count == 2  # "Austin" joins the full name
    assert entities[("LOCATION", "Tokyo")].id == "geonames:1850147"
    assert entities[("LOCATION", "Japan")].id == "iso3166:JP"
    assert entities[("OTHER", "The Art of War")].tagger == "comprehend"  # TITLE -> OTHER
    assert ("PRODUCT", "F-35 jets") in entities
    assert entities[("ORGANIZATION", "Lockheed Martin")].mentions[0].start == body.index("Lockheed")


def test_chunks_stay_under_the_batch_limit_and_offsets_map_back(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    sentence = "وقال المسؤول إن الاجتماع في عمان ناقش التعاون الاقتصادي بين البلدين خلال العام المقبل. "
    paragraph = sentence * 40  # ~6.5 KB of Arabic: more than one BatchDetectEntities document
    article = NormalizedArticle(paragraphs=[paragraph, "والتقى الوزير في القاهرة نظيره."], language="ar")
    body = article.body
    chunks = sentence_chunks(body)
    assert len(chunks) >= 2
    assert all(len(body[s:e].encode()) <= BATCH_DOC_MAX_BYTES for s, e in chunks)
    assert "".join(body[s:e] for s, e in chunks).split() == body.split()  # nothing lost
    assert all(body[e - 2 : e].strip() in (".", "") or e == len(body) for s, e in chunks)  # cut at sentence ends
    last_start, last_end = chunks[-1]
    last = body[last_start:last_end]
    results = [{"Index": i, "Entities": []} for i in range(len(chunks))]
    results[-1]["Entities"] = [ent(last, "القاهرة", "LOCATION")]  # offsets relative to its chunk
    stub.add_response(
        "batch_detect_entities",
        {"ResultList": results, "ErrorList": []},
        {"TextList": [body[s:e] for s, e in chunks], "LanguageCode": "ar"},
    )
    (cairo,) = [e for e in tagger_for(client).tag(article) if e.type == "LOCATION" and e.text == "القاهرة"]
    assert cairo.mentions[0].start == body.index("القاهرة")
    assert cairo.id == "geonames:360630"


def test_batches_of_at_most_25_documents() -> None:
    calls: list[int] = []

    class Api:
        def detect_entities(self, text: str, language: str) -> list[DetectedEntity]:
            raise AssertionError("every chunk fits a batch document")

        def batch_detect_entities(self, texts: list[str], language: str) -> Any:
            from articleflow.adapters.comprehend import BatchResult

            calls.append(len(texts))
            return BatchResult(results={i: [] for i in range(len(texts))})

    article = NormalizedArticle(paragraphs=[("Sentence number one goes here. " * 150)] * 30, language="en")
    ComprehendTagger(entity_service=Api()).tag(article)
    assert len(sentence_chunks(article.body)) > BATCH_MAX_DOCUMENTS
    assert calls[0] == BATCH_MAX_DOCUMENTS and len(calls) == 2
    assert sum(calls) == len(sentence_chunks(article.body))


def test_a_sentence_longer_than_a_batch_document_goes_to_detect_entities(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    long_sentence = "Paris " + "word " * 1200 + "end"  # ~6 KB with no sentence boundary
    article = NormalizedArticle(paragraphs=[long_sentence], language="fr")
    assert BATCH_DOC_MAX_BYTES < len(long_sentence.encode()) < DETECT_MAX_BYTES
    stub.add_response(
        "detect_entities",
        {"Entities": [ent(long_sentence, "Paris", "LOCATION")]},
        {"Text": long_sentence, "LanguageCode": "fr"},
    )
    (paris,) = tagger_for(client).tag(article)
    assert paris.id == "geonames:2988507"


def test_throttling_is_retried_then_succeeds(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    sleeps: list[float] = []
    for _ in range(2):
        stub.add_client_error("batch_detect_entities", service_error_code="ThrottlingException", http_status_code=400)
    stub.add_response(
        "batch_detect_entities",
        {"ResultList": [{"Index": 0, "Entities": [ent(EN.body, "Tokyo", "LOCATION")]}], "ErrorList": []},
    )
    tagger = ComprehendTagger(entity_service=BotoComprehend(client), sleep=sleeps.append)
    entities = by_key(tagger.tag(EN))
    assert ("LOCATION", "Tokyo") in entities
    assert len(sleeps) == 2 and sleeps[0] < sleeps[1] * 2  # backed off twice


def test_throttling_that_never_ends_fails_the_record(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    for _ in range(3):
        stub.add_client_error("batch_detect_entities", service_error_code="ThrottlingException", http_status_code=400)
    with pytest.raises(Exception, match="ThrottlingException"):
        tagger_for(client, max_attempts=3).tag(EN)  # SQS retries the record, then the DLQ


def test_batch_item_errors_are_retried_alone(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    body, title = AR.body, AR.title or ""
    stub.add_response(
        "batch_detect_entities",
        {
            "ResultList": [{"Index": 0, "Entities": [ent(body, "اليابان", "LOCATION")]}],
            "ErrorList": [
                {"Index": 1, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "try again"},
                {"Index": 2, "ErrorCode": "TEXT_SIZE_LIMIT_EXCEEDED", "ErrorMessage": "too long"},
            ],
        },
        {"TextList": [body, title, AR.captions[0].text], "LanguageCode": "ar"},
    )
    stub.add_response(  # only the retryable failure is sent again
        "batch_detect_entities",
        {"ResultList": [{"Index": 0, "Entities": [ent(title, "طوكيو", "LOCATION")]}], "ErrorList": []},
        {"TextList": [title], "LanguageCode": "ar"},
    )
    fallbacks: list[str] = []
    entities = tagger_for(client, on_fallback=fallbacks.append).tag(AR)
    tokyo = by_key(entities)[("LOCATION", "طوكيو")]
    assert any(m.field == "title" for m in tokyo.mentions)
    assert fallbacks == ["batch item error TEXT_SIZE_LIMIT_EXCEEDED"]


def test_persistent_item_errors_are_bounded(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    for _ in range(3):  # first try + 2 retries
        stub.add_response(
            "batch_detect_entities",
            {"ResultList": [], "ErrorList": [{"Index": 0, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "x"}]},
        )
    fallbacks: list[str] = []
    entities = tagger_for(client, item_retries=2, on_fallback=fallbacks.append).tag(EN)
    assert fallbacks == ["batch item error INTERNAL_SERVER_ERROR"]
    # the rules still run on the chunk Comprehend could not read
    assert ("PRODUCT", "F-35") in by_key(entities)


def test_unsupported_language_falls_back_to_offline(caplog: pytest.LogCaptureFixture) -> None:
    class NoCalls:
        def detect_entities(self, text: str, language: str) -> list[DetectedEntity]:
            raise AssertionError("no call for an unsupported language")

        def batch_detect_entities(self, texts: list[str], language: str) -> Any:
            raise AssertionError("no call for an unsupported language")

    fallbacks: list[str] = []
    article = NormalizedArticle(paragraphs=["Thủ tướng Phạm Minh Chính đến Hà Nội ngày 3 tháng 5."], language="vi")
    with caplog.at_level("WARNING"):
        entities = ComprehendTagger(entity_service=NoCalls(), on_fallback=fallbacks.append).tag(article)
    assert entities and all(e.tagger == "offline" for e in entities)
    assert fallbacks and "vi" in fallbacks[0]
    assert "falls back to the offline tagger" in caplog.text


def test_service_rejecting_the_language_falls_back(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_client_error("batch_detect_entities", service_error_code="UnsupportedLanguageException")
    entities = tagger_for(client).tag(EN)
    assert entities and all(e.tagger == "offline" for e in entities)


@pytest.mark.parametrize(
    ("tag", "script", "code"),
    [
        ("ar", "Arab", "ar"),
        ("ar-EG", None, "ar"),
        ("en-GB", None, "en"),
        ("pt-BR", None, "pt"),
        ("zh-Hans", None, "zh"),
        ("zh-Hant-TW", None, "zh-TW"),
        ("zh", "Hant", "zh-TW"),
        ("zh-HK", None, "zh-TW"),
        ("ja", None, "ja"),
        ("fa", "Arab", None),
        ("vi", None, None),
        ("und", None, None),
    ],
)
def test_language_codes(tag: str, script: str | None, code: str | None) -> None:
    assert comprehend_language(tag, script) == code


def test_offsets_that_do_not_match_are_found_nearby() -> None:
    chunk = "😀 Tokyo and Tokyo"
    # a service counting UTF-16 units would say 3..8 for the first Tokyo (the emoji is 2 units)
    found = map_offsets(chunk, 100, DetectedEntity("LOCATION", "Tokyo", 3, 8, 0.9))
    assert found == (102, 107)
    assert map_offsets(chunk, 0, DetectedEntity("LOCATION", "Osaka", 3, 8, 0.9)) is None


def test_registered_and_uses_the_shared_client_lazily() -> None:
    settings = Settings(
        table_name="t", publish_topic_arn=None, max_upload_bytes=1, tagger_backend="comprehend", deployment="test"
    )
    tagger = load_tagger(settings)  # the runtime builds the entity service the backend declares it needs
    assert tagger.name == "comprehend"
    assert isinstance(tagger, ComprehendTagger)
    assert tagger.api.__class__ is BotoComprehend  # no client created until the first call


def test_alias_table_applies_to_comprehend_spans(stubbed: tuple[Any, Stubber]) -> None:
    client, stub = stubbed
    stub.add_response(
        "batch_detect_entities",
        {"ResultList": ar_results(), "ErrorList": []},
    )
    aliases = AliasTable.parse(
        "alias,id,type,canonical\nمينورو كيهارا,wikidata:Q11396524,PERSON,Minoru Kihara\n"
        "لوكهيد مارتن,wikidata:Q183986,ORGANIZATION,Lockheed Martin\n",
        "aliases.csv",
    )
    entities = by_key(tagger_for(client, aliases=aliases).tag(AR))
    kihara = entities[("PERSON", "مينورو كيهارا")]
    assert (kihara.id, kihara.canonical, kihara.count) == ("wikidata:Q11396524", "Minoru Kihara", 4)
    assert entities[("ORGANIZATION", "لوكهيد مارتن")].id == "wikidata:Q183986"
