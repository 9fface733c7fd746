"""Backfill: feed archived objects into the pipeline's bulk lane, each one an S3 CopyObject.

Each copy is `articleflow.runtime.backfill.copy_into_pipeline`, the same code the deployed backfill
function runs for each batch the state machine's Distributed Map hands it (template.yaml,
`BackfillStateMachine`). Like the map, it feeds in batches with a bound on what is in flight: given
`backlog` (the bulk ingest queue's depth), it copies the next batch only once that is below what the
map keeps in flight, so the bulk queues stay short however large the archive.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from itertools import batched
from typing import Any

from articleflow.adapters.aws import client
from articleflow.runtime.backfill import copy_into_pipeline, is_article
from articleflow.topology import BACKFILL_BATCH_SIZE, BACKFILL_MAX_CONCURRENCY

IN_FLIGHT = BACKFILL_BATCH_SIZE * BACKFILL_MAX_CONCURRENCY
BACKLOG_POLL_SECONDS = 0.5


def archived_keys(bucket: str, prefix: str) -> Iterator[str]:
    paginator = client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if is_article(item["Key"]):
                yield item["Key"]


def backfill(
    bucket: str, prefix: str, on_copied: Callable[[str, str], None], backlog: Callable[[], int] | None = None
) -> int:
    """Copy every object under `prefix` into the bulk lane, a batch at a time; returns the count."""
    copied = 0
    for batch in batched(archived_keys(bucket, prefix), BACKFILL_BATCH_SIZE, strict=False):
        while backlog is not None and backlog() >= IN_FLIGHT:
            time.sleep(BACKLOG_POLL_SECONDS)
        for key in batch:
            on_copied(key, copy_into_pipeline(bucket, key))
            copied += 1
    return copied


def start_execution(state_machine_arn: str, execution_input: dict[str, Any]) -> str:
    response = client("stepfunctions").start_execution(
        stateMachineArn=state_machine_arn, input=json.dumps(execution_input)
    )
    return str(response["executionArn"])
