"""`make bench`: measure every stage, the cold starts, the whole pipeline and the peers; write
`bench/results/latest.md` and `latest.json`.

    python -m bench.run              # quick: sizes up to 1 MiB, fewer repetitions (`make bench`)
    python -m bench.run --full       # the reference configuration, up to the 10 MiB limit
    python -m bench.run --reference  # the full run, also copied to bench/results/reference.md with its
                                     # profiles (`make bench-reference`)

Both runs write the same sections and columns (`bench/modes.py` holds what differs).

A benchmark, not a test: the targets are checked and reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import cost, peers
from bench.articles import KIB, MIB, corpus, size_label
from bench.cold_start import FLOOR
from bench.env import apply_handler_env
from bench.measure import time_call
from bench.modes import MODES, QUICK, REFERENCE, UPLOAD_LIMIT_SIZE, Mode
from bench.stages import STAGE_NAMES, Inputs, core_calls, handler_calls, prepare, published_bytes

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"cold_import_ms": 300.0, "normalize_tag_10k_ms": 20.0, "memory_1m_mib": 256.0}
LINEAR_MAX_SPREAD = 1.5  # marginal cost above 1 MiB vs below it, either way, still called linear


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _timing(fn: Any, size: int, mode: Mode) -> float:
    if size >= MIB:
        return time_call(fn, min_runs=mode.large_min_runs, budget_s=0.0).median_s
    return time_call(fn, min_runs=mode.small_min_runs, budget_s=mode.small_budget_s).median_s


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it waited for (the bench's fresh interpreters)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def environment() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    cpu = ""
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu or platform.processor(),
        "cpus": os.cpu_count(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty_files": len(git("status", "--porcelain").splitlines()),
        "trafilatura": peers.trafilatura_version(),
        "pyahocorasick": peers.ahocorasick_version(),
        "load_average_start": _load_average(),
    }


def run(mode: Mode, profiles_dir: Path, profiles_prefix: str = "") -> dict[str, Any]:
    apply_handler_env()
    corpora = ("ar", "en")
    table_sizes, curve_sizes = mode.table_sizes, mode.curve_sizes
    results: dict[str, Any] = {"environment": environment(), "mode": mode.name, "targets": TARGETS}
    results["corpora"] = {name: corpus(name).description for name in corpora}

    log("preparing articles and stage inputs")
    inputs = _prepare_inputs(corpora, mode)
    results["record_bytes"] = _record_bytes(inputs)

    log("core and handler timings")
    results["core_s"], results["handler_s"] = _stage_timings(inputs, mode)
    results["handler_curve"] = {
        stage: {str(s): results["handler_s"][f"ar/{s}/{stage}"] for s in curve_sizes} for stage in STAGE_NAMES
    }

    log("peers")
    results["peers"] = _peer_timings(inputs, corpora, mode)

    log("memory (fresh process per stage)")
    from bench import memory

    mem_sizes = sorted({*table_sizes, mode.largest})
    results["memory"] = memory.measure(STAGE_NAMES, {s: inputs[("ar", s)].records for s in mem_sizes})

    log("cold starts (fresh processes)")
    from bench import cold_start

    results["cold_start"] = cold_start.measure(
        STAGE_NAMES,
        inputs[("ar", 10 * KIB)].records,
        runs=mode.cold_runs,
        no_pyc_runs=mode.no_pyc_runs,
        count_instructions=mode.count_instructions,
    )
    log("cold starts from the deployed layout, without and with shipped bytecode")
    from bench import package_cold_start

    results["package_cold_start"] = package_cold_start.measure(STAGE_NAMES, runs=mode.package_runs)

    log("embedded pipeline")
    from bench import pipeline

    plan = mode.pipeline_plan
    results["pipeline"] = [pipeline.run_size_fresh(c, s, n) for c, s, n in plan]

    log("comprehend usage and cost model")
    results["comprehend"] = {f"{c}/{s}": cost.comprehend_usage(c, s) for c, s, _ in plan}
    results["cost"] = cost.model(results)

    log("profiles (pyinstrument, 100 KiB)")
    from bench import profile

    results["profiles"] = profile.run(profiles_dir, corpora, seconds=mode.profile_seconds, prefix=profiles_prefix)
    return results


def _prepare_inputs(corpora: tuple[str, ...], mode: Mode) -> dict[tuple[str, int], Inputs]:
    """Each corpus at each table size, and the Arabic one at each size of the curves too."""
    inputs = {(c, s): prepare(c, s) for c in corpora for s in mode.table_sizes}
    for s in mode.curve_sizes:
        inputs.setdefault(("ar", s), prepare("ar", s))
    return inputs


def _record_bytes(inputs: dict[tuple[str, int], Inputs]) -> dict[str, dict[str, int]]:
    """The size of what each stage reads and writes, by corpus/size."""
    record_bytes = {}
    for (c, s), inp in inputs.items():
        sizes = {f"{stage}_in": len(doc) for stage, doc in inp.records.items()}
        for stage, nxt in itertools.pairwise(STAGE_NAMES):
            sizes[f"{stage}_out"] = sizes[f"{nxt}_in"]
        sizes["publish_out"] = sizes["published"] = published_bytes(inp)
        record_bytes[f"{c}/{s}"] = sizes
    return record_bytes


def _stage_timings(inputs: dict[tuple[str, int], Inputs], mode: Mode) -> tuple[dict[str, float], dict[str, float]]:
    """(core, handler) median seconds by corpus/size/stage: the core at the table sizes (normalize and
    tag also at the curve sizes), the handlers for the Arabic corpus at every size."""
    core: dict[str, float] = {}
    handler: dict[str, float] = {}
    for (c, s), inp in sorted(inputs.items()):
        if s not in mode.table_sizes and c != "ar":
            continue
        calls = core_calls(inp)
        for stage in STAGE_NAMES:
            if s in mode.table_sizes or stage in ("normalize", "tag"):
                core[f"{c}/{s}/{stage}"] = _timing(calls[stage], s, mode)
        if c == "ar":
            hcalls = handler_calls(inp)
            for stage in STAGE_NAMES:
                handler[f"{c}/{s}/{stage}"] = _timing(hcalls[stage], s, mode)
    return core, handler


def _peer_timings(inputs: dict[tuple[str, int], Inputs], corpora: tuple[str, ...], mode: Mode) -> dict[str, Any]:
    """trafilatura and pyahocorasick on the same articles, when installed."""
    peer: dict[str, Any] = {"automaton_build_s": peers.automaton_build_seconds()}
    for c in corpora:
        for s in mode.table_sizes:
            traf = peers.trafilatura_call(c, s)
            if traf:
                peer[f"{c}/{s}/trafilatura"] = _timing(traf[0], s, mode)
                peer[f"{c}/{s}/trafilatura_html_bytes"] = traf[1]
            aho = peers.ahocorasick_call(inputs[(c, s)].article.body)
            if aho:
                peer[f"{c}/{s}/ahocorasick"] = _timing(aho, s, mode)
    return peer


# -- report -------------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    ms = seconds * 1000
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:,.0f}"


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / MIB:.2f}"


def _times(value: int, base: int) -> str:
    return f"{value / base:.1f}x"


def _ratio(ours: float | None, theirs: float | None) -> str:
    return "" if not ours or not theirs else f"{ours / theirs:.2f}x"


def render(results: dict[str, Any]) -> str:
    env = results["environment"]
    core, handler, peer, mem = results["core_s"], results["handler_s"], results["peers"], results["memory"]
    rb = results["record_bytes"]
    mode = MODES[results["mode"]]
    out = [
        "# articleflow bench" + ("" if mode.reaches_limit else f" ({mode.name} run: up to {size_label(mode.largest)})"),
        "",
        f"{env['date']}; commit {env['commit']} ({env['dirty_files']} uncommitted files); Python {env['python']} on "
        f"{env['cpu']} ({env['cpus']} CPUs; every figure is one process on one core); trafilatura "
        f"{env['trafilatura']}, pyahocorasick {env['pyahocorasick']}.",
        "",
        *_run_time(results),
        "Articles (sizes are UTF-8 bytes of the upload; KiB/MiB):",
        "",
        *[f"- `{name}`: {text}" for name, text in results["corpora"].items()],
        "",
        "## Targets (checked, not asserted)",
        "",
    ]
    out += _targets(results)
    out += [
        "",
        "## Per stage (core functions), per article",
        "",
        "Core = ingest `inspect_upload` + `article_id_for`; `normalize_text`; offline tagger `.tag(article)`; "
        "publish `build_message` + `model_dump_json()` + `publish_payload`. Time: median of repeated calls "
        f"(1 warm-up; >= {mode.large_min_runs} calls at >= 1 MiB, else >= {mode.small_min_runs} and "
        f"~{mode.small_budget_s:g} s). Memory (`ar` only, fresh process per stage): "
        "tracemalloc peak of one call and RSS delta (peak RSS during the call minus RSS before), with the ratio "
        "to the article size. Peer: trafilatura.extract on the article in HTML (beside normalize), "
        "pyahocorasick over the gazetteer's names (beside tag); ratio = ours / peer (above 1x: we are slower).",
        "",
        "| corpus | stage | size | ms/article | articles/s | MB/s | peer ms | ours/peer | tracemalloc peak MiB "
        "| x article | RSS delta MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in results["corpora"]:
        for stage in STAGE_NAMES:
            for s in mode.table_sizes:
                t = core.get(f"{c}/{s}/{stage}")
                if t is None:
                    continue
                nbytes = rb[f"{c}/{s}"]["ingest_in"]
                peer_t = None
                if stage == "normalize":
                    peer_t = peer.get(f"{c}/{s}/trafilatura")
                elif stage == "tag":
                    peer_t = peer.get(f"{c}/{s}/ahocorasick")
                m = mem.get(stage, {}).get("sizes", {}).get(str(s), {}).get("core") if c == "ar" else None
                out.append(
                    f"| {c} | {stage} | {size_label(s)} | {_ms(t)} | {1 / t:,.0f} | {nbytes / t / 1e6:.2f} | "
                    f"{_ms(peer_t) if peer_t else ''} | {_ratio(t, peer_t)} | "
                    f"{_mib(m['tracemalloc_peak_bytes']) if m else ''} | "
                    f"{_times(m['tracemalloc_peak_bytes'], nbytes) if m else ''} | "
                    f"{_mib(m['rss_delta_bytes']) if m else ''} |"
                )
    out += [
        "",
        "## Per stage (the real handler `process()`, S3/DynamoDB/SQS in memory), `ar`",
        "",
        "Adds what the Lambda does besides the core: parse + validate the previous record, build + dump its "
        "own. Process peak RSS = the whole process (interpreter, the handler module and its imports, the "
        "article): the figure to hold against the function's memory size.",
        "",
        "| stage | size | ms/article | vs core | articles/s | MB/s | input record KiB | tracemalloc peak MiB "
        "| process peak RSS MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for stage in STAGE_NAMES:
        for s in sorted({int(k) for k in results["handler_curve"][stage]}):
            t = handler[f"ar/{s}/{stage}"]
            nbytes = rb[f"ar/{s}"]["ingest_in"]
            m = mem.get(stage, {}).get("sizes", {}).get(str(s), {}).get("handler")
            c_t = core.get(f"ar/{s}/{stage}")
            out.append(
                f"| {stage} | {size_label(s)} | {_ms(t)} | {_ratio(t, c_t)} | {1 / t:,.1f} | {nbytes / t / 1e6:.2f} | "
                f"{rb[f'ar/{s}'][f'{stage}_in'] / KIB:,.0f} | {_mib(m['tracemalloc_peak_bytes']) if m else ''} | "
                f"{_mib(m['rss_peak_bytes']) if m else ''} |"
            )
    out += _curve(results)
    out += _cold(results)
    out += _pipeline(results)
    out += ["", cost.markdown(results)]
    out += _profiles(results)
    return "\n".join(out) + "\n"


def _run_time(results: dict[str, Any]) -> list[str]:
    """How long the run took, beside the machine's load: other work on the shared cores stretches the
    wall time (and the timings), not the CPU time."""
    if "elapsed_s" not in results or "cpu_s" not in results:
        return []
    env = results["environment"]
    loads = [env.get("load_average_start"), results.get("load_average_end")]
    load = (
        f"; 1-minute load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end" if None not in loads else ""
    )
    return [
        f"Run ({results['mode']}): {results['elapsed_s'] / 60:.1f} min wall, {results['cpu_s'] / 60:.1f} min CPU "
        f"(this process and its fresh interpreters){load}.",
        "",
    ]


def _targets(results: dict[str, Any]) -> list[str]:
    cold = results["cold_start"]
    core = results["core_s"]
    mem = results["memory"]
    lines = ["| target | measured | met |", "| --- | --- | --- |"]
    floor = cold[FLOOR]
    for stage in STAGE_NAMES:
        ms = cold[stage]["import_ms"]
        # Beside the noisy wall time, the ratio to the floor's instructions where counted (same every run).
        if cold[stage].get("instructions") and floor.get("instructions"):
            versus = f"{cold[stage]['instructions'] / floor['instructions']:.2f}x the floor's instructions"
        else:
            versus = f"{ms / floor['import_ms']:.2f}x the floor's time"
        lines.append(
            f"| cold import of {stage} handler < {TARGETS['cold_import_ms']:.0f} ms | {ms:.0f} ms (median of "
            f"{cold[stage]['runs']}; SDK + pydantic floor {floor['import_ms']:.0f} ms; {versus}) | "
            f"{'yes' if ms < TARGETS['cold_import_ms'] else '**no**'} |"
        )
    for c in results["corpora"]:
        t = (core[f"{c}/{10 * KIB}/normalize"] + core[f"{c}/{10 * KIB}/tag"]) * 1000
        lines.append(
            f"| 10 KiB `{c}` article through normalize + tag < {TARGETS['normalize_tag_10k_ms']:.0f} ms | {t:.1f} ms "
            f"| {'yes' if t < TARGETS['normalize_tag_10k_ms'] else '**no**'} |"
        )
    halves = _marginal_halves(results["core_s"])
    if halves:
        low, high = halves
        lines.append(
            f"| normalize + tag linear in size up to 10 MiB | marginal cost {low:.3f} ms per extra KiB from 10 KiB "
            f"to 1 MiB, {high:.3f} from 1 MiB to 10 MiB ({high / low:.2f}x) | "
            f"{'yes' if max(high / low, low / high) < LINEAR_MAX_SPREAD else '**no**'} (see curve) |"
        )
    else:
        # Below 1 MiB alone the fixed cost per article bends the curve: no verdict rather than a misleading one.
        largest = size_label(max(_curve_sizes(core)))
        lines.append(
            f"| normalize + tag linear in size up to 10 MiB | not measured: this run stops at {largest} "
            "(`make bench-reference` measures up to the limit) | not judged |"
        )
    for stage in STAGE_NAMES:
        m = mem.get(stage, {}).get("sizes", {}).get(str(MIB))
        if m:
            peak = (m["handler"]["rss_peak_bytes"] or 0) / MIB
            lines.append(
                f"| {stage}: memory on a 1 MiB article < {TARGETS['memory_1m_mib']:.0f} MB | process peak RSS "
                f"{peak:.0f} MiB (tracemalloc peak {m['handler']['tracemalloc_peak_bytes'] / MIB:.1f} MiB) | "
                f"{'yes' if peak < TARGETS['memory_1m_mib'] else '**no**'} |"
            )
    return lines


def _normalize_tag_s(core: dict[str, float], size: int) -> tuple[float, float]:
    """Seconds per `ar` article of `size` bytes in normalize and in tag."""
    return core[f"ar/{size}/normalize"], core[f"ar/{size}/tag"]


def _slope(core: dict[str, float], size: int) -> float:
    """Normalize + tag, in ms per KiB of upload."""
    return sum(_normalize_tag_s(core, size)) * 1000 / (size / KIB)


def _marginal_halves(core: dict[str, float]) -> tuple[float, float] | None:
    """ms per extra KiB from 10 KiB to 1 MiB and from 1 MiB to the 10 MiB limit.

    Wide intervals: a slow spell of the machine during one size's calls moves a single step of the
    curve by a third, but these two by a few percent. Quadratic cost would make the second about
    ten times the first.
    """
    top = UPLOAD_LIMIT_SIZE
    if not all(f"ar/{s}/normalize" in core for s in (10 * KIB, MIB, top)):
        return None

    def total_ms(size: int) -> float:
        return sum(_normalize_tag_s(core, size)) * 1000

    low = (total_ms(MIB) - total_ms(10 * KIB)) / ((MIB - 10 * KIB) / KIB)
    high = (total_ms(top) - total_ms(MIB)) / ((top - MIB) / KIB)
    return low, high


def _curve_sizes(core: dict[str, float]) -> list[int]:
    """The `ar` sizes normalize + tag were measured at, smallest first."""
    return [s for s in REFERENCE.curve_sizes if f"ar/{s}/normalize" in core and f"ar/{s}/tag" in core]


def _marginal_slopes(core: dict[str, float]) -> dict[int, float]:
    """ms per extra KiB from each measured size (>= 10 KiB) to the next.

    Linear cost means a constant marginal cost. The average cost per KiB is not the test: its
    fixed part (per article, whatever the size) inflates it at small sizes.
    """
    sizes = [s for s in _curve_sizes(core) if s >= 10 * KIB]
    return {
        big: (sum(_normalize_tag_s(core, big)) - sum(_normalize_tag_s(core, small))) * 1000 / ((big - small) / KIB)
        for small, big in itertools.pairwise(sizes)
    }


def _curve(results: dict[str, Any]) -> list[str]:
    core = results["core_s"]
    sizes = _curve_sizes(core)
    reaches_limit = bool(sizes) and sizes[-1] >= UPLOAD_LIMIT_SIZE
    out = [
        "",
        "## Cost against size up to the 10 MiB limit (`ar`, normalize + tag)",
        "",
        "ms/KiB = average cost per KiB of upload (the fixed cost per article weighs on it at small sizes); "
        "marginal = ms per extra KiB from the previous size (constant when cost is linear in size)."
        + (
            ""
            if reaches_limit
            else f" This run stops at {size_label(sizes[-1]) if sizes else 'no size'}: the sizes above it, and "
            "whether the cost stays linear up to the limit, are measured by `make bench-reference`."
        ),
        "",
        "| size | normalize ms | tag ms | normalize + tag ms | ms/KiB | marginal ms/KiB | MB/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    marginal = _marginal_slopes(core)
    for s in sizes:
        n, t = _normalize_tag_s(core, s)
        step = f"{marginal[s]:.3f}" if s in marginal else ""
        out.append(
            f"| {size_label(s)} | {_ms(n)} | {_ms(t)} | {_ms(n + t)} | {_slope(core, s):.3f} | {step} | "
            f"{s / (n + t) / 1e6:.2f} |"
        )
    fitted = [s for s in sizes if s >= 10 * KIB]
    if len(fitted) >= 2:
        xs = [s / KIB for s in fitted]
        ys = [sum(_normalize_tag_s(core, s)) * 1000 for s in fitted]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        out += [
            "",
            f"Least-squares fit over {size_label(fitted[0])}-{size_label(fitted[-1])}: {slope:.3f} ms per KiB + "
            f"{my - slope * mx:.1f} ms.",
        ]
    return out


def _cold(results: dict[str, Any]) -> list[str]:
    cold = results["cold_start"]
    floor = cold[FLOOR]
    counted = floor.get("instructions") is not None
    if counted:
        instructions_note = " Instructions: callgrind's count for the whole process (the same on every run)."
    elif MODES[results["mode"]].count_instructions:
        instructions_note = " Instructions: not counted, valgrind is not installed."
    else:
        instructions_note = (
            " Instructions: not counted in this run (callgrind takes ~15 s of CPU per process; "
            "`make bench-reference` counts them)."
        )
    out = [
        "",
        "## Cold start: importing `functions/<stage>/app.py` in a fresh interpreter",
        "",
        "Template environment variables set, moto not imported, no AWS call. Median of fresh processes, the "
        "stages and the floor interleaved run by run; `process` = interpreter start to exit; first/warm call = "
        "the handler's `process()` on a 10 KiB `ar` article (in-memory AWS) the first and the second time in "
        "that process; no .pyc = every module compiled from source, the standard library's too (upper bound). "
        "The floor (`bench/floor_app.py`) is one botocore client and one pydantic model: the least a handler "
        "on the SDK and pydantic pays." + instructions_note,
        "",
        "| stage | import ms | vs floor | vs 300 ms | all runs ms | process ms | first call ms | warm call ms "
        "| no .pyc import ms | modules | instructions | vs floor |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for stage in (*STAGE_NAMES, FLOOR):
        c = cold[stage]
        calls = f"{c['first_call_ms']:.1f} | {c['warm_call_ms']:.1f}" if c.get("first_call_ms") is not None else " | "
        row = (
            f"| {stage} | {c['import_ms']:.0f} | {c['import_ms'] / floor['import_ms']:.2f}x | "
            f"{c['import_ms'] / TARGETS['cold_import_ms']:.2f}x | {', '.join(f'{v:.0f}' for v in c['import_ms_all'])} "
            f"| {c['process_ms']:.0f} | {calls} | {c['no_pyc_import_ms']:.0f} | {c['modules']} |"
        )
        if counted:
            row += f" {c['instructions'] / 1e6:,.0f} M | {c['instructions'] / floor['instructions']:.2f}x |"
        else:
            row += "  |  |"
        out.append(row)
    out += ["", "Biggest contributors (`-X importtime`, one extra process per stage):", ""]
    for stage in STAGE_NAMES:
        it = cold[stage]["importtime"]
        direct = ", ".join(f"{name} {ms:.0f}" for name, ms in it["direct_ms"][:6])
        packages = ", ".join(f"{name} {ms:.0f}" for name, ms in it["package_self_ms"][:8])
        out.append(
            f"- **{stage}**: imports made by app.py, cumulative ms: {direct}. Self time by top-level package, ms: "
            f"{packages} (sum of all self times {it['total_self_ms']:.0f} ms; the rest of the import time is "
            "module-level work such as building the StageRuntime and, for tag, loading the gazetteer)."
        )
    if results.get("package_cold_start"):
        from bench import package_cold_start

        out += ["", *package_cold_start.render(results["package_cold_start"])]
    return out


def _pipeline(results: dict[str, Any]) -> list[str]:
    out = [
        "",
        "## Whole pipeline on the embedded AWS (moto, in-process)",
        "",
        "Per article = (uploading N articles to incoming/ + draining every queue) / N, after the one-time "
        "setup (bucket, table, rules, queues, handler imports) and one warm-up article. Included: the upload "
        "PutObject, moto's S3 -> EventBridge -> SQS routing, the event-source polling (receive/delete), the four "
        "handlers (batch loop, idempotency claims) and their S3/DynamoDB/SQS calls on moto, the publish send. "
        "Excluded: setup, reading the publish queue. `own` = handler time minus time inside AWS calls (moto): "
        "our code + powertools' logger and metrics + pydantic; the cost model uses it.",
        "",
        "| corpus | size | N | ms/article | vs sum of core | ingest own/aws ms | normalize own/aws ms "
        "| tag own/aws ms | publish own/aws ms | records/invocation | log bytes/article | published KiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    core = results["core_s"]
    for e in results["pipeline"]:
        core_sum = sum(core.get(f"{e['corpus']}/{e['size']}/{st}", 0) for st in STAGE_NAMES) * 1000
        cells = " | ".join(f"{e['stages'][st]['own_ms']:.1f} / {e['stages'][st]['aws_ms']:.1f}" for st in STAGE_NAMES)
        rpi = sum(e["stages"][st]["records_per_invocation"] for st in STAGE_NAMES) / len(STAGE_NAMES)
        published = results["record_bytes"].get(f"{e['corpus']}/{e['size']}", {}).get("published", 0)
        out.append(
            f"| {e['corpus']} | {size_label(e['size'])} | {e['articles']} | {e['per_article_ms']:.1f} | "
            f"{e['per_article_ms'] / core_sum:.1f}x | {cells} | {rpi:.1f} | {e['log_bytes_per_article']:.0f} | "
            f"{published / KIB:,.0f} |"
        )
    first = results["pipeline"][0]
    calls = "; ".join(
        f"{st}: " + ", ".join(f"{k} {v:g}" for k, v in first["stages"][st]["calls_per_article"].items())
        for st in STAGE_NAMES
    )
    out += ["", f"AWS calls per article inside the handlers ({first['corpus']}/{size_label(first['size'])}): {calls}."]
    return out


def _profiles(results: dict[str, Any]) -> list[str]:
    profiles = results.get("profiles") or {}
    if not profiles:
        return []
    repo = RESULTS.parent.parent
    files = ", ".join(
        f"`{path.relative_to(repo) if path.is_relative_to(repo) else path}`" for path in map(Path, profiles.values())
    )
    return ["", "## Profiles", "", f"pyinstrument call trees + cProfile self times at 100 KiB: {files}."]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the reference configuration, up to the 10 MiB limit")
    parser.add_argument(
        "--reference", action="store_true", help="the full run, also written to bench/results/reference.md"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for latest.md / latest.json")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    mode = REFERENCE if args.full or args.reference else QUICK
    # Only the reference run replaces the committed profiles; any other writes latest-profile-*.txt.
    profiles_dir, prefix = (RESULTS, "") if args.reference else (args.out, "latest-")
    log(f"{mode.name} run, sizes up to {size_label(mode.largest)}")
    started, cpu_started = time.perf_counter(), _cpu_s()
    results = run(mode, profiles_dir, prefix)
    results["elapsed_s"] = time.perf_counter() - started
    results["cpu_s"] = _cpu_s() - cpu_started
    results["load_average_end"] = _load_average()
    (args.out / "latest.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    report = render(results)
    (args.out / "latest.md").write_text(report, encoding="utf-8")
    if args.reference:
        shutil.copyfile(args.out / "latest.md", RESULTS / "reference.md")
    print(report)
    log(f"done in {results['elapsed_s']:.0f} s ({results['cpu_s']:.0f} s CPU): {args.out / 'latest.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
