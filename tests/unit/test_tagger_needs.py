"""Tagger backends declare what they need; runtime/tagger.py builds exactly that from the settings."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from articleflow.adapters.comprehend import BotoComprehend
from articleflow.config import Settings
from articleflow.core.tagging import _BACKENDS, tagger_class
from articleflow.core.tagging.comprehend import ComprehendTagger
from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity
from articleflow.runtime.tagger import load_tagger, tagger_options
from tests.fakes import FakeEntityService


def settings(backend: str, **extra: Any) -> Settings:
    return Settings(
        table_name="t", publish_topic_arn=None, max_upload_bytes=1, tagger_backend=backend, deployment="test", **extra
    )


class EchoTagger:
    """A backend added for this test: it keeps what it was given."""

    name = "echo"
    needs: ClassVar[frozenset[str]] = frozenset({"entity_service", "on_fallback"})

    def __init__(self, **given: Any) -> None:
        self.given = given

    def tag(self, article: NormalizedArticle) -> list[Entity]:
        return []


def test_every_registered_backend_declares_only_needs_the_runtime_provides() -> None:
    provided = {"aliases", "model_path", "entity_service", "on_fallback"}
    for name in _BACKENDS:
        needs = tagger_class(name).needs
        assert needs and needs <= provided, name


def test_a_new_backend_touches_the_registry_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_BACKENDS, "echo", f"{__name__}:EchoTagger")
    fallbacks: list[str] = []
    tagger = load_tagger(settings("echo"), on_fallback=fallbacks.append)
    assert isinstance(tagger, EchoTagger)
    assert set(tagger.given) == {"entity_service", "on_fallback"}
    assert isinstance(tagger.given["entity_service"], BotoComprehend)
    assert tagger.given["on_fallback"] == fallbacks.append


def test_options_follow_the_declaration() -> None:
    assert tagger_options(settings("offline")) == {}  # no alias table configured: nothing to hand in
    assert set(tagger_options(settings("crf"), on_fallback=print)) == {"on_fallback"}  # no model key: no model
    assert set(tagger_options(settings("comprehend"), on_fallback=print)) == {"entity_service", "on_fallback"}


def test_comprehend_tags_with_any_entity_service() -> None:
    article = NormalizedArticle(paragraphs=["Minoru Kihara arrived in Tokyo on Monday."], language="en", script="Latn")
    service = FakeEntityService({"Minoru Kihara": "PERSON", "Tokyo": "LOCATION"})
    entities = {(e.type, e.text) for e in ComprehendTagger(entity_service=service).tag(article)}
    assert {("PERSON", "Minoru Kihara"), ("LOCATION", "Tokyo")} <= entities
    assert service.calls and service.calls[0][0] == "batch_detect_entities"
