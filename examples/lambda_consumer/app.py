"""Example consumer: a Lambda on its own filtered queue, reading articles with the consumer kit.

Replace `handle` with your work (index, alert, translate ...). A record that fails is reported
as a partial batch failure: only it is retried, and after 3 receives it lands in the queue's DLQ.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from articleflow_consumer import Article, Deduplicator, read_article

logger = logging.getLogger("articleflow-consumer-example")
logger.setLevel(logging.INFO)

# Per execution environment: skips repeats this environment has already handled. Delivery is
# at least once and environments come and go, so `handle` must still be idempotent (upsert on
# article_id, keep the highest revision).
dedupe = Deduplicator()


def handle(article: Article) -> None:
    """The example's work: one structured log line per article."""
    print(
        json.dumps(
            {
                "article_id": article.article_id,
                "revision": article.revision,
                "language": article.text.language,
                "title": article.text.title,
                "entities": [entity.id for entity in article.entities if entity.id],
            },
            ensure_ascii=False,
        )
    )


def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        try:
            article = read_article(record)  # resolves an S3 pointer and checks it
            if dedupe.is_new(article.article_id, article.revision):
                handle(article)
                dedupe.mark_done(article.article_id, article.revision)
        except Exception:  # any failure: retry this record only (ReportBatchItemFailures)
            logger.exception("record %s failed", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
