"""The transformed template, created as a CloudFormation stack on a moto server.

moto's CloudFormation builds most of the stack: the bucket, table, queues, rules, roles, layer, functions,
versions, event source mappings and the dashboard. What it cannot build is listed in MOTO_CANNOT_CREATE and checked,
so the list stays true as moto grows. Two adaptations, both for moto's sake and each named here:
  * `Fn::If` is resolved with the parameters' defaults first (moto's IAM role parser fails on a
    policy that an `AWS::NoValue` branch removes);
  * moto has no `AWS::Lambda::Alias` resource, so the event source mappings, which the template points
    at each function's `live` alias, are pointed at the function itself.
"""

from __future__ import annotations

import copy
import io
import json
import socket
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from articleflow import topology
from articleflow.topology import STAGES

# moto warns for each resource it skips (its server thread); MOTO_CANNOT_CREATE checks that list.
pytestmark = [pytest.mark.template, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]

# Resource types moto 5.2's CloudFormation skips (it warns and creates the rest).
MOTO_CANNOT_CREATE = {
    "AWS::Lambda::Alias",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
}
STACK = "articleflow-dev"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _resolve_conditions(document: dict[str, Any]) -> dict[str, Any]:
    """`Fn::If` resolved with the parameters' defaults; `AWS::NoValue` list items dropped."""
    defaults = {name: p.get("Default") for name, p in document.get("Parameters", {}).items()}
    conditions: dict[str, Any] = {}
    for name, condition in document.get("Conditions", {}).items():
        conditions[name] = _condition_value(condition, defaults, conditions)
    return _resolve_ifs(document, conditions)


def _condition_value(node: Any, defaults: dict[str, Any], conditions: dict[str, Any]) -> Any:
    """A condition (or one of its arguments) with the parameters' defaults and the conditions before it."""

    def value(item: Any) -> Any:
        return _condition_value(item, defaults, conditions)

    if not isinstance(node, dict):
        return node  # a literal
    if "Ref" in node:
        return defaults.get(node["Ref"], node)
    if "Fn::Equals" in node:
        left, right = node["Fn::Equals"]
        return value(left) == value(right)
    if "Fn::Not" in node:
        return not value(node["Fn::Not"][0])
    if "Fn::And" in node:
        return all(value(item) for item in node["Fn::And"])
    if "Fn::Or" in node:
        return any(value(item) for item in node["Fn::Or"])
    assert "Condition" in node, f"condition form not handled here: {node}"
    return conditions[node["Condition"]]


def _resolve_ifs(node: Any, conditions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "Fn::If" in node:
            name, when_true, when_false = node["Fn::If"]
            return _resolve_ifs(when_true if conditions[name] else when_false, conditions)
        return {key: _resolve_ifs(value, conditions) for key, value in node.items()}
    if isinstance(node, list):
        return [item for item in (_resolve_ifs(item, conditions) for item in node) if item != {"Ref": "AWS::NoValue"}]
    return node


def _for_moto(transformed: dict[str, Any]) -> dict[str, Any]:
    document = _resolve_conditions(copy.deepcopy(transformed))
    resources = document["Resources"]
    aliases = {
        name: res["Properties"]["FunctionName"]["Ref"]
        for name, res in resources.items()
        if res["Type"] == "AWS::Lambda::Alias"
    }
    for res in resources.values():
        if res["Type"] == "AWS::Lambda::EventSourceMapping":
            target = res["Properties"]["FunctionName"]["Ref"]
            res["Properties"]["FunctionName"] = {"Ref": aliases.get(target, target)}
    return document


@pytest.fixture(scope="module")
def stack(endpoint: str, transformed: dict[str, Any]) -> dict[str, Any]:
    import boto3

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1")
    s3 = session.client("s3", endpoint_url=endpoint)
    document = _for_moto(transformed)
    # What `sam package` uploads: one zip per code folder (a stand-in; moto only stores it).
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    return {}\n")
    uploads = {
        (value["S3Bucket"], value["S3Key"])
        for res in document["Resources"].values()
        for key in ("Code", "Content")
        if isinstance(value := res.get("Properties", {}).get(key), dict) and "S3Key" in value
    }
    for bucket in {bucket for bucket, _ in uploads}:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for bucket, key in uploads:
        s3.put_object(Bucket=bucket, Key=key, Body=code.getvalue())
    cloudformation = session.client("cloudformation", endpoint_url=endpoint)
    cloudformation.create_stack(StackName=STACK, TemplateBody=json.dumps(document), Capabilities=["CAPABILITY_IAM"])
    described = cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]
    summaries = cloudformation.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    return {"session": session, "endpoint": endpoint, "described": described, "resources": summaries}


def test_the_stack_is_created_with_its_outputs(stack: dict[str, Any]) -> None:
    described = stack["described"]
    assert described["StackStatus"] == "CREATE_COMPLETE"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    session, endpoint = stack["session"], stack["endpoint"]
    queue_url = session.client("sqs", endpoint_url=endpoint).get_queue_url(
        QueueName=topology.publish_queue_name("dev")
    )["QueueUrl"]
    # moto's stack outputs give the queue's AWS-style URL, its API the endpoint's: same account and name.
    assert outputs["PublishQueueUrl"].split("/")[-2:] == queue_url.split("/")[-2:]
    assert outputs["StateTableName"] == topology.table_name("dev")
    buckets = [b["Name"] for b in session.client("s3", endpoint_url=endpoint).list_buckets()["Buckets"]]
    assert outputs["ArticleBucketName"] in buckets
    assert (
        outputs["DashboardUrl"].endswith("#dashboards:name=" + "articleflow-dev")
        or "dashboards" in outputs["DashboardUrl"]
    )


def test_every_function_queue_and_mapping_exists(stack: dict[str, Any]) -> None:
    session, endpoint = stack["session"], stack["endpoint"]
    awslambda = session.client("lambda", endpoint_url=endpoint)
    functions = {f["FunctionName"]: f for f in awslambda.list_functions()["Functions"]}
    assert set(functions) >= {stage.function_name("dev") for stage in STAGES}
    for stage in STAGES:
        function = functions[stage.function_name("dev")]
        assert function["Runtime"] == topology.LAMBDA_RUNTIME
        # (moto's CloudFormation does not pass Architectures on; the template tests check arm64.)
        mappings = awslambda.list_event_source_mappings(FunctionName=stage.function_name("dev"))
        assert sorted(m["EventSourceArn"].rsplit(":", 1)[1] for m in mappings["EventSourceMappings"]) == sorted(
            stage.queue_name("dev", lane) for lane in topology.LANES
        )


def test_what_moto_cannot_create_is_exactly_the_known_list(stack: dict[str, Any], transformed: dict[str, Any]) -> None:
    created = {r["LogicalResourceId"] for r in stack["resources"]}
    missing = {res["Type"] for name, res in transformed["Resources"].items() if name not in created}
    assert missing == MOTO_CANNOT_CREATE


def test_ops_commands_find_the_stack_by_name(stack: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """`--stack-name`: the names come from the stack; backfill and reprocess --all start its state machine."""
    from articleflow.adapters.aws import reset_clients
    from articleflow_dev.cli import main

    for name, value in {
        "AWS_ENDPOINT_URL": stack["endpoint"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    reset_clients()
    try:
        assert main(["dlq", "show", "tag", "--stack-name", STACK]) == 0
        assert "dlq tag: 0 dead letters" in capsys.readouterr().err
        assert main(["backfill", "archive/2019/", "--stack-name", STACK]) == 0
        machine = topology.backfill_state_machine_name("dev")
        backfill_arn = capsys.readouterr().out.strip()
        assert f":execution:{machine}:" in backfill_arn
        assert main(["reprocess", "--from-stage", "tag", "--all", "--reason", "r", "--stack-name", STACK]) == 0
        reprocess_arn = capsys.readouterr().out.strip()
        stepfunctions = stack["session"].client("stepfunctions", endpoint_url=stack["endpoint"])
        inputs = [
            json.loads(stepfunctions.describe_execution(executionArn=arn)["input"])
            for arn in (backfill_arn, reprocess_arn)
        ]
        assert inputs == [
            {"mode": "backfill", "prefix": "archive/2019/"},
            {"mode": "reprocess", "from_stage": "tag", "reason": "r", "prefix": "published/"},
        ]
    finally:
        reset_clients()
