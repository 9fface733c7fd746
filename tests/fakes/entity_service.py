"""An entity service in memory (an `EntityService`): finds the surfaces it was given."""

from __future__ import annotations

import re

from articleflow.core.ports import BatchResult, DetectedEntity


class FakeEntityService:
    """Answers like Comprehend for a fixed list of known names: `{"Tokyo": "LOCATION", ...}`.

    `calls` counts the requests, as (operation, number of texts).
    """

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.calls: list[tuple[str, int]] = []

    def detect_entities(self, text: str, language: str) -> list[DetectedEntity]:
        self.calls.append(("detect_entities", 1))
        return self._find(text)

    def batch_detect_entities(self, texts: list[str], language: str) -> BatchResult:
        self.calls.append(("batch_detect_entities", len(texts)))
        return BatchResult(results={index: self._find(text) for index, text in enumerate(texts)})

    def _find(self, text: str) -> list[DetectedEntity]:
        found = [
            DetectedEntity(kind, match.group(), match.start(), match.end(), 0.99)
            for surface, kind in self.known.items()
            for match in re.finditer(re.escape(surface), text)
        ]
        return sorted(found, key=lambda e: e.begin)
