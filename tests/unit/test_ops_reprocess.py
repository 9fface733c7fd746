"""The pure parts of reprocess: request identity, selection, record keys, --since."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest

from articleflow.models.records import Envelope, SourceRef
from articleflow.runtime.backfill import bulk_key
from articleflow.runtime.reprocess import Request, article_id_of_key
from articleflow.topology import record_key
from articleflow_dev.cli_ops import _since


def _record(key: str, received_at: datetime) -> Envelope:
    return Envelope(
        article_id="a",
        revision=1,
        content_sha256="0" * 64,
        source=SourceRef(bucket="b", key=key),
        received_at=received_at,
    )


def test_the_same_stage_and_reason_is_the_same_request() -> None:
    assert Request("tag", "x").request_id == Request("tag", "x", dry_run=True).request_id
    assert Request("tag", "x").request_id != Request("tag", "y").request_id
    assert Request("tag", None).request_id != Request("normalize", None).request_id


def test_each_stage_reads_the_previous_stages_output() -> None:
    assert [Request(stage, None).input_prefix for stage in ("normalize", "tag", "publish")] == [
        "ingested/",
        "normalized/",
        "tagged/",
    ]


def test_selection_by_uploaded_key_and_time() -> None:
    record = _record("incoming/lemonde/a.txt", datetime(2026, 11, 2, tzinfo=UTC))
    assert Request("tag", None, key_prefix="incoming/lemonde/").selects(record)
    assert not Request("tag", None, key_prefix="incoming/other/").selects(record)
    assert Request("tag", None, since=datetime(2026, 11, 1, tzinfo=UTC)).selects(record)
    assert not Request("tag", None, since=datetime(2026, 11, 3, tzinfo=UTC)).selects(record)


def test_record_keys_round_trip() -> None:
    key = record_key("normalized/", "1234", 7)
    assert key == "normalized/1234/r000007.json"
    assert article_id_of_key("normalized/", key) == "1234"
    assert article_id_of_key("tagged/", key) is None
    assert article_id_of_key("normalized/", "normalized/1234/notes.txt") is None


def test_bulk_key_keeps_the_archived_key() -> None:
    assert bulk_key("archive/2019/a.txt") == "bulk/incoming/archive/2019/a.txt"


def test_since_takes_a_date_or_a_date_time() -> None:
    assert _since("2026-11-01") == datetime(2026, 11, 1, tzinfo=UTC)
    assert _since("2026-11-01T10:00:00+02:00") == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert _since("2026-11-01T10:00:00") == datetime(2026, 11, 1, 10, tzinfo=UTC)
    with pytest.raises(argparse.ArgumentTypeError):
        _since("yesterday")
