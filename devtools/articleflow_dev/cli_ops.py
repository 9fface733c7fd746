"""`articleflow reprocess`, `redrive`, `dlq show` and `backfill`: operations on a running pipeline.

They talk to `articleflow serve` (set AWS_ENDPOINT_URL; the names are serve's defaults) or to a
deployed stack (`--stack-name`: the names come from its parameters and outputs), with the standard
AWS configuration (credentials chain, region). Progress goes to stderr, one line per item, then a
summary; exit 0 ok, 2 some article could not be taken (see each command), 1 internal error,
64 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from articleflow.topology import BULK_LANE, LIVE_LANE, PUBLISHED_PREFIX, STAGES
from articleflow_dev.cli_consume import _positive

EXIT_OK, EXIT_INTERNAL, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2, 64


def _since(text: str) -> datetime:
    """An ISO date (midnight UTC) or date-time (UTC when it has no offset)."""
    try:
        moment = (
            datetime.fromisoformat(text)
            if "T" in text
            else datetime.combine(date.fromisoformat(text), datetime.min.time())
        )
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_reprocess(args: argparse.Namespace) -> int:
    from articleflow.runtime.reprocess import Request, Result, reprocess
    from articleflow_dev.ops.targets import resolve

    target = resolve(args.stack_name)
    lane = LIVE_LANE if args.article_id else BULK_LANE  # a selection is bulk work: the bulk lane's queues
    request = Request(args.from_stage, args.reason, args.dry_run, key_prefix=args.prefix, since=args.since, lane=lane)
    if args.stack_name and args.all and target.state_machine_arn and not args.dry_run:
        # A whole archive on AWS: one state machine execution, not a loop on this machine.
        from articleflow_dev.ops.backfill import start_execution

        execution_input = {
            "mode": "reprocess",
            "from_stage": args.from_stage,
            "reason": args.reason or "",
            "prefix": PUBLISHED_PREFIX,  # every published article, whichever lane made it
        }
        print(start_execution(target.state_machine_arn, execution_input), flush=True)
        return EXIT_OK
    done = 0

    def report(article_id: str, result: Result) -> None:
        nonlocal done
        done += 1
        if result is not Result.NOT_SELECTED:
            _say(f"[{done}] {article_id}: {result.value}")

    counts = reprocess(target.bucket, target.table, request, args.article_id, report)
    _say("reprocess: " + ", ".join(f"{count} {result.value}" for result, count in counts.items()))
    return EXIT_SKIPPED if counts[Result.MISSING] else EXIT_OK


def _queues(args: argparse.Namespace) -> Any:
    from articleflow_dev.ops.dlq import lookup
    from articleflow_dev.ops.targets import PUBLISH, resolve

    target = resolve(args.stack_name)
    # `publish` is the publish queue's DLQ (what SNS and the consumers' side could not take); the
    # publish stage's own input queue is `publish-in`.
    if args.stage == PUBLISH:
        if args.bulk:
            raise SystemExit("articleflow: --bulk: the publish queue has no bulk lane (publish-in has one)")
        return lookup(*target.queue_names(PUBLISH, publish_queue=True))
    lane = BULK_LANE if args.bulk else LIVE_LANE
    return lookup(*target.queue_names(args.stage.removesuffix("-in"), lane=lane))


def cmd_redrive(args: argparse.Namespace) -> int:
    from articleflow_dev.ops.dlq import move_by_hand, move_with_task

    queues = _queues(args)
    moved = move_with_task(queues) if args.max is None else None
    how = "message move task"
    if moved is None:
        how = "receive/send/delete"
        moved = move_by_hand(queues, args.max, lambda message: _say(f"moved {message['MessageId']}"))
    _say(f"redrive {args.stage}: {moved} moved ({how}) from {queues.dlq_url} to {queues.source_url}")
    return EXIT_OK


def cmd_dlq_show(args: argparse.Namespace) -> int:
    from articleflow_dev.ops.dlq import peek

    queues = _queues(args)
    count = 0
    for message in peek(queues.dlq_url):
        count += 1
        attributes = message.get("Attributes", {})
        print(
            json.dumps(
                {
                    "message_id": message["MessageId"],
                    "receive_count": int(attributes.get("ApproximateReceiveCount", 0)),
                    "attributes": attributes,
                    "message_attributes": message.get("MessageAttributes", {}),
                    "body": message["Body"],
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    _say(f"dlq {args.stage}: {count} dead letters (left on the queue)")
    return EXIT_OK


def cmd_backfill(args: argparse.Namespace) -> int:
    from articleflow.adapters.aws import client
    from articleflow_dev.local.event_source import queue_depth
    from articleflow_dev.ops.backfill import backfill, start_execution
    from articleflow_dev.ops.targets import resolve

    target = resolve(args.stack_name)
    if args.stack_name:
        if not target.state_machine_arn:
            raise SystemExit(f"articleflow: stack {args.stack_name} has no BackfillStateMachineArn output")
        print(start_execution(target.state_machine_arn, {"mode": "backfill", "prefix": args.prefix}), flush=True)
        return EXIT_OK
    ingest_bulk, _ = target.queue_names(STAGES[0].name, lane=BULK_LANE)
    ingest_bulk_url = client("sqs").get_queue_url(QueueName=ingest_bulk)["QueueUrl"]
    copied = backfill(
        target.bucket, args.prefix, lambda key, to: _say(f"{key} -> {to}"), lambda: queue_depth(ingest_bulk_url)
    )
    _say(f"backfill {args.prefix}: {copied} objects copied into the pipeline")
    return EXIT_OK


def _stack_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack-name", metavar="NAME", help="a deployed stack (default: articleflow serve at AWS_ENDPOINT_URL)"
    )


def _stage_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "stage",
        metavar="STAGE",
        choices=[*(stage.name for stage in STAGES), "publish-in"],
        help="a stage's DLQ (ingest, normalize, tag), or publish: the publish queue's DLQ (publish-in: the publish "
        "stage's input DLQ)",
    )
    parser.add_argument("--bulk", action="store_true", help="the stage's bulk-lane DLQ (backfills, reprocess --all)")


def register(commands: Any) -> None:
    reprocess = commands.add_parser(
        "reprocess",
        help="publish stored articles again as a new revision, from a stage on",
        description="Re-run the pipeline from a stage for stored articles (no re-upload): each gets revision + 1 "
        "and its message a `reprocessed` block. The same stage and reason twice does nothing the second time; an "
        "article re-uploaded meanwhile is left to its upload. Exit 0; 2 when an article has no record at that "
        "stage (quarantined earlier, or its upload still on its way); 1 internal error; 64 usage.",
    )
    from articleflow.topology import REPROCESS_FROM_STAGES

    reprocess.add_argument("--from-stage", required=True, choices=REPROCESS_FROM_STAGES)
    which = reprocess.add_mutually_exclusive_group(required=True)
    which.add_argument("--article-id", nargs="+", metavar="ID", help="these articles")
    which.add_argument("--prefix", metavar="PREFIX", help="articles uploaded under this key, e.g. incoming/lemonde/")
    which.add_argument("--since", type=_since, metavar="DATE", help="articles received since (ISO date or date-time)")
    which.add_argument("--all", action="store_true", help="every stored article (on a stack: one state machine run)")
    reprocess.add_argument("--reason", metavar="TEXT", help="why, carried in the message")
    reprocess.add_argument("--dry-run", action="store_true", help="say what would be reprocessed, change nothing")
    _stack_option(reprocess)
    reprocess.set_defaults(func=cmd_reprocess)

    redrive = commands.add_parser(
        "redrive",
        help="move a dead-letter queue back to its source queue",
        description="Move dead letters back (SQS's message move task when the endpoint has it and no --max is "
        "given; otherwise receive, send, delete) and report the count. Look first: articleflow dlq show STAGE.",
    )
    _stage_argument(redrive)
    redrive.add_argument("--max", type=_positive, metavar="N", help="move at most N messages")
    _stack_option(redrive)
    redrive.set_defaults(func=cmd_redrive)

    dlq = commands.add_parser("dlq", help="dead-letter queues").add_subparsers(dest="dlq_command", required=True)
    show = dlq.add_parser(
        "show",
        help="print the dead letters of a DLQ, one JSON line each, without consuming them",
        description="Print each dead letter (body, attributes, receive count) as one JSON line; they stay queued.",
    )
    _stage_argument(show)
    _stack_option(show)
    show.set_defaults(func=cmd_dlq_show)

    backfill = commands.add_parser(
        "backfill",
        help="feed every object under an archive prefix into the pipeline",
        description="Copy each object under PREFIX to bulk/incoming/ (the bulk lane; the state machine's item "
        "processor), so the pipeline ingests it. With --stack-name, starts the backfill state machine and prints its "
        "execution ARN.",
    )
    backfill.add_argument("prefix", metavar="PREFIX", help="e.g. archive/2019/")
    _stack_option(backfill)
    backfill.set_defaults(func=cmd_backfill)
