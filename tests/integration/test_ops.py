"""reprocess and redrive on the embedded pipeline, where each step can be held between drains."""

from __future__ import annotations

import json

import pytest

from articleflow.adapters.aws import client
from articleflow.core.ingest import article_id_for
from articleflow.runtime.reprocess import Request, Result, reprocess_article
from articleflow.topology import BULK_LANE, BULK_PREFIX, NORMALIZED_PREFIX, STAGES
from articleflow_dev.cli import main
from articleflow_dev.local.embedded import EmbeddedPipeline
from articleflow_dev.ops.backfill import backfill
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

SAMPLE = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes()


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def _publish(pipeline: EmbeddedPipeline, name: str, data: bytes) -> dict:
    pipeline.upload(name, data)
    pipeline.drain()
    [published] = pipeline.take_published()
    return published["body"]


def test_a_newer_upload_wins_over_a_reprocess_in_flight(pipeline):
    first = _publish(pipeline, "story.txt", SAMPLE)
    request = Request("tag", "new rules")
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request) is Result.REQUESTED
    pipeline.upload("story.txt", SAMPLE.replace(b"library", b"theatre"))  # before the reprocess is published
    pipeline.drain()
    published = [message["body"] for message in pipeline.take_published()]
    # The upload took revision 3; revision 2 (older content) is never sent after it, if at all.
    assert published[-1]["revision"] == 3 and published[-1]["content_sha256"] != first["content_sha256"]
    assert all(body["revision"] < 3 for body in published[:-1])
    # Reprocessing now starts from the newest content, and the request made before counts as done.
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request) is Result.REQUESTED
    pipeline.drain()
    [again] = [message["body"] for message in pipeline.take_published()]
    assert again["revision"] == 4 and again["content_sha256"] == published[-1]["content_sha256"]


def test_a_reprocess_claimed_but_not_written_is_written_by_the_next_run(pipeline, monkeypatch):
    first = _publish(pipeline, "story.txt", SAMPLE)
    request = Request("normalize", None)

    def crash(*args: object) -> None:
        raise ConnectionError("interrupted after the claim")

    with monkeypatch.context() as patched:
        patched.setattr("articleflow.runtime.reprocess.storage.put_json", crash)
        with pytest.raises(ConnectionError):
            reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request)
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request) is Result.REQUESTED
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request) is Result.UNCHANGED
    pipeline.drain()
    [second] = [message["body"] for message in pipeline.take_published()]
    assert second["revision"] == 2
    assert second["reprocessed"]["from_stage"] == "normalize"
    assert set(second["reprocessed"]["stage_versions"]) == {"normalize", "tag", "publish"}


def test_reprocess_selection_and_dry_run(pipeline, capsys):
    kept = _publish(pipeline, "lemonde/a.txt", SAMPLE)
    other = _publish(pipeline, "other/b.txt", SAMPLE.replace(b"library", b"bridge"))
    assert main(["reprocess", "--from-stage", "publish", "--prefix", "incoming/lemonde/", "--dry-run"]) == 0
    assert f"{kept['article_id']}: would-request" in capsys.readouterr().err
    pipeline.drain()
    assert pipeline.take_published() == []  # a dry run changes nothing
    assert main(["reprocess", "--from-stage", "publish", "--prefix", "incoming/lemonde/"]) == 0
    err = capsys.readouterr().err
    assert "1 requested" in err and other["article_id"] not in err
    pipeline.drain()
    [message] = pipeline.take_published()
    assert message["body"]["article_id"] == kept["article_id"] and message["body"]["revision"] == 2
    assert main(["reprocess", "--from-stage", "publish", "--since", "2000-01-01", "--reason", "x"]) == 0
    assert "2 requested" in capsys.readouterr().err


def test_reprocess_says_when_an_article_has_no_record_and_usage_errors(pipeline, capsys):
    assert main(["reprocess", "--from-stage", "tag", "--article-id", "no-such-article"]) == 2
    assert "no-such-article: missing" in capsys.readouterr().err
    for usage in (
        ["reprocess", "--from-stage", "ingest", "--all"],
        ["reprocess", "--from-stage", "tag"],  # which articles?
        ["reprocess", "--from-stage", "tag", "--since", "yesterday"],
        ["reprocess", "--from-stage", "tag", "--all", "--prefix", "incoming/"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(usage)
        assert exited.value.code == 64


def test_redrive_max_moves_that_many_and_they_publish(pipeline, capsys):
    sqs = client("sqs")
    for n in range(3):
        pipeline.upload(f"s{n}.txt", SAMPLE.replace(b"library", f"library {n}".encode()))
    ingest, dlq = pipeline.queues["ingest"].url, pipeline.dead_letter_queues["ingest"].url
    # As if ingest had failed them three times: the events sit in its DLQ.
    while messages := sqs.receive_message(QueueUrl=ingest, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            sqs.send_message(QueueUrl=dlq, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=ingest, ReceiptHandle=message["ReceiptHandle"])
    assert main(["redrive", "ingest", "--max", "2"]) == 0
    assert "redrive ingest: 2 moved (receive/send/delete)" in capsys.readouterr().err
    pipeline.drain()
    assert len(pipeline.take_published()) == 2
    assert main(["redrive", "ingest"]) == 0  # moto has no message move task: by hand
    assert "redrive ingest: 1 moved" in capsys.readouterr().err
    pipeline.drain()
    assert len(pipeline.take_published()) == 1
    assert pipeline.dead_letters() == {}
    with pytest.raises(SystemExit) as exited:
        main(["redrive", "nowhere"])
    assert exited.value.code == 64


def test_reprocess_reads_the_latest_record_of_the_same_content(pipeline):
    first = _publish(pipeline, "story.txt", SAMPLE)
    # Revision 2 made from publish has no normalized/ record; a reprocess from tag reads revision 1's.
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], Request("publish", "a")) is (
        Result.REQUESTED
    )
    pipeline.drain()
    assert reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], Request("tag", "b")) is (
        Result.REQUESTED
    )
    pipeline.drain()
    revisions = [message["body"]["revision"] for message in pipeline.take_published()]
    assert revisions == [2, 3]
    keys = pipeline.keys(NORMALIZED_PREFIX)
    assert keys[-1].endswith("r000003.json") and len(keys) == 2


def test_an_ingest_claim_racing_a_reprocess_claim_takes_the_revision_after_it(pipeline):
    """Ingest reads the article's state, then the reprocess claims; ingest's conditional write must fail
    and read again, so the two never share a revision number (and the newer upload is the newest)."""
    from articleflow.adapters import state

    first = _publish(pipeline, "story.txt", SAMPLE)
    request = Request("tag", "race")
    results = []

    def reprocess_between_read_and_claim() -> bool:
        if not results:  # the first read only: the reprocess lands between it and ingest's write
            results.append(reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], request))
        return True

    claim = state.claim_revision(
        pipeline.table, first["article_id"], "f" * 64, "new-version", is_current=reprocess_between_read_and_claim
    )
    assert results == [Result.REQUESTED]
    assert claim is not None and claim.revision == 3 and claim.needs_record


def test_a_repeated_event_of_the_upload_after_a_reprocess_does_nothing(pipeline):
    from articleflow.adapters import state

    first = _publish(pipeline, "story.txt", SAMPLE)
    assert (
        reprocess_article(pipeline.bucket, pipeline.table, first["article_id"], Request("tag", "x")) is Result.REQUESTED
    )
    claim = state.claim_revision(
        pipeline.table, first["article_id"], first["content_sha256"], first["source"]["version_id"], lambda: True
    )
    assert claim is not None and claim.revision == 2 and not claim.needs_record  # nothing for ingest to write


def test_redrive_of_the_fifo_publish_dlq_puts_each_article_back_once_in_its_group(pipeline, capsys):
    sqs = client("sqs")
    pipeline.upload("story.txt", SAMPLE)
    pipeline.drain()
    assert pipeline.deployment.publish_dlq is not None
    queue, dlq = pipeline.publish_queue.url, pipeline.deployment.publish_dlq.url
    # A consumer fails the message on each of its three receives: SQS moves it to the publish DLQ.
    for _ in range(4):
        sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)
    assert sqs.receive_message(QueueUrl=queue).get("Messages", []) == []
    assert main(["redrive", "publish"]) == 0
    assert "redrive publish: 1 moved" in capsys.readouterr().err
    assert main(["redrive", "publish"]) == 0  # nothing left: nothing sent twice
    assert "redrive publish: 0 moved" in capsys.readouterr().err
    [message] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    article_id = json.loads(message["Body"])["article_id"]
    assert message["Attributes"]["MessageGroupId"] == article_id  # the article's order still holds
    assert message["Attributes"]["MessageDeduplicationId"].startswith("redrive-")
    assert sqs.receive_message(QueueUrl=dlq).get("Messages", []) == []


def test_a_live_upload_is_not_held_behind_a_backfill(pipeline):
    """40 archived articles go into the bulk lane, then one live upload: each round of the event
    source takes one batch per stage and lane, so the live article is published in the first
    round, with most of the backfill still waiting on its own queues."""
    s3 = client("s3")
    for n in range(40):
        s3.put_object(Bucket=pipeline.bucket, Key=f"archive/{n:02d}.txt", Body=SAMPLE.replace(b"library", b"l%d" % n))
    assert backfill(pipeline.bucket, "archive/", lambda key, to: None) == 40
    live = pipeline.upload("live.txt", SAMPLE.replace(b"library", b"live library"))
    pipeline.event_source.poll_all()
    first_round = [message["body"]["source"]["key"] for message in pipeline.take_published()]
    assert live in first_round
    assert len(first_round) <= 1 + STAGES[0].batch_size  # the bulk lane advanced by one batch at most
    pipeline.drain()
    rest = [message["body"] for message in pipeline.take_published()]
    assert len(first_round) + len(rest) == 41
    assert all(body["source"]["key"].startswith(BULK_PREFIX) for body in rest)
    assert {body["article_id"] for body in rest} <= {article_id_for(f"incoming/archive/{n:02d}.txt") for n in range(40)}


def test_redrive_bulk_moves_a_stages_bulk_dead_letters(pipeline, capsys):
    sqs = client("sqs")
    s3 = client("s3")
    s3.put_object(Bucket=pipeline.bucket, Key="archive/a.txt", Body=SAMPLE)
    backfill(pipeline.bucket, "archive/", lambda key, to: None)
    bulk_queues, bulk_dlqs = pipeline.deployment.queues_in(BULK_LANE)
    queue, dlq = bulk_queues["ingest"].url, bulk_dlqs["ingest"].url
    # As if ingest had failed it three times: the event sits in the bulk lane's DLQ.
    [message] = sqs.receive_message(QueueUrl=queue).get("Messages", [])
    sqs.send_message(QueueUrl=dlq, MessageBody=message["Body"])
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    assert main(["redrive", "ingest"]) == 0  # the live lane's DLQ: empty
    assert "redrive ingest: 0 moved" in capsys.readouterr().err
    assert main(["redrive", "ingest", "--bulk"]) == 0
    assert "redrive ingest: 1 moved" in capsys.readouterr().err
    pipeline.drain()
    [published] = pipeline.take_published()
    assert published["body"]["source"]["key"] == f"{BULK_PREFIX}archive/a.txt"
    assert main(["redrive", "publish", "--bulk"]) == 64
