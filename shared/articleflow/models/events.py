"""The S3 -> EventBridge -> SQS event, reduced to the fields the stages use.

AWS and moto differ in small ways (moto sends extra event types; version id spellings
vary), so every field not used here is ignored and the optional ones may be missing.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _Bucket(_Lenient):
    name: str


class _Object(_Lenient):
    key: str
    version_id: str | None = Field(default=None, validation_alias=AliasChoices("version-id", "versionId"))
    size: int | None = None


class _Detail(_Lenient):
    bucket: _Bucket
    object: _Object


class S3EventBridgeEvent(_Lenient):
    detail_type: str = Field(validation_alias=AliasChoices("detail-type", "detailType"))
    detail: _Detail


class ObjectRef(_Lenient):
    """The object a stage is asked to process. Its (bucket, key, version_id) is the idempotency key."""

    bucket: str
    key: str
    version_id: str | None = None
    size: int | None = None

    @classmethod
    def from_sqs_body(cls, body: str) -> tuple[str, ObjectRef]:
        """Parse an SQS message body; returns the event's detail-type and the object it names.

        S3's events carry the key URL-encoded, a space as `+` and a `+` as `%2B`, so the key is
        always decoded: a key that exists as spelled in the event may be another object
        (`incoming/a+b.txt` is the event of `incoming/a b.txt`).
        """
        event = S3EventBridgeEvent.model_validate_json(body)
        detail = event.detail
        version = detail.object.version_id
        return event.detail_type, cls(
            bucket=detail.bucket.name,
            key=unquote_plus(detail.object.key),
            version_id=None if version in (None, "", "null") else version,
            size=detail.object.size,
        )
