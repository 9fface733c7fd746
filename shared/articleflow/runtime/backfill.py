"""Backfill's copy: one archived object into the bulk lane, as an upload of its own key.

The copy goes to `bulk/incoming/<the archived key>`: the bulk lane's input, so a backfill runs on the
stages' bulk queues and live uploads keep theirs (topology.Lane). Ingest takes it as an upload of
`incoming/<the archived key>` (the same article id), with the archived object's metadata
(publisher, language ...). Used by the deployed backfill function (the state machine's item
processor) and by `articleflow backfill`.
"""

from __future__ import annotations

from articleflow.adapters.aws import client
from articleflow.topology import BULK_PREFIX


def is_article(key: str) -> bool:
    """A console "folder" marker (an empty key ending in /) is not an article."""
    return not key.endswith("/")


def bulk_key(key: str) -> str:
    return f"{BULK_PREFIX}{key}"


def copy_into_pipeline(bucket: str, key: str) -> str:
    """Copy `key` into the bulk lane; returns the copy's key. boto3 URL-encodes the copy source."""
    target = bulk_key(key)
    client("s3").copy_object(Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": key})
    return target
