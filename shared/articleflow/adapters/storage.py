"""S3 access: read an uploaded object, write stage records, quarantine bad uploads.

This module is the `core.ports.ObjectStore` the stages use on AWS.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from articleflow.adapters.aws import client
from articleflow.core.ports import ObjectGone, ObjectHead

__all__ = ["ObjectGone", "ObjectHead", "create_json", "get_bytes", "head", "put_json", "quarantine"]


def _is_missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NoSuchVersion", "NotFound"}


def head(bucket: str, key: str) -> ObjectHead | None:
    """The current version of a key, or None when it is gone (deleted or never existed)."""
    try:
        response = client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if _is_missing(error):
            return None
        raise
    version = response.get("VersionId")
    return ObjectHead(
        version_id=None if version in (None, "null") else str(version),
        size=int(response.get("ContentLength", 0)),
        content_type=response.get("ContentType"),
        metadata={k.lower(): v for k, v in response.get("Metadata", {}).items()},
        last_modified=response.get("LastModified"),
    )


def get_bytes(bucket: str, key: str, version_id: str | None = None) -> bytes:
    args: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version_id:
        args["VersionId"] = version_id
    try:
        return bytes(client("s3").get_object(**args)["Body"].read())
    except ClientError as error:
        if _is_missing(error):
            raise ObjectGone(f"s3://{bucket}/{key} ({version_id or 'latest'})") from error
        raise


def _put_json(bucket: str, key: str, document: str, **condition: str) -> dict[str, Any]:
    return dict(
        client("s3").put_object(
            Bucket=bucket,
            Key=key,
            Body=document.encode("utf-8"),
            ContentType="application/json; charset=utf-8",
            **condition,
        )
    )


def put_json(bucket: str, key: str, document: str) -> str | None:
    """Write a JSON document; returns the new version id."""
    return _put_json(bucket, key, document).get("VersionId")


def create_json(bucket: str, key: str, document: str) -> bool:
    """Write a JSON document unless the key exists (S3's conditional write); False when it does."""
    try:
        _put_json(bucket, key, document, IfNoneMatch="*")
    except ClientError as error:
        # 412: it exists, written by an earlier attempt (or by this one, when the SDK resent the put
        # after a lost response). A 409 (a concurrent write) is left to the retry.
        if error.response.get("Error", {}).get("Code") == "PreconditionFailed":
            return False
        raise
    return True


def quarantine(
    bucket: str,
    key: str,
    version_id: str | None,
    *,
    quarantined_key: str,
    reason_key: str,
    reason: str,
    delete_original: bool,
) -> None:
    """Copy the object and a reason document under quarantine/; with `delete_original`, a move.

    Versioning keeps the original version recoverable even after the delete.
    """
    s3 = client("s3")
    copy_source: dict[str, str] = {"Bucket": bucket, "Key": key}
    if version_id:
        copy_source["VersionId"] = version_id
    s3.copy_object(Bucket=bucket, Key=quarantined_key, CopySource=copy_source)
    put_json(bucket, reason_key, reason)
    if delete_original:
        s3.delete_object(Bucket=bucket, Key=key)
