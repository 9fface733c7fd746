"""The backfill state machine: its ASL parsed and checked against topology.py, its role, its outputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from articleflow import topology

pytestmark = pytest.mark.template

MACHINE = topology.BACKFILL_STATE_MACHINE_LOGICAL_ID
DISTRIBUTED_MAPS = ("BackfillFromListing", "BackfillFromManifest", "Reprocess")


@pytest.fixture(scope="module")
def definition(template: dict[str, Any]) -> dict[str, Any]:
    resource = template["Resources"][MACHINE]
    assert resource["Type"] == "AWS::Serverless::StateMachine"
    # The definition as Step Functions receives it: SAM writes it out as JSON, substitutions applied.
    text = json.dumps(resource["Properties"]["Definition"])
    for name in resource["Properties"]["DefinitionSubstitutions"]:
        text = text.replace(f"${{{name}}}", f"substituted-{name}")
    assert "${" not in text, "a substitution the template does not define"
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def test_the_mode_chooses_the_map(definition: dict[str, Any]) -> None:
    mode = definition["States"][definition["StartAt"]]
    assert mode["Type"] == "Choice"
    targets = {choice["Next"] for choice in mode["Choices"]}
    assert targets == set(DISTRIBUTED_MAPS)
    assert definition["States"][mode["Default"]]["Type"] == "Fail"  # an unknown mode stops, loudly


@pytest.mark.parametrize("name", DISTRIBUTED_MAPS)
def test_each_map_is_distributed_bounded_tolerant_and_writes_its_results(definition: dict[str, Any], name: str) -> None:
    state = definition["States"][name]
    assert state["Type"] == "Map" and state["End"] is True
    assert state["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
    assert state["MaxConcurrency"] == topology.BACKFILL_MAX_CONCURRENCY
    assert state["ToleratedFailurePercentage"] == topology.BACKFILL_TOLERATED_FAILURE_PERCENT
    assert state["ItemBatcher"]["MaxItemsPerBatch"] == topology.BACKFILL_BATCH_SIZE
    assert state["ResultWriter"] == {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "substituted-Bucket", "Prefix": topology.BACKFILL_RESULTS_PREFIX},
    }
    processor = state["ItemProcessor"]["States"]
    # Each batch ends with the pause that bounds the feed rate.
    pause = [s for s in processor.values() if s["Type"] == "Wait"]
    assert [p["Seconds"] for p in pause] == [topology.BACKFILL_BATCH_PAUSE_SECONDS]


def test_readers_list_a_prefix_or_read_an_inventory_manifest(definition: dict[str, Any]) -> None:
    states = definition["States"]
    for name in ("BackfillFromListing", "Reprocess"):
        reader = states[name]["ItemReader"]
        assert reader["Resource"] == "arn:aws:states:::s3:listObjectsV2"
        assert reader["Parameters"] == {"Bucket": "substituted-Bucket", "Prefix.$": "$.prefix"}
    manifest = states["BackfillFromManifest"]["ItemReader"]
    assert manifest["Resource"] == "arn:aws:states:::s3:getObject"
    assert manifest["ReaderConfig"] == {"InputType": "MANIFEST"}
    assert set(manifest["Parameters"]) == {"Bucket.$", "Key.$"}


def test_backfill_batches_go_to_the_backfill_function(definition: dict[str, Any]) -> None:
    states = definition["States"]
    listing, manifest = (states[name]["ItemProcessor"] for name in ("BackfillFromListing", "BackfillFromManifest"))
    assert listing == manifest  # ASL cannot share states: the two copies must not drift
    task = listing["States"][listing["StartAt"]]
    # A function copies (boto3 URL-encodes the copy source; ASL's States.Format cannot).
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert task["Parameters"] == {"FunctionName": "substituted-BackfillFunction", "Payload.$": "$"}
    assert task["Retry"][0]["MaxAttempts"] >= 1


def test_the_backfill_function_writes_only_into_the_bulk_lane(template: dict[str, Any]) -> None:
    function = template["Resources"][topology.BACKFILL_FUNCTION_LOGICAL_ID]["Properties"]
    statements = function["Policies"][0]["Statement"]
    [writes] = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert writes["Resource"] == {"Fn::Sub": f"${{ArticleBucket.Arn}}/{topology.BULK_PREFIX}*"}
    assert function["CodeUri"] == "functions/backfill/"
    assert function["ReservedConcurrentExecutions"] == topology.BACKFILL_MAX_CONCURRENCY


def test_reprocess_batches_go_to_the_reprocess_function_with_the_request(definition: dict[str, Any]) -> None:
    state = definition["States"]["Reprocess"]
    assert state["ItemBatcher"]["BatchInput"] == {"from_stage.$": "$.from_stage", "reason.$": "$.reason"}
    processor = state["ItemProcessor"]
    task = processor["States"][processor["StartAt"]]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert task["Parameters"] == {"FunctionName": "substituted-ReprocessFunction", "Payload.$": "$"}


def test_the_machine_invokes_the_reprocess_alias(template: dict[str, Any]) -> None:
    substitutions = template["Resources"][MACHINE]["Properties"]["DefinitionSubstitutions"]
    assert substitutions == {
        "Bucket": {"Ref": topology.BUCKET_LOGICAL_ID},
        "ReprocessFunction": {"Ref": f"{topology.REPROCESS_FUNCTION_LOGICAL_ID}.Alias"},
        "BackfillFunction": {"Ref": f"{topology.BACKFILL_FUNCTION_LOGICAL_ID}.Alias"},
    }


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    role = template["Resources"][topology.BACKFILL_ROLE_LOGICAL_ID]
    assert template["Resources"][MACHINE]["Properties"]["Role"] == {
        "Fn::GetAtt": [topology.BACKFILL_ROLE_LOGICAL_ID, "Arn"]
    }
    policies = []
    for policy in role["Properties"]["Policies"]:
        if "Fn::If" in policy:  # the KMS key's policy, only when KmsKeyArn is given
            condition, when_given, otherwise = policy["Fn::If"]
            assert condition == "HasKmsKey" and otherwise == {"Ref": "AWS::NoValue"}
            [use_key] = when_given["PolicyDocument"]["Statement"]
            assert use_key["Resource"] == {"Ref": "KmsKeyArn"}
            assert set(use_key["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey"}
            policy = when_given
        policies.append(policy)
    return [s for policy in policies for s in policy["PolicyDocument"]["Statement"]]


def test_the_role_writes_only_results(template: dict[str, Any]) -> None:
    statements = _statements(template)
    assert all(s["Effect"] == "Allow" for s in statements)
    actions = [a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert not [a for a in actions if "*" in a]
    [writes] = [s for s in statements if s["Action"] == "s3:PutObject"]
    assert writes["Resource"] == [{"Fn::Sub": f"${{ArticleBucket.Arn}}/{topology.BACKFILL_RESULTS_PREFIX}*"}]
    [multipart] = [s for s in statements if s["Sid"] == "FinishResultFiles"]
    assert multipart["Resource"] == {"Fn::Sub": f"${{ArticleBucket.Arn}}/{topology.BACKFILL_RESULTS_PREFIX}*"}
    [invoke] = [s for s in statements if s["Action"] == "lambda:InvokeFunction"]
    assert invoke["Resource"] == [
        {"Ref": f"{topology.REPROCESS_FUNCTION_LOGICAL_ID}.Alias"},
        {"Ref": f"{topology.BACKFILL_FUNCTION_LOGICAL_ID}.Alias"},
    ]
    [children] = [s for s in statements if s["Action"] == "states:StartExecution"]
    name = topology.backfill_state_machine_name("${StageName}")
    assert children["Resource"]["Fn::Sub"].endswith(f":stateMachine:{name}")  # itself, nothing else


def test_the_machine_is_named_for_the_stage_and_output(template: dict[str, Any]) -> None:
    properties = template["Resources"][MACHINE]["Properties"]
    assert properties["Name"] == {"Fn::Sub": topology.backfill_state_machine_name("${StageName}")}
    assert properties["Type"] == "STANDARD"  # a parent run of hours or days; its children are Express
    assert template["Outputs"]["BackfillStateMachineArn"]["Value"] == {"Ref": MACHINE}


def test_the_sam_transform_makes_a_step_functions_state_machine(transformed: dict[str, Any]) -> None:
    machine = transformed["Resources"][MACHINE]
    assert machine["Type"] == "AWS::StepFunctions::StateMachine"
    assert machine["Properties"]["RoleArn"] == {"Fn::GetAtt": [topology.BACKFILL_ROLE_LOGICAL_ID, "Arn"]}
    assert set(machine["Properties"]["DefinitionSubstitutions"]) == {"Bucket", "ReprocessFunction", "BackfillFunction"}


def test_the_reprocess_function_touches_only_stage_inputs_and_the_table(template: dict[str, Any]) -> None:
    function = template["Resources"][topology.REPROCESS_FUNCTION_LOGICAL_ID]["Properties"]
    statements = function["Policies"][0]["Statement"]
    # Records in either lane; requests into either (a named article live, a whole archive bulk).
    inputs = [lane.prefix(stage.input_prefix) for lane in topology.LANES for stage in topology.STAGES[1:]]
    [objects] = [s for s in statements if s["Sid"] == "ReadAndWriteStageInputs"]
    assert objects["Resource"] == [{"Fn::Sub": f"${{ArticleBucket.Arn}}/{prefix}*"} for prefix in inputs]
    [table] = [s for s in statements if s["Sid"] == "ClaimRevisions"]
    assert table["Action"] == ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    assert function["ReservedConcurrentExecutions"] == topology.BACKFILL_MAX_CONCURRENCY
