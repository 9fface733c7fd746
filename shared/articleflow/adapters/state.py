"""Article state in DynamoDB: which content each article has, and what was published.

One item per article (`id = "article#<article_id>"`) in the same table as the idempotency
claims (`adapters/idempotency.py`, ids `once#...`). Updates use optimistic locking so two
concurrent uploads of one key can never get the same revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from articleflow.adapters.aws import client, conditional_check_failed


@dataclass(frozen=True)
class RevisionClaim:
    revision: int
    is_new: bool  # the content differs from the last recorded one: a new revision
    same_upload: bool  # the claim was made by this very object version (a retry after a crash)


def _key(article_id: str) -> dict[str, Any]:
    return {"id": {"S": f"article#{article_id}"}}


def _get(table: str, article_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        client("dynamodb").get_item(TableName=table, Key=_key(article_id), ConsistentRead=True).get("Item")
    )
    return item


def claim_revision(
    table: str, article_id: str, content_sha256: str, version_id: str | None, max_attempts: int = 5
) -> RevisionClaim:
    """Give new content the next revision; identical content keeps the revision it has."""
    for _ in range(max_attempts):
        item = _get(table, article_id)
        if item and item["content_sha256"]["S"] == content_sha256:
            claimed_by = item.get("source_version_id", {}).get("S")
            return RevisionClaim(int(item["revision"]["N"]), is_new=False, same_upload=claimed_by == version_id)
        current = int(item["revision"]["N"]) if item else 0
        try:
            client("dynamodb").update_item(
                TableName=table,
                Key=_key(article_id),
                UpdateExpression="SET revision = :new, content_sha256 = :sha, source_version_id = :version",
                ConditionExpression="attribute_not_exists(id) OR revision = :current",
                ExpressionAttributeValues={
                    ":new": {"N": str(current + 1)},
                    ":sha": {"S": content_sha256},
                    ":version": {"S": version_id or ""},
                    ":current": {"N": str(current)},
                },
            )
            return RevisionClaim(current + 1, is_new=True, same_upload=True)
        except ClientError as error:
            if not conditional_check_failed(error):
                raise
    raise RuntimeError(f"could not claim a revision for {article_id} after {max_attempts} attempts")


def is_publishable(table: str, article_id: str, revision: int) -> bool:
    """False when a later revision exists or this one was already published."""
    item = _get(table, article_id)
    if item is None:
        return True
    latest = int(item["revision"]["N"])
    published = int(item.get("published_revision", {}).get("N", "0"))
    return revision >= latest and revision > published


def record_published(table: str, article_id: str, revision: int) -> None:
    """Remember the highest published revision (never lowers it)."""
    try:
        client("dynamodb").update_item(
            TableName=table,
            Key=_key(article_id),
            UpdateExpression="SET published_revision = :revision",
            ConditionExpression="attribute_not_exists(published_revision) OR published_revision < :revision",
            ExpressionAttributeValues={":revision": {"N": str(revision)}},
        )
    except ClientError as error:
        if not conditional_check_failed(error):
            raise
