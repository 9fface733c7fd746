"""Cold start: import `functions/<stage>/app.py` in fresh interpreters, as a new Lambda environment does.

Each run is a new `python` process with the template's environment variables (no moto, no AWS
call: clients are created without contacting AWS; the DynamoDB client is built at import, the S3
client on first use). Measured per process:

* `import_ms`: perf_counter around `importlib` loading `app.py` (everything the module pulls in,
  plus what runs at import: the StageRuntime, and for tag the offline tagger with its gazetteer);
* `process_ms`: wall time of the whole process (interpreter start to exit), for context;
* `first_call_ms` / `warm_call_ms`: the stage's `process()` on a 10 KiB article (in-memory AWS)
  the first time in that process and the second time; the difference is lazy work left for the
  first invocation.

The peer is `bench/floor_app.py` (one botocore client and one pydantic model), measured the same
way in the same interleaved runs: the least any handler built on the SDK and pydantic pays, so
`vs floor` says how much of a cold import is ours. Wall time on a shared 2-core machine moves by
+-20 % between runs; where valgrind is installed, callgrind's instruction count of each process
is reported too, which is the same on every run.

Reported: the median over the fresh processes. One extra run per stage with `-X importtime`
gives the biggest contributors. The `no .pyc` mode points PYTHONPYCACHEPREFIX at an empty folder,
so every module (ours and the libraries') is compiled from source: an upper bound for a package
shipped without bytecode (`bench/package_cold_start.py` measures the deployed case).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from articleflow.topology import STAGE_NAMES
from bench.env import HANDLER_ENV

REPO_ROOT = Path(__file__).resolve().parents[1]
MARK = "--bench-import-starts--"

_CHILD = r"""
import importlib.util, json, sys, time
stage, path, record_path, mark = sys.argv[1:5]
sys.stderr.write(mark + "\n"); sys.stderr.flush()
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location(f"bench_cold_{stage}", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if sys.argv[5:] == ["before-snapshot"] and hasattr(module, "runtime"):
    module.runtime.before_snapshot()  # what SnapStart's init adds after the import
import_s = time.perf_counter() - t0
result = {"import_s": import_s, "modules": len(sys.modules)}
if record_path != "-":
    from bench.stages import BenchWorld
    world = BenchWorld()
    world.put_input(stage, open(record_path, "rb").read())
    call = world.call(module, stage)
    for name in ("first_call_s", "warm_call_s"):
        t = time.perf_counter()
        call()
        result[name] = time.perf_counter() - t
print(json.dumps(result))
"""


def _env(no_pyc_dir: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON", "MOTO"))}
    env.update(HANDLER_ENV)
    env["PYTHONPATH"] = str(REPO_ROOT)
    if no_pyc_dir:
        env["PYTHONPYCACHEPREFIX"] = no_pyc_dir
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_python_json(code: str, args: list[str], what: str) -> Any:
    """Run `python -c code args...` in a fresh interpreter with the handler environment.

    The child prints one JSON document as its last line of stdout; that is returned.
    """
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO_ROOT,
        env=_env(None),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


FLOOR = "floor"  # bench/floor_app.py, measured like a handler: the peer of every cold import
INSTRUCTIONS = re.compile(r"Collected : (\d+)")


def app_path(stage: str) -> str:
    return "bench/floor_app.py" if stage == FLOOR else f"functions/{stage}/app.py"


def _run_child(stage: str, record_path: str, *, importtime: bool = False, no_pyc: bool = False) -> dict[str, Any]:
    child = [*(["-X", "importtime"] if importtime else []), "-c", _CHILD, stage, app_path(stage), record_path, MARK]
    with tempfile.TemporaryDirectory() as empty:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *child],
            cwd=REPO_ROOT,
            env=_env(empty if no_pyc else None),
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold import of {stage} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = wall
    if importtime:
        result["importtime"] = parse_importtime(done.stderr)
    return result


def instructions(stage: str, python: str = sys.executable, *, before_snapshot: bool = False) -> int | None:
    """Instructions the whole process executes (callgrind; None without valgrind): unlike time, the
    same on every run, so a change of a few percent shows. Interpreter start-up is included (~40 M).

    `before_snapshot`: also run the stage's SnapStart before-snapshot hook after the import (the
    tagger, every client, the lazily imported parsers): the whole init a published version snapshots.

    `python`: another interpreter with the layer's requirements installed (to compare Python
    versions); the repo's `shared/` is put on its path, and one plain run first writes its `.pyc`.
    """
    if shutil.which("valgrind") is None:
        return None
    env = _env(None)
    if python != sys.executable:
        env["PYTHONPATH"] += os.pathsep + str(REPO_ROOT / "shared")
    child = [python, "-c", _CHILD, stage, app_path(stage), "-", MARK, *(["before-snapshot"] if before_snapshot else [])]
    subprocess.run(child, cwd=REPO_ROOT, env=env, capture_output=True, check=True)
    callgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run([*callgrind, *child], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    found = INSTRUCTIONS.search(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind run of {stage} failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def parse_importtime(stderr: str, top: int = 8) -> dict[str, Any]:
    """Biggest contributors after the mark: direct imports by cumulative time, packages by self time."""
    lines = stderr.split(MARK, 1)[-1].splitlines()
    direct: list[tuple[int, str]] = []
    by_package: dict[str, int] = defaultdict(int)
    for line in lines:
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        self_us, cumulative_us, name = int(parts[0]), int(parts[1]), parts[2]
        module = name.strip()
        by_package[module.split(".")[0]] += self_us
        if len(name) - len(name.lstrip()) <= 1:  # level 0: imported by app.py itself
            direct.append((cumulative_us, module))
    direct.sort(reverse=True)
    packages = sorted(by_package.items(), key=lambda item: -item[1])
    return {
        "direct_ms": [(name, us / 1000) for us, name in direct[:top]],
        "package_self_ms": [(name, us / 1000) for name, us in packages[:top]],
        "total_self_ms": sum(by_package.values()) / 1000,
    }


def measure(
    stages: tuple[str, ...],
    records: dict[str, bytes],
    runs: int = 9,
    no_pyc_runs: int = 3,
    count_instructions: bool = True,
) -> dict[str, dict[str, Any]]:
    """Cold-start figures per stage and for the floor; `records` holds each stage's 10 KiB input.

    Runs are interleaved (every stage and the floor once, then again), so a slow spell of the
    machine hits them all alike and the ratios to the floor stay meaningful.
    """
    names = (*stages, FLOOR)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        record_paths = {}
        for stage in names:
            record_paths[stage] = "-"
            if stage in records:
                record_paths[stage] = str(Path(folder) / f"{stage}.input")
                Path(record_paths[stage]).write_bytes(records[stage])
        samples: dict[str, list[dict[str, Any]]] = {stage: [] for stage in names}
        for _ in range(runs):
            for stage in names:
                samples[stage].append(_run_child(stage, record_paths[stage]))
        for stage in names:
            no_pyc = [_run_child(stage, "-", no_pyc=True)["import_s"] for _ in range(no_pyc_runs)]

            def median_ms(name: str, stage_samples: list[dict[str, Any]] = samples[stage]) -> float | None:
                values = [s[name] for s in stage_samples if name in s]
                return statistics.median(values) * 1000 if values else None

            results[stage] = {
                "runs": runs,
                "import_ms": median_ms("import_s"),
                "import_ms_all": [round(s["import_s"] * 1000, 1) for s in samples[stage]],
                "process_ms": median_ms("process_s"),
                "first_call_ms": median_ms("first_call_s"),
                "warm_call_ms": median_ms("warm_call_s"),
                "modules": samples[stage][0]["modules"],
                "no_pyc_import_ms": statistics.median(no_pyc) * 1000 if no_pyc else None,
                "importtime": _run_child(stage, "-", importtime=True)["importtime"],
                "instructions": instructions(stage) if count_instructions else None,
            }
    return results


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.cold_start [--python EXE] [STAGE...]`: instruction counts of cold imports, and of
    the import plus SnapStart's before-snapshot hook, each beside the SDK + pydantic floor's."""
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=main.__doc__)
    parser.add_argument("stages", nargs="*", default=[FLOOR, *STAGE_NAMES])
    parser.add_argument("--python", default=sys.executable, help="interpreter to measure (default: this one)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed")
    version = subprocess.run([args.python, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    floor = instructions(FLOOR, args.python)
    assert floor is not None
    print(f"{version} {FLOOR}: {floor / 1e6:,.0f} M instructions")
    for stage in (s for s in args.stages if s != FLOOR):
        count = instructions(stage, args.python)
        snapshot = instructions(stage, args.python, before_snapshot=True)
        assert count is not None and snapshot is not None
        print(
            f"{version} {stage}: import {count / 1e6:,.0f} M instructions ({count / floor:.2f}x the floor); "
            f"import + before-snapshot hook {snapshot / 1e6:,.0f} M ({snapshot / floor:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
