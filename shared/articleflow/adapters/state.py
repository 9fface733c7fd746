"""Article state in DynamoDB: which content each article has, and what was published.

One item per article (`id = "article#<article_id>"`) in the same table as the idempotency
claims (`adapters/idempotency.py`, ids `once#...`). Every write is conditional on what the writer
read, so concurrent uploads and retries of one key settle in S3's order:

- **Revisions follow S3's version order.** `claim_revision` reads the item, then asks S3 whether
  the upload is still the key's current version, then writes on condition that no other claim
  landed in between (`seq`, bumped by every claim, even one that finds identical content; the
  claim names its upload in `claimed_by`). An upload newer than ours was made after our check,
  so its claim either lands after ours (a higher revision) or makes ours fail and read, check and
  lose to it.
- **A claim is done only once its record is written.** The item remembers the highest revision
  whose ingested record exists (`ingested_revision`); a claim whose write failed or crashed is
  not done, so a retry or a re-upload of the same bytes writes it instead of skipping it.
- **Sends of one article never overlap, and never go backwards.** `begin_send` records the intent
  to send a revision (a lease until the invocation's deadline) only if it is the latest revision,
  nothing as new was sent, and no other send is in flight; `finish_send` records it as sent.
  A revision is sent again only when an attempt ended between its send and that record.

Every write is safe to repeat (a lost response retried by botocore, or by SQS): a repeated
claim finds its own content and claim, a repeated `begin_send` its own token.

This module is the `core.ports.ArticleState` the stages use on AWS; `tests/fakes` keeps the same
semantics in memory (`tests/integration/test_ports_contract.py` runs both through one set of scenarios).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from articleflow.adapters.aws import client, conditional_check_failed
from articleflow.core.ports import RevisionClaim, SendInProgress

__all__ = [
    "RevisionClaim",
    "SendInProgress",
    "begin_send",
    "claim_reprocess",
    "claim_revision",
    "finish_send",
    "read_article",
    "record_ingested",
]


def _key(article_id: str) -> dict[str, Any]:
    return {"id": {"S": f"article#{article_id}"}}


def read_article(table: str, article_id: str) -> dict[str, Any] | None:
    """The article's state item as DynamoDB returns it (consistent read), or None."""
    item: dict[str, Any] | None = (
        client("dynamodb").get_item(TableName=table, Key=_key(article_id), ConsistentRead=True).get("Item")
    )
    return item


def _number(item: dict[str, Any] | None, name: str) -> int:
    return int(item[name]["N"]) if item and name in item else 0


def _update_if(table: str, article_id: str, **request: Any) -> bool:
    """A conditional update of the article's item: False when its condition did not hold."""
    try:
        client("dynamodb").update_item(TableName=table, Key=_key(article_id), **request)
    except ClientError as error:
        if not conditional_check_failed(error):
            raise
        return False
    return True


def claim_revision(
    table: str,
    article_id: str,
    content_sha256: str,
    version_id: str | None,
    is_current: Callable[[], bool],
    max_attempts: int = 5,
) -> RevisionClaim | None:
    """Give new content the next revision; identical content keeps the revision it has.

    `is_current` asks S3 whether this upload is still the key's current version; None means it
    is not (a newer upload carries the work).
    """
    for _ in range(max_attempts):
        item = read_article(table, article_id)
        if not is_current():  # asked after the read: see the module docstring
            return None
        revision, seq = _number(item, "revision"), _number(item, "seq")
        same_content = item is not None and item["content_sha256"]["S"] == content_sha256
        if same_content:
            claim = RevisionClaim(revision, needs_record=_number(item, "ingested_revision") < revision)
            if item and item.get("claimed_by", {}).get("S") == (version_id or ""):
                return claim  # the last claim is ours: a retry, or our write whose response was lost
        else:
            claim = RevisionClaim(revision + 1, needs_record=True)
        values: dict[str, Any] = {":next": {"N": str(seq + 1)}, ":version": {"S": version_id or ""}}
        # Identical content still counts as a claim, so an older upload's claim in flight fails.
        update = "SET seq = :next, claimed_by = :version"
        if not same_content:
            update += ", revision = :new, content_sha256 = :sha"
            values |= {":new": {"N": str(revision + 1)}, ":sha": {"S": content_sha256}}
        if item is None:
            condition = "attribute_not_exists(id)"
        elif "seq" not in item:  # an item from before `seq` existed
            condition = "attribute_not_exists(seq) AND revision = :current"
            values[":current"] = {"N": str(revision)}
        else:
            condition = "seq = :seq"
            values[":seq"] = {"N": str(seq)}
        if _update_if(
            table, article_id, UpdateExpression=update, ConditionExpression=condition, ExpressionAttributeValues=values
        ):
            return claim
    raise RuntimeError(f"could not claim a revision for {article_id} after {max_attempts} attempts")


def record_ingested(table: str, article_id: str, revision: int) -> None:
    """The ingested record of `revision` is written: its claim is done."""
    _raise_number(table, article_id, "ingested_revision", revision)


def begin_send(table: str, article_id: str, revision: int, token: str, *, now: float, until: float) -> bool:
    """Take the right to send `revision` until `until` (epoch seconds).

    False when it must not be sent: a newer revision exists, or this one (or a newer one) was
    sent. `SendInProgress` when another send of the article is in flight. `token` names the
    sender; the same token may take its own intent again (a retry).
    """
    try:
        client("dynamodb").update_item(
            TableName=table,
            Key=_key(article_id),
            UpdateExpression="SET sending_revision = :revision, sending_token = :token, sending_until_ms = :until",
            ConditionExpression=(
                "revision = :revision"
                " AND (attribute_not_exists(published_revision) OR published_revision < :revision)"
                " AND (attribute_not_exists(sending_token) OR sending_token = :token OR sending_until_ms < :now)"
            ),
            ExpressionAttributeValues={
                ":revision": {"N": str(revision)},
                ":token": {"S": token},
                ":until": {"N": str(int(until * 1000))},
                ":now": {"N": str(int(now * 1000))},
            },
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        return True
    except ClientError as error:
        if not conditional_check_failed(error):
            raise
        item: dict[str, Any] | None = error.response.get("Item") or read_article(table, article_id)
    if item is None:
        raise RuntimeError(f"article {article_id} has no state: it was never ingested")
    if _number(item, "revision") != revision or _number(item, "published_revision") >= revision:
        return False
    raise SendInProgress(f"revision {_number(item, 'sending_revision')} of {article_id} is being sent")


def finish_send(table: str, article_id: str, revision: int, token: str) -> None:
    """`revision` was sent: record it and end this sender's intent."""
    if not _update_if(
        table,
        article_id,
        UpdateExpression="SET published_revision = :revision REMOVE sending_revision, sending_token, sending_until_ms",
        ConditionExpression=(
            "sending_token = :token AND (attribute_not_exists(published_revision) OR published_revision < :revision)"
        ),
        ExpressionAttributeValues={":revision": {"N": str(revision)}, ":token": {"S": token}},
    ):
        # Our intent was taken over (our lease ran out) or already ended (a repeated call):
        # still never lower what was recorded.
        _raise_number(table, article_id, "published_revision", revision)


def _raise_number(table: str, article_id: str, name: str, value: int) -> None:
    """Set a number attribute to `value` unless it is already as high."""
    _update_if(
        table,
        article_id,
        UpdateExpression="SET #name = :value",
        ConditionExpression="attribute_not_exists(#name) OR #name < :value",
        ExpressionAttributeNames={"#name": name},
        ExpressionAttributeValues={":value": {"N": str(value)}},
    )


def claim_reprocess(table: str, article_id: str, item: dict[str, Any], current: int, request_id: str) -> bool:
    """Take revision `current + 1` for a reprocess request (`runtime/reprocess.py`), as uploads' claims do.

    `item` is what `read_article` returned. The claim moves `seq` on, so an upload's claim that read
    the item before it fails its condition and reads again (a new upload then gets the revision after
    this one, never the same number). It marks the new revision's record as written (the request is
    written at a later stage's input), so a repeated S3 event of the same upload finds nothing to do.
    False when the article changed since `item` was read.
    """
    seq = _number(item, "seq")
    values = {
        ":new": {"N": str(current + 1)},
        ":current": {"N": str(current)},
        ":sha": {"S": item["content_sha256"]["S"]},
        ":request": {"S": request_id},
        ":claimer": {"S": f"reprocess:{request_id}"},
        ":next": {"N": str(seq + 1)},
    }
    condition = "revision = :current AND content_sha256 = :sha AND "
    if "seq" in item:
        condition += "seq = :seq"
        values[":seq"] = {"N": str(seq)}
    else:
        condition += "attribute_not_exists(seq)"
    return _update_if(
        table,
        article_id,
        UpdateExpression=(
            "SET revision = :new, seq = :next, ingested_revision = :new, claimed_by = :claimer, "
            "reprocess_id = :request, reprocess_base = :current"
        ),
        ConditionExpression=condition,
        ExpressionAttributeValues=values,
    )
