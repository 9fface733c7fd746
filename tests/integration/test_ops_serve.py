"""`reprocess`, `backfill`, `dlq show` and `redrive` as separate processes against `articleflow serve`."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.session import get_session

from articleflow.core.ingest import article_id_for
from tests.conftest import REPO_ROOT
from tests.integration import test_serve

pytestmark = pytest.mark.integration

served = test_serve.served  # serve started on a free port, stopped after the test
MESSAGE_SECONDS = 120
SAMPLE = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes()


def clients(endpoint: dict[str, Any]) -> tuple[Any, Any]:
    session = get_session()
    options = {
        "endpoint_url": endpoint["endpoint_url"],
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    return session.create_client("s3", **options), session.create_client("sqs", **options)


def articleflow(endpoint: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**test_serve.cli_environment(), "AWS_ENDPOINT_URL": endpoint["endpoint_url"]}
    return subprocess.run(
        [str(test_serve.BIN / "articleflow"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def wait_for(sqs: Any, queue_url: str, done: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    """Read (and delete) published messages until `done(all read so far)`, or fail after MESSAGE_SECONDS."""
    bodies: list[dict[str, Any]] = []
    deadline = time.monotonic() + MESSAGE_SECONDS
    while not done(bodies):
        assert time.monotonic() < deadline, f"gave up waiting; read so far: {[b['source']['key'] for b in bodies]}"
        response = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in response.get("Messages", []):
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def test_reprocess_backfill_and_redrive_on_serve(served):
    _, endpoint, _ = served
    s3, sqs = clients(endpoint)
    bucket, published_queue = endpoint["bucket"], endpoint["publish_queue_url"]

    # An upload publishes revision 1.
    s3.put_object(Bucket=bucket, Key="incoming/story.txt", Body=SAMPLE)
    [first] = wait_for(sqs, published_queue, lambda bodies: len(bodies) >= 1)
    assert first["revision"] == 1 and first["reprocessed"] is None

    # Reprocess from tag: revision 2, same content, with the reprocessed block.
    done = articleflow(
        endpoint, "reprocess", "--from-stage", "tag", "--article-id", first["article_id"], "--reason", "new gazetteer"
    )
    assert done.returncode == 0, done.stderr
    assert f"{first['article_id']}: requested" in done.stderr
    [second] = wait_for(sqs, published_queue, lambda bodies: len(bodies) >= 1)
    assert second["revision"] == 2
    assert second["content_sha256"] == first["content_sha256"]
    reprocessed = second["reprocessed"]
    assert reprocessed["from_stage"] == "tag" and reprocessed["reason"] == "new gazetteer"
    assert reprocessed["previous_revision"] == 1
    assert set(reprocessed["stage_versions"]) == {"tag", "publish"}
    assert second["schema_version"] == "1.2"

    # The same reprocess again changes nothing.
    again = articleflow(
        endpoint, "reprocess", "--from-stage", "tag", "--article-id", first["article_id"], "--reason", "new gazetteer"
    )
    assert again.returncode == 0, again.stderr
    assert f"{first['article_id']}: unchanged" in again.stderr

    # Backfill: every object under the archive prefix is published (no rule routes archive/).
    archive = {f"archive/2019/{n}.txt": SAMPLE.replace(b"library", f"library {n}".encode()) for n in range(3)}
    for key, body in archive.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    done = articleflow(endpoint, "backfill", "archive/2019/")
    assert done.returncode == 0, done.stderr
    assert "3 objects copied" in done.stderr
    backfilled = wait_for(sqs, published_queue, lambda bodies: len(bodies) >= 3)
    # Through the bulk lane: each copy is the article its archived key names.
    assert sorted(body["source"]["key"] for body in backfilled) == [f"bulk/incoming/{key}" for key in sorted(archive)]
    assert {body["article_id"] for body in backfilled} == {article_id_for(f"incoming/{key}") for key in archive}

    # A dead letter in ingest's DLQ (an event for an object no rule routed, as after three failures):
    # dlq show prints it and leaves it; redrive moves it back and it publishes.
    version = s3.put_object(Bucket=bucket, Key="held/late.txt", Body=SAMPLE.replace(b"library", b"museum"))
    event = {
        "version": "0",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "detail": {"bucket": {"name": bucket}, "object": {"key": "held/late.txt", "version-id": version["VersionId"]}},
    }
    sqs.send_message(QueueUrl=endpoint["stage_dlqs"]["ingest"]["url"], MessageBody=json.dumps(event))
    shown = articleflow(endpoint, "dlq", "show", "ingest")
    assert shown.returncode == 0, shown.stderr
    [letter] = [json.loads(line) for line in shown.stdout.splitlines()]
    assert json.loads(letter["body"])["detail"]["object"]["key"] == "held/late.txt"
    assert letter["receive_count"] >= 1
    shown_again = articleflow(endpoint, "dlq", "show", "ingest")
    assert len(shown_again.stdout.splitlines()) == 1  # not consumed
    moved = articleflow(endpoint, "redrive", "ingest")
    assert moved.returncode == 0, moved.stderr
    assert "redrive ingest: 1 moved" in moved.stderr
    [late] = wait_for(sqs, published_queue, lambda bodies: len(bodies) >= 1)
    assert late["source"]["key"] == "held/late.txt"
    assert articleflow(endpoint, "dlq", "show", "ingest").stdout == ""
