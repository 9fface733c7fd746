"""Process each object version once per stage: claims recorded in the state table (DynamoDB).

A stage claims `(stage, bucket, key, version id)` before it does the work:

- the claim is a conditional put of an `in_progress` item. It succeeds when there is no item,
  when the item has expired, or when an earlier claim's holder ran out of time (its invocation
  ended without completing or releasing: a timeout or a crash);
- a claim that finds a `completed` item gets that work's outcome back, and the work is skipped;
- a claim that finds another live `in_progress` item raises `ClaimInProgress`: that record fails
  and SQS delivers it again after the visibility timeout. A claim that finds its own token (its
  put was applied, the response lost and the call retried) holds the claim;
- `complete` stores the outcome for the idempotency window (the table's TTL removes it later;
  the condition on `expiration` covers items TTL has not yet removed); `release` deletes the
  claim after a failure so the retry runs. Both act only on the caller's own claim (a random
  token): a holder whose claim was taken over cannot delete or complete its successor's.

Our own few calls rather than powertools' idempotency utility: that module imports boto3 (and
s3transfer, multiprocessing) into every handler's cold start, for what these functions do.

This module is the `core.ports.IdempotencyClaims` the stage runtime uses on AWS.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from botocore.exceptions import ClientError

from articleflow.adapters.aws import client, conditional_check_failed
from articleflow.core.ports import Claim, ClaimInProgress

__all__ = ["Claim", "ClaimInProgress", "claim", "claim_id", "complete", "release"]

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
ID_PREFIX = "once#"
# "status" is a DynamoDB reserved word; the others are named alike for one vocabulary.
_NAMES = {"#status": "status", "#expiration": "expiration", "#until": "in_progress_until_ms"}


def claim_id(stage: str, bucket: str, key: str, version_id: str | None) -> str:
    digest = hashlib.sha256("\n".join((bucket, key, version_id or "")).encode()).hexdigest()
    return f"{ID_PREFIX}{stage}#{digest}"


def claim(table: str, item_id: str, *, now: float, window_seconds: int, deadline: float) -> Claim | str:
    """Claim the work: a `Claim` means "do it", a string is the outcome of the work already done.

    `now` and `deadline` are epoch seconds; `deadline` is when this invocation's time runs out,
    after which another invocation may take the claim over.
    """
    token = secrets.token_hex(16)
    try:
        client("dynamodb").put_item(
            TableName=table,
            Item={
                "id": {"S": item_id},
                "status": {"S": IN_PROGRESS},
                "token": {"S": token},
                "expiration": {"N": str(int(now) + window_seconds)},
                "in_progress_until_ms": {"N": str(int(deadline * 1000))},
            },
            ConditionExpression=(
                "attribute_not_exists(id) OR #expiration < :now OR (#status = :in_progress AND #until < :now_ms)"
            ),
            ExpressionAttributeNames=_NAMES,
            ExpressionAttributeValues={
                ":now": {"N": str(int(now))},
                ":now_ms": {"N": str(int(now * 1000))},
                ":in_progress": {"S": IN_PROGRESS},
            },
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        return Claim(table, item_id, token)
    except ClientError as error:
        if not conditional_check_failed(error):
            raise
        held: dict[str, Any] = error.response.get("Item") or _get(table, item_id) or {}
    if held.get("status", {}).get("S") == COMPLETED:
        return str(held.get("outcome", {}).get("S", ""))
    if held.get("token", {}).get("S") == token:
        # Our own put, applied but its response lost, then retried by botocore: the claim is ours.
        return Claim(table, item_id, token)
    raise ClaimInProgress(item_id)


def complete(held: Claim, outcome: str, *, now: float, window_seconds: int) -> bool:
    """Record the outcome; False if the claim was taken over meanwhile (the successor's stands)."""
    return _if_still_held(
        held,
        client("dynamodb").update_item,
        Key={"id": {"S": held.item_id}},
        UpdateExpression="SET #status = :completed, outcome = :outcome, #expiration = :expiration REMOVE #until",
        ExpressionAttributeNames={**_NAMES, "#token": "token"},
        ExpressionAttributeValues={
            ":completed": {"S": COMPLETED},
            ":outcome": {"S": outcome},
            ":expiration": {"N": str(int(now) + window_seconds)},
            ":token": {"S": held.token},
        },
    )


def release(held: Claim) -> bool:
    """Give the claim up after a failure; False if it had already been taken over."""
    return _if_still_held(
        held,
        client("dynamodb").delete_item,
        Key={"id": {"S": held.item_id}},
        ExpressionAttributeNames={"#token": "token"},
        ExpressionAttributeValues={":token": {"S": held.token}},
    )


def _if_still_held(held: Claim, write: Any, **request: Any) -> bool:
    try:
        write(TableName=held.table, ConditionExpression="#token = :token", **request)
    except ClientError as error:
        if conditional_check_failed(error):
            return False
        raise
    return True


def _get(table: str, item_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        client("dynamodb").get_item(TableName=table, Key={"id": {"S": item_id}}, ConsistentRead=True).get("Item")
    )
    return item
