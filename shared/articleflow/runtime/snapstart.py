"""Lambda SnapStart: what is done once before the snapshot, and what each restored copy redoes.

With SnapStart, Lambda runs a published version's init once (the handler's imports, then the
before-snapshot hooks), snapshots the memory and resumes every new execution environment from that
snapshot instead of importing again. So:

* expensive work every event needs (the tagger's gazetteer and model, the SDK clients, the format
  libraries normalize imports lazily) is done before the snapshot;
* what must differ between environments is redone after each restore: the `random` module's state
  (botocore's retry jitter draws from it, and identical copies would back off in lockstep) and the
  SDK session, whose credentials and any open connection were captured in the snapshot.

The hooks come from `snapshot_restore_py`, which Lambda's Python runtimes ship. Where it is absent
(tests, the local runner) registering does nothing, and the stage runtime prepares on the first event.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from articleflow.adapters.aws import refresh_session


def register(*, before_snapshot: Callable[[], None], after_restore: Callable[[], None]) -> bool:
    """Register the hooks with Lambda's runtime; False where there is no snapshot runtime."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True


def restore_uniqueness() -> None:
    """Run in every restored environment: fresh entropy, fresh SDK session (credentials, sockets)."""
    random.seed()  # from os.urandom, which differs per environment
    refresh_session()
