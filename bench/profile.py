"""Where the time goes: pyinstrument profiles of the hot stages on a 100 KiB article.

Writes `<folder>/<prefix>profile-<stage>-<corpus>.txt` (the reference run: `results/profile-*.txt`):
the pyinstrument call tree (sampling, low overhead: the true proportions) and then cProfile's
functions by self time (deterministic: exact call counts, but its per-call overhead inflates small
functions).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.stages import core_calls, prepare

PROFILED = ("normalize", "tag", "ingest")


def cprofile_top(fn: Callable[[], object], calls: int, top: int = 25) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:])


def profile_call(fn: Callable[[], object], min_seconds: float = 2.0) -> tuple[str, str, int]:
    from pyinstrument import Profiler

    fn()  # warm-up
    profiler = Profiler(interval=0.0005)
    calls = 0
    started = time.perf_counter()
    profiler.start()
    while calls < 3 or time.perf_counter() - started < min_seconds:
        fn()
        calls += 1
    profiler.stop()
    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    return tree, cprofile_top(fn, calls), calls


def run(
    out_dir: Path,
    corpora: tuple[str, ...] = ("ar", "en"),
    size: int = 100 * 1024,
    seconds: float = 2.0,
    prefix: str = "",
) -> dict[str, str]:
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        return {}
    written: dict[str, str] = {}
    for corpus in corpora:
        calls = core_calls(prepare(corpus, size, with_records=False))
        for stage in PROFILED:
            tree, by_self, n = profile_call(calls[stage], min_seconds=seconds)
            path = out_dir / f"{prefix}profile-{stage}-{corpus}.txt"
            head = (
                f"pyinstrument profile of the {stage} core on a {size // 1024} KiB '{corpus}' article, "
                f"{n} calls (times are totals over all calls; divide by {n} for one article)\n\n"
            )
            tree_top = "\n".join(tree.splitlines()[:100])
            path.write_text(
                f"{head}== pyinstrument call tree ==\n{tree_top}\n\n"
                f"== cProfile, by self time ({n} calls) ==\n{by_self}\n",
                encoding="utf-8",
            )
            written[f"{stage}-{corpus}"] = str(path)
    return written
