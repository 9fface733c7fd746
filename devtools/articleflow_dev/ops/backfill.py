"""Backfill: feed archived objects into the pipeline's bulk lane, each one an S3 CopyObject.

Each copy is `articleflow.runtime.backfill.copy_into_pipeline`, the same code the deployed backfill
function runs for each batch the state machine's Distributed Map hands it (template.yaml,
`BackfillStateMachine`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from articleflow.adapters.aws import client
from articleflow.runtime.backfill import copy_into_pipeline


def archived_keys(bucket: str, prefix: str) -> Iterator[str]:
    paginator = client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):  # a console "folder" is not an article
                yield item["Key"]


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
