"""Trained tagger model files in S3 (under ``models/`` of the bucket), cached in /tmp per execution environment.

A tag function downloads its CRF model once, at cold start; a file already in the cache with the same
ETag is reused (a warm environment that re-creates its tagger, or a second function in the same
sandbox locally), and a new upload under the same key (new ETag) is fetched again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from articleflow.adapters.aws import client
from articleflow.topology import TAGGER_MODELS_PREFIX

DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "articleflow-models"


def _check_key(key: str) -> None:
    if not key.startswith(TAGGER_MODELS_PREFIX) or ".." in key.split("/"):
        raise ValueError(
            f"model key {key!r} must be under {TAGGER_MODELS_PREFIX} (the tag function may read only there)"
        )


def fetch_model(bucket: str, key: str, cache_dir: Path | None = None) -> Path:
    """Local path of s3://bucket/key, downloading it unless the cache has that version."""
    _check_key(key)
    s3 = client("s3")
    etag = str(s3.head_object(Bucket=bucket, Key=key).get("ETag", "")).strip('"')
    digest = hashlib.sha256(f"{bucket}/{key}/{etag}".encode()).hexdigest()[:24]
    folder = cache_dir or DEFAULT_CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}-{Path(key).name}"
    if target.is_file() and target.stat().st_size > 0:
        return target
    partial = target.with_suffix(target.suffix + f".{os.getpid()}.part")
    try:
        # IfMatch: the bytes cached are the version named by the ETag in the cache file name.
        body = s3.get_object(Bucket=bucket, Key=key, IfMatch=f'"{etag}"')["Body"]
        with partial.open("wb") as out:
            shutil.copyfileobj(body, out, length=1024 * 1024)
        partial.replace(target)  # atomic: a concurrent reader never sees half a model
    finally:
        partial.unlink(missing_ok=True)  # a download cut short leaves nothing behind in /tmp
    return target


def read_model_bytes(bucket: str, key: str) -> bytes:
    """A small model document (the alias table) read straight into memory."""
    _check_key(key)
    return bytes(client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
