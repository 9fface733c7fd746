"""Runtime settings, read from the environment the template (or the local runner) sets."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    table_name: str
    publish_topic_arn: str | None
    max_upload_bytes: int
    tagger_backend: str
    # The deployment (the stack's StageName parameter, in every resource name), not a pipeline stage.
    deployment: str
    # tag stage: a trained model and the publisher's alias table, read from `article_bucket` under models/
    tagger_model_key: str | None = None
    alias_table_key: str | None = None
    article_bucket: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            table_name=os.environ["TABLE_NAME"],
            publish_topic_arn=os.environ.get("PUBLISH_TOPIC_ARN") or None,
            max_upload_bytes=int(os.environ.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
            tagger_backend=os.environ.get("TAGGER_BACKEND", "offline"),
            deployment=os.environ.get("STAGE_NAME", "dev"),
            tagger_model_key=os.environ.get("TAGGER_MODEL_KEY") or None,
            alias_table_key=os.environ.get("ALIAS_TABLE_KEY") or None,
            article_bucket=os.environ.get("ARTICLE_BUCKET") or None,
        )

    def require_publish_topic_arn(self) -> str:
        if not self.publish_topic_arn:
            raise RuntimeError("PUBLISH_TOPIC_ARN is not set: the publish function cannot send")
        return self.publish_topic_arn
