"""Errors the stages raise on input that can never succeed."""

from __future__ import annotations


class RejectedInput(Exception):
    """Permanent: the input is quarantined with this reason and counts as handled, not retried."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
