"""`articleflow consume`: read published articles from a queue, one JSON line each.

Uses the consumer kit (`consumer/articleflow_consumer`), as any downstream system would, and
the standard AWS configuration: credentials chain, region, `AWS_ENDPOINT_URL` (a local
endpoint such as `articleflow serve`, or real AWS when unset).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_OK, EXIT_UNREADABLE = 0, 2
MAX_LONG_POLL_SECONDS = 20  # SQS's limit for WaitTimeSeconds


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _wait_seconds(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_LONG_POLL_SECONDS:
        raise argparse.ArgumentTypeError(f"must be 0-{MAX_LONG_POLL_SECONDS} (SQS long polling), got {value}")
    return value


def _print_article(article: Any) -> None:
    print(json.dumps(article.model_dump(mode="json"), ensure_ascii=False), flush=True)


def _report_unreadable(message: dict[str, Any], error: Exception) -> None:
    # Left on the queue: it comes back after the visibility timeout, then goes to the DLQ.
    print(f"articleflow consume: message {message.get('MessageId')} not read: {error}", file=sys.stderr)


def cmd_consume(args: argparse.Namespace) -> int:
    from botocore.session import get_session

    from articleflow_consumer import poll

    session = get_session()
    result = poll(
        session.create_client("sqs"),
        args.queue_url,
        _print_article,
        s3=session.create_client("s3"),
        wait=args.wait,
        max_messages=args.max_messages,
        delete=not args.no_delete,
        on_unreadable=_report_unreadable,
    )
    return EXIT_UNREADABLE if result.unreadable else EXIT_OK


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "consume",
        help="print published articles from a queue, one JSON line each",
        description="Long-poll an SQS queue subscribed to the publish topic (or the publish queue), print "
        "each article as one JSON line on stdout (S3 pointers resolved and checked), and delete what was "
        "printed. Stops after --max-messages, or when a poll of --wait seconds brings nothing. Exit 0; 2 "
        "when a message could not be read (reason on stderr; it stays on the queue); 1 on an internal error.",
    )
    parser.add_argument("--queue-url", required=True, metavar="URL", help="the queue to read")
    parser.add_argument(
        "--max-messages", type=_positive, metavar="N", help="stop after printing N articles (default: drain)"
    )
    parser.add_argument(
        "--wait", type=_wait_seconds, default=MAX_LONG_POLL_SECONDS, metavar="S", help="long-poll seconds (default 20)"
    )
    parser.add_argument("--no-delete", action="store_true", help="leave the messages on the queue")
    parser.set_defaults(func=cmd_consume)
