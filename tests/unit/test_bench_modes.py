"""The bench's modes (`bench/modes.py`) without running the bench: the quick `make bench` stops at
1 MiB yet fills the same tables, the reference run reaches the 10 MiB limit, and what only the
reference can judge is reported as not judged."""

from __future__ import annotations

from bench import cost
from bench.articles import KIB, MIB
from bench.modes import QUICK, REFERENCE, UPLOAD_LIMIT_SIZE
from bench.run import _curve, _marginal_halves


def test_quick_mode_caps_every_size_at_1_mib() -> None:
    sizes = {*QUICK.table_sizes, *QUICK.curve_sizes, *(size for _, size, _ in QUICK.pipeline_plan)}
    assert max(sizes) == MIB
    assert QUICK.largest == MIB
    assert not QUICK.reaches_limit


def test_reference_mode_includes_the_10_mib_limit() -> None:
    assert 10 * MIB - KIB < UPLOAD_LIMIT_SIZE <= 10 * MIB
    assert UPLOAD_LIMIT_SIZE in REFERENCE.curve_sizes
    assert REFERENCE.reaches_limit


def test_quick_mode_fills_the_same_rows_with_fewer_repetitions() -> None:
    assert QUICK.table_sizes == REFERENCE.table_sizes
    assert set(QUICK.curve_sizes) <= set(REFERENCE.curve_sizes)
    assert [(c, s) for c, s, _ in QUICK.pipeline_plan] == [(c, s) for c, s, _ in REFERENCE.pipeline_plan]
    assert all(q[2] < r[2] for q, r in zip(QUICK.pipeline_plan, REFERENCE.pipeline_plan, strict=True))
    assert QUICK.small_min_runs < REFERENCE.small_min_runs
    assert QUICK.cold_runs < REFERENCE.cold_runs
    assert QUICK.package_runs < REFERENCE.package_runs


def _linear_core(sizes: tuple[int, ...]) -> dict[str, float]:
    """normalize + tag seconds growing linearly with size, as `run()` stores them."""
    core = {}
    for size in sizes:
        core[f"ar/{size}/normalize"] = 0.001 + size / MIB * 0.1
        core[f"ar/{size}/tag"] = 0.002 + size / MIB * 0.8
    return core


def test_linearity_is_judged_only_up_to_the_limit() -> None:
    assert _marginal_halves(_linear_core(QUICK.curve_sizes)) is None
    low, high = _marginal_halves(_linear_core(REFERENCE.curve_sizes)) or (0.0, 0.0)
    assert low > 0
    assert abs(high / low - 1) < 0.01

    quick_curve = "\n".join(_curve({"core_s": _linear_core(QUICK.curve_sizes)}))
    assert "This run stops at 1 MiB" in quick_curve
    assert "make bench-reference" in quick_curve
    reference_curve = "\n".join(_curve({"core_s": _linear_core(REFERENCE.curve_sizes)}))
    assert "make bench-reference" not in reference_curve
    assert "| 10 MiB |" in reference_curve


def _memory_up_to(largest: int) -> dict[str, object]:
    handler = {"rss_peak_bytes": 100 * MIB, "tracemalloc_peak_bytes": MIB, "rss_delta_bytes": MIB}
    sizes = {str(size): {"handler": handler} for size in REFERENCE.curve_sizes if size <= largest}
    return {"memory": {"tag": {"sizes": sizes}}, "handler_curve": {"tag": {str(largest): 1.0}}}


def test_memory_size_is_recommended_only_from_the_10_mib_article() -> None:
    (quick_line,) = cost.recommend(_memory_up_to(MIB))
    assert "no size recommended" in quick_line
    (reference_line,) = cost.recommend(_memory_up_to(UPLOAD_LIMIT_SIZE))
    assert "smallest size with 25 % headroom: 256 MB" in reference_line
