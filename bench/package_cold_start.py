"""Cold start from the deployed layout: what shipping bytecode (`scripts/compile_bytecode.py`) saves.

`bench/cold_start.py` imports the handlers from the dev venv, where every library already has valid
`.pyc` files; a deployed Lambda has none of its own. Its code folders are read-only (Python cannot
write `__pycache__`) and SAM's zips carry no timestamps (every file is dated 1980-01-01, so even a
timestamp `.pyc` would never validate). So this bench rebuilds each handler's deployed layout in a
temporary folder and imports it in fresh interpreters, two ways, alternated run by run:

* as `sam build` leaves it: a task folder (`app.py` + the function's own requirements, standing in
  for /var/task) and the shared layer (`python/`: articleflow + shared/requirements.txt, standing
  in for /opt/python), no `.pyc`, every file dated 315532800;
* the same trees after `compile_tree` from `scripts/compile_bytecode.py` (unchecked-hash `.pyc`).

What is emulated: the sys.path order (task, then layer, then the runtime's packages), the read-only
code (PYTHONDONTWRITEBYTECODE) and the zip's timestamps. What is not: the wheels are this machine's
(x86_64), not the arm64 ones in .aws-sam/build, which the bench cannot import; boto3/botocore come
from the venv's site-packages, standing in for the runtime's own precompiled copy; and the CPU is
this machine's, not a fraction of a Lambda vCPU.

    python -m bench.package_cold_start [--runs N] [--stages ingest,tag]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from articleflow.topology import STAGES
from bench.cold_start import REPO_ROOT, _env

# From the topology rather than bench.stages.STAGE_NAMES: same names, and it keeps mypy on this file
# from following into bench/stages.py.
STAGE_NAMES = tuple(stage.name for stage in STAGES)

ZIP_EPOCH = 315532800  # 1980-01-01 00:00:00 UTC: the date of every file extracted from a SAM zip
VARIANTS = ("no_bytecode", "bytecode")

# Same shape as bench.cold_start._CHILD, but app.py is loaded from the task folder (that child has
# the repo's `functions/{stage}/app.py` path built in), with checks that the deployed copies were
# the ones imported. Exits non-zero, with the reason, if not.
_CHILD = r"""
import importlib.util, json, os, sys, time
stage, task, layer, repo = sys.argv[1:5]

def under(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)

# The venv's editable install of articleflow puts the repo's shared/ on sys.path (after the layer,
# but a module missing from the layer would still be found there). Nothing under the repo but the
# venv itself (the runtime's stand-in) may be importable.
sys.path[:] = [p for p in sys.path if not under(p, repo) or under(p, sys.prefix)]
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location(f"bench_package_cold_{stage}", os.path.join(task, "app.py"))
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
import_s = time.perf_counter() - t0

import articleflow, pydantic
for name, mod in (("articleflow", articleflow), ("pydantic", pydantic)):
    if not under(mod.__file__, layer):
        sys.exit(f"{name} was imported from {mod.__file__}, not from the layer {layer}")
deployed = [
    m for m in list(sys.modules.values())
    if (getattr(m, "__file__", None) or "").endswith(".py") and (under(m.__file__, task) or under(m.__file__, layer))
]
with_pyc = [m for m in deployed if m.__spec__ and m.__spec__.cached and os.path.exists(m.__spec__.cached)]
print(json.dumps({"import_s": import_s, "deployed_modules": len(deployed), "with_pyc": len(with_pyc)}))
"""


def log(message: str) -> None:
    print(f"[package_cold_start {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _has_requirements(requirements: Path) -> bool:
    lines = (line.split("#", 1)[0].strip() for line in requirements.read_text().splitlines())
    return any(lines)


def _pip_install(requirements: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if not _has_requirements(requirements):
        return  # publish's file is comments only: its deps all come from the layer
    log(f"pip install -r {requirements.relative_to(REPO_ROOT)} -> {target.name}")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-compile",  # pip's timestamp .pyc would not validate after the zip anyway
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "-r",
            str(requirements),
        ],
        check=True,
    )


def _files(folder: Path) -> Iterator[Path]:
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            yield Path(dirpath, name)


def _zip_times(folder: Path) -> None:
    for path in _files(folder):
        os.utime(path, (ZIP_EPOCH, ZIP_EPOCH), follow_symlinks=False)


def _as_extracted(folder: Path) -> None:
    """Make `folder` look like SAM's zip once Lambda has extracted it: no __pycache__, 1980 mtimes."""
    for pycache in list(folder.rglob("__pycache__")):  # never nested in one another
        shutil.rmtree(pycache)
    _zip_times(folder)


@cache
def _load_compile_tree() -> Callable[[Path], bool]:
    # scripts/ is not a package; load the very function the build runs rather than a copy of it.
    path = REPO_ROOT / "scripts" / "compile_bytecode.py"
    spec = importlib.util.spec_from_file_location("compile_bytecode", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compile_tree: Callable[[Path], bool] = module.compile_tree
    return compile_tree


def _with_bytecode(source: Path, destination: Path) -> Path:
    if destination.exists():
        return destination
    shutil.copytree(source, destination, symlinks=True)
    if not _load_compile_tree()(destination):
        # The build fails on this too (compile_bytecode exits 1): say so rather than measure half of it.
        raise RuntimeError(f"compile_tree failed on some files under {destination}")
    # The .pyc files stay (they are what this variant ships); their mtimes do not matter to
    # unchecked-hash bytecode, but the zip dates everything alike.
    _zip_times(destination)
    return destination


def _layer(root: Path) -> Path:
    """The shared layer as SAM builds it (ContentUri shared/): built once, shared by all stages."""
    layer = root / "no_bytecode" / "layer"
    if layer.exists():
        return layer
    python = layer / "python"
    _pip_install(REPO_ROOT / "shared" / "requirements.txt", python)
    shutil.copytree(
        REPO_ROOT / "shared" / "articleflow",
        python / "articleflow",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    _as_extracted(layer)
    return layer


def stage_layout(root: Path, stage: str) -> tuple[Path, Path]:
    """(task, layer) folders of `stage` as `sam build` leaves them, after the zip: no .pyc, 1980 mtimes."""
    layer = _layer(root)
    task = root / "no_bytecode" / f"task-{stage}"
    if not task.exists():
        _pip_install(REPO_ROOT / "functions" / stage / "requirements.txt", task)
        shutil.copy2(REPO_ROOT / "functions" / stage / "app.py", task / "app.py")
        _as_extracted(task)
    return task, layer


def bytecode_layout(root: Path, stage: str) -> tuple[Path, Path]:
    """(task, layer) of `stage` with shipped bytecode: copies of `stage_layout`'s trees, compiled."""
    task, layer = stage_layout(root, stage)
    return (
        _with_bytecode(task, root / "bytecode" / task.name),
        _with_bytecode(layer, root / "bytecode" / layer.name),
    )


def _child_env(task: Path, layer: Path) -> dict[str, str]:
    env = _env(None)  # the handler environment, without the caller's PYTHON*/AWS_* variables
    env["PYTHONPATH"] = os.pathsep.join([str(task), str(layer / "python")])  # /var/task, then /opt/python
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # Lambda's code folders are read-only
    return env


def _run_child(stage: str, task: Path, layer: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, stage, str(task), str(layer), str(REPO_ROOT)],
        cwd=task,  # python -c puts the cwd first on sys.path: make that /var/task, never the repo
        env=_child_env(task, layer),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cold import of {stage} from {task} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _check_pyc(stage: str, variant: str, sample: dict[str, Any]) -> None:
    # Guards against measuring the wrong thing: bytecode missing from the shipped variant, or
    # present (written or copied) in the plain one.
    expected = sample["deployed_modules"] if variant == "bytecode" else 0
    if sample["with_pyc"] != expected:
        raise RuntimeError(
            f"{stage} {variant}: {sample['with_pyc']} of {sample['deployed_modules']} deployed modules "
            f"had a .pyc, expected {expected}"
        )


def measure(stages: tuple[str, ...], runs: int = 7) -> dict[str, dict[str, Any]]:
    """Median cold import per stage from the deployed layout, without and with shipped bytecode."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="articleflow-package-") as folder:
        root = Path(folder)
        for stage in stages:
            layouts = {"no_bytecode": stage_layout(root, stage), "bytecode": bytecode_layout(root, stage)}
            log(f"{stage}: {runs} cold imports per variant, alternated")
            samples: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
            deployed = 0
            # A, B, A, B...: a slow spell of the machine then hits both variants alike.
            for _ in range(runs):
                for variant in VARIANTS:
                    sample = _run_child(stage, *layouts[variant])
                    _check_pyc(stage, variant, sample)
                    samples[variant].append(sample["import_s"] * 1000)
                    deployed = sample["deployed_modules"]
            results[stage] = {
                "no_bytecode_ms": statistics.median(samples["no_bytecode"]),
                "bytecode_ms": statistics.median(samples["bytecode"]),
                "no_bytecode_all": [round(ms, 1) for ms in samples["no_bytecode"]],
                "bytecode_all": [round(ms, 1) for ms in samples["bytecode"]],
                "runs": runs,
                "deployed_modules": deployed,
            }
            log(
                f"{stage}: {results[stage]['no_bytecode_ms']:.1f} ms without bytecode, "
                f"{results[stage]['bytecode_ms']:.1f} ms with"
            )
            # The stage's task trees are not needed any more; normalize's alone is tens of MB.
            shutil.rmtree(layouts["no_bytecode"][0])
            shutil.rmtree(layouts["bytecode"][0])
    return results


def render(results: dict[str, dict[str, Any]]) -> list[str]:
    """Markdown lines for the report."""
    runs = {result["runs"] for result in results.values()}
    lines = [
        "## Cold start from the deployed layout",
        "",
        "Importing each handler's `app.py` in a fresh interpreter from a rebuilt Lambda layout: a task "
        "folder (`app.py` + the function's requirements, as /var/task) and the shared layer (articleflow + "
        "shared/requirements.txt, as /opt/python), on PYTHONPATH in that order, with every file dated "
        "1980-01-01 as after SAM's zip and PYTHONDONTWRITEBYTECODE set (read-only code folders). "
        "*As `sam build` leaves it*: no `.pyc`, so every module of the package is compiled from source at "
        "each cold start; *with shipped bytecode*: the same trees after `scripts/compile_bytecode.py` "
        "(unchecked-hash `.pyc`). Not emulated: the wheels are this machine's "
        f"({platform.machine()}, Python {platform.python_version()}) rather than the arm64 ones SAM ships, "
        "boto3/botocore come from the venv (standing in for the runtime's own precompiled copy), and the CPU "
        f"is this machine's, not a share of a Lambda vCPU. Median of {'/'.join(map(str, sorted(runs)))} "
        "runs per variant, alternated run by run.",
        "",
        "| stage | as `sam build` leaves it (no .pyc) ms | with shipped bytecode ms | saved | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for stage, result in results.items():
        plain, shipped = result["no_bytecode_ms"], result["bytecode_ms"]
        ratio = f"{plain / shipped:.1f}x" if shipped > 0 else "-"
        lines.append(f"| {stage} | {plain:.1f} | {shipped:.1f} | {plain - shipped:.1f} ms | {ratio} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per stage and variant")
    parser.add_argument("--stages", default=",".join(STAGE_NAMES), help="comma-separated, e.g. ingest,tag")
    args = parser.parse_args(argv)
    stages = tuple(name.strip() for name in args.stages.split(",") if name.strip())
    unknown = sorted(set(stages) - set(STAGE_NAMES))
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(unknown)}")
    started = time.perf_counter()
    results = measure(stages, runs=args.runs)
    log(f"done in {time.perf_counter() - started:.0f} s")
    print("\n".join(render(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
