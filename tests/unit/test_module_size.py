"""Small modules: no module of the layer (shared/articleflow) over 600 lines; split by concern instead."""

from __future__ import annotations

from pathlib import Path

LAYER = Path(__file__).resolve().parents[2] / "shared" / "articleflow"
MAX_LINES = 600


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


def test_no_layer_module_over_600_lines() -> None:
    modules = sorted(LAYER.rglob("*.py"))
    assert len(modules) > 50  # the walk found the layer
    oversized = {str(p.relative_to(LAYER)): n for p in modules if (n := _lines(p)) > MAX_LINES}
    assert not oversized, f"modules over {MAX_LINES} lines (split them by concern): {oversized}"
