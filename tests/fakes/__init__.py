"""In-memory implementations of the ports (`articleflow.core.ports`), with the adapters' semantics.

Shared by the unit tests, the contract test that holds them to the AWS adapters on moto
(`tests/integration/test_ports_contract.py`), and the bench's handler level (`bench/stages.py`).

    fakes = Fakes()
    runtime = StageRuntime("ingest", process, settings, services=fakes.services)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articleflow.runtime.services import Services
from tests.fakes.entity_service import FakeEntityService
from tests.fakes.idempotency import FakeClaims
from tests.fakes.state import FakeArticleState
from tests.fakes.storage import FakeStorage
from tests.fakes.topic import FakeTopic


@dataclass
class Fakes:
    """One in-memory world: a versioned bucket, the state table, the publish topic.

    `journal` records every write in order ("put <key>", "publish", "begin_send r<n>", ...), so a
    test can check what happened before what.
    """

    journal: list[str] = field(default_factory=list)
    storage: FakeStorage = field(init=False)
    state: FakeArticleState = field(init=False)
    claims: FakeClaims = field(init=False)
    topic: FakeTopic = field(init=False)

    def __post_init__(self) -> None:
        self.storage = FakeStorage(self.journal)
        self.state = FakeArticleState(self.journal)
        self.claims = FakeClaims()
        self.topic = FakeTopic(self.journal)

    @property
    def services(self) -> Services:
        return Services(storage=self.storage, state=self.state, claims=self.claims, topic=self.topic)


__all__ = ["FakeArticleState", "FakeClaims", "FakeEntityService", "FakeStorage", "FakeTopic", "Fakes"]
