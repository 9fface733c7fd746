"""Backfill throughput on `articleflow serve`: N small articles from an archive prefix to published.

    python -m bench.backfill --articles 10000

Starts `articleflow serve` on a free port (its own process, as a user would), uploads N small
articles (~1 KiB, each different) under `archive/bench/`, then times `articleflow backfill`'s item
processor (one CopyObject per object into bulk/incoming/, the bulk lane) and the pipeline until
every article is on the publish queue (read and deleted here, as a consumer would). Meanwhile a
live article is uploaded under incoming/ every `--live-every` seconds and its upload-to-publish
latency measured: what a backfill does to live traffic. Reports the copy time, the total time, the
throughput, the live latencies, and the peak memory (VmHWM) of the serve process and of this one.
A benchmark, not a test: nothing is asserted. Serve runs the four functions one batch at a time in
one process, so this measures the pipeline's own per-article cost, not AWS's concurrency.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
ARCHIVE_PREFIX = "archive/bench/"
STALL_SECONDS = 300  # give up when nothing is published for this long


def article(n: int) -> bytes:
    return (
        f"Council approves budget for district {n}\n\n"
        f"The city council of district {n} approved the annual budget on Tuesday after a long debate. "
        "The plan funds two new libraries, repairs to the harbour bridge and more buses on weekday evenings. "
        f"Mayor Anna Lindqvist said the district {n} vote showed the council could agree on priorities.\n\n"
        "Opposition members in Stockholm argued that the plan relied on optimistic tax forecasts and asked "
        "for a review in the spring. The budget takes effect in January.\n"
    ).encode()


def peak_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def start_serve() -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "articleflow"), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert process.stdout is not None
    ready = process.stdout.readline()
    if not ready:
        raise SystemExit(f"serve exited {process.wait()} before it was ready")
    return process, json.loads(ready)


def live_article(n: int) -> bytes:
    return f"Live report {n}\n\nA live story uploaded during the backfill, number {n}, in Oslo.\n".encode()


def run(articles: int, upload_threads: int, live_every: float) -> dict[str, Any]:
    process, endpoint = start_serve()
    try:
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint["endpoint_url"],
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_DEFAULT_REGION="us-east-1",
        )
        from articleflow.adapters.aws import client
        from articleflow_dev.local.event_source import queue_depth
        from articleflow_dev.ops.backfill import backfill

        s3, sqs, bucket = client("s3"), client("sqs"), endpoint["bucket"]
        started = time.monotonic()
        with ThreadPoolExecutor(upload_threads) as pool:
            list(
                pool.map(
                    lambda n: s3.put_object(Bucket=bucket, Key=f"{ARCHIVE_PREFIX}{n:06d}.txt", Body=article(n)),
                    range(articles),
                )
            )
        upload_s = time.monotonic() - started

        started = time.monotonic()
        # Paced as `articleflow backfill` paces it (a batch only while the bulk ingest queue is short),
        # in a thread: the copies go on while the published articles are read below.
        ingest_bulk_url = endpoint["bulk_queues"]["ingest"]["url"]
        copier = ThreadPoolExecutor(1)
        copying = copier.submit(
            backfill, bucket, ARCHIVE_PREFIX, lambda key, to: None, lambda: queue_depth(ingest_bulk_url)
        )
        copying.add_done_callback(lambda _: copy_times.append(time.monotonic() - started))
        copy_times: list[float] = []
        published, last_progress = 0, time.monotonic()
        live_sent: dict[str, float] = {}  # key -> when uploaded
        live_latency_s: list[float] = []
        next_live = time.monotonic()
        # Until every archived article and every live probe is published (probes only during the backfill).
        while (published < articles or len(live_latency_s) < len(live_sent)) and (
            time.monotonic() - last_progress < STALL_SECONDS
        ):
            if live_every and published < articles and time.monotonic() >= next_live:
                key = f"incoming/live-probe/{len(live_sent):04d}.txt"
                s3.put_object(Bucket=bucket, Key=key, Body=live_article(len(live_sent)))
                live_sent[key], next_live = time.monotonic(), time.monotonic() + live_every
            messages = sqs.receive_message(
                QueueUrl=endpoint["publish_queue_url"], MaxNumberOfMessages=10, WaitTimeSeconds=1
            ).get("Messages", [])
            if messages:
                sqs.delete_message_batch(
                    QueueUrl=endpoint["publish_queue_url"],
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
                )
                for message in messages:
                    key = json.loads(message["Body"])["source"]["key"]
                    if key in live_sent:
                        live_latency_s.append(time.monotonic() - live_sent[key])
                    else:
                        published += 1
                last_progress = time.monotonic()
        total_s = time.monotonic() - started
        copied, copy_s = copying.result(), copy_times[0]
        copier.shutdown()
        live_latency_s.sort()
        return {
            "articles": articles,
            "copied": copied,
            "published": published,
            "upload_s": round(upload_s, 1),
            "copy_s": round(copy_s, 1),
            "total_s": round(total_s, 1),
            "articles_per_s": round(published / total_s, 2),
            "ms_per_article": round(1000 * total_s / max(published, 1), 1),
            "live_uploaded": len(live_sent),
            "live_published": len(live_latency_s),
            "live_latency_median_s": round(live_latency_s[len(live_latency_s) // 2], 1) if live_latency_s else None,
            "live_latency_max_s": round(live_latency_s[-1], 1) if live_latency_s else None,
            "serve_peak_rss_mib": round((peak_kib(process.pid) or 0) / 1024, 1),
            "bench_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    finally:
        process.terminate()
        process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--upload-threads", type=int, default=8)
    parser.add_argument("--live-every", type=float, default=30.0, help="seconds between live uploads (0: none)")
    args = parser.parse_args()
    print(json.dumps(run(args.articles, args.upload_threads, args.live_every)))


if __name__ == "__main__":
    main()
