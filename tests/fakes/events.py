"""The events Lambda's SQS event source hands a stage, for unit tests on the fakes."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import quote_plus

from articleflow_dev.local.event_source import LocalLambdaContext


def s3_event_body(
    bucket: str, key: str, version_id: str | None, *, size: int = 1, detail_type: str = "Object Created"
) -> str:
    """An S3 -> EventBridge event as the queue carries it (the key URL-encoded, as AWS sends it)."""
    detail = {
        "bucket": {"name": bucket},
        "object": {"key": quote_plus(key, safe="/"), "version-id": version_id, "size": size},
    }
    return json.dumps({"detail-type": detail_type, "source": "aws.s3", "detail": detail})


def sqs_event(*bodies: str) -> dict[str, Any]:
    """A batch of SQS records, message ids m0, m1, ... in order."""
    return {
        "Records": [{"messageId": f"m{i}", "body": body, "eventSource": "aws:sqs"} for i, body in enumerate(bodies)]
    }


def lambda_context(function_name: str = "articleflow-test", timeout_seconds: float = 60.0) -> LocalLambdaContext:
    return LocalLambdaContext(
        function_name=function_name, memory_limit_in_mb=512, deadline=time.monotonic() + timeout_seconds
    )
