"""The build ships bytecode that Lambda uses even though SAM's zips date every file 1980-01-01."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "compile_bytecode.py"
ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z: the date every file has after SAM's zip is extracted


def _package(folder: Path) -> Path:
    source = folder / "shipped.py"
    source.write_text('VALUE = "from bytecode"\n', encoding="utf-8")
    return source


def _as_deployed(source: Path) -> None:
    """Change the source behind the bytecode's back and give it the zip's date.

    If the import still sees the old value, the `.pyc` was used; if it sees the new one, Python
    threw the bytecode away and compiled the source again, as it would on every cold start.
    """
    source.write_text('VALUE = "from source"\n', encoding="utf-8")
    os.utime(source, (ZIP_EPOCH, ZIP_EPOCH))


def _import_value(folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import shipped; print(shipped.VALUE)"],
        cwd=folder,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_compiled_bytecode_is_used_after_the_zip_reset_the_dates(tmp_path):
    source = _package(tmp_path)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, check=True)
    assert "1 .pyc files (unchecked-hash" in done.stdout
    _as_deployed(source)
    assert _import_value(tmp_path) == "from bytecode"


def test_default_timestamp_bytecode_would_be_recompiled(tmp_path):
    # Why the script does not use plain `python -m compileall`: its bytecode is discarded on Lambda.
    source = _package(tmp_path)
    assert compileall.compile_dir(str(tmp_path), quiet=1)
    _as_deployed(source)
    assert _import_value(tmp_path) == "from source"


def test_missing_folder_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "nope")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "is not a folder" in done.stderr


def test_make_build_compiles_every_built_artifact():
    build_script = (REPO_ROOT / "scripts" / "sam_build.sh").read_text(encoding="utf-8")
    assert 'scripts/compile_bytecode.py" .aws-sam/build/*/' in build_script
