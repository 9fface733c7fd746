"""Fan-out and the consumer side on `articleflow serve`: one serve process, reached only over HTTP.

Each test uploads under its own publisher and reads its own queues, so the tests share serve
without sharing messages. The filter-policy matrix stays on the in-process moto (test_fanout.py).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from articleflow_consumer import Article, Pointer, parse_record, read_article
from articleflow_dev.local.event_source import sqs_event
from bench.articles import build_article
from examples.lambda_consumer import app
from tests.conftest import REPO_ROOT
from tests.integration.fanout import SAMPLES, receive_all, subscribe
from tests.integration.serve_process import BIN, aws_cli, cli_environment, sdk_client, serve_process

pytestmark = pytest.mark.integration

MESSAGE_SECONDS = 180  # generous for a loaded machine: the waits end as soon as the messages are there


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with serve_process(tmp_path_factory.mktemp("serve") / "serve.stderr") as (_, described):
        yield described


@pytest.fixture(scope="module")
def aws(endpoint: dict[str, Any]) -> dict[str, Any]:
    return {service: sdk_client(endpoint, service) for service in ("s3", "sqs", "sns")}


def team_queue(endpoint: dict[str, Any], aws: dict[str, Any], name: str, policy: dict[str, Any]) -> str:
    return subscribe(aws["sqs"], aws["sns"], endpoint["publish_topic_arn"], name, policy).url


def upload(endpoint: dict[str, Any], aws: dict[str, Any], key: str, body: bytes, publisher: str) -> None:
    aws["s3"].put_object(Bucket=endpoint["bucket"], Key=f"incoming/{key}", Body=body, Metadata={"publisher": publisher})


def publisher_is(publisher: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: message["MessageAttributes"]["publisher"]["StringValue"] == publisher


def receive(sqs: Any, queue_url: str, count: int, wanted: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """The first `count` wanted messages to arrive (received, not deleted); fails when they do not come."""
    deadline = time.monotonic() + MESSAGE_SECONDS
    found: list[dict[str, Any]] = []
    while len(found) < count and time.monotonic() < deadline:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"]
        ).get("Messages", [])
        found.extend(message for message in batch if wanted(message))
    assert len(found) == count, f"{len(found)} of {count} messages arrived on {queue_url}"
    return found


def queued(sqs: Any, queue_url: str) -> int:
    """Messages on the queue, visible or in flight."""
    counts = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(counts["ApproximateNumberOfMessages"]) + int(counts["ApproximateNumberOfMessagesNotVisible"])


def wait_until_queued(sqs: Any, queue_url: str, count: int) -> None:
    """Wait (without receiving) until `count` messages are on the queue."""
    deadline = time.monotonic() + MESSAGE_SECONDS
    while queued(sqs, queue_url) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    assert queued(sqs, queue_url) == count


def stored_document(aws: dict[str, Any], endpoint: dict[str, Any], article: dict[str, Any]) -> Any:
    key = f"published/{article['article_id']}/r{article['revision']:06d}.json"
    return json.loads(aws["s3"].get_object(Bucket=endpoint["bucket"], Key=key)["Body"].read())


def language(message: dict[str, Any]) -> str:
    return str(message["MessageAttributes"]["language"]["StringValue"])


def run(endpoint: dict[str, Any], *command: str) -> subprocess.CompletedProcess[str]:
    """A consumer process configured as any AWS client is: AWS_ENDPOINT_URL and credentials only."""
    return subprocess.run(
        list(command),
        env=cli_environment(endpoint["endpoint_url"]),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_publish_queue_gets_both_and_an_arabic_queue_only_the_arabic_article(endpoint, aws):
    arabic_only = team_queue(endpoint, aws, "serve-arabic", {"language": ["ar"]})
    for lang in ("ar", "en"):
        metadata = json.dumps({"publisher": "serve-fanout"})
        target = f"s3://{endpoint['bucket']}/incoming/serve-fanout/{SAMPLES[lang].name}"
        aws_cli(endpoint, "s3", "cp", str(SAMPLES[lang]), target, "--metadata", metadata)

    published = receive(aws["sqs"], endpoint["publish_queue_url"], 2, publisher_is("serve-fanout"))
    assert sorted(map(language, published)) == ["ar", "en"]
    # SNS delivers to every subscription when publish sends: both articles are past the topic now.
    (arabic,) = receive(aws["sqs"], arabic_only, 1, publisher_is("serve-fanout"))
    assert receive_all(arabic_only, aws["sqs"]) == []
    assert language(arabic) == "ar"
    # Raw delivery: the body is the published document itself, as on the publish queue.
    assert json.loads(arabic["Body"])["text"]["language"] == "ar"
    assert arabic["Body"] in {message["Body"] for message in published}


def test_consume_prints_each_article_as_one_json_line_and_deletes_it_unless_told_not_to(endpoint, aws):
    queue_url = team_queue(endpoint, aws, "serve-consume", {"publisher": ["serve-consume"]})
    # Short, so that what --no-delete left is visible again for the second run within its long poll.
    aws["sqs"].set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "2"})
    for lang in ("en", "fr"):
        upload(endpoint, aws, f"serve-consume/{SAMPLES[lang].name}", SAMPLES[lang].read_bytes(), "serve-consume")
    wait_until_queued(aws["sqs"], queue_url, 2)
    consume = (str(BIN / "articleflow"), "consume", "--queue-url", queue_url)

    kept = run(endpoint, *consume, "--max-messages", "1", "--wait", "20", "--no-delete")
    assert kept.returncode == 0, kept.stderr
    (line,) = kept.stdout.splitlines()  # --max-messages 1: one article, one line
    article = json.loads(line)
    assert article == stored_document(aws, endpoint, article)  # the whole published document
    assert queued(aws["sqs"], queue_url) == 2  # --no-delete: the printed one is still there

    # --max-messages 2 stops it once both are printed (without it, it stops after a 20 s empty poll).
    done = run(endpoint, *consume, "--max-messages", "2", "--wait", "20")
    assert done.returncode == 0, done.stderr
    articles = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(article["text"]["language"] for article in articles) == ["en", "fr"]
    assert all(article == stored_document(aws, endpoint, article) for article in articles)
    assert queued(aws["sqs"], queue_url) == 0  # printed, then deleted


def test_the_sqlite_example_indexes_what_its_queue_gets(endpoint, aws, tmp_path: Path):
    queue_url = team_queue(endpoint, aws, "serve-sqlite", {"publisher": ["serve-sqlite"]})
    for lang in ("ar", "en"):
        upload(endpoint, aws, f"serve-sqlite/{SAMPLES[lang].name}", SAMPLES[lang].read_bytes(), "serve-sqlite")
    wait_until_queued(aws["sqs"], queue_url, 2)
    db = tmp_path / "articles.db"

    done = run(
        endpoint,
        str(BIN / "python"),
        "examples/sqlite_indexer.py",
        *("--queue-url", queue_url, "--db", str(db), "--wait", "1", "--until-empty"),
    )

    assert done.returncode == 0, done.stderr
    assert "indexed 2 message(s), 0 unreadable" in done.stderr
    assert queued(aws["sqs"], queue_url) == 0  # deleted once indexed
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT article_id, revision, language, title, document FROM articles").fetchall()
        entities = dict(connection.execute("SELECT article_id, COUNT(*) FROM entities GROUP BY article_id"))
    assert sorted((language, revision) for _, revision, language, _, _ in rows) == [("ar", 1), ("en", 1)]
    for article_id, _, _, title, document in rows:
        published = stored_document(aws, endpoint, json.loads(document))
        assert json.loads(document) == published
        assert title == published["text"]["title"]
        assert entities[article_id] == len(published["entities"]) > 0


def test_the_lambda_example_handles_the_sqs_event_of_its_filtered_queue(endpoint, aws, monkeypatch, capsys):
    queue = subscribe(aws["sqs"], aws["sns"], endpoint["publish_topic_arn"], "serve-lambda", {"language": ["ar"]})
    for lang in ("ar", "en"):
        upload(endpoint, aws, f"serve-lambda/{SAMPLES[lang].name}", SAMPLES[lang].read_bytes(), "serve-lambda")
    receive(aws["sqs"], endpoint["publish_queue_url"], 2, publisher_is("serve-lambda"))  # both past the topic
    messages = receive_all(queue.url, aws["sqs"])
    assert list(map(language, messages)) == ["ar"]  # the example template's filter
    broken = {**messages[0], "MessageId": "broken", "Body": "{", "MD5OfBody": "x"}
    # The handler reads as a deployed one does: the standard chain, here pointed at serve.
    for name, value in cli_environment(endpoint["endpoint_url"]).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    handler = importlib.reload(app).lambda_handler  # a fresh execution environment (empty dedupe memory)
    capsys.readouterr()

    response = handler(sqs_event([*messages, broken], queue), None)

    assert response == {"batchItemFailures": [{"itemIdentifier": "broken"}]}
    (line,) = capsys.readouterr().out.splitlines()
    handled = json.loads(line)
    published = json.loads(messages[0]["Body"])
    assert handled["article_id"] == published["article_id"]
    assert (handled["language"], handled["title"]) == ("ar", published["text"]["title"])
    # Delivered again (at least once): handled once.
    assert handler(sqs_event(messages, queue), None) == {"batchItemFailures": []}
    assert capsys.readouterr().out == ""


def test_an_article_over_the_sns_limit_goes_as_a_pointer_the_kit_resolves_from_serves_s3(endpoint, aws):
    queue_url = team_queue(endpoint, aws, "serve-pointers", {"payload": ["s3-pointer"]})
    # ~4.6x the article in the message (body, paragraphs, ninjs): 80 KiB of text is over 256 KiB.
    text = build_article("en", 80 * 1024)
    upload(endpoint, aws, "serve-pointer/long.txt", text.encode(), "serve-pointer")

    (message,) = receive(aws["sqs"], queue_url, 1, publisher_is("serve-pointer"))
    assert message["MessageAttributes"]["payload"]["StringValue"] == "s3-pointer"
    pointer = parse_record(message)
    assert isinstance(pointer, Pointer)
    assert pointer.published.bucket == endpoint["bucket"]
    article = read_article(message, s3=aws["s3"])  # fetched at its version and checked
    assert isinstance(article, Article)
    stored = aws["s3"].get_object(Bucket=pointer.published.bucket, Key=pointer.published.key)["Body"].read()
    assert len(stored) > 256 * 1024
    assert pointer.document_sha256 == hashlib.sha256(stored).hexdigest()
    assert article.model_dump(mode="json") == json.loads(stored)  # every field kept
    assert json.loads(stored)["text"]["paragraphs"][0] in text
