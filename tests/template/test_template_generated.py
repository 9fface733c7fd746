"""template.yaml's per-stage resources are what scripts/render_template.py renders from the topology."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from articleflow import topology
from tests.conftest import load_script

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"

# Every stage has exactly these resources, named after its function's logical id.
PER_STAGE_SUFFIXES = (
    "",
    "Rule",
    "Queue",
    "DeadLetterQueue",
    "QueuePolicy",
    "DeadLetterQueuePolicy",
    "EventSource",
    "LogGroup",
    "DeadLetterQueueAlarm",
    "ErrorsAlarm",
    "QueueAgeAlarm",
    # The bulk lane's own rule, queues, policies, event source and DLQ alarm (no age alarm: its backlog
    # is its purpose).
    "BulkRule",
    "BulkQueue",
    "BulkDeadLetterQueue",
    "BulkQueuePolicy",
    "BulkDeadLetterQueuePolicy",
    "BulkEventSource",
    "BulkDeadLetterQueueAlarm",
)


@pytest.fixture(scope="module")
def renderer() -> ModuleType:
    return load_script("render_template")


def _parse(text: str, tmp_path: Path) -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return json.loads(json.dumps(cfn_yaml.load(str(path))))


def test_template_is_what_the_generator_renders(renderer: ModuleType) -> None:
    committed = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert renderer.render(committed) == committed, "template.yaml is stale: run `make template-render` and commit it"


def test_generated_regions_hold_every_per_stage_resource(renderer: ModuleType, tmp_path: Path) -> None:
    rendered = _parse("Resources:\n" + renderer._indent(renderer.render_stages(), 2), tmp_path)["Resources"]
    expected = {f"{stage.logical_id}{suffix}" for stage in topology.STAGES for suffix in PER_STAGE_SUFFIXES}
    assert set(rendered) == expected


def test_hand_edits_inside_a_region_are_overwritten(renderer: ModuleType) -> None:
    committed = TEMPLATE_PATH.read_text(encoding="utf-8")
    edited = committed.replace("MaximumConcurrency: 5", "MaximumConcurrency: 50", 1)
    assert edited != committed and renderer.render(edited) == committed


def test_a_region_without_its_end_marker_is_refused(renderer: ModuleType) -> None:
    committed = TEMPLATE_PATH.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="END GENERATED stages"):
        renderer.render(committed.replace("# END GENERATED stages", "# (end)"))


def test_adding_a_stage_to_the_topology_adds_its_resources(
    renderer: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A stage between tag and publish: the topology entry is all it takes."""
    tag = topology.STAGES_BY_NAME["tag"]
    enrich = dataclasses.replace(
        tag, name="enrich", logical_id="EnrichFunction", input_prefix="enriching/", extra_read_prefixes=()
    )
    monkeypatch.setattr(renderer, "STAGES", (*topology.STAGES[:3], enrich, topology.STAGES[3]))
    document = _parse(renderer.render(TEMPLATE_PATH.read_text(encoding="utf-8")), tmp_path)
    resources = document["Resources"]
    assert {f"EnrichFunction{suffix}" for suffix in PER_STAGE_SUFFIXES} <= set(resources)
    assert resources["EnrichFunction"]["Properties"]["FunctionName"] == {"Fn::Sub": "articleflow-${StageName}-enrich"}
    assert resources["EnrichFunctionRule"]["Properties"]["EventPattern"]["detail"]["object"]["key"] == [
        {"prefix": "enriching/"}
    ]
    dashboard = resources["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    assert "articleflow-${StageName}-enrich-dlq" in dashboard


def test_function_extras_name_only_stages_of_the_topology(renderer: ModuleType) -> None:
    assert set(renderer.FUNCTION_EXTRAS) <= set(topology.STAGE_NAMES)
