"""What a handler module imports at cold start (Lambda bills the init phase).

Not a timing test: it checks which modules a fresh interpreter holds after importing each
handler, so a change that drags a heavy library into init fails here deterministically.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from articleflow.topology import STAGE_NAMES
from tests.conftest import REPO_ROOT, handler_env

# Imported lazily, only on the code path that needs them.
LAZY = ("trafilatura", "lxml", "charset_normalizer", "ftfy", "yaml", "pycrfsuite", "numpy", "moto", "babel")
# Heavy parts of powertools the handlers do without: its parser models, and the batch utility, whose
# import pulls in asyncio and every event data class (runtime/stage.py loops over the batch itself).
POWERTOOLS_UNUSED = (
    "aws_lambda_powertools.utilities.parser.models",
    "aws_lambda_powertools.utilities.batch",
    "aws_lambda_powertools.utilities.data_classes",
    "asyncio",
)

CHILD = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_handler_cold_import_loads_no_heavy_optional_module(stage):
    env = handler_env(PUBLISH_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:t", TAGGER_BACKEND="offline")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO_ROOT / "functions" / stage / "app.py")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    assert "articleflow.runtime.stage" in modules  # the handler really was imported
    assert sorted(name for name in (*LAZY, *POWERTOOLS_UNUSED) if name in modules) == []


FREEZE_CHILD = """
import gc, importlib.util, json, sys, types
context = types.SimpleNamespace(
    function_name="articleflow-test-tag", memory_limit_in_mb=1024, aws_request_id="r-1", function_version="1",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:articleflow-test-tag:live",
)
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
counts = [gc.get_freeze_count()]
for _ in range(2):
    module.lambda_handler({"Records": []}, context)
    counts.append(gc.get_freeze_count())
print(json.dumps(counts))
"""


@pytest.mark.parametrize("in_lambda", [True, False])
def test_first_event_in_lambda_freezes_what_init_built(in_lambda):
    env = handler_env()
    if in_lambda:
        env["AWS_LAMBDA_FUNCTION_NAME"] = "articleflow-test-tag"
    done = subprocess.run(
        [sys.executable, "-c", FREEZE_CHILD, str(REPO_ROOT / "functions" / "tag" / "app.py")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    before, first, second = json.loads(done.stdout.splitlines()[-1])
    assert before == 0
    if in_lambda:
        assert first > 10_000  # modules, classes, models and the gazetteer's containers
        assert second == first  # frozen once, not again on later events
    else:
        assert first == second == 0
