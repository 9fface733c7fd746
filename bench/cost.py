"""Dollars per million articles, from the measured durations, call counts and sizes.

Run by `bench.run` (section "Cost model" of the report), or alone on a finished run:
`python -m bench.cost bench/results/latest.json`.

Model, per article and per function:

* Lambda duration = own CPU time x CPU share factor + I/O wait.
  - own CPU time: the handler's time on the embedded pipeline minus the time spent inside AWS
    calls (moto), i.e. our code + powertools' logger and metrics + pydantic, measured on one core
    of this machine;
    ARCH_FACTOR converts to Graviton (1.0: assumed equal per core for CPython; check with a deploy).
  - CPU share: Lambda gives a function memory_mb / 1769 of a vCPU (1769 MB = 1 vCPU), so
    single-threaded CPU-bound work runs max(1, 1769 / memory_mb) times slower than on a full core.
  - I/O wait: the AWS calls counted on the embedded run x an assumed latency each (constants below;
    moto's in-process time is not a latency and is not used).
  - GB-s = memory_mb / 1024 x duration. Below 1769 MB a CPU-bound function costs the same GB-s at any
    memory size (slower but cheaper per second); only the I/O wait gets dearer with memory.
* Lambda requests: one invocation per SQS batch; at volume the batches are full (10 records), a
  trickle gives 1 record per invocation (both shown).
* SQS (standard, billed per 64 KiB chunk of a request): the EventBridge -> SQS SendMessage of each
  of the 4 stage events; per stage one ReceiveMessage and one DeleteMessageBatch per batch (the event
  source mapping); the publish SendMessage (ceil(message / 64 KiB) chunks). Empty long polls of idle
  queues are a fixed monthly cost, not per article, and are left out; so is the downstream consumer.
* S3: PUT (upload + 4 stage outputs) and GET-class requests (HEAD + 4 GETs), as counted on the run.
* EventBridge: S3 "Object Created" events are AWS service events on the default bus: no charge for
  them or for their delivery to SQS by a rule (assumption; custom events would be $1.00/M).
* DynamoDB on-demand: PutItem/UpdateItem = 1 WRU each (items < 1 KB), consistent GetItem = 1 RRU
  (< 4 KB), as counted on the run (idempotency claim: put in-progress + update completed per
  stage; state: ingest get + update, publish get + update).
* CloudWatch Logs: measured bytes of the handlers' JSON logs per article + ~350 bytes per invocation
  of platform lines (START/END/REPORT), at the ingestion price.
* Tag backends: offline = measured. crf = NO crf measurement exists: the offline tagger's time is
  used as a stand-in. comprehend = the same local time (its backend still runs our linker and rules)
  + Comprehend's price per unit of 100 characters with a 3-unit minimum per document, for the chunks
  its backend actually sends (`sentence_chunks`: < 5,000 bytes per document, 25 per
  BatchDetectEntities call) + an assumed latency per API call.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from articleflow.topology import STAGE_NAMES, STAGES
from bench.modes import UPLOAD_LIMIT_SIZE

# --- prices: us-east-1 list prices as of 2025-06 (the author's knowledge); check before relying ---
LAMBDA_ARM_PER_GB_S = 0.0000133334  # arm64, first 7.5 billion GB-s per month
LAMBDA_PER_REQUEST = 0.20 / 1_000_000
SQS_STANDARD_PER_REQUEST = 0.40 / 1_000_000  # after the first 1M free; each 64 KiB chunk is a request
SQS_CHUNK_BYTES = 64 * 1024
S3_PUT_PER_REQUEST = 0.005 / 1_000  # PUT, COPY, POST, LIST (S3 Standard)
S3_GET_PER_REQUEST = 0.0004 / 1_000  # GET, HEAD and others
S3_STORAGE_PER_GB_MONTH = 0.023  # S3 Standard, first 50 TB
DYNAMODB_PER_WRU = 0.625 / 1_000_000  # on-demand (price since 2024-11-01)
DYNAMODB_PER_RRU = 0.125 / 1_000_000
EVENTBRIDGE_AWS_SERVICE_EVENT = 0.0  # S3 events on the default bus (custom events: $1.00 per million)
CLOUDWATCH_LOGS_PER_GB = 0.50  # ingestion, standard class
COMPREHEND_PER_UNIT = 0.0001  # DetectEntities / BatchDetectEntities: 1 unit = 100 characters
COMPREHEND_MIN_UNITS = 3  # per document (each document of a batch counts)

# --- assumptions for the time a function waits on AWS (not measured here) ---
ARCH_FACTOR = 1.0  # Graviton core vs this machine's core for CPython
FULL_VCPU_MB = 1769
S3_CALL_S = 0.020  # first byte of a small GET/PUT/HEAD in-region
S3_BYTES_PER_S = 80e6  # transfer once the first byte is there
DYNAMODB_CALL_S = 0.006
SQS_CALL_S = 0.010
COMPREHEND_CALL_S = 0.150  # per DetectEntities / BatchDetectEntities call
PLATFORM_LOG_BYTES_PER_INVOCATION = 350
BATCH_SIZE = 10

STANDARD_MEMORY_SIZES = (128, 256, 512, 768, 1024, 1536, 1769, 2048, 3008)


def stage_memory_mb() -> dict[str, int]:
    return {stage.name: stage.memory_mb for stage in STAGES}


def stage_timeouts() -> dict[str, int]:
    return {stage.name: stage.timeout_seconds for stage in STAGES}


def io_wait_s(calls: dict[str, float], bytes_in: int, bytes_out: int) -> float:
    """Assumed wait for one article's AWS calls in one stage."""
    wait = 0.0
    for name, count in calls.items():
        service = name.split(":")[0]
        if service == "s3":
            wait += count * S3_CALL_S
        elif service == "dynamodb":
            wait += count * DYNAMODB_CALL_S
        elif service == "sqs":
            wait += count * SQS_CALL_S
    return wait + (bytes_in + bytes_out) / S3_BYTES_PER_S


def duration_s(own_s: float, memory_mb: int, io_s: float) -> float:
    return own_s * ARCH_FACTOR * max(1.0, FULL_VCPU_MB / memory_mb) + io_s


def comprehend_usage(corpus: str, size: int) -> dict[str, Any]:
    """Units and API calls the comprehend backend would spend on this article (its own chunking)."""
    from bench.stages import prepare

    article = prepare(corpus, size, with_records=False).article
    try:
        from articleflow.core.tagging.comprehend import BATCH_DOC_MAX_BYTES, BATCH_MAX_DOCUMENTS, sentence_chunks
        from articleflow.core.tagging.offline import article_fields

        documents = []
        for field in article_fields(article):
            if field.field == "byline":
                continue
            documents += [field.text[s:e] for s, e in sentence_chunks(field.text)]
        batched = [d for d in documents if len(d.encode("utf-8")) <= BATCH_DOC_MAX_BYTES]
        singles = len(documents) - len(batched)
        calls = math.ceil(len(batched) / BATCH_MAX_DOCUMENTS) + singles
        method = "articleflow.core.tagging.comprehend.sentence_chunks"
    except ImportError:  # the backend's chunker is not there: 5,000-character documents, 25 a call
        text = article.body
        documents = [text[i : i + 4_900] for i in range(0, len(text), 4_900)]
        calls = math.ceil(len(documents) / 25)
        method = "fixed 4,900-character pieces (comprehend backend not importable)"
    units = sum(max(COMPREHEND_MIN_UNITS, math.ceil(len(d) / 100)) for d in documents)
    chars = sum(map(len, documents))
    return {"documents": len(documents), "units": units, "calls": calls, "chars": chars, "method": method}


def _money(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.995 else f"${value:,.3f}"


def model(results: dict[str, Any]) -> dict[str, Any]:
    """Cost per million articles per measured pipeline size and tagger backend, with the arithmetic."""
    memory = stage_memory_mb()
    out: dict[str, Any] = {"memory_mb": memory, "sizes": {}}
    for entry in results.get("pipeline", []):
        corpus, size = entry["corpus"], entry["size"]
        sizes = results["record_bytes"].get(f"{corpus}/{size}", {})
        stored = sum(sizes.values())
        message_bytes = sizes.get("published", entry.get("message_bytes", 0))
        per_stage = {}
        for stage, data in entry["stages"].items():
            calls = data["calls_per_article"]
            bytes_in = sizes.get(f"{stage}_in", 0)
            bytes_out = sizes.get(f"{stage}_out", 0)
            io_s = io_wait_s(calls, bytes_in, bytes_out)
            own_s = data["own_ms"] / 1000
            dur = duration_s(own_s, memory[stage], io_s)
            per_stage[stage] = {"own_s": own_s, "io_s": io_s, "duration_s": dur, "gb_s": memory[stage] / 1024 * dur}
        calls_total: dict[str, float] = {}
        for data in entry["stages"].values():
            for name, count in data["calls_per_article"].items():
                calls_total[name] = calls_total.get(name, 0.0) + count
        calls_total["s3:PutObject"] = calls_total.get("s3:PutObject", 0.0) + 1  # the publisher's upload
        s3_put = calls_total.get("s3:PutObject", 0) + calls_total.get("s3:CopyObject", 0)
        s3_get = calls_total.get("s3:GetObject", 0) + calls_total.get("s3:HeadObject", 0)
        wru = calls_total.get("dynamodb:PutItem", 0) + calls_total.get("dynamodb:UpdateItem", 0)
        rru = calls_total.get("dynamodb:GetItem", 0)
        publish_chunks = math.ceil(min(message_bytes, 1_048_576) / SQS_CHUNK_BYTES) if message_bytes <= 1_040_384 else 1
        sqs_requests = 4 + 4 * 2 / BATCH_SIZE + publish_chunks
        log_bytes = entry["log_bytes_per_article"] + 4 * PLATFORM_LOG_BYTES_PER_INVOCATION / BATCH_SIZE
        backends = {}
        usage = results.get("comprehend", {}).get(f"{corpus}/{size}")
        for backend in ("offline", "crf", "comprehend"):
            stages = {k: dict(v) for k, v in per_stage.items()}
            extra = 0.0
            note = "measured"
            if backend == "crf":
                note = "NO crf measurement: offline tagger time used as a stand-in"
            if backend == "comprehend":
                if not usage:
                    continue
                tag = stages["tag"]
                tag["io_s"] += usage["calls"] * COMPREHEND_CALL_S
                tag["duration_s"] = duration_s(tag["own_s"], memory["tag"], tag["io_s"])
                tag["gb_s"] = memory["tag"] / 1024 * tag["duration_s"]
                extra = usage["units"] * COMPREHEND_PER_UNIT
                note = (
                    f"offline local time + {usage['calls']} API call(s) x {COMPREHEND_CALL_S * 1000:.0f} ms; "
                    f"{usage['documents']} document(s), {usage['units']} units"
                )
            gb_s = sum(s["gb_s"] for s in stages.values())
            lines = {
                "lambda_compute": gb_s * LAMBDA_ARM_PER_GB_S,
                "lambda_requests": 4 / BATCH_SIZE * LAMBDA_PER_REQUEST,
                "sqs": sqs_requests * SQS_STANDARD_PER_REQUEST,
                "s3_requests": s3_put * S3_PUT_PER_REQUEST + s3_get * S3_GET_PER_REQUEST,
                "dynamodb": wru * DYNAMODB_PER_WRU + rru * DYNAMODB_PER_RRU,
                "eventbridge": 4 * EVENTBRIDGE_AWS_SERVICE_EVENT,
                "cloudwatch_logs": log_bytes / 1e9 * CLOUDWATCH_LOGS_PER_GB,
                "comprehend": extra,
            }
            total = sum(lines.values())
            backends[backend] = {
                "per_million": {k: v * 1e6 for k, v in lines.items()},
                "total_per_million": total * 1e6,
                "trickle_total_per_million": (total + 4 * (1 - 1 / BATCH_SIZE) * LAMBDA_PER_REQUEST) * 1e6,
                "gb_s_per_article": gb_s,
                "stages": stages,
                "note": note,
            }
        out["sizes"][f"{corpus}/{size}"] = {
            "corpus": corpus,
            "size": size,
            "counts": {
                "s3_put": s3_put,
                "s3_get": s3_get,
                "wru": wru,
                "rru": rru,
                "sqs_requests": sqs_requests,
                "publish_chunks": publish_chunks,
                "log_bytes": log_bytes,
                "stored_bytes": stored,
            },
            "storage_per_million_per_month": stored * 1e6 / 1e9 * S3_STORAGE_PER_GB_MONTH,
            "backends": backends,
        }
    return out


def recommend(results: dict[str, Any]) -> list[str]:
    """One line per function: a memory size from the measured peak RSS and the CPU-bound share."""
    memory = stage_memory_mb()
    timeouts = stage_timeouts()
    lines = []
    mem = results.get("memory", {})
    curve = results.get("handler_curve", {})
    for stage in STAGE_NAMES:
        sizes = mem.get(stage, {}).get("sizes", {})
        if not sizes:
            continue
        peak_1m = max((v["handler"]["rss_peak_bytes"] or 0) for k, v in sizes.items() if int(k) <= 1_048_576)
        largest = max(sizes, key=int)
        peak_max = sizes[largest]["handler"]["rss_peak_bytes"] or 0
        if int(largest) < UPLOAD_LIMIT_SIZE:
            # A size fitted to a smaller article would undersize the function for the 10 MiB limit.
            lines.append(
                f"**{stage}** (now {memory[stage]} MB): peak RSS {peak_1m / 2**20:.0f} MiB up to a 1 MiB article; "
                f"no size recommended: this run stops at {int(largest) / 2**20:.3g} MiB, below the 10 MiB limit "
                "(`make bench-reference` measures it)."
            )
            continue
        need_mb = peak_max / 2**20 * 1.25 + 10  # 25 % headroom + the runtime client
        fit = next((m for m in STANDARD_MEMORY_SIZES if m >= need_mb), STANDARD_MEMORY_SIZES[-1])
        slowest = curve.get(stage, {}).get(largest)
        timing = ""
        if slowest is not None:
            at = {m: slowest * max(1.0, FULL_VCPU_MB / m) for m in (memory[stage], fit, 1024, FULL_VCPU_MB)}
            timing = (
                f"; a {int(largest) / 2**20:.3g} MiB article takes {slowest:.2f} s of CPU on a full core, so about "
                + ", ".join(f"{t:.1f} s at {m} MB" for m, t in sorted(at.items()))
                + f" (timeout {timeouts[stage]} s)"
            )
        lines.append(
            f"**{stage}** (now {memory[stage]} MB): peak RSS {peak_1m / 2**20:.0f} MiB up to a 1 MiB article, "
            f"{peak_max / 2**20:.0f} MiB at {int(largest) / 2**20:.3g} MiB -> smallest size with 25 % headroom: "
            f"{fit} MB{timing}."
        )
    return lines


def markdown(results: dict[str, Any]) -> str:
    costs = results.get("cost") or model(results)
    memory = costs["memory_mb"]
    out = [
        "## Cost model (us-east-1 list prices as of 2025-06; check before relying)",
        "",
        f"Prices: Lambda arm64 ${LAMBDA_ARM_PER_GB_S}/GB-s and ${LAMBDA_PER_REQUEST * 1e6:.2f}/M requests; "
        f"SQS standard ${SQS_STANDARD_PER_REQUEST * 1e6:.2f}/M requests (per 64 KiB chunk); S3 PUT "
        f"${S3_PUT_PER_REQUEST * 1e3}/1k, GET/HEAD ${S3_GET_PER_REQUEST * 1e3}/1k, storage "
        f"${S3_STORAGE_PER_GB_MONTH}/GB-month; DynamoDB on-demand ${DYNAMODB_PER_WRU * 1e6}/M WRU, "
        f"${DYNAMODB_PER_RRU * 1e6}/M RRU; EventBridge S3 events to the default bus $0 (AWS service events, "
        f"assumption); CloudWatch Logs ${CLOUDWATCH_LOGS_PER_GB}/GB ingested; Comprehend entities "
        f"${COMPREHEND_PER_UNIT}/unit of 100 characters, minimum {COMPREHEND_MIN_UNITS} units per document. "
        "Not included: free tiers, X-Ray traces (template has `Tracing: Active`; $5/M traces recorded, "
        "sampled), CloudWatch custom metrics and alarms (fixed monthly), idle queue polling (fixed), data "
        "transfer out, the downstream consumer.",
        "",
        f"Assumptions: I/O wait per AWS call S3 {S3_CALL_S * 1000:.0f} ms + {S3_BYTES_PER_S / 1e6:.0f} MB/s, "
        f"DynamoDB {DYNAMODB_CALL_S * 1000:.0f} ms, SQS {SQS_CALL_S * 1000:.0f} ms, Comprehend "
        f"{COMPREHEND_CALL_S * 1000:.0f} ms per call; CPU share memory/1769 MB of a vCPU; Graviton core = this "
        f"core (x{ARCH_FACTOR}); full batches of {BATCH_SIZE}. Memory: "
        + ", ".join(f"{k} {v} MB" for k, v in memory.items())
        + " (topology.py).",
        "",
        "| article | backend | Lambda GB-s | Lambda compute | Lambda req | SQS | S3 req | DynamoDB | Logs "
        "| Comprehend | **total $/M articles** | 1 record/invocation |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, entry in costs["sizes"].items():
        for backend, b in entry["backends"].items():
            p = b["per_million"]
            out.append(
                f"| {key} ({entry['size'] / 1024:g} KiB) | {backend} | {b['gb_s_per_article']:.4f} | "
                f"{_money(p['lambda_compute'])} | {_money(p['lambda_requests'])} | {_money(p['sqs'])} | "
                f"{_money(p['s3_requests'])} | {_money(p['dynamodb'])} | {_money(p['cloudwatch_logs'])} | "
                f"{_money(p['comprehend'])} | **{_money(b['total_per_million'])}** | "
                f"{_money(b['trickle_total_per_million'])} |"
            )
    out += ["", "Arithmetic per article (offline backend):", ""]
    for key, entry in costs["sizes"].items():
        c = entry["counts"]
        b = entry["backends"]["offline"]
        stage_terms = "; ".join(
            f"{name} {memory[name]}/1024 GB x ({s['own_s'] * 1000:.1f} ms x {max(1.0, FULL_VCPU_MB / memory[name]):.2f}"
            f" + {s['io_s'] * 1000:.0f} ms I/O) = {s['gb_s']:.4f} GB-s"
            for name, s in b["stages"].items()
        )
        out.append(
            f"- **{key}**: {stage_terms}. Lambda requests 4 / {BATCH_SIZE} = {4 / BATCH_SIZE:.1f}. "
            f"SQS 4 event sends + 4 x (1 receive + 1 delete batch) / {BATCH_SIZE} + {c['publish_chunks']} publish "
            f"chunk(s) = {c['sqs_requests']:.1f} requests. S3 {c['s3_put']:.0f} PUT + {c['s3_get']:.0f} GET/HEAD. "
            f"DynamoDB {c['wru']:.0f} WRU + {c['rru']:.0f} RRU. Logs {c['log_bytes']:.0f} bytes. Stored per article "
            f"(upload + 4 records + published) {c['stored_bytes'] / 1024:.0f} KiB -> "
            f"${entry['storage_per_million_per_month']:,.2f} per million articles per month kept (not in the total)."
        )
    out += ["", "### Memory size recommendations", ""]
    out += [f"- {line}" for line in recommend(results)]
    out.append(
        "- Rule used: Lambda CPU scales with memory (1769 MB = 1 vCPU); our stages are single-threaded and "
        "CPU-bound, so below 1769 MB more memory buys proportionally less duration at about the same GB-s "
        "(same cost), and above 1769 MB it buys nothing for one thread. Size for the largest accepted article "
        "(10 MiB) with headroom, then raise memory only where latency or the timeout needs it."
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(__file__).resolve().parent / "results" / "latest.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    results["cost"] = model(results)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
