"""Idempotency claims in memory (an `IdempotencyClaims`), with adapters/idempotency.py's conditions.

A claim succeeds when there is no item, the item has expired, or an `in_progress` holder's
deadline has passed; a `completed` item gives its outcome back; a live claim raises
`ClaimInProgress`. `complete` and `release` act only on the caller's own token.
"""

from __future__ import annotations

import secrets
from typing import Any

from articleflow.adapters.idempotency import COMPLETED, IN_PROGRESS
from articleflow.core.ports import Claim, ClaimInProgress


class FakeClaims:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def claim(self, table: str, item_id: str, *, now: float, window_seconds: int, deadline: float) -> Claim | str:
        held = self.items.get(item_id)
        if (
            held is None
            or held["expiration"] < int(now)
            or (held["status"] == IN_PROGRESS and held["in_progress_until_ms"] < int(now * 1000))
        ):
            token = secrets.token_hex(16)
            self.items[item_id] = {
                "status": IN_PROGRESS,
                "token": token,
                "expiration": int(now) + window_seconds,
                "in_progress_until_ms": int(deadline * 1000),
            }
            return Claim(table, item_id, token)
        if held["status"] == COMPLETED:
            return str(held.get("outcome", ""))
        raise ClaimInProgress(item_id)

    def complete(self, held: Claim, outcome: str, *, now: float, window_seconds: int) -> bool:
        item = self.items.get(held.item_id)
        if item is None or item["token"] != held.token:
            return False
        item |= {"status": COMPLETED, "outcome": outcome, "expiration": int(now) + window_seconds}
        item.pop("in_progress_until_ms", None)
        return True

    def release(self, held: Claim) -> bool:
        item = self.items.get(held.item_id)
        if item is None or item["token"] != held.token:
            return False
        del self.items[held.item_id]
        return True
