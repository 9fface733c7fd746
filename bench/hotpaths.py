"""Focused before/after timings of the profiled hot paths (issue 5).

``python -m bench.hotpaths [--stages ingest,normalize,tag] [--sizes 10240,102400,1048576]
[--memory 1048576,10485760] [--out FILE.json]``

Per corpus (ar, en), stage and size: the median ms/article of the stage's core function (the same
callables as `bench.stages.core_calls`, timed by `bench.measure.time_call`), and the output's
fingerprint (a SHA-256 of its repr) so a before/after pair can be checked for identical outputs.
With ``--memory``: the tracemalloc peak of one tag call on the `ar` article of each size.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import tracemalloc
from pathlib import Path
from typing import Any

from bench.measure import time_call
from bench.stages import core_calls, prepare


def fingerprint(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:16]


def tag_peak_mib(size: int) -> float:
    calls = core_calls(prepare("ar", size, with_records=False))
    calls["tag"]()  # warm-up
    gc.collect()
    tracemalloc.start()
    calls["tag"]()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hotpaths", description=__doc__)
    parser.add_argument("--stages", default="ingest,normalize,tag")
    parser.add_argument("--sizes", default="10240,102400,1048576")
    parser.add_argument("--corpora", default="ar,en")
    parser.add_argument("--memory", default="", help="sizes for the tag tracemalloc peak (ar)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for corpus in args.corpora.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            inputs = prepare(corpus, size, with_records=False)
            calls = core_calls(inputs)
            for stage in args.stages.split(","):
                timing = time_call(calls[stage], min_runs=5 if size < 2**20 else 3, budget_s=1.0)
                key = f"{corpus}/{stage}/{size // 1024}KiB"
                results[key] = {"ms": timing.median_s * 1000, "out": fingerprint(calls[stage]())}
                print(f"{key:24} {timing.median_s * 1000:10.3f} ms  out={results[key]['out']}", flush=True)
    for size in (int(s) for s in args.memory.split(",") if s):
        peak = tag_peak_mib(size)
        results[f"ar/tag-peak/{size // 1024}KiB"] = peak
        print(f"ar/tag tracemalloc peak {size // 1024} KiB: {peak:.1f} MiB", flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
