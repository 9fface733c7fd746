"""Compile every `.py` under the given build folders to bytecode that Lambda will actually use.

Why: Lambda's code folders are read-only, so without shipped `.pyc` files every cold start compiles
every imported module from source (the bench's "no .pyc" column). And the bytecode must not be
timestamp-checked: SAM writes its zips without timestamps, every file arrives dated 1980-01-01, a
timestamp `.pyc` never matches its source and is recompiled anyway. Unchecked-hash bytecode is used
as it is; the package is immutable once deployed, so nothing can go stale.

Run with the Lambda runtime's Python version (bytecode is version-specific): `make build` does.

Usage: python scripts/compile_bytecode.py FOLDER...
"""

from __future__ import annotations

import compileall
import py_compile
import sys
from pathlib import Path


def compile_tree(folder: Path) -> bool:
    """Compile `folder` recursively in place; False if any file failed to compile."""
    return bool(
        compileall.compile_dir(
            str(folder),
            quiet=1,
            workers=0,  # one per CPU
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    ok = True
    for name in argv:
        folder = Path(name)
        if not folder.is_dir():
            print(f"compile_bytecode: {folder} is not a folder", file=sys.stderr)
            return 2
        ok = compile_tree(folder) and ok
        count = sum(1 for _ in folder.rglob("*.pyc"))
        print(f"compile_bytecode: {folder}: {count} .pyc files (unchecked-hash, Python {sys.version.split()[0]})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
