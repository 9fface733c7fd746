#!/usr/bin/env bash
# Print the path of a working Python interpreter of the given minor version (default: the Lambda
# runtime's, from articleflow.topology). Tries `pythonX.Y` on PATH first, then pyenv's versions
# (a pyenv shim for a version that is not pyenv's global fails, so each candidate is run once).
# Exits 1 with a message naming the version when none works. `--runtime-version` prints the
# runtime's version (e.g. 3.13) and nothing else: the Makefile reads it here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNTIME_VERSION="$(sed -n 's/^LAMBDA_RUNTIME = "python\([0-9.]*\)".*/\1/p' "$ROOT/shared/articleflow/topology.py")"
if [[ "${1:-}" == "--runtime-version" ]]; then
    echo "$RUNTIME_VERSION"
    exit 0
fi
VERSION="${1:-$RUNTIME_VERSION}"

candidates=("python$VERSION")
if command -v pyenv >/dev/null 2>&1; then
    for dir in "$(pyenv root)"/versions/"$VERSION"*/bin; do
        candidates+=("$dir/python$VERSION")
    done
fi
for dir in /usr/local/bin /usr/bin; do
    candidates+=("$dir/python$VERSION")
done

for candidate in "${candidates[@]}"; do
    path="$(command -v "$candidate" 2>/dev/null || true)"
    [[ -n "$path" ]] || continue
    if real="$("$path" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$VERSION'.split('.'))); print(sys.executable)" 2>/dev/null)"; then
        echo "$real"
        exit 0
    fi
done

echo "find_python.sh: no working python$VERSION found (the Lambda runtime's version; tried PATH and pyenv)." >&2
echo "Install Python $VERSION (e.g. 'pyenv install $VERSION') or run make with PYTHON=/path/to/python$VERSION." >&2
exit 1
