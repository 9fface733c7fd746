"""AWS SDK clients, created once per execution environment and reused across invocations.

Clients come from botocore directly: boto3 adds nothing the adapters use (they call client
methods only) and its import (s3transfer, multiprocessing) costs every handler's cold start.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.session import get_session

# Standard retry mode backs off on throttling; transient failures still surface to the
# SQS batch, which retries the record and finally sends it to the DLQ.
_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


@cache
def _session() -> Any:
    # One session for every client: a session loads botocore's data files once, and each new
    # session would load them again (about 70 ms per client).
    return get_session()


@cache
def client(service: str) -> Any:
    return _session().create_client(service, config=_CONFIG)


def session_client(service: str, config: Config) -> Any:
    """A client with its own configuration (not cached), from the shared session."""
    return _session().create_client(service, config=_CONFIG.merge(config))


def reset_clients() -> None:
    """Forget cached clients (the local runner calls this when it starts a new moto)."""
    client.cache_clear()
    _session.cache_clear()


def refresh_session() -> None:
    """A new session and new clients, keeping the loaded service data (SnapStart's after-restore).

    Clients built before a snapshot carry the credentials resolved then and any pooled connection;
    a restored environment must resolve its own. The data loader is kept: its parsed service models
    are the expensive part of a client and are the same everywhere.
    """
    loader = _session().get_component("data_loader")
    reset_clients()
    _session().register_component("data_loader", loader)


def conditional_check_failed(error: ClientError) -> bool:
    """A DynamoDB write whose condition did not hold (expected under optimistic locking)."""
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
