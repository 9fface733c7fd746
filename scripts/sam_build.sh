#!/usr/bin/env bash
# Build the Lambda artifacts with the AWS SAM CLI, without containers.
#
# aws-sam-cli lives in its own virtualenv (.venv-sam) because its dependency
# pins clash with moto's in the project venv. SAM cross-builds the arm64
# artifacts by having pip download manylinux aarch64 wheels, so this works on
# an x86_64 machine as long as every dependency ships an aarch64 wheel.
#
# Usage: scripts/sam_build.sh [extra `sam build` args...]
set -euo pipefail

SAM_CLI_VERSION="1.170.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAM_VENV="${SAM_VENV:-$ROOT/.venv-sam}"
cd "$ROOT"

# SAM's python builder for the runtime (topology.LAMBDA_RUNTIME) runs the pythonX.Y it finds on PATH.
PYTHON="${PYTHON:-$(scripts/find_python.sh)}"
PYTHON_DIR="$(dirname "$PYTHON")"

if [[ ! -x "$SAM_VENV/bin/sam" ]] || ! "$SAM_VENV/bin/sam" --version 2>/dev/null | grep -qF "version $SAM_CLI_VERSION"; then
    echo "sam_build.sh: installing aws-sam-cli==$SAM_CLI_VERSION into $SAM_VENV"
    "$PYTHON" -m venv "$SAM_VENV"
    "$SAM_VENV/bin/python" -m pip install --quiet --upgrade pip
    "$SAM_VENV/bin/python" -m pip install --quiet "aws-sam-cli==$SAM_CLI_VERSION"
fi

# The python build workflow runs the interpreter of the runtime's version it finds on PATH (and
# its pip); put the SAM venv first so that is one known to have pip, then the interpreter's own
# folder (a pyenv shim for a non-global version fails). No telemetry.
export PATH="$SAM_VENV/bin:$PYTHON_DIR:$PATH"
export SAM_CLI_TELEMETRY=0

# Functions that do not declare dependencies still need a requirements.txt for
# the python builder to be happy; create a comment-only one where missing.
for dir in functions/*/; do
    if [[ ! -f "$dir/requirements.txt" ]]; then
        echo "# No function-specific dependencies; shared ones come from SharedLayer." >"$dir/requirements.txt"
    fi
done

sam --version
sam build --template-file template.yaml "$@"

# Lambda's code folders are read-only: ship bytecode, or every cold start compiles every module.
# Built by the same Python version as the runtime (bytecode is version-specific); see the script for
# why it is unchecked-hash bytecode.
"$PYTHON" "$ROOT/scripts/compile_bytecode.py" .aws-sam/build/*/
