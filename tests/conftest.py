"""Shared test helpers: where the repo and the material beside it (../shared/) are."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MATERIAL = REPO_ROOT.parent / "shared"
ARABIC_SAMPLE = SHARED_MATERIAL / "samples" / "ar-news-japan-command.txt"
NINJS_SCHEMA = SHARED_MATERIAL / "standards" / "ninjs-schema_3.1.json"


def require(path: Path) -> Path:
    """Skip (with the reason) when material from ../shared/ is not beside the repo."""
    if not path.exists():
        pytest.skip(f"{path} is not present (it lives in ../shared/ beside the repo)")
    return path


@pytest.fixture
def arabic_sample() -> bytes:
    return require(ARABIC_SAMPLE).read_bytes()


def load_script(name: str) -> ModuleType:
    """`scripts/<name>.py` imported as a module, to test its functions."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def handler_env(**extra: str) -> dict[str, str]:
    """This process's environment without AWS settings, plus what a handler module needs at import."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_DEFAULT_REGION="us-east-1", TABLE_NAME="articleflow-test-state", PYDANTIC_DISABLE_PLUGINS="1")
    env.update(extra)
    return env
