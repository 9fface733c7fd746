"""Reprocess: make a new revision of stored articles from a stage on, through the normal event flow.

For each article this writes a *request*: the stored record the stage reads, with `revision + 1`
and a `reprocessed` block, put under that stage's input prefix (`ingested/` for normalize,
`normalized/` for tag, `tagged/` for publish). The S3 put is an ordinary Object Created event, so
EventBridge, the stage's queue and the real handlers do the rest, on serve as on AWS; nothing here
runs a stage itself. In the layer, not the dev tooling: `articleflow reprocess` and the deployed
reprocess function (`functions/reprocess/`, the backfill state machine's item processor) both run it.

The new revision is claimed first on the article's state item (`adapters/state.claim_reprocess`,
with the same optimistic lock as an upload's claim, the content unchanged), so:
- an article re-uploaded meanwhile is left alone (the claim fails: `superseded`), and an upload
  arriving after the claim gets a higher revision, which publish then prefers;
- the same request (stage + reason) twice does nothing the second time (`unchanged`): the item
  remembers the request id and the revision it made. If the first run stopped between the claim
  and the put, the second one writes the missing request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from articleflow.adapters import storage
from articleflow.adapters.aws import client
from articleflow.adapters.state import claim_reprocess, read_article
from articleflow.models.records import Envelope, IngestedRecord, NormalizedRecord, ReprocessRequest, TaggedRecord
from articleflow.topology import LANES, LIVE_LANE, PUBLISHED_PREFIX, STAGES_BY_NAME, Lane, record_key

RECORD_MODELS: dict[str, type[Envelope]] = {
    "normalize": IngestedRecord,
    "tag": NormalizedRecord,
    "publish": TaggedRecord,
}
_RECORD_KEY = re.compile(r"^(?P<article_id>[^/]+)/r(?P<revision>\d+)\.json$")


class Result(StrEnum):
    REQUESTED = "requested"  # the new revision is claimed and its request written
    WOULD_REQUEST = "would-request"  # --dry-run
    UNCHANGED = "unchanged"  # this very request was made already
    SUPERSEDED = "superseded"  # changed by an upload meanwhile, or its record is still being written
    NOT_SELECTED = "not-selected"  # outside --prefix / --since
    MISSING = "missing"  # no stored record for this article at that stage


@dataclass(frozen=True)
class Request:
    from_stage: str
    reason: str | None
    dry_run: bool = False
    key_prefix: str | None = None  # of the uploaded key (source.key)
    since: datetime | None = None  # received at or after
    # Where the request goes: a selection (--all, --prefix, --since) is bulk work and takes the bulk
    # lane's queues, so live uploads keep theirs; named articles go through the live lane.
    lane: Lane = LIVE_LANE

    @property
    def request_id(self) -> str:
        return hashlib.sha256(f"{self.from_stage}\n{self.reason or ''}".encode()).hexdigest()[:32]

    @property
    def input_prefix(self) -> str:
        return STAGES_BY_NAME[self.from_stage].input_prefix

    def selects(self, record: Envelope) -> bool:
        if self.key_prefix is not None and not record.source.key.startswith(self.key_prefix):
            return False
        return self.since is None or record.received_at >= self.since


def stored_article_ids(bucket: str, prefix: str) -> Iterator[str]:
    """Each article with a record under `prefix`, once (the listing is sorted by key)."""
    previous = None
    for key in list_keys(bucket, prefix):
        match = _RECORD_KEY.match(key[len(prefix) :])
        if match and match["article_id"] != previous:
            previous = match["article_id"]
            yield previous


def article_id_of_key(prefix: str, key: str) -> str | None:
    match = _RECORD_KEY.match(key[len(prefix) :]) if key.startswith(prefix) else None
    return match["article_id"] if match else None


def list_keys(bucket: str, prefix: str) -> Iterator[str]:
    paginator = client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            yield item["Key"]


def _revision(stored: tuple[int, Lane]) -> int:
    return stored[0]


def _latest_record(bucket: str, request: Request, article_id: str, at_most: int, sha256: str) -> Envelope | None:
    """The highest stored revision <= `at_most` of this content at the stage's input, if any.

    Not always `at_most` itself: a revision made by reprocessing from a later stage has no record
    at the earlier stages' inputs, and the one before it (same content) serves as well.
    """
    stored = [
        (int(match["revision"]), lane)
        for lane in LANES  # an article's records are in the lane that made them
        for key in list_keys(bucket, f"{lane.prefix(request.input_prefix)}{article_id}/")
        if (match := _RECORD_KEY.match(key[len(lane.prefix(request.input_prefix)) :]))
    ]
    latest = max(
        ((revision, lane) for revision, lane in stored if revision <= at_most), key=lambda r: r[0], default=None
    )
    if latest is None:
        return None
    data = storage.get_bytes(bucket, record_key(request.input_prefix, article_id, *latest), None)
    record = RECORD_MODELS[request.from_stage].model_validate_json(data)
    return record if record.content_sha256 == sha256 else None


def reprocess_article(bucket: str, table: str, article_id: str, request: Request) -> Result:
    item = read_article(table, article_id)
    if item is None:
        return Result.MISSING
    current, sha256 = int(item["revision"]["N"]), item["content_sha256"]["S"]
    # This request claimed the current revision already: done, unless it stopped before the put.
    claimed = item.get("reprocess_id", {}).get("S") == request.request_id and (
        int(item.get("reprocess_base", {}).get("N", "0")) + 1 == current
    )
    if (
        claimed
        and storage.head(bucket, record_key(request.input_prefix, article_id, current, request.lane)) is not None
    ):
        return Result.UNCHANGED
    base = current - 1 if claimed else current
    record = _latest_record(bucket, request, article_id, base, sha256)
    if record is None:  # quarantined before that stage, or the current upload is still on its way
        return Result.MISSING
    if not request.selects(record):
        return Result.NOT_SELECTED
    if request.dry_run:
        return Result.WOULD_REQUEST
    if not claimed and not claim_reprocess(table, article_id, item, base, request.request_id):
        return Result.SUPERSEDED
    stamped = record.model_copy(
        update={
            "revision": base + 1,
            "reprocessed": ReprocessRequest(
                from_stage=request.from_stage,
                reason=request.reason,
                request_id=request.request_id,
                previous_revision=record.revision,
                requested_at=datetime.now(UTC),
            ),
        }
    )
    request_key = record_key(request.input_prefix, article_id, base + 1, request.lane)
    storage.put_json(bucket, request_key, stamped.model_dump_json())
    return Result.REQUESTED


def reprocess(
    bucket: str,
    table: str,
    request: Request,
    article_ids: list[str] | None,
    on_result: Callable[[str, Result], None] | None = None,
) -> dict[Result, int]:
    """Reprocess the given articles, or every published article (in either lane); counts by result."""
    counts = dict.fromkeys(Result, 0)
    for article_id in article_ids if article_ids is not None else stored_article_ids(bucket, PUBLISHED_PREFIX):
        result = reprocess_article(bucket, table, article_id, request)
        counts[result] += 1
        if on_result is not None:
            on_result(article_id, result)
    return counts
