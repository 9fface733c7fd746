"""boto3 clients, created once per execution environment and reused across invocations."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Standard retry mode backs off on throttling; transient failures still surface to the
# SQS batch, which retries the record and finally sends it to the DLQ.
_CONFIG = Config(retries={"max_attempts": 5, "mode": "standard"})


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (the local runner calls this when it starts a new moto)."""
    client.cache_clear()
