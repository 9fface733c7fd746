#!/usr/bin/env bash
# Build the Lambda artifacts with the AWS SAM CLI, without containers.
#
# SAM cross-builds the arm64 artifacts by having pip download manylinux aarch64 wheels, so this
# works on an x86_64 machine as long as every dependency ships an aarch64 wheel.
#
# Usage: scripts/sam_build.sh [extra `sam build` args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$("$ROOT/scripts/find_python.sh")}"
export PYTHON
cd "$ROOT"

# Functions that do not declare dependencies still need a requirements.txt for
# the python builder to be happy; create a comment-only one where missing.
for dir in functions/*/; do
    if [[ ! -f "$dir/requirements.txt" ]]; then
        echo "# No function-specific dependencies; shared ones come from SharedLayer." >"$dir/requirements.txt"
    fi
done

scripts/sam.sh --version
scripts/sam.sh build --template-file template.yaml "$@"

# numpy's wheel carries its own test suite (14 MB of the tag function's 60); nothing imports it.
find .aws-sam/build/*/numpy -type d -name tests -prune -exec rm -rf {} + 2>/dev/null || true

# Lambda's code folders are read-only: ship bytecode, or every cold start compiles every module.
# Built by the same Python version as the runtime (bytecode is version-specific); see the script for
# why it is unchecked-hash bytecode.
"$PYTHON" "$ROOT/scripts/compile_bytecode.py" .aws-sam/build/*/
