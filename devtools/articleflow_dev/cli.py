"""`articleflow` command line: run the pipeline locally on moto, serve it to AWS clients, and related tools.

Exit status: 0 success, 1 internal error (or a file that was dead-lettered or failed), 2 some file
was quarantined, 64 usage error (what was wrong is printed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from articleflow import __version__
from articleflow.core.tagging import available_taggers
from articleflow_dev import cli_consume, cli_ops, cli_tagger

if TYPE_CHECKING:  # imported where used: `articleflow --version` should not load the pipeline
    from articleflow_dev.local.ledger import FileResult, FileState
    from articleflow_dev.local.progress import Progress

EXIT_OK, EXIT_INTERNAL, EXIT_QUARANTINED, EXIT_USAGE = 0, 1, 2, 64  # 64: EX_USAGE (sysexits.h)
STDIN = "-"


class ArgumentParser(argparse.ArgumentParser):
    """Usage errors exit 64 (EX_USAGE), not argparse's 2, which here means "quarantined"."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class UsageError(Exception):
    """Bad arguments found after parsing (a missing file, a bad --meta): exit 64 with the message."""


@dataclass(frozen=True)
class InputFile:
    label: str  # how the user named it: a path, or "-" for stdin
    name: str  # the path relative to the argument it came from: its key under incoming/
    path: Path | None  # None: stdin

    def read(self) -> bytes:
        return self.path.read_bytes() if self.path is not None else sys.stdin.buffer.read()


def _inputs(raw_paths: list[str]) -> list[InputFile]:
    """Every file the arguments name; a folder's files are named by their path inside it."""
    files: list[InputFile] = []
    for raw in raw_paths:
        path = Path(raw)
        if raw == STDIN:
            files.append(InputFile(STDIN, "stdin", None))
        elif path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if found.is_file() and not any(part.startswith(".") for part in relative.parts):
                    files.append(InputFile(str(found), relative.as_posix(), found))
        elif path.is_file():
            files.append(InputFile(raw, path.name, path))
        else:
            raise UsageError(f"no such file or directory: {raw}")
    if sum(1 for item in files if item.path is None) > 1:
        raise UsageError("stdin (-) can be read only once")
    return files


def _check_distinct_names(files: list[InputFile]) -> None:
    """Two inputs under one key would be one article, the second overwriting the first."""
    seen: dict[str, str] = {}
    for item in files:
        if item.name in seen:
            raise UsageError(
                f"{seen[item.name]} and {item.label} would both upload as {item.name}; run them separately"
            )
        seen[item.name] = item.label


def _parse_meta(pairs: list[str]) -> dict[str, str]:
    meta = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--meta takes KEY=VALUE, got {pair!r}")
        meta[key.strip().lower()] = value
    return meta


def _summary_line(message: dict[str, Any]) -> str:
    text = message["text"]
    title = text["title"] or "(no title)"
    kinds: dict[str, int] = {}
    for entity in message["entities"]:
        kinds[entity["type"]] = kinds.get(entity["type"], 0) + 1
    entity_summary = ", ".join(f"{count} {kind.lower()}" for kind, count in sorted(kinds.items())) or "none"
    return (
        f"published {message['article_id']} r{message['revision']} [{text['language']}/{text['script']}/"
        f"{text['direction']}] {text['word_count']} words, {len(text['paragraphs'])} paragraphs, "
        f"{len(message['captions'])} captions, {len(message['removed'])} removed; "
        f"entities: {entity_summary}; title: {title[:60]}"
    )


def _report(result: FileResult, progress: Progress, out_dir: Path | None) -> None:
    """One line per file on stderr as it finishes; a published message also as JSON on stdout."""
    from articleflow_dev.local.ledger import FileState

    if result.state is FileState.PUBLISHED:
        message = result.message
        assert message is not None
        progress.write(json.dumps(message, ensure_ascii=False), sys.stdout)
        if out_dir:
            target = out_dir / f"{message['article_id']}.r{message['revision']}.json"
            target.write_text(json.dumps(message, ensure_ascii=False, indent=2), encoding="utf-8")
        progress.write(f"{result.upload.label}: {_summary_line(message)}", sys.stderr)
    else:
        progress.write(f"{result.upload.label}: {result.state.upper()} {result.detail}", sys.stderr)
    progress.advance()


def _exit_status(counts: dict[FileState, int]) -> int:
    from articleflow_dev.local.ledger import FileState

    # Anything not published or quarantined (unchanged, dead-lettered, failed) is non-zero: nothing
    # new came out of that file, and a script must notice.
    if any(count for state, count in counts.items() if state not in (FileState.PUBLISHED, FileState.QUARANTINED)):
        return EXIT_INTERNAL
    return EXIT_QUARANTINED if counts[FileState.QUARANTINED] else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from articleflow.core.metadata import encode_value
    from articleflow.topology import INCOMING_PREFIX
    from articleflow_dev.local.embedded import EmbeddedPipeline
    from articleflow_dev.local.ledger import Ledger, upload_of
    from articleflow_dev.local.progress import Progress

    files = _inputs(args.paths)
    if not files:
        raise UsageError("no files to run (the folders are empty)")
    _check_distinct_names(files)
    # S3 user metadata is US-ASCII: non-ASCII values travel as RFC 2047 encoded words.
    meta = {key: encode_value(value) for key, value in _parse_meta(args.meta).items()}
    pipeline_options = cli_tagger.pipeline_options(args)  # --model implies --tagger crf
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    shows_bar = sys.stderr.isatty() and any(Path(raw).is_dir() for raw in args.paths)
    progress = Progress(len(files), sys.stderr, enabled=shows_bar)
    log_stream = (out_dir / "lambda-logs.jsonl").open("w", encoding="utf-8") if out_dir else None
    started = time.perf_counter()
    try:
        with EmbeddedPipeline(log_stream=log_stream, **pipeline_options) as pipeline:
            ledger = Ledger(pipeline)
            progress.draw()
            for item in files:
                key = f"{INCOMING_PREFIX}{item.name}"
                try:
                    data = item.read()
                except OSError as error:  # unreadable (permissions, vanished): this file failed, not the run
                    _report(
                        ledger.fail(upload_of(item.label, key, b""), f"could not read it: {error}"), progress, out_dir
                    )
                    continue
                upload = upload_of(item.label, key, data)
                try:
                    pipeline.upload(item.name, data, meta)
                except Exception as error:  # refused by S3 (metadata too large, ...): this file failed
                    _report(ledger.fail(upload, f"upload refused: {error}"), progress, out_dir)
                    continue
                ledger.add(upload)

            def report_finished() -> None:
                for result in ledger.collect():
                    _report(result, progress, out_dir)

            stats = pipeline.drain(after_round=report_finished)
            for result in ledger.settle():
                _report(result, progress, out_dir)
    finally:
        progress.close()
        if log_stream:
            log_stream.close()
    for letter in ledger.stray_dead_letters:
        print(f"dead-lettered, not from any file: {letter}", file=sys.stderr)
    counts = ledger.counts()
    assert sum(counts.values()) == len(files), (counts, len(files))  # every file, exactly once
    print(
        f"{len(files)} file(s): "
        + ", ".join(f"{count} {state}" for state, count in counts.items())
        + f"; {stats.invocations} Lambda invocations, {time.perf_counter() - started:.2f} s"
        + (f"; messages and logs in {out_dir}" if out_dir else ""),
        file=sys.stderr,
    )
    return _exit_status(counts)


MAX_NORMALIZE_BYTES = 10 * 1024 * 1024  # ingest's default limit (MaxUploadBytes)


def _normalize_file(item: InputFile, meta: dict[str, str]) -> dict[str, Any]:
    """What ingest + normalize make of one file, as plain data (no AWS involved)."""
    from articleflow.core.errors import RejectedInput
    from articleflow.core.ingest import inspect_upload
    from articleflow.core.normalize import normalize_upload

    result: dict[str, Any] = {"file": item.label}
    try:
        upload = inspect_upload(item.read(), MAX_NORMALIZE_BYTES, key=item.name)
        result.update(media_type=upload.media_type, encoding=upload.encoding, repairs=upload.repairs)
        article = normalize_upload(
            upload.media_type,
            upload.text,
            payload=upload.payload,
            language_hint=meta.get("language"),
            title_hint=meta.get("title"),
            encoding=upload.encoding,
        )
    except RejectedInput as error:
        result.update(status="rejected", kind=error.kind, reason=error.reason)
        return result
    result.update(status="ok", article=article.model_dump(mode="json"))
    return result


def _print_article(result: dict[str, Any]) -> None:
    article = result["article"]
    print(f"== {result['file']}  [{result['media_type']}, {result['encoding']}]")
    if result["repairs"]:
        print(f"repaired: {', '.join(result['repairs'])}")
    print(f"title ({article['title_origin']}): {article['title'] or '-'}")
    for label, key in (
        ("standfirst", "standfirst"),
        ("dateline", "dateline"),
        ("published", "published_at"),
        ("updated", "updated_at"),
        ("section", "section"),
        ("url", "source_url"),
    ):
        if article.get(key):
            print(f"{label}: {article[key]}")
    byline = article["byline"]
    if byline["authors"] or byline["sources"]:
        print(f"byline: {', '.join(byline['authors']) or '-'}; sources: {', '.join(byline['sources']) or '-'}")
    if article["tags"] or article["subjects"]:
        print(f"tags: {', '.join(article['tags']) or '-'}; subjects: {', '.join(article['subjects']) or '-'}")
    print(f"language: {article['language']} / {article['script']} / {article['direction']}")
    print(f"paragraphs ({len(article['paragraphs'])}):")
    for paragraph in article["paragraphs"]:
        print(f"  | {paragraph}")
    for caption in article["captions"]:
        print(f"caption: {caption['text']}" + (f" (credit: {caption['credit']})" if caption["credit"] else ""))
    for item in article["removed"]:
        print(f"removed [{item['kind']}]: {item['text']}")
    print()


def cmd_normalize(args: argparse.Namespace) -> int:
    files = _inputs(args.paths)
    meta = _parse_meta(args.meta)
    rejected = 0
    for item in files:
        result = _normalize_file(item, meta)
        if result["status"] == "rejected":
            rejected += 1
            print(f"{item.label}: REJECTED ({result['kind']}): {result['reason']}", file=sys.stderr)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        elif result["status"] == "ok":
            _print_article(result)
    return EXIT_QUARANTINED if rejected else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from articleflow_dev.local.serve import serve

    return serve(
        args.host, args.port, stdout=sys.stdout, stderr=sys.stderr, pipeline_options=cli_tagger.pipeline_options(args)
    )


def _port(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r} (0-65535; 0 picks a free one)")
    return port


def _add_meta_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE", help=help_text)


def _add_tagger_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tagger", default="offline", choices=available_taggers(), help="tagger backend (default: offline)"
    )
    cli_tagger.add_run_options(parser)  # --model PATH --aliases PATH


def register_run(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run files through the whole pipeline on an embedded AWS (moto)",
        description="Upload each file to incoming/<its path inside the folder given> on an in-process moto AWS, "
        "run all four stages through the EventBridge -> SQS -> Lambda wiring, and report every file as it "
        "finishes: each published message as a JSON line on stdout, one line per file (published, unchanged, "
        "quarantined, dead-lettered or failed) on stderr, then the counts. Exit 0 when every file was published, "
        "2 when any was quarantined, 1 when any was unchanged, dead-lettered or failed, 64 on a usage error.",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders of them, or - for stdin")
    _add_tagger_option(run)
    _add_meta_option(run, "S3 object metadata for every upload: publisher, source-url, language, title (any language)")
    run.add_argument("--out", metavar="DIR", help="also write each message and the Lambda logs to DIR")
    run.set_defaults(func=cmd_run)


def register_normalize(commands: Any) -> None:
    normalize = commands.add_parser(
        "normalize",
        help="print what normalize makes of each file (no AWS)",
        description="Decode, detect and normalize each file exactly as the pipeline's ingest and normalize "
        "stages would, without any AWS, and print the article: human-readable, or one JSON object per file "
        "with --json. Exit 0 when every file normalizes, 2 when any is rejected (the reason is printed).",
    )
    normalize.add_argument("paths", nargs="+", metavar="FILE", help="article files, folders of them, or - for stdin")
    normalize.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    _add_meta_option(normalize, "publisher metadata as the pipeline would get it: language, title")
    normalize.set_defaults(func=cmd_normalize)


def register_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the pipeline on a local AWS endpoint (moto) for any AWS client",
        description="Start moto's HTTP server on HOST:PORT, create the whole topology on it, and run the four "
        "functions on what arrives, as Lambda would. Prints one JSON line on stdout when ready (endpoint_url, "
        "region, bucket, publish_queue_url, publish_topic_arn, every queue and DLQ); logs go to stderr as JSON "
        "lines. Upload to s3://BUCKET/incoming/ and read the publish queue with your own tools; serve never "
        "reads it. Runs until SIGINT or SIGTERM, then finishes the batch in hand and exits 0.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=4566, help="port to listen on (default: 4566; 0: any free)")
    _add_tagger_option(serve)
    serve.set_defaults(func=cmd_serve)


# Each adds one subcommand (or a group of them) to `articleflow`.
SUBCOMMANDS: tuple[Callable[[Any], None], ...] = (
    register_run,
    register_normalize,
    register_serve,
    cli_tagger.register,
    cli_consume.register,  # consume --queue-url URL
    cli_ops.register,  # reprocess, redrive, dlq show, backfill
)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="articleflow", description=__doc__)
    parser.add_argument("--version", action="version", version=f"articleflow {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for register in SUBCOMMANDS:
        register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except UsageError as error:
        print(f"articleflow: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exit_:
        if isinstance(exit_.code, str):  # raise SystemExit("articleflow: ...") reports bad arguments
            print(exit_.code, file=sys.stderr)
            return EXIT_USAGE
        raise
    except Exception as error:  # the CLI's promise: exit 1 with a message, not a traceback dump
        print(f"articleflow: internal error: {error!r}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
