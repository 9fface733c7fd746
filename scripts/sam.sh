#!/usr/bin/env bash
# Run the pinned AWS SAM CLI (installed on first use into .venv-sam, beside the project's .venv
# because its dependency pins clash with moto's). Usage: scripts/sam.sh ARGS... (e.g. validate --lint)
set -euo pipefail

SAM_CLI_VERSION="1.170.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAM_VENV="${SAM_VENV:-$ROOT/.venv-sam}"
# SAM's python builder for the runtime (topology.LAMBDA_RUNTIME) runs the pythonX.Y it finds on PATH.
PYTHON="${PYTHON:-$("$ROOT/scripts/find_python.sh")}"

if [[ ! -x "$SAM_VENV/bin/sam" ]] || ! "$SAM_VENV/bin/sam" --version 2>/dev/null | grep -qF "version $SAM_CLI_VERSION"; then
    echo "sam.sh: installing aws-sam-cli==$SAM_CLI_VERSION into $SAM_VENV" >&2
    "$PYTHON" -m venv "$SAM_VENV"
    "$SAM_VENV/bin/python" -m pip install --quiet --upgrade pip
    "$SAM_VENV/bin/python" -m pip install --quiet "aws-sam-cli==$SAM_CLI_VERSION"
fi

# The python build workflow runs the interpreter of the runtime's version it finds on PATH (and
# its pip); put the SAM venv first so that is one known to have pip, then the interpreter's own
# folder (a pyenv shim for a non-global version fails). No telemetry.
export PATH="$SAM_VENV/bin:$(dirname "$PYTHON"):$PATH"
export SAM_CLI_TELEMETRY=0
cd "$ROOT"
exec sam "$@"
