"""At-least-once delivery means repeats: apply each (article_id, revision) once, newest wins.

Check before applying and mark after: marking first would lose the article if applying fails
and the message is redelivered. A revision at or below the one held is a repeat or arrived
late (no order is guaranteed); skip it.
"""

from __future__ import annotations

from typing import Protocol


class RevisionStore(Protocol):
    """Where the highest applied revision per article lives (memory, a table, your index)."""

    def held_revision(self, article_id: str) -> int | None: ...

    def hold(self, article_id: str, revision: int) -> None: ...


class MemoryRevisionStore:
    """Per process: enough within one Lambda execution environment or one script run."""

    def __init__(self) -> None:
        self._revisions: dict[str, int] = {}

    def held_revision(self, article_id: str) -> int | None:
        return self._revisions.get(article_id)

    def hold(self, article_id: str, revision: int) -> None:
        self._revisions[article_id] = max(revision, self._revisions.get(article_id, 0))


class Deduplicator:
    def __init__(self, store: RevisionStore | None = None) -> None:
        self.store: RevisionStore = store if store is not None else MemoryRevisionStore()

    def is_new(self, article_id: str, revision: int) -> bool:
        held = self.store.held_revision(article_id)
        return held is None or revision > held

    def mark_done(self, article_id: str, revision: int) -> None:
        self.store.hold(article_id, revision)
