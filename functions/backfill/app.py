"""Backfill: the backfill state machine's item processor (`articleflow backfill` on AWS).

The Distributed Map lists an archive prefix (or reads an S3 Inventory manifest) and hands each batch
of listed keys here; each object is copied into the bulk lane with the same `copy_into_pipeline` as
`articleflow backfill`. Copying here rather than with the map's own S3 CopyObject task lets boto3
URL-encode the copy source: ASL has no intrinsic for that, and a key with a space, a `+` or Arabic
letters would not copy.
"""

from __future__ import annotations

import os
from typing import Any

from articleflow.runtime.backfill import copy_into_pipeline, is_article


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    bucket = os.environ["ARTICLE_BUCKET"]
    keys = [item["Key"] for item in event["Items"] if is_article(item["Key"])]
    for key in keys:
        copy_into_pipeline(bucket, key)
    return {"copied": len(keys)}  # kept by the map's ResultWriter
