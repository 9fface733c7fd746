"""Small modules: no module of the layer (shared/articleflow) or of the dev tooling over 600 lines; split by concern."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / "shared" / "articleflow"
DEV_TOOLING = REPO / "devtools" / "articleflow_dev"
MAX_LINES = 600


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


@pytest.mark.parametrize(("package", "at_least"), [(LAYER, 50), (DEV_TOOLING, 10)], ids=["layer", "dev-tooling"])
def test_no_module_over_600_lines(package: Path, at_least: int) -> None:
    modules = sorted(package.rglob("*.py"))
    assert len(modules) > at_least  # the walk found the package
    oversized = {str(p.relative_to(package)): n for p in modules if (n := _lines(p)) > MAX_LINES}
    assert not oversized, f"modules over {MAX_LINES} lines (split them by concern): {oversized}"
