"""Example consumer: long-poll a queue and index each article into SQLite.

    python examples/sqlite_indexer.py --queue-url URL --db articles.db [--wait 20] [--until-empty]

Standard AWS configuration (credentials chain, region, AWS_ENDPOINT_URL). Idempotent by
construction: one row per article_id, replaced only by a higher revision, so a repeated or late
message changes nothing; a message is deleted only after its row is committed.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import Any

from articleflow_consumer import Article, ConsumerError, poll

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    language TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    published_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    entity_id TEXT
);
CREATE INDEX IF NOT EXISTS entities_by_id ON entities(entity_id);
"""

# Upsert on article_id; the WHERE keeps the row when the incoming revision is not newer.
UPSERT = """
INSERT INTO articles (article_id, revision, language, title, body, published_at, document)
VALUES (:article_id, :revision, :language, :title, :body, :published_at, :document)
ON CONFLICT(article_id) DO UPDATE SET
    revision = excluded.revision, language = excluded.language, title = excluded.title,
    body = excluded.body, published_at = excluded.published_at, document = excluded.document
WHERE excluded.revision > articles.revision
"""


class SqliteIndex:
    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.executescript(SCHEMA)

    def index(self, article: Article) -> bool:
        """Store the article unless a revision at or above it is held; True when stored."""
        with self.connection:  # one transaction: the row and its entities, or nothing
            changed = self.connection.execute(
                UPSERT,
                {
                    "article_id": article.article_id,
                    "revision": article.revision,
                    "language": article.text.language,
                    "title": article.text.title,
                    "body": article.text.body,
                    "published_at": article.published_at.isoformat(),
                    "document": json.dumps(article.model_dump(mode="json"), ensure_ascii=False),
                },
            ).rowcount
            if changed:
                self.connection.execute("DELETE FROM entities WHERE article_id = ?", (article.article_id,))
                self.connection.executemany(
                    "INSERT INTO entities (article_id, type, text, entity_id) VALUES (?, ?, ?, ?)",
                    [(article.article_id, e.type, e.text, e.id) for e in article.entities],
                )
        return bool(changed)

    def close(self) -> None:
        self.connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--db", required=True, help="SQLite file (created if missing)")
    parser.add_argument("--wait", type=int, default=20, help="long-poll seconds, 0-20")
    parser.add_argument("--until-empty", action="store_true", help="stop when a poll brings nothing")
    args = parser.parse_args(argv)

    from botocore.session import get_session

    session = get_session()
    index = SqliteIndex(args.db)

    def report(message: dict[str, Any], error: ConsumerError) -> None:
        print(f"skipped message {message.get('MessageId')}: {error}", file=sys.stderr)

    try:
        result = poll(
            session.create_client("sqs"),
            args.queue_url,
            index.index,
            s3=session.create_client("s3"),
            wait=args.wait,
            until_empty=args.until_empty,
            on_unreadable=report,
        )
    finally:
        index.close()
    print(f"indexed {result.handled} message(s), {result.unreadable} unreadable", file=sys.stderr)
    return 2 if result.unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
