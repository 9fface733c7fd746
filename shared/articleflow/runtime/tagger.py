"""The tag function's tagger, built once per execution environment from the settings.

    tagger = load_tagger(runtime.settings, on_fallback=...)

* `TAGGER_BACKEND` picks the backend (offline, comprehend, crf);
* each backend class declares in `needs` which options below it takes, and only those are built:
  - `model_path`: `TAGGER_MODEL_KEY` names the trained model under ``models/`` in `ARTICLE_BUCKET`;
    it is downloaded to /tmp once (`adapters.tagger_models.fetch_model`);
  - `aliases`: `ALIAS_TABLE_KEY` names the publisher's alias table (JSON or CSV) under ``models/``;
  - `entity_service`: Amazon Comprehend through the AWS SDK (`adapters.comprehend`);
  - `on_fallback`: the hook called when the backend falls back to the offline tagger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from articleflow.config import Settings
from articleflow.core.tagging import Tagger, UnknownTaggerError, available_taggers, get_tagger, tagger_class

log = logging.getLogger("articleflow.runtime.tagger")


def check_backend(settings: Settings) -> None:
    """Fail at init on a backend name no registry entry has (before anything is loaded)."""
    if settings.tagger_backend.strip().lower() not in available_taggers():
        raise UnknownTaggerError(f"unknown tagger {settings.tagger_backend!r}; known: {', '.join(available_taggers())}")


@dataclass(frozen=True)
class _Sources:
    """What the options are built from."""

    settings: Settings
    on_fallback: Callable[[str], None] | None
    cache_dir: Path | None


def _bucket(settings: Settings) -> str:
    if not settings.article_bucket:
        raise RuntimeError("ARTICLE_BUCKET is not set: the tag function cannot read its models")
    return settings.article_bucket


def _aliases(sources: _Sources) -> Any:
    key = sources.settings.alias_table_key
    if not key:
        return None
    from articleflow.adapters.tagger_models import read_model_bytes
    from articleflow.core.tagging.aliases import AliasTable

    table = AliasTable.parse(read_model_bytes(_bucket(sources.settings), key), key)
    log.info("alias table %s: %d aliases", key, len(table))
    return table


def _model_path(sources: _Sources) -> Path | None:
    key = sources.settings.tagger_model_key
    if not key:
        return None
    from articleflow.adapters.tagger_models import fetch_model

    return fetch_model(_bucket(sources.settings), key, sources.cache_dir)


def _entity_service(sources: _Sources) -> Any:
    from articleflow.adapters.comprehend import BotoComprehend

    return BotoComprehend()  # its client is created on the first call


# need -> how to build it; None means "not configured": the backend's default applies.
_PROVIDERS: dict[str, Callable[[_Sources], Any]] = {
    "aliases": _aliases,
    "model_path": _model_path,
    "entity_service": _entity_service,
    "on_fallback": lambda sources: sources.on_fallback,
}


def tagger_options(
    settings: Settings, *, on_fallback: Callable[[str], None] | None = None, cache_dir: Path | None = None
) -> dict[str, Any]:
    """Constructor options of the configured backend: what its `needs` names (downloads what it needs)."""
    needs: frozenset[str] = tagger_class(settings.tagger_backend).needs
    if settings.alias_table_key:  # every backend takes it; a missing bucket fails the init
        _bucket(settings)
    if settings.tagger_model_key and "model_path" not in needs:
        log.warning("TAGGER_MODEL_KEY is set but the %s backend takes no model; ignored", settings.tagger_backend)
    sources = _Sources(settings, on_fallback, cache_dir)
    options = {need: _PROVIDERS[need](sources) for need in sorted(needs)}
    return {need: value for need, value in options.items() if value is not None}


def load_tagger(
    settings: Settings, *, on_fallback: Callable[[str], None] | None = None, cache_dir: Path | None = None
) -> Tagger:
    return get_tagger(settings.tagger_backend, **tagger_options(settings, on_fallback=on_fallback, cache_dir=cache_dir))
