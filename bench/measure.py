"""Timing and memory helpers: medians of repeated calls, tracemalloc peaks, RSS high-water marks."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Timing:
    median_s: float
    min_s: float
    runs: int

    def as_dict(self) -> dict[str, Any]:
        return {"median_s": self.median_s, "min_s": self.min_s, "runs": self.runs}


def time_call(fn: Callable[[], object], *, min_runs: int = 5, max_runs: int = 200, budget_s: float = 1.0) -> Timing:
    """Median wall time of `fn()` over at least `min_runs` calls (more while within `budget_s`).

    One untimed warm-up call first (lazy loads, caches). The garbage collector stays on, as in Lambda.
    """
    fn()
    times: list[float] = []
    spent = 0.0
    while len(times) < max_runs and (len(times) < min_runs or spent < budget_s):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
    return Timing(statistics.median(times), min(times), len(times))


def rss_kib() -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of this process in KiB, or None where /proc is not available."""
    try:
        fields = dict(line.split(":", 1) for line in _STATUS.read_text().splitlines() if line.startswith("Vm"))
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return None


def reset_rss_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


@dataclass
class Memory:
    tracemalloc_peak_bytes: int
    rss_delta_bytes: int | None  # peak RSS during the call minus RSS before it
    rss_peak_bytes: int | None  # the process's peak RSS during the call (what Lambda reports)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tracemalloc_peak_bytes": self.tracemalloc_peak_bytes,
            "rss_delta_bytes": self.rss_delta_bytes,
            "rss_peak_bytes": self.rss_peak_bytes,
        }


def measure_memory(fn: Callable[[], object]) -> Memory:
    """Peak memory of one call: RSS high-water mark first (untraced), then a tracemalloc run."""
    fn()  # warm-up: lazy loads belong to the baseline, not to the article
    gc.collect()
    rss_delta = rss_peak = None
    if reset_rss_peak() and (before := rss_kib()):
        fn()
        after = rss_kib()
        if after:
            rss_peak = after[1] * 1024
            rss_delta = (after[1] - before[0]) * 1024
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Memory(peak - base, rss_delta, rss_peak)
