"""`articleflow consume` against the embedded AWS (moto): a pointer, an unreadable message, bad arguments.

Printing, deleting and --no-delete as a separate process on `articleflow serve`: test_consumers_on_serve.py.
"""

from __future__ import annotations

import json

import pytest

from articleflow.adapters.aws import client
from articleflow_dev.cli import main
from articleflow_dev.local.embedded import EmbeddedPipeline
from bench.articles import build_article

pytestmark = pytest.mark.integration


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


def consume(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(["consume", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_consume_resolves_a_pointer(pipeline, capsys):
    text = build_article("en", 80 * 1024)
    pipeline.upload("long.txt", text.encode(), {})
    pipeline.drain()
    capsys.readouterr()
    code, (article,), _ = consume(capsys, "--queue-url", pipeline.publish_queue.url, "--wait", "0")
    assert code == 0
    assert len(json.dumps(article)) > 256 * 1024
    assert article["text"]["paragraphs"][0] in text


def test_an_unreadable_message_stays_on_the_queue_and_exits_2(pipeline, capsys):
    url = pipeline.publish_queue.url
    client("sqs").send_message(
        QueueUrl=url, MessageBody="not a published message", MessageGroupId="g", MessageDeduplicationId="x"
    )
    code, articles, err = consume(capsys, "--queue-url", url, "--wait", "0")
    assert (code, articles) == (2, [])
    assert "not read: message" in err and "not JSON" in err
    counts = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "1"  # received, not deleted: back later, then DLQ


def test_bad_arguments_are_refused(capsys):
    with pytest.raises(SystemExit):
        main(["consume", "--queue-url", "u", "--wait", "21"])
    with pytest.raises(SystemExit):
        main(["consume", "--queue-url", "u", "--max-messages", "0"])
    assert "must be" in capsys.readouterr().err
