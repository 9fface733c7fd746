"""The tagger interface every backend implements."""

from __future__ import annotations

from typing import Protocol

from articleflow.models.article import NormalizedArticle
from articleflow.models.entities import Entity


class Tagger(Protocol):
    """Finds entities in a normalized article.

    Mention offsets index `article.body` (the paragraphs joined by a blank line).
    """

    name: str
    # The options it takes that the runtime provides (runtime/tagger.py), by constructor keyword.
    needs: frozenset[str]

    def tag(self, article: NormalizedArticle) -> list[Entity]: ...
