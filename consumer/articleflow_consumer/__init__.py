"""Read articleflow's published articles: the consumer kit.

Depends on pydantic and botocore only (`consumer/requirements.txt`), never on the pipeline:

    from articleflow_consumer import read_article, Deduplicator

    dedupe = Deduplicator()
    for record in event["Records"]:                # an SQS or SNS Lambda event, or ReceiveMessage
        article = read_article(record)             # inline or S3 pointer, checked
        if dedupe.is_new(article.article_id, article.revision):
            index(article)
            dedupe.mark_done(article.article_id, article.revision)
"""

from articleflow_consumer.dedupe import Deduplicator, MemoryRevisionStore, RevisionStore
from articleflow_consumer.errors import ConsumerError, IntegrityError, MalformedMessage, UnsupportedSchemaVersion
from articleflow_consumer.message import SUPPORTED_MAJOR, Article, Pointer
from articleflow_consumer.pointers import resolve
from articleflow_consumer.poll import PollResult, poll
from articleflow_consumer.records import Delivery, parse_record, read_article

__all__ = [
    "SUPPORTED_MAJOR",
    "Article",
    "ConsumerError",
    "Deduplicator",
    "Delivery",
    "IntegrityError",
    "MalformedMessage",
    "MemoryRevisionStore",
    "Pointer",
    "PollResult",
    "RevisionStore",
    "UnsupportedSchemaVersion",
    "parse_record",
    "poll",
    "read_article",
    "resolve",
]
