"""The Lambda layer holds no development tooling (issue #14), and works without it.

SAM builds `SharedLayer` from its `ContentUri` folder: every file there except the python builder's
excludes (caches, bytecode, VCS folders), plus the packages of its requirements.txt. So what the
layer ships is computed here from template.yaml, checked against the dev package's modules (the
`articleflow` command, the local runner, the ops tooling), and imported in a fresh interpreter
where `articleflow_dev` cannot be imported. After `make build`, the built layer is checked too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, handler_env

TEMPLATE_PATH = REPO_ROOT / "template.yaml"
DEV_ROOT = REPO_ROOT / "devtools"
DEV_PACKAGE = "articleflow_dev"
LAYER_PACKAGE = "articleflow"
BUILT_LAYER = REPO_ROOT / ".aws-sam" / "build" / "SharedLayer" / "python"
# What the python builder of aws-lambda-builders leaves out of a code folder: the patterns of its
# PythonPipWorkflow.EXCLUDED_FILES that can occur here, matched against each file and folder name as
# its copy does (shutil.ignore_patterns). Anything else under the ContentUri is shipped.
SAM_EXCLUDED = (".aws-sam", ".git", ".gitignore", "*.pyc", "__pycache__", "*.so", "*.egg-info", "*.egg")
SAM_EXCLUDED += (".pytest_cache", ".mypy_cache", ".env", ".venv", "venv", "env", ".vscode", ".idea")
# Libraries only the development tooling uses; the layer's requirements must not bring them.
DEV_ONLY_LIBRARIES = ("moto", "werkzeug", "awscli", "pytest", DEV_PACKAGE)


def layer_folder() -> Path:
    from cfnlint.decode import cfn_yaml

    template: dict[str, Any] = cfn_yaml.load(str(TEMPLATE_PATH))
    return REPO_ROOT / str(template["Resources"]["SharedLayer"]["Properties"]["ContentUri"])


def packed_files(folder: Path) -> list[Path]:
    """The files SAM copies from the layer's folder (relative to it), before it installs requirements."""
    return sorted(
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file()
        and not any(fnmatch(part, pattern) for part in path.relative_to(folder).parts for pattern in SAM_EXCLUDED)
    )


def module_name(path: Path) -> str:
    parts = path.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_in(files: list[Path]) -> list[str]:
    return [module_name(path) for path in files if path.suffix == ".py"]


def dev_modules() -> set[str]:
    """The dev package's modules, under their own name and under the layer's (where they once were)."""
    own = modules_in([path.relative_to(DEV_ROOT) for path in (DEV_ROOT / DEV_PACKAGE).rglob("*.py")])
    assert f"{DEV_PACKAGE}.cli" in own and f"{DEV_PACKAGE}.local.embedded" in own  # the walk found it
    return {*own, *(name.replace(DEV_PACKAGE, LAYER_PACKAGE, 1) for name in own if name != DEV_PACKAGE)}


def dev_tooling_in(modules: list[str]) -> list[str]:
    return sorted(set(modules) & dev_modules())


def test_the_layer_is_built_from_shared_which_holds_no_dev_tooling() -> None:
    folder = layer_folder()
    assert folder.resolve() == (REPO_ROOT / "shared").resolve()
    assert not DEV_ROOT.resolve().is_relative_to(folder.resolve())
    modules = modules_in(packed_files(folder))
    assert "articleflow.runtime.stage" in modules and "articleflow.runtime.reprocess" in modules
    assert dev_tooling_in(modules) == []


def test_the_check_names_dev_tooling_left_in_the_layer(tmp_path: Path) -> None:
    for name in (
        "articleflow/__init__.py",
        "articleflow/cli.py",
        "articleflow/local/embedded.py",
        "x/__pycache__/a.py",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert dev_tooling_in(modules_in(packed_files(tmp_path))) == ["articleflow.cli", "articleflow.local.embedded"]


def test_the_layers_requirements_bring_no_dev_only_library() -> None:
    requirements = (layer_folder() / "requirements.txt").read_text(encoding="utf-8").lower()
    names = {line.split("==")[0].split("[")[0].strip() for line in requirements.splitlines() if "==" in line}
    assert names and not names.intersection(DEV_ONLY_LIBRARIES)


# Imports every module of the layer, and each function's handler, with the layer's folder first on
# the path and the dev package made unimportable; prints what failed and what got loaded.
IMPORT_ALL = """
import importlib, importlib.util, json, sys
folder, modules, handlers = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
sys.path.insert(0, folder)
sys.modules["articleflow_dev"] = None  # any import of it raises ImportError
failed = {}
for name in modules:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = repr(error)
for number, path in enumerate(handlers):
    try:
        spec = importlib.util.spec_from_file_location(f"handler_{number}", path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    except Exception as error:
        failed[path] = repr(error)
import articleflow
loaded = sorted(name for name, module in sys.modules.items() if module is not None)
print(json.dumps({"failed": failed, "articleflow": articleflow.__file__, "loaded": loaded}))
"""


def test_every_layer_module_and_handler_imports_without_the_dev_package() -> None:
    folder = layer_folder()
    modules = modules_in(packed_files(folder))
    handlers = sorted(str(path) for path in (REPO_ROOT / "functions").glob("*/app.py"))
    assert any(path.endswith("reprocess/app.py") for path in handlers)
    env = handler_env(PUBLISH_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:t", TAGGER_BACKEND="offline")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(folder), json.dumps(modules), json.dumps(handlers)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["failed"] == {}
    assert Path(report["articleflow"]).resolve().is_relative_to(folder.resolve())
    assert sorted(name for name in report["loaded"] if name.split(".")[0] in DEV_ONLY_LIBRARIES) == []


def test_the_built_layer_holds_no_dev_tooling() -> None:
    """Only after `make build` (SAM's output, .aws-sam/build/SharedLayer)."""
    if not BUILT_LAYER.is_dir():
        pytest.skip("no .aws-sam/build/SharedLayer: run `make build` first")
    files = sorted(path.relative_to(BUILT_LAYER) for path in BUILT_LAYER.rglob("*") if path.is_file())
    modules = modules_in(files)
    assert "articleflow.runtime.stage" in modules
    assert dev_tooling_in(modules) == []
    top_level = {path.parts[0].split("-")[0] for path in files}
    assert not top_level.intersection(DEV_ONLY_LIBRARIES)
