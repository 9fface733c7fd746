"""Article state in memory (an `ArticleState`), with adapters/state.py's conditional writes.

Each item holds the same attributes as the DynamoDB item (`revision`, `seq`, `content_sha256`,
`claimed_by`, `ingested_revision`, `sending_revision`, `sending_token`, `sending_until_ms`,
`published_revision`), and every write checks the same condition against it. `is_current` is
called between the read and the write, as in the adapter, so a test can land a competing claim
there (`tests/integration/test_ports_contract.py` holds both to the same outcomes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from articleflow.core.ports import RevisionClaim, SendInProgress


class FakeArticleState:
    def __init__(self, journal: list[str] | None = None) -> None:
        self.items: dict[str, dict[str, Any]] = {}  # (one table: the fakes ignore `table`)
        self.journal = journal if journal is not None else []

    def claim_revision(
        self,
        table: str,
        article_id: str,
        content_sha256: str,
        version_id: str | None,
        is_current: Callable[[], bool],
        max_attempts: int = 5,
    ) -> RevisionClaim | None:
        for _ in range(max_attempts):
            read = dict(self.items[article_id]) if article_id in self.items else None
            if not is_current():
                return None
            revision, seq = _number(read, "revision"), _number(read, "seq")
            same_content = read is not None and read["content_sha256"] == content_sha256
            if same_content:
                claim = RevisionClaim(revision, needs_record=_number(read, "ingested_revision") < revision)
                if read is not None and read.get("claimed_by") == (version_id or ""):
                    return claim
            else:
                claim = RevisionClaim(revision + 1, needs_record=True)
            stored = self.items.get(article_id)
            if read is None:
                holds = stored is None
            elif "seq" not in read:
                holds = stored is not None and "seq" not in stored and _number(stored, "revision") == revision
            else:
                holds = stored is not None and stored.get("seq") == seq
            if not holds:
                continue  # another claim landed between our read and our write: read again
            item = self.items.setdefault(article_id, {})
            item |= {"seq": seq + 1, "claimed_by": version_id or ""}
            if not same_content:
                item |= {"revision": revision + 1, "content_sha256": content_sha256}
            return claim
        raise RuntimeError(f"could not claim a revision for {article_id} after {max_attempts} attempts")

    def record_ingested(self, table: str, article_id: str, revision: int) -> None:
        self._raise_number(article_id, "ingested_revision", revision)

    def begin_send(self, table: str, article_id: str, revision: int, token: str, *, now: float, until: float) -> bool:
        item = self.items.get(article_id)
        now_ms = int(now * 1000)
        if (
            item is not None
            and item.get("revision") == revision
            and ("published_revision" not in item or item["published_revision"] < revision)
            and ("sending_token" not in item or item["sending_token"] == token or item["sending_until_ms"] < now_ms)
        ):
            item |= {"sending_revision": revision, "sending_token": token, "sending_until_ms": int(until * 1000)}
            self.journal.append(f"begin_send r{revision}")
            return True
        if item is None:
            raise RuntimeError(f"article {article_id} has no state: it was never ingested")
        if _number(item, "revision") != revision or _number(item, "published_revision") >= revision:
            return False
        raise SendInProgress(f"revision {_number(item, 'sending_revision')} of {article_id} is being sent")

    def finish_send(self, table: str, article_id: str, revision: int, token: str) -> None:
        item = self.items.get(article_id)
        self.journal.append(f"finish_send r{revision}")
        if (
            item is not None
            and item.get("sending_token") == token
            and ("published_revision" not in item or item["published_revision"] < revision)
        ):
            item["published_revision"] = revision
            for name in ("sending_revision", "sending_token", "sending_until_ms"):
                item.pop(name, None)
            return
        self._raise_number(article_id, "published_revision", revision)

    def _raise_number(self, article_id: str, name: str, value: int) -> None:
        item = self.items.setdefault(article_id, {})  # an update creates the item, as DynamoDB's does
        if name not in item or item[name] < value:
            item[name] = value


def _number(item: dict[str, Any] | None, name: str) -> int:
    return int(item[name]) if item and name in item else 0
