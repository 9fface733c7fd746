"""The environment a handler module sees on Lambda (no AWS is contacted: clients are lazy)."""

from __future__ import annotations

import os

HANDLER_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_EC2_METADATA_DISABLED": "true",
    "TABLE_NAME": "articleflow-bench-state",
    "PUBLISH_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:articleflow-bench-published",
    "STAGE_NAME": "bench",
    "TAGGER_BACKEND": "offline",
    "MAX_UPLOAD_BYTES": str(10 * 1024 * 1024),
    "POWERTOOLS_SERVICE_NAME": "articleflow",
    "POWERTOOLS_METRICS_NAMESPACE": "articleflow",
    "LOG_LEVEL": "INFO",
    "PYDANTIC_DISABLE_PLUGINS": "1",
}


def apply_handler_env() -> None:
    """Set the handler environment for this process, keeping anything the caller already set."""
    for name, value in HANDLER_ENV.items():
        os.environ.setdefault(name, value)
