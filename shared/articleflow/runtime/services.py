"""The ports a stage uses, in one place: the AWS adapters by default, in-memory fakes in tests.

`StageRuntime(..., services=Services(...))` hands them to every record's `StageContext`; handlers
reach the outside world only through `ctx.services`.
"""

from __future__ import annotations

from dataclasses import dataclass

from articleflow.core.ports import ArticleState, IdempotencyClaims, ObjectStore, Topic


@dataclass(frozen=True)
class Services:
    storage: ObjectStore
    state: ArticleState
    claims: IdempotencyClaims
    topic: Topic

    @classmethod
    def aws(cls) -> Services:
        """The adapter modules (S3, DynamoDB, SNS); each module implements its port."""
        from articleflow.adapters import idempotency, queue, state, storage

        return cls(storage=storage, state=state, claims=idempotency, topic=queue)
