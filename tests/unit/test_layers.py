"""Imports in the Lambda layer run one way (issue #14): read with `ast`, nothing is imported.

`articleflow.core` is layered, lowest first: the text primitives (`text`, with `errors`), ingest's
sniffing and decoding (`decoding`), the extractors (`formats`), then every other unit of core
(`normalize`, `ingest`, `tagging`, `publish`, ...), which may use any layer below. No unit imports
one above it, core imports no adapters or runtime code, and no sub-package of `articleflow` or of
`articleflow.core` imports itself back through another. The layer never imports the development
tooling (`articleflow_dev`, under `devtools/`), which imports the layer. Every import counts, lazy
ones inside functions and `TYPE_CHECKING` ones too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import REPO_ROOT

LAYER_ROOT = REPO_ROOT / "shared"
PACKAGE = "articleflow"
DEV_PACKAGE = "articleflow_dev"
CORE = f"{PACKAGE}.core"
# Units of core by layer, lowest first. A unit not named here is in the top layer.
CORE_LAYERS: tuple[tuple[str, ...], ...] = (("errors", "text"), ("decoding",), ("formats",))
# Code core must never import: the AWS edge and the handlers' runtime.
OUTSIDE_CORE = ("adapters", "runtime")

Edge = tuple[str, str]  # (importing module, imported module)


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root` by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported_modules(path: Path, own_package: str, modules: dict[str, Path]) -> list[str]:
    """Every module `path` imports, relative imports resolved (`own_package`: the package it is in)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = own_package.split(".")[: len(own_package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from pkg import sub` imports the module pkg.sub; `from mod import name`, mod.
            found += [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    return found


def all_imports(root: Path, package: str) -> set[Edge]:
    """(module, imported module) for every import in `package`, of any package."""
    modules = module_files(root, package)
    edges = set()
    for name, path in modules.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges.update((name, target) for target in imported_modules(path, own_package, modules))
    return edges


def import_edges(root: Path, package: str) -> set[Edge]:
    """(module, imported module) for every import of `package` inside it, resolved to modules."""
    top = package.split(".")[0]
    return {(source, target) for source, target in all_imports(root, package) if target.split(".")[0] == top}


def dev_imports(root: Path, package: str) -> set[Edge]:
    """Imports of the development tooling (`articleflow_dev`) from `package`."""
    return {(source, target) for source, target in all_imports(root, package) if target.split(".")[0] == DEV_PACKAGE}


def unit(module: str, package: str) -> str | None:
    """The sub-package (or top module) of `package` holding `module`; None for the package itself."""
    prefix = f"{package}."
    return module[len(prefix) :].split(".")[0] if module.startswith(prefix) else None


def layer_of(name: str) -> int:
    return next((rank for rank, units in enumerate(CORE_LAYERS) if name in units), len(CORE_LAYERS))


def upward_imports(edges: set[Edge]) -> list[str]:
    """Imports from a unit of core into a unit of a higher layer."""
    found = []
    for source, target in sorted(edges):
        low, high = unit(source, CORE), unit(target, CORE)
        if low and high and layer_of(high) > layer_of(low):
            found.append(f"{source} imports {target}: {low} is below {high}")
    return found


def outside_imports(edges: set[Edge]) -> set[Edge]:
    """Imports from core into adapters or runtime."""
    return {
        (source, target)
        for source, target in edges
        if unit(source, PACKAGE) == "core" and unit(target, PACKAGE) in OUTSIDE_CORE
    }


def unit_cycles(edges: set[Edge], package: str) -> list[list[str]]:
    """Cycles of the graph whose nodes are the sub-packages (and top modules) of `package`."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        a, b = unit(source, package), unit(target, package)
        if a and b and a != b:
            graph[a].add(b)
    cycles, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycles.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, [*path, node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])
    return cycles


def layer_edges() -> set[Edge]:
    return import_edges(LAYER_ROOT, PACKAGE)


def test_core_units_import_only_their_layer_and_below():
    assert upward_imports(layer_edges()) == []


def test_core_imports_no_adapters_or_runtime():
    edges = import_edges(LAYER_ROOT, PACKAGE)
    assert outside_imports(edges) == set()


def test_the_layer_never_imports_the_dev_tooling():
    assert dev_imports(LAYER_ROOT, PACKAGE) == set()


def test_no_import_cycle_between_subpackages_of_the_layer_or_of_core():
    edges = layer_edges()
    assert unit_cycles(edges, PACKAGE) == []
    assert unit_cycles(edges, CORE) == []


def test_the_checks_find_an_upward_import_an_outside_import_and_a_cycle(tmp_path):
    files = {
        "articleflow/__init__.py": "",
        "articleflow/adapters/__init__.py": "from articleflow.core.text import words\n",
        "articleflow/core/__init__.py": "",
        "articleflow/core/text/__init__.py": "",
        "articleflow/core/text/words.py": "def f():\n    from ..formats import html\n",
        "articleflow/core/formats/__init__.py": "from . import html\n",
        "articleflow/core/formats/html.py": "from articleflow.adapters import storage\nfrom ..text import words\n",
        "articleflow/adapters/storage.py": "",
        "articleflow/runtime/__init__.py": "",
        "articleflow/runtime/tool.py": "def f():\n    from articleflow_dev.local import embedded\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)
    edges = import_edges(tmp_path, PACKAGE)
    assert upward_imports(edges) == [
        "articleflow.core.text.words imports articleflow.core.formats.html: text is below formats"
    ]
    assert outside_imports(edges) == {("articleflow.core.formats.html", "articleflow.adapters.storage")}
    assert unit_cycles(edges, PACKAGE) == [["adapters", "core", "adapters"]]
    assert unit_cycles(edges, CORE) == [["formats", "text", "formats"]]
    assert dev_imports(tmp_path, PACKAGE) == {("articleflow.runtime.tool", "articleflow_dev.local")}
