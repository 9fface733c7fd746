"""What share of published messages go as an S3 pointer through SNS's 256 KiB limit.

The size mix is real: the 181 news and blog pages of the public extraction benchmark
(``../shared/benchmarks/article-extraction/``, read from beside the repo, never copied), each taken
through the pipeline's own code without AWS — decode and normalize as an upload, the offline
tagger, `build_message`, and `publish_payload`, which decides inline or pointer exactly as publish
does (attributes counted). Pages normalize rejects (nothing left after removing furniture) are
counted apart. The old SQS limit (1 MiB) is shown beside it.

Run: ``python -m bench.pointer_share [--limit N] [--json]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from datetime import UTC, datetime
from typing import Any

from bench.extraction import DATA

KIB = 1024
OLD_SQS_LIMIT = 1024 * KIB


def published_sizes(data: bytes, tagger: Any) -> dict[str, Any] | None:
    """Upload, body and message bytes and the payload kind for one page; None when normalize rejects it."""
    from articleflow.core.errors import RejectedInput
    from articleflow.core.ingest import inspect_upload
    from articleflow.core.normalize import normalize_upload
    from articleflow.core.publish import build_message, publish_payload
    from articleflow.models.records import SourceRef, StageRun, TaggedRecord

    try:
        upload = inspect_upload(data, max_bytes=len(data) + 1, key="page.html")
        article = normalize_upload(upload.media_type, upload.text, encoding=upload.encoding)
    except RejectedInput:
        return None
    now = datetime.now(UTC)
    record = TaggedRecord(
        article_id="00000000-0000-5000-8000-000000000000",
        revision=1,
        content_sha256=upload.content_sha256,
        source=SourceRef(bucket="bench", key="incoming/page.html", version_id="v1"),
        received_at=now,
        article=article,
        entities=tagger.tag(article),
        processing=[StageRun(stage=s, version="bench", duration_ms=1.0) for s in ("ingest", "normalize", "tag")],
    )
    message = build_message(record, now, StageRun(stage="publish", version="bench", duration_ms=1.0))
    document = message.model_dump_json()
    _, attributes = publish_payload(message, document, "bench", "published/x/r000001.json", "v1")
    return {
        "upload": len(data),
        "body": len(article.body.encode()),
        "message": len(document.encode()),
        "payload": attributes["payload"],
    }


def run(limit: int | None = None) -> dict[str, Any]:
    from articleflow.core.tagging import get_tagger

    tagger = get_tagger("offline")
    pages = sorted((DATA / "html").glob("*.html.gz"))[:limit] if limit else sorted((DATA / "html").glob("*.html.gz"))
    sizes = [published_sizes(gzip.decompress(path.read_bytes()), tagger) for path in pages]
    kept = [s for s in sizes if s is not None]
    messages = sorted(s["message"] for s in kept)
    pointers = [s for s in kept if s["payload"] == "s3-pointer"]
    deciles = statistics.quantiles(messages, n=10, method="inclusive")
    return {
        "pages": len(pages),
        "rejected_by_normalize": len(sizes) - len(kept),
        "published": len(kept),
        "pointer_at_sns_256kib": len(pointers),
        "pointer_share": round(len(pointers) / len(kept), 4),
        "over_old_sqs_1mib": sum(1 for m in messages if m > OLD_SQS_LIMIT),
        "message_kib": {
            "median": round(statistics.median(messages) / KIB, 1),
            "p90": round(deciles[8] / KIB, 1),
            "max": round(messages[-1] / KIB, 1),
        },
        "message_to_body_ratio_median": round(statistics.median(s["message"] / max(s["body"], 1) for s in kept), 1),
        "smallest_pointer_body_kib": round(min(s["body"] for s in pointers) / KIB, 1) if pointers else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N pages (by name)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not (DATA / "html").is_dir():
        print(f"bench.pointer_share: {DATA} is not there (it lives in ../shared beside the repo)", file=sys.stderr)
        return 1
    results = run(args.limit)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    sizes = results["message_kib"]
    smallest = results["smallest_pointer_body_kib"] or "-"
    print(
        f"{results['published']} of {results['pages']} pages published ({results['rejected_by_normalize']} "
        f"rejected by normalize); message size median {sizes['median']} KiB, p90 {sizes['p90']} KiB, "
        f"max {sizes['max']} KiB (median {results['message_to_body_ratio_median']}x the body)\n"
        f"sent as an S3 pointer through SNS (256 KiB): {results['pointer_at_sns_256kib']} "
        f"({100 * results['pointer_share']:.1f} %, smallest such body {smallest} KiB); "
        f"over the old SQS limit (1 MiB): {results['over_old_sqs_1mib']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
