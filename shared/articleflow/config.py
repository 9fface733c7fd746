"""Runtime settings, read from the environment the template (or the local runner) sets."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    table_name: str
    publish_queue_url: str | None
    max_upload_bytes: int
    tagger_backend: str
    stage_name: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            table_name=os.environ["TABLE_NAME"],
            publish_queue_url=os.environ.get("PUBLISH_QUEUE_URL") or None,
            max_upload_bytes=int(os.environ.get("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
            tagger_backend=os.environ.get("TAGGER_BACKEND", "offline"),
            stage_name=os.environ.get("STAGE_NAME", "dev"),
        )

    def require_publish_queue_url(self) -> str:
        if not self.publish_queue_url:
            raise RuntimeError("PUBLISH_QUEUE_URL is not set: the publish function cannot send")
        return self.publish_queue_url
