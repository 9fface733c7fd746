"""Entity tagging backends behind one registry.

    from articleflow.core.tagging import get_tagger
    tagger = get_tagger("offline")          # or get_tagger(settings.tagger_backend, **options)
    entities = tagger.tag(article)          # list[Entity]

Backends are imported lazily: asking for "offline" never imports boto3 or a model. Another backend
registers itself by adding an entry to `_BACKENDS` ("module:Class") and declares in its class
attribute `needs` which of the options the runtime provides it takes (`runtime/tagger.py`: "aliases",
"model_path", "entity_service", "on_fallback"); nothing else changes. It can reuse the offline
building blocks: `rules` (dates, quantities, designators, name walks), `linker.link_span` (ids and
canonical names), `merge.resolve_overlaps` / `merge.merge` (mentions -> entities).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from articleflow.core.tagging.base import Tagger

if TYPE_CHECKING:
    from articleflow.core.tagging.offline import OfflineTagger

_BACKENDS: dict[str, str] = {
    "offline": "articleflow.core.tagging.offline:OfflineTagger",
    "comprehend": "articleflow.core.tagging.comprehend:ComprehendTagger",
    "crf": "articleflow.core.tagging.crf:CrfTagger",
}


class UnknownTaggerError(ValueError):
    """No backend of that name (or its module is not installed yet)."""


def available_taggers() -> list[str]:
    return sorted(_BACKENDS)


def register_tagger(name: str, target: str) -> None:
    """Register a backend as "package.module:ClassName" (imported on first `get_tagger`)."""
    _BACKENDS[name] = target


def tagger_class(name: str) -> Any:
    """The backend class registered as `name` (its module imported now)."""
    target = _BACKENDS.get(name.strip().lower())
    if target is None:
        raise UnknownTaggerError(f"unknown tagger {name!r}; known: {', '.join(available_taggers())}")
    module_name, _, class_name = target.partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnknownTaggerError(f"tagger {name!r} is registered but {module_name} does not exist yet") from exc
        raise
    return getattr(module, class_name)


def get_tagger(name: str = "offline", **options: Any) -> Tagger:
    """Instantiate the backend called `name` with `options` (keyword arguments of its constructor)."""
    tagger: Tagger = tagger_class(name)(**options)
    return tagger


@cache
def get_default_tagger() -> OfflineTagger:
    """The default (offline) tagger with its Arabic model opened: one per process. Call it at init
    or in a before-snapshot hook so that no event pays for opening the model; every OfflineTagger
    shares the opened model (`offline.arabic_model`). The rules' word lists are read here too."""
    from articleflow.core.tagging import lexicon
    from articleflow.core.tagging.offline import OfflineTagger

    tagger = OfflineTagger()
    tagger.load_model()
    lexicon.preload()
    return tagger


__all__ = [
    "Tagger",
    "UnknownTaggerError",
    "available_taggers",
    "get_default_tagger",
    "get_tagger",
    "register_tagger",
    "tagger_class",
]
