"""Reprocess: the backfill state machine's item processor in reprocess mode (`reprocess --all` on AWS).

The Distributed Map lists published/ and hands each batch of listed keys here,
with the request (`from_stage`, `reason`) as its BatchInput; each article goes through the same
`reprocess_article` as `articleflow reprocess`, so the claims and the idempotency are the same.
"""

from __future__ import annotations

import os
from typing import Any

from articleflow.runtime.reprocess import Request, article_id_of_key, reprocess
from articleflow.topology import BULK_LANE, PUBLISHED_PREFIX


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    batch = event["BatchInput"]
    # A whole archive is bulk work: its requests go through the bulk lane's queues.
    request = Request(batch["from_stage"], batch.get("reason") or None, lane=BULK_LANE)
    # The listing of published/ holds every revision's record: each article once.
    keys = (item["Key"] for item in event["Items"])
    article_ids = list(dict.fromkeys(filter(None, (article_id_of_key(PUBLISHED_PREFIX, key) for key in keys))))
    counts = reprocess(os.environ["ARTICLE_BUCKET"], os.environ["TABLE_NAME"], request, article_ids)
    return {result.value: count for result, count in counts.items()}  # kept by the map's ResultWriter
