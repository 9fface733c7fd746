"""A versioned S3 bucket in memory (an `ObjectStore`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from articleflow.core.ports import ObjectGone, ObjectHead

_version_ids = itertools.count(1)


@dataclass(frozen=True)
class StoredVersion:
    version_id: str
    body: bytes | None  # None: a delete marker
    content_type: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    last_modified: datetime = field(default_factory=lambda: datetime.now(UTC))


class FakeStorage:
    """Every key keeps its versions, newest last; a delete adds a delete marker, as S3 does.

    `broken` holds keys whose reads fail with `ConnectionError` (an outage, not bad input).
    """

    def __init__(self, journal: list[str] | None = None) -> None:
        self.versions: dict[tuple[str, str], list[StoredVersion]] = {}
        self.broken: set[str] = set()
        self.journal = journal if journal is not None else []

    # -- what a test does -------------------------------------------------------------------------

    def upload(
        self,
        bucket: str,
        key: str,
        body: bytes,
        *,
        content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> str:
        """A publisher's upload (or any put); returns the new version id."""
        version = StoredVersion(f"v{next(_version_ids)}", body, content_type, dict(metadata or {}))
        self.versions.setdefault((bucket, key), []).append(version)
        return version.version_id

    def delete(self, bucket: str, key: str) -> None:
        self.versions.setdefault((bucket, key), []).append(StoredVersion(f"v{next(_version_ids)}", None))

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """Keys whose current version is an object (not a delete marker), sorted."""
        return sorted(
            k
            for (b, k), vs in self.versions.items()
            if b == bucket and k.startswith(prefix) and vs[-1].body is not None
        )

    def read(self, bucket: str, key: str) -> bytes:
        return self.get_bytes(bucket, key)

    # -- the port -------------------------------------------------------------------------------------

    def head(self, bucket: str, key: str) -> ObjectHead | None:
        current = self._current(bucket, key)
        if current is None:
            return None
        assert current.body is not None
        return ObjectHead(
            version_id=current.version_id,
            size=len(current.body),
            content_type=current.content_type,
            metadata={k.lower(): v for k, v in current.metadata.items()},
            last_modified=current.last_modified,
        )

    def get_bytes(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        if key in self.broken:
            raise ConnectionError(f"injected failure reading s3://{bucket}/{key}")
        found = self._version(bucket, key, version_id)
        if found is None or found.body is None:
            raise ObjectGone(f"s3://{bucket}/{key} ({version_id or 'latest'})")
        return found.body

    def put_json(self, bucket: str, key: str, document: str) -> str | None:
        self.journal.append(f"put {key}")
        return self.upload(bucket, key, document.encode("utf-8"), content_type="application/json; charset=utf-8")

    def create_json(self, bucket: str, key: str, document: str) -> bool:
        if self.head(bucket, key) is not None:
            self.journal.append(f"exists {key}")
            return False
        self.put_json(bucket, key, document)
        return True

    def quarantine(
        self,
        bucket: str,
        key: str,
        version_id: str | None,
        *,
        quarantined_key: str,
        reason_key: str,
        reason: str,
        delete_original: bool,
    ) -> None:
        original = self._version(bucket, key, version_id)
        if original is None or original.body is None:  # S3's CopyObject fails the same way
            raise ObjectGone(f"s3://{bucket}/{key} ({version_id or 'latest'})")
        self.upload(
            bucket, quarantined_key, original.body, content_type=original.content_type, metadata=original.metadata
        )
        self.put_json(bucket, reason_key, reason)
        if delete_original:
            self.delete(bucket, key)

    def _current(self, bucket: str, key: str) -> StoredVersion | None:
        versions = self.versions.get((bucket, key))
        if not versions or versions[-1].body is None:
            return None
        return versions[-1]

    def _version(self, bucket: str, key: str, version_id: str | None) -> StoredVersion | None:
        if not version_id:
            return self._current(bucket, key)
        return next((v for v in self.versions.get((bucket, key), []) if v.version_id == version_id), None)
