"""Resolve a pointer: read the document it names from S3 and check it is the one announced."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import ValidationError

from articleflow_consumer.errors import IntegrityError, MalformedMessage
from articleflow_consumer.message import Article, Pointer, check_version


def s3_client() -> Any:
    """A botocore S3 client from the standard chain (credentials, region, AWS_ENDPOINT_URL)."""
    from botocore.session import get_session  # imported when a pointer first needs it

    return get_session().create_client("s3")


def resolve(item: Article | Pointer, s3: Any = None) -> Article:
    """`item` itself when inline; for a pointer, the checked document it names."""
    if isinstance(item, Article):
        return item
    where = item.published
    request = {"Bucket": where.bucket, "Key": where.key}
    if where.version_id:
        request["VersionId"] = where.version_id  # the exact version announced, not a later one
    data = (s3 or s3_client()).get_object(**request)["Body"].read()
    if item.document_sha256 and hashlib.sha256(data).hexdigest() != item.document_sha256:
        raise IntegrityError(f"{where.key}: SHA-256 differs from the pointer's document_sha256")
    try:
        document = json.loads(data)
        check_version(document.get("schema_version"))
        article = Article.model_validate(document)
    except (json.JSONDecodeError, AttributeError, ValidationError) as error:
        raise MalformedMessage(f"{where.key}: not a published article: {error}") from error
    announced = (item.article_id, item.revision, item.content_sha256)
    found = (article.article_id, article.revision, article.content_sha256)
    if found != announced:
        raise IntegrityError(f"{where.key}: holds {found}, the pointer announced {announced}")
    return article
