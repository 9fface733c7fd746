"""`articleflow serve` with the real AWS CLI: upload an article, read the published message, stop it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from articleflow.adapters.aws import client, reset_clients
from articleflow.core.metadata import encode_value
from articleflow.topology import STAGE_NAMES
from articleflow_dev.local.provision import describe, provision
from tests.conftest import REPO_ROOT
from tests.integration.serve_process import BIN, aws_cli, cli_environment, serve_process

pytestmark = pytest.mark.integration

ARABIC_PUBLISHER = "صحيفة الأخبار"
MESSAGE_SECONDS = 120  # generous: the loop below ends as soon as the message is there


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any], Path]]:
    stderr_path = tmp_path / "serve.stderr"
    with serve_process(stderr_path) as (process, endpoint):
        yield process, endpoint, stderr_path


def test_the_aws_cli_publishes_and_reads_an_article_through_serve(served, tmp_path: Path):
    process, endpoint, stderr_path = served
    assert endpoint["region"] == "us-east-1"
    assert endpoint["endpoint_url"].startswith("http://127.0.0.1:")
    assert set(STAGE_NAMES) == set(endpoint["stage_queues"]) == set(endpoint["stage_dlqs"])
    assert endpoint["publish_queue"]["url"] == endpoint["publish_queue_url"]
    assert endpoint["publish_topic_arn"].endswith(":articleflow-local-published.fifo")  # the fan-out topic (FIFO)

    story = tmp_path / "story.txt"
    story.write_bytes((REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes())
    metadata = json.dumps({"publisher": encode_value(ARABIC_PUBLISHER)})
    aws_cli(endpoint, "s3", "cp", str(story), f"s3://{endpoint['bucket']}/incoming/", "--metadata", metadata)

    deadline = time.monotonic() + MESSAGE_SECONDS
    messages: list[dict[str, Any]] = []
    while not messages and time.monotonic() < deadline:
        received = aws_cli(
            endpoint,
            "sqs",
            "receive-message",
            "--queue-url",
            endpoint["publish_queue_url"],
            "--message-attribute-names",
            "All",
            "--wait-time-seconds",
            "1",
        )
        messages = json.loads(received)["Messages"] if received.strip() else []
    assert len(messages) == 1, "no message on the publish queue"
    body = json.loads(messages[0]["Body"])
    assert body["source"]["key"] == "incoming/story.txt"
    assert body["source"]["publisher"] == ARABIC_PUBLISHER  # RFC 2047 on the wire, decoded by ingest
    assert body["text"]["title"] == "City library reopens after two-year renovation"
    assert messages[0]["MessageAttributes"]["payload"]["StringValue"] == "inline"

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert process.stdout is not None
    assert process.stdout.read() == ""  # stdout held the one ready line, nothing else
    logs = stderr_path.read_text(encoding="utf-8").splitlines()
    assert logs, "serve logged nothing"
    entries = [json.loads(line) for line in logs]  # every log line is JSON
    assert entries[-1]["message"] == "articleflow serve stopped"
    assert entries[-1]["invocations"] >= 4  # one per stage at least


def test_serve_exits_0_on_sigint_too(served):
    process, _, _ = served
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0


def test_serve_says_what_was_wrong_when_the_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(BIN / "articleflow"), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env=cli_environment(),
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Address already in use" in done.stderr


def test_creating_the_topology_twice_changes_nothing_and_fails_on_nothing(monkeypatch):
    from moto import mock_aws

    for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:
        monkeypatch.delenv(name)
    for name, value in cli_environment().items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    with mock_aws():
        reset_clients()
        try:
            first = provision("again", "us-east-1")
            client("sqs").send_message(QueueUrl=first.queues["ingest"].url, MessageBody="kept")
            second = provision("again", "us-east-1")
            assert describe(second, "http://x") == describe(first, "http://x")
            attributes = client("sqs").get_queue_attributes(
                QueueUrl=second.queues["ingest"].url, AttributeNames=["ApproximateNumberOfMessages"]
            )["Attributes"]
            assert attributes["ApproximateNumberOfMessages"] == "1"  # nothing was recreated or purged
        finally:
            reset_clients()
