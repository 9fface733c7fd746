"""Peak memory per stage, each stage in its own fresh process (so one stage's arenas do not hide
another's), sizes in increasing order.

For each size: the core function and the handler's `process()` (in-memory AWS), each measured by
`measure.measure_memory`: tracemalloc peak (Python allocations made during the call), RSS delta
(peak RSS during the call minus RSS before it, after resetting the kernel's high-water mark) and
the process's peak RSS during the call: the interpreter, the imported handler module (and, for tag,
the gazetteer) plus the article; this is the figure to hold against the function's memory size
(Lambda's "Max Memory Used" adds the runtime client, a few MB).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.cold_start import run_python_json

_CHILD = r"""
import json, sys
from bench.env import apply_handler_env
apply_handler_env()
from bench.measure import measure_memory, rss_kib
from bench.stages import BenchWorld, handler_module, offline_tagger, MAX_UPLOAD_BYTES, BUCKET
stage, paths = sys.argv[1], sys.argv[2:]
module = handler_module(stage)
out = {"baseline_rss_bytes": rss_kib()[0] * 1024 if rss_kib() else None, "sizes": {}}
for path in paths:
    size = int(path.rsplit("-", 1)[1])
    doc = open(path, "rb").read()
    if stage == "ingest":
        from articleflow.core.ingest import inspect_upload
        core = lambda: inspect_upload(doc, MAX_UPLOAD_BYTES)
    elif stage == "normalize":
        from articleflow.models.records import IngestedRecord
        from articleflow.core.normalize.text import normalize_text
        text = IngestedRecord.model_validate_json(doc).text
        core = lambda: normalize_text(text)
    elif stage == "tag":
        from articleflow.models.records import NormalizedRecord
        article = NormalizedRecord.model_validate_json(doc).article
        tagger = offline_tagger()
        core = lambda: tagger.tag(article)
    else:
        from datetime import UTC, datetime
        from articleflow.models.records import StageRun, TaggedRecord
        from articleflow.core.publish import build_message, publish_payload
        record = TaggedRecord.model_validate_json(doc)
        run = StageRun(stage="publish", version="bench", duration_ms=1.0)
        def core():
            message = build_message(record, datetime.now(UTC), run)
            document = message.model_dump_json()
            return publish_payload(message, document, BUCKET, "published/x.json", "v1")
    core_memory = measure_memory(core)
    del core
    world = BenchWorld()
    world.put_input(stage, doc)
    handler_memory = measure_memory(world.call(module, stage))
    out["sizes"][str(size)] = {
        "input_bytes": len(doc), "core": core_memory.as_dict(), "handler": handler_memory.as_dict()
    }
    del world, doc
print(json.dumps(out))
"""


def measure(stages: tuple[str, ...], records_by_size: dict[int, dict[str, bytes]]) -> dict[str, Any]:
    results: dict[str, Any] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory() as folder:
        for stage in stages:
            paths = []
            for size in sorted(records_by_size):
                path = Path(folder) / f"{stage}-{size}"
                path.write_bytes(records_by_size[size][stage])
                paths.append(str(path))
            results[stage] = run_python_json(_CHILD, [stage, *paths], f"memory run of {stage}")
    return results
