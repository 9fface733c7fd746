"""Published message size against upload size, on a realistic mix of uploads.

The message carries the body more than once by contract (``text.body``, ``text.paragraphs``,
the ninjs body), plus entities with their mentions; this measures what that costs. Every upload
goes through the real core of each stage, no AWS: ingest's `inspect_upload`, normalize's
`normalize_upload`, the offline tagger, publish's `build_message`, serialized as publish writes
it (``model_dump_json``).

The mix (files read where they are, never copied):

* ``plain``: our samples (``samples/*.txt``), ``../shared/samples/*.txt``, and the synthetic
  Arabic and English articles of `bench.articles` at 10 KiB, 100 KiB and 1 MiB;
* ``formats``: our format fixtures (``tests/fixtures/formats/``: Markdown, JSON, NITF,
  NewsML-G2, HTML) and our HTML pages (``tests/fixtures/html/``);
* ``web``: the first 40 pages of the public HTML benchmark (``../shared/benchmarks/``), when present.

Reported per group and overall: upload bytes, message bytes, the ratio of their sums, and the
share of the message each part takes (``text.body``, ``text.paragraphs``, ``ninjs``,
``entities``, the rest).

Run: ``python -m bench.message_size [--json]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from articleflow.topology import STAGE_NAMES
from bench.articles import KIB, MIB, build_article

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
WEB = SHARED / "benchmarks" / "article-extraction" / "html"
WEB_PAGES = 40
PARTS = ("text.body", "text.paragraphs", "ninjs", "entities", "rest")
# The stages an article has been through when the last one, publish, builds its message.
STAGES_BEFORE_PUBLISH = STAGE_NAMES[:-1]


def uploads() -> dict[str, list[tuple[str, bytes]]]:
    """Group -> [(name, upload bytes)]."""
    plain = [(p.name, p.read_bytes()) for p in sorted((REPO_ROOT / "samples").glob("*.txt"))]
    plain += [(p.name, p.read_bytes()) for p in sorted((SHARED / "samples").glob("*.txt"))]
    for corpus in ("ar", "en"):
        for size in (10 * KIB, 100 * KIB, MIB):
            plain.append((f"{corpus}-{size // KIB}KiB", build_article(corpus, size).encode("utf-8")))
    formats = [
        (p.name, p.read_bytes())
        for folder in ("formats", "html")
        for p in sorted((REPO_ROOT / "tests" / "fixtures" / folder).iterdir())
        if p.suffix != ".json" or folder == "formats"
    ]
    web = [(p.name, gzip.decompress(p.read_bytes())) for p in sorted(WEB.glob("*.html.gz"))[:WEB_PAGES]]
    return {"plain": plain, "formats": formats, **({"web": web} if web else {})}


def published_message(name: str, data: bytes, tagger: Any = None) -> Any:
    """The message publish builds for one upload (ingest, normalize and the offline tagger in memory),
    or None when the upload is rejected."""
    from articleflow.core.errors import RejectedInput
    from articleflow.core.ingest import inspect_upload
    from articleflow.core.normalize import normalize_upload
    from articleflow.core.publish import build_message
    from articleflow.core.tagging import get_tagger
    from articleflow.models.records import SourceRef, StageRun, TaggedRecord

    try:
        upload = inspect_upload(data, max_bytes=len(data) + 1, key=name)
        article = normalize_upload(
            upload.media_type, upload.text, payload=data if upload.text == "" else None, encoding=upload.encoding
        )
    except RejectedInput:
        return None
    now = datetime.now(UTC)
    record = TaggedRecord(
        article_id="00000000-0000-5000-8000-000000000000",
        revision=1,
        content_sha256=upload.content_sha256,
        source=SourceRef(bucket="bench", key=f"incoming/{name}", version_id="v1"),
        received_at=now,
        article=article,
        entities=(tagger or get_tagger("offline")).tag(article),
        processing=[StageRun(stage=stage, version="bench", duration_ms=1.0) for stage in STAGES_BEFORE_PUBLISH],
    )
    return build_message(record, now, StageRun(stage="publish", version="bench", duration_ms=1.0))


def message_json(name: str, data: bytes) -> str | None:
    """The published message document for one upload, or None when the upload is rejected."""
    message = published_message(name, data)
    return None if message is None else str(message.model_dump_json())


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def part_bytes(document: str) -> dict[str, int]:
    """UTF-8 bytes of each part of the message, serialized as in the message."""
    message = json.loads(document)
    sizes = {
        "text.body": len(_compact(message["text"]["body"]).encode()),
        "text.paragraphs": len(_compact(message["text"]["paragraphs"]).encode()),
        "ninjs": len(_compact(message["ninjs"]).encode()),
        "entities": len(_compact(message["entities"]).encode()),
    }
    sizes["rest"] = len(document.encode()) - sum(sizes.values())  # ids, byline, removed, metadata, ...
    return sizes


def _row() -> dict[str, Any]:
    return {"files": 0, "rejected": 0, "upload": 0, "message": 0, "parts": dict.fromkeys(PARTS, 0)}


def _add(total: dict[str, Any], row: dict[str, Any]) -> None:
    for key in ("files", "rejected", "upload", "message"):
        total[key] += row[key]
    for part, size in row["parts"].items():
        total["parts"][part] += size


def measure() -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    total = _row()
    for group, items in uploads().items():
        row = _row()
        for name, data in items:
            document = message_json(name, data)
            if document is None:
                row["rejected"] += 1
                continue
            _add(
                row,
                {
                    "files": 1,
                    "rejected": 0,
                    "upload": len(data),
                    "message": len(document.encode("utf-8")),
                    "parts": part_bytes(document),
                },
            )
        results[group] = row
        _add(total, row)
    results["all"] = total
    for row in results.values():
        row["ratio"] = round(row["message"] / row["upload"], 2) if row["upload"] else None
        row["shares"] = {part: round(size / (row["message"] or 1), 3) for part, size in row["parts"].items()}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    results = measure()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'group':<8} {'files':>5} {'upload':>10} {'message':>10} {'ratio':>6}  share of the message")
    for group, row in results.items():
        shares = "  ".join(f"{part} {share:.0%}" for part, share in row["shares"].items())
        print(f"{group:<8} {row['files']:>5} {row['upload']:>10,} {row['message']:>10,} {row['ratio']:>6}  {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
