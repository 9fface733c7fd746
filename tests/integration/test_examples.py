"""The two example consumers (examples/), fed by the pipeline on moto through their own queues."""

from __future__ import annotations

import importlib
import json
import sqlite3

import pytest

from articleflow.adapters.aws import client
from articleflow.local.embedded import EmbeddedPipeline, sqs_event
from bench.articles import build_article
from examples import sqlite_indexer
from examples.lambda_consumer import app
from tests.integration.fanout import SAMPLES, receive_all, subscribe_queue, upload_samples

pytestmark = pytest.mark.integration


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


@pytest.fixture
def lambda_app():
    return importlib.reload(app)  # a fresh execution environment (empty dedupe memory)


def test_the_lambda_example_handles_its_filtered_articles_and_reports_only_the_bad_record(pipeline, lambda_app, capsys):
    queue = subscribe_queue(pipeline, "example-arabic", {"language": ["ar"]})  # the example template's filter
    upload_samples(pipeline)
    pipeline.upload("long.txt", build_article("ar", 80 * 1024).encode(), {})  # over 256 KiB: a pointer
    pipeline.drain()
    messages = receive_all(queue.url)
    assert len(messages) == 2
    broken = {**messages[0], "MessageId": "broken", "Body": "{", "MD5OfBody": "x"}
    event = sqs_event([*messages, broken], queue)
    capsys.readouterr()

    response = lambda_app.lambda_handler(event, None)

    assert response == {"batchItemFailures": [{"itemIdentifier": "broken"}]}
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["language"] for line in lines] == ["ar", "ar"]
    # Delivered again (at least once): handled once.
    assert lambda_app.lambda_handler(sqs_event(messages, queue), None) == {"batchItemFailures": []}
    assert capsys.readouterr().out == ""


def index(pipeline: EmbeddedPipeline, queue_url: str, db: str) -> int:
    return sqlite_indexer.main(["--queue-url", queue_url, "--db", db, "--wait", "0", "--until-empty"])


def test_the_sqlite_example_indexes_and_keeps_the_newest_revision(pipeline, tmp_path):
    queue = subscribe_queue(pipeline, "example-index", None)
    db = str(tmp_path / "articles.db")
    upload_samples(pipeline, ("en", "fr"))
    assert index(pipeline, queue.url, db) == 0
    assert receive_all(queue.url) == []  # deleted once indexed

    # A new revision of the English article, then the old revision delivered again, late.
    english = SAMPLES["en"]
    pipeline.upload(english.name, english.read_bytes() + b"\n\nA correction was added.\n", {})
    pipeline.drain()
    (revision_2,) = receive_all(queue.url)
    client("sqs").change_message_visibility(
        QueueUrl=queue.url, ReceiptHandle=revision_2["ReceiptHandle"], VisibilityTimeout=0
    )
    assert index(pipeline, queue.url, db) == 0
    with sqlite3.connect(db) as connection:
        rows = dict(connection.execute("SELECT language, revision FROM articles"))
        body = connection.execute("SELECT body FROM articles WHERE language = 'en'").fetchone()[0]
        late_id = connection.execute("SELECT article_id FROM articles WHERE language = 'en'").fetchone()[0]
        entities = connection.execute("SELECT COUNT(*) FROM entities WHERE article_id = ?", (late_id,)).fetchone()
    assert rows == {"en": 2, "fr": 1}
    assert body.endswith("A correction was added.")
    assert entities[0] > 0

    stale = json.loads(revision_2["Body"])
    stale["revision"] = 1
    client("sqs").send_message(
        QueueUrl=queue.url,
        MessageBody=json.dumps(stale),
        MessageAttributes={"payload": {"DataType": "String", "StringValue": "inline"}},
    )
    assert index(pipeline, queue.url, db) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT revision FROM articles WHERE article_id = ?", (late_id,)).fetchone() == (2,)


def test_the_sqlite_example_leaves_an_unreadable_message(pipeline, tmp_path):
    queue = subscribe_queue(pipeline, "example-index", None)
    client("sqs").send_message(QueueUrl=queue.url, MessageBody="not an article")
    assert index(pipeline, queue.url, str(tmp_path / "a.db")) == 2
