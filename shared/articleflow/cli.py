"""`articleflow` command line: run the pipeline locally on moto, and related tools."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from articleflow import cli_consume, cli_tagger

EXIT_OK, EXIT_INTERNAL, EXIT_QUARANTINED = 0, 1, 2


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        elif path.is_file():
            files.append(path)
        else:
            raise SystemExit(f"articleflow: no such file or directory: {raw}")
    return files


def _parse_meta(pairs: list[str]) -> dict[str, str]:
    meta = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"articleflow: --meta takes KEY=VALUE, got {pair!r}")
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


def cmd_run(args: argparse.Namespace) -> int:
    from articleflow.core.ingest import article_id_for
    from articleflow.local.embedded import EmbeddedPipeline
    from articleflow.topology import INCOMING_PREFIX

    files = _expand(args.paths)
    if not files:
        print("articleflow: no files to run", file=sys.stderr)
        return EXIT_INTERNAL
    meta = _parse_meta(args.meta)
    pipeline_options = cli_tagger.pipeline_options(args)  # --model implies --tagger crf
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    log_stream = (out_dir / "lambda-logs.jsonl").open("w", encoding="utf-8") if out_dir else None
    started = time.perf_counter()
    try:
        with EmbeddedPipeline(log_stream=log_stream, **pipeline_options) as pipeline:
            uploaded = {}
            for path in files:
                key = pipeline.upload(path.name, path.read_bytes(), meta)
                uploaded[article_id_for(key)] = path
            stats = pipeline.drain()
            published = pipeline.take_published()
            quarantined = pipeline.quarantine_reasons()
            dead = pipeline.dead_letters()
    finally:
        if log_stream:
            log_stream.close()
    elapsed = time.perf_counter() - started

    published_ids = set()
    for item in published:
        message = item["body"]
        published_ids.add(message["article_id"])
        print(json.dumps(message, ensure_ascii=False), flush=True)
        if out_dir:
            target = out_dir / f"{message['article_id']}.r{message['revision']}.json"
            target.write_text(json.dumps(message, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"{uploaded[message['article_id']].name}: {_summary_line(message)}", file=sys.stderr)
    quarantined_ids = set()
    for reason in quarantined:
        quarantined_ids.add(reason["article_id"])
        name = uploaded.get(reason["article_id"], Path(reason["source"]["key"].removeprefix(INCOMING_PREFIX))).name
        print(
            f"{name}: QUARANTINED by {reason['stage']} ({reason['kind']}): {reason['reason']}",
            file=sys.stderr,
        )
    for stage_name, letters in dead.items():
        print(f"{stage_name}: {len(letters)} message(s) failed every retry and went to the DLQ", file=sys.stderr)
    for article_id, path in uploaded.items():
        if article_id not in published_ids | quarantined_ids:
            print(f"{path.name}: nothing new published (unchanged content, or see the DLQ)", file=sys.stderr)
    print(
        f"{len(files)} file(s): {len(published)} published, {len(quarantined_ids)} quarantined, "
        f"{sum(len(v) for v in dead.values())} dead-lettered; {stats.invocations} Lambda invocations, "
        f"{elapsed:.2f} s" + (f"; messages and logs in {out_dir}" if out_dir else ""),
        file=sys.stderr,
    )
    if dead:
        return EXIT_INTERNAL
    return EXIT_QUARANTINED if quarantined_ids else EXIT_OK


MAX_NORMALIZE_BYTES = 10 * 1024 * 1024  # ingest's default limit (MaxUploadBytes)


def _normalize_file(path: Path, meta: dict[str, str]) -> dict[str, Any]:
    """What ingest + normalize make of one file, as plain data (no AWS involved)."""
    from articleflow.core.errors import RejectedInput
    from articleflow.core.formats import normalize_upload
    from articleflow.core.ingest import inspect_upload

    result: dict[str, Any] = {"file": str(path)}
    try:
        upload = inspect_upload(path.read_bytes(), MAX_NORMALIZE_BYTES, key=path.name)
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
    files = _expand(args.paths)
    meta = _parse_meta(args.meta)
    rejected = 0
    for path in files:
        result = _normalize_file(path, meta)
        if result["status"] == "rejected":
            rejected += 1
            print(f"{path}: REJECTED ({result['kind']}): {result['reason']}", file=sys.stderr)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        elif result["status"] == "ok":
            _print_article(result)
    return EXIT_QUARANTINED if rejected else EXIT_OK


def _add_meta_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="articleflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="run files through the whole pipeline on an embedded AWS (moto)",
        description="Upload each file to incoming/ on an in-process moto AWS, run all four stages through "
        "the EventBridge -> SQS -> Lambda wiring, print each published message as a JSON line on stdout "
        "and a summary on stderr. Exit 0 when all were published, 2 when any was quarantined, 1 on an "
        "internal error.",
    )
    run.add_argument("paths", nargs="+", metavar="PATH", help="article files, or folders of them")
    run.add_argument("--tagger", default="offline", help="tagger backend (default: offline)")
    _add_meta_option(run, "S3 object metadata for every upload: publisher, source-url, language, title")
    run.add_argument("--out", metavar="DIR", help="also write each message and the Lambda logs to DIR")
    run.set_defaults(func=cmd_run)
    cli_tagger.add_run_options(run)  # run --model PATH --aliases PATH
    cli_tagger.register(commands)  # tagger train / tagger eval

    normalize = commands.add_parser(
        "normalize",
        help="print what normalize makes of each file (no AWS)",
        description="Decode, detect and normalize each file exactly as the pipeline's ingest and normalize "
        "stages would, without any AWS, and print the article: human-readable, or one JSON object per file "
        "with --json. Exit 0 when every file normalizes, 2 when any is rejected (the reason is printed).",
    )
    normalize.add_argument("paths", nargs="+", metavar="FILE", help="article files, or folders of them")
    normalize.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    _add_meta_option(normalize, "publisher metadata as the pipeline would get it: language, title")
    normalize.set_defaults(func=cmd_normalize)
    cli_consume.register(commands)  # consume --queue-url URL
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except SystemExit:
        raise
    except Exception as error:  # the CLI's promise: exit 1 with a message, not a traceback dump
        print(f"articleflow: internal error: {error!r}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
