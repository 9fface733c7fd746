"""Accounts for every file `articleflow run` uploads: each ends in exactly one state.

The pipeline says what became of an upload in three places: a message on the publish queue,
a reason document under quarantine/, or a message in a stage's dead-letter queue. `collect()`
reads them as the run goes (so results stream); once the pipeline has settled, `settle()` gives
every file still unaccounted for its state: unchanged when its content is already published,
failed otherwise. Nothing is left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import unquote_plus

from articleflow.adapters.aws import client
from articleflow.core.ingest import article_id_for, content_sha256
from articleflow.topology import INCOMING_PREFIX, PUBLISHED_PREFIX
from articleflow_dev.local.embedded import EmbeddedPipeline


class FileState(StrEnum):
    PUBLISHED = "published"
    UNCHANGED = "unchanged"
    QUARANTINED = "quarantined"
    DEAD_LETTERED = "dead-lettered"
    FAILED = "failed"


@dataclass(frozen=True)
class Upload:
    label: str  # how the user named the file (its path, or "-")
    key: str  # where it went: incoming/<path relative to its argument>
    sha256: str


@dataclass(frozen=True)
class FileResult:
    upload: Upload
    state: FileState
    detail: str = ""  # the reason, for every state but published
    message: dict[str, Any] | None = None  # the published message


def upload_of(label: str, key: str, data: bytes) -> Upload:
    return Upload(label, key, content_sha256(data))


def _article_id_of_key(key: str) -> str | None:
    """The article a stage's input key belongs to: incoming/ keys by their id, later ones by path."""
    if key.startswith(INCOMING_PREFIX):
        return article_id_for(key)
    parts = key.split("/")  # ingested/<article_id>/r000001.json, normalized/..., tagged/...
    return parts[1] if len(parts) > 2 else None


class Ledger:
    def __init__(self, pipeline: EmbeddedPipeline) -> None:
        self.pipeline = pipeline
        self._by_article: dict[str, Upload] = {}
        self.results: dict[str, FileResult] = {}  # by key
        # Dead letters that name no uploaded file (a message that is not an S3 event).
        self.stray_dead_letters: list[str] = []
        self._reasons_read: set[str] = set()

    def add(self, upload: Upload) -> None:
        self._by_article[article_id_for(upload.key)] = upload

    def fail(self, upload: Upload, reason: str) -> FileResult:
        """A file that never reached the pipeline (its upload was refused)."""
        return self._record(upload, FileState.FAILED, reason)

    def _record(
        self, upload: Upload, state: FileState, detail: str = "", message: dict[str, Any] | None = None
    ) -> FileResult:
        result = FileResult(upload, state, detail, message)
        self.results[upload.key] = result
        return result

    def _open(self, article_id: str | None) -> Upload | None:
        """The upload of an article that has no result yet (None: not ours, or already counted)."""
        upload = self._by_article.get(article_id or "")
        return upload if upload is not None and upload.key not in self.results else None

    def collect(self) -> list[FileResult]:
        """Results that appeared since the last call."""
        new = []
        for item in self.pipeline.take_published():
            message = item["body"]
            if upload := self._open(message["article_id"]):
                new.append(self._record(upload, FileState.PUBLISHED, message=message))
        for reason in self.pipeline.quarantine_reasons(self._reasons_read):
            if upload := self._open(reason.get("article_id")):
                detail = f"by {reason['stage']} ({reason['kind']}): {reason['reason']}"
                new.append(self._record(upload, FileState.QUARANTINED, detail))
        for stage, letters in self.pipeline.dead_letters().items():
            for letter in letters:
                if upload := self._open(self._article_of_letter(letter["Body"])):
                    detail = f"by {stage}: failed every retry and went to its dead-letter queue"
                    new.append(self._record(upload, FileState.DEAD_LETTERED, detail))
                else:
                    self.stray_dead_letters.append(f"{stage}: {letter['Body'][:200]}")
        return new

    def _article_of_letter(self, body: str) -> str | None:
        try:
            key = json.loads(body)["detail"]["object"]["key"]
        except (ValueError, TypeError, KeyError):
            return None
        article_id = _article_id_of_key(key)
        if article_id in self._by_article:
            return article_id
        return _article_id_of_key(unquote_plus(key))  # EventBridge may send the key URL-encoded

    def settle(self) -> list[FileResult]:
        """Once the pipeline has no work left: a state for every file still without one."""
        new = []
        for article_id, upload in self._by_article.items():
            if upload.key in self.results:
                continue
            revision = self._published_revision_with(article_id, upload.sha256)
            if revision is not None:
                new.append(self._record(upload, FileState.UNCHANGED, f"same content as r{revision}, already published"))
            else:
                new.append(
                    self._record(upload, FileState.FAILED, "no result: not published, quarantined or dead-lettered")
                )
        return new

    def _published_revision_with(self, article_id: str, sha256: str) -> int | None:
        """The revision under published/<article_id>/ whose content is `sha256`, if one is."""
        s3 = client("s3")
        bucket = self.pipeline.bucket
        listing = s3.list_objects_v2(Bucket=bucket, Prefix=f"{PUBLISHED_PREFIX}{article_id}/")
        for item in listing.get("Contents", []):
            document = json.loads(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
            if document.get("content_sha256") == sha256:
                return int(document["revision"])
        return None

    def counts(self) -> dict[FileState, int]:
        counted = dict.fromkeys(FileState, 0)
        for result in self.results.values():
            counted[result.state] += 1
        return counted
