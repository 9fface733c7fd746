"""Amazon Comprehend DetectEntities / BatchDetectEntities behind two small functions.

The core tagger (`core/tagging/comprehend.py`) talks to an `EntityService` (`core/ports.py`); this
adapter is the AWS SDK one. The client comes from `adapters.aws.client`, whose botocore config uses
the "standard" retry mode (exponential backoff with jitter on ThrottlingException
and other transient errors, 5 attempts).
Tests hand in a client wrapped in botocore's `Stubber` (moto has no DetectEntities).
"""

from __future__ import annotations

from typing import Any

from articleflow.core.ports import BatchResult, DetectedEntity

__all__ = ["BatchResult", "BotoComprehend", "DetectedEntity"]


def _entities(items: list[dict[str, Any]]) -> list[DetectedEntity]:
    return [
        DetectedEntity(
            type=str(e.get("Type", "OTHER")),
            text=str(e.get("Text", "")),
            begin=int(e["BeginOffset"]),
            end=int(e["EndOffset"]),
            score=float(e.get("Score", 0.0)),
        )
        for e in items
        if "BeginOffset" in e and "EndOffset" in e
    ]


class BotoComprehend:
    """`EntityService` over a botocore client (created lazily with the shared retry config)."""

    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from articleflow.adapters.aws import client

            self._client = client("comprehend")
        return self._client

    def detect_entities(self, text: str, language: str) -> list[DetectedEntity]:
        response = self.client.detect_entities(Text=text, LanguageCode=language)
        return _entities(response.get("Entities", []))

    def batch_detect_entities(self, texts: list[str], language: str) -> BatchResult:
        response = self.client.batch_detect_entities(TextList=texts, LanguageCode=language)
        out = BatchResult()
        for item in response.get("ResultList", []):
            out.results[int(item["Index"])] = _entities(item.get("Entities", []))
        for item in response.get("ErrorList", []):
            out.errors[int(item["Index"])] = str(item.get("ErrorCode", "UNKNOWN"))
        return out
