"""Backfill: feed archived objects into the pipeline as uploads, each one an S3 CopyObject.

The copy goes to `incoming/bulk/<the archived key>`: the same thing the state
machine's Distributed Map does for each item on AWS (template.yaml, `BackfillStateMachine`), so
ingest sees an ordinary upload, with the archived object's metadata (publisher, language ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from articleflow.adapters.aws import client
from articleflow.topology import BULK_PREFIX


def bulk_key(key: str) -> str:
    return f"{BULK_PREFIX}{key}"


def archived_keys(bucket: str, prefix: str) -> Iterator[str]:
    paginator = client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):  # a console "folder" is not an article
                yield item["Key"]


def copy_into_pipeline(bucket: str, key: str) -> str:
    target = bulk_key(key)
    client("s3").copy_object(Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": key})
    return target


def backfill(bucket: str, prefix: str, on_copied: Callable[[str, str], None]) -> int:
    copied = 0
    for key in archived_keys(bucket, prefix):
        on_copied(key, copy_into_pipeline(bucket, key))
        copied += 1
    return copied


def start_execution(state_machine_arn: str, execution_input: dict[str, Any]) -> str:
    response = client("stepfunctions").start_execution(
        stateMachineArn=state_machine_arn, input=json.dumps(execution_input)
    )
    return str(response["executionArn"])
