"""The tag function's tagger, built once per execution environment from the settings.

    tagger = load_tagger(runtime.settings, on_fallback=...)

* `TAGGER_BACKEND` picks the backend (offline, comprehend, crf);
* `TAGGER_MODEL_KEY` (crf) names the trained model under ``models/`` in `ARTICLE_BUCKET`; it is
  downloaded to /tmp once (`adapters.models.fetch_model`);
* `ALIAS_TABLE_KEY` names the publisher's alias table (JSON or CSV) under ``models/``; every backend
  applies it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from articleflow.config import Settings
from articleflow.core.tagging import Tagger, UnknownTaggerError, available_taggers, get_tagger

log = logging.getLogger("articleflow.runtime.tagger")


def check_backend(settings: Settings) -> None:
    """Fail at init on a backend name no registry entry has (before anything is loaded)."""
    if settings.tagger_backend.strip().lower() not in available_taggers():
        raise UnknownTaggerError(f"unknown tagger {settings.tagger_backend!r}; known: {', '.join(available_taggers())}")


def tagger_options(
    settings: Settings, *, on_fallback: Callable[[str], None] | None = None, cache_dir: Path | None = None
) -> dict[str, Any]:
    """Constructor options of the configured backend (downloads what it needs)."""
    backend = settings.tagger_backend.strip().lower()
    options: dict[str, Any] = {}
    needs_bucket = settings.alias_table_key or (backend == "crf" and settings.tagger_model_key)
    if needs_bucket and not settings.article_bucket:
        raise RuntimeError("ARTICLE_BUCKET is not set: the tag function cannot read its models")
    if settings.alias_table_key and settings.article_bucket:
        from articleflow.adapters.models import read_model_bytes
        from articleflow.core.tagging.aliases import AliasTable

        table = AliasTable.parse(
            read_model_bytes(settings.article_bucket, settings.alias_table_key), settings.alias_table_key
        )
        log.info("alias table %s: %d aliases", settings.alias_table_key, len(table))
        options["aliases"] = table
    if backend == "crf" and settings.tagger_model_key and settings.article_bucket:
        from articleflow.adapters.models import fetch_model

        options["model_path"] = fetch_model(settings.article_bucket, settings.tagger_model_key, cache_dir)
    elif settings.tagger_model_key and backend != "crf":
        log.warning("TAGGER_MODEL_KEY is set but the %s backend takes no model; ignored", backend)
    if backend in ("crf", "comprehend") and on_fallback is not None:
        options["on_fallback"] = on_fallback
    return options


def load_tagger(
    settings: Settings, *, on_fallback: Callable[[str], None] | None = None, cache_dir: Path | None = None
) -> Tagger:
    return get_tagger(settings.tagger_backend, **tagger_options(settings, on_fallback=on_fallback, cache_dir=cache_dir))
