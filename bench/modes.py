"""The bench's two runs: the quick default (`make bench`) and the full reference (`make bench-reference`).

Both produce the same report (every section and column); the quick run takes fewer repetitions and
stops at 1 MiB, so what only the sizes above 1 MiB can show (linearity up to the 10 MiB limit,
memory at 10 MiB) is marked as not judged rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.articles import KIB, MIB

UPLOAD_LIMIT_SIZE = 10 * MIB - 64  # the largest article ingest accepts (10 MiB, inclusive), in the curve


@dataclass(frozen=True)
class Mode:
    name: str
    table_sizes: tuple[int, ...]  # both corpora, core functions and peers
    curve_sizes: tuple[int, ...]  # `ar`, handlers and normalize + tag; the last one also gets a memory run
    small_min_runs: int  # timed calls per article below 1 MiB (more while within small_budget_s)
    small_budget_s: float
    large_min_runs: int  # timed calls per article at 1 MiB and above (no time budget: each is slow)
    cold_runs: int  # fresh interpreters per handler and the floor
    no_pyc_runs: int
    count_instructions: bool  # callgrind, ~15 s of CPU per process: deterministic, so the reference has it
    package_runs: int  # fresh interpreters per handler and variant from the deployed layout
    pipeline_plan: tuple[tuple[str, int, int], ...]  # (corpus, size, articles) on the embedded AWS
    profile_seconds: float  # pyinstrument sampling per profiled stage and corpus

    @property
    def largest(self) -> int:
        return max(self.curve_sizes)

    @property
    def reaches_limit(self) -> bool:
        """Whether the run measures an article at the 10 MiB upload limit."""
        return self.largest >= UPLOAD_LIMIT_SIZE


TABLE_SIZES = (KIB, 10 * KIB, 100 * KIB, MIB)

QUICK = Mode(
    name="quick",
    table_sizes=TABLE_SIZES,
    curve_sizes=TABLE_SIZES,
    small_min_runs=3,
    small_budget_s=0.2,
    large_min_runs=1,
    cold_runs=5,
    no_pyc_runs=1,
    count_instructions=False,
    package_runs=3,
    pipeline_plan=(("ar", KIB, 10), ("ar", 10 * KIB, 10), ("ar", 100 * KIB, 5), ("ar", MIB, 2), ("en", 10 * KIB, 10)),
    profile_seconds=0.5,
)

REFERENCE = Mode(
    name="reference",
    table_sizes=TABLE_SIZES,
    curve_sizes=(*TABLE_SIZES, 2 * MIB, 5 * MIB, UPLOAD_LIMIT_SIZE),
    small_min_runs=5,
    small_budget_s=1.0,
    large_min_runs=3,
    cold_runs=9,
    no_pyc_runs=3,
    count_instructions=True,
    package_runs=7,
    pipeline_plan=(("ar", KIB, 50), ("ar", 10 * KIB, 50), ("ar", 100 * KIB, 20), ("ar", MIB, 5), ("en", 10 * KIB, 50)),
    profile_seconds=2.0,
)

MODES = {mode.name: mode for mode in (QUICK, REFERENCE)}
