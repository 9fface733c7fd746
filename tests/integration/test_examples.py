"""The SQLite example (examples/) on the in-process moto: revisions, late and unreadable messages.

Both examples against `articleflow serve`: test_consumers_on_serve.py.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from articleflow.adapters.aws import client
from articleflow_dev.local.embedded import EmbeddedPipeline
from examples import sqlite_indexer
from tests.integration.fanout import SAMPLES, receive_all, subscribe_queue, upload_samples

pytestmark = pytest.mark.integration


@pytest.fixture
def pipeline():
    with EmbeddedPipeline() as running:
        yield running


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
        MessageGroupId=stale["article_id"],
        MessageDeduplicationId="late-r1",
    )
    assert index(pipeline, queue.url, db) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT revision FROM articles WHERE article_id = ?", (late_id,)).fetchone() == (2,)


def test_the_sqlite_example_leaves_an_unreadable_message(pipeline, tmp_path):
    queue = subscribe_queue(pipeline, "example-index", None)
    client("sqs").send_message(
        QueueUrl=queue.url, MessageBody="not an article", MessageGroupId="g", MessageDeduplicationId="x"
    )
    assert index(pipeline, queue.url, str(tmp_path / "a.db")) == 2
