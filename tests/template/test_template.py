"""template.yaml checked against articleflow.topology, the single source of truth.

Every expected value here comes from `articleflow.topology`; nothing about the
pipeline's shape is restated. The IAM, wiring and self-trigger checks read the
template *after* the SAM transform, i.e. the roles and event source mappings that
would actually be deployed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from articleflow import topology
from articleflow.topology import STAGES, Stage

pytestmark = pytest.mark.template

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"

DEPLOYMENT = "dev"  # the StageName default; names are checked with it substituted
BUCKET = topology.BUCKET_LOGICAL_ID
TABLE = topology.TABLE_LOGICAL_ID
PUBLISH_QUEUE = topology.PUBLISH_QUEUE_LOGICAL_ID
PUBLISH_DLQ = topology.PUBLISH_DLQ_LOGICAL_ID
PUBLISH_TOPIC = topology.PUBLISH_TOPIC_LOGICAL_ID
PUBLISH_TOPIC_KEY = topology.PUBLISH_TOPIC_KEY_LOGICAL_ID
RUNTIME = topology.LAMBDA_RUNTIME
# The one list of cfn-lint checks the template may switch off, each with its reason. Empty: nothing
# is ignored (cfn-lint and `sam validate --lint` run clean).
ALLOWED_LINT_IGNORES: dict[str, str] = {}
# What the SAM transform attaches on its own (logs, tracing); all else is inline. Not SAM's SQS
# polling policy (AWSLambdaSQSQueueExecutionRole: every queue in the account): each function's
# event source mapping is declared itself, with its role allowed its own queue only.
SAM_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
}
QUEUE_CONSUMER_ACTIONS = {
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
}
KMS_ACTIONS = {"kms:Decrypt", "kms:GenerateDataKey"}
S3_READ = {"s3:GetObject", "s3:GetObjectVersion"}
TABLE_ACTIONS = {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
COMPREHEND_ACTIONS = {"comprehend:DetectEntities", "comprehend:BatchDetectEntities"}
DLQ_RETENTION_SECONDS = 14 * 24 * 3600


# --------------------------------------------------------------------------- helpers


def resources_of(doc: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in doc["Resources"].items() if res["Type"] == type_}


def props(doc: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return doc["Resources"][logical_id].get("Properties", {})


def ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


def getatt(logical_id: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, attribute]}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def sub(value: Any, **variables: str) -> str:
    """Resolve a plain `Fn::Sub` string (or a literal) with the given variables."""
    text = value["Fn::Sub"] if isinstance(value, dict) else value
    assert isinstance(text, str), f"expected a Fn::Sub string, got {value!r}"

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in variables, f"unexpected ${{{name}}} in {text!r}"
        return variables[name]

    return re.sub(r"\$\{([^}!]+)\}", replace, text)


def name_for(value: Any) -> str:
    return sub(value, StageName=DEPLOYMENT)


def s3_object_prefix(resource: Any) -> str:
    """`${ArticleBucket.Arn}/<prefix>*` -> `<prefix>`; anything broader fails the test."""
    text = resource.get("Fn::Sub") if isinstance(resource, dict) else None
    head = f"${{{BUCKET}.Arn}}/"
    assert isinstance(text, str) and text.startswith(head) and text.endswith("*"), (
        f"S3 object resource is not `{head}<prefix>*`: {resource!r}"
    )
    prefix = text[len(head) : -1]
    assert "*" not in prefix and "$" not in prefix and prefix.endswith("/"), f"bad prefix {prefix!r}"
    return prefix


def expand_if(value: Any) -> Iterator[Any]:
    """Both branches of an Fn::If (minus AWS::NoValue); a plain value as itself."""
    if isinstance(value, dict) and "Fn::If" in value:
        _, yes, no = value["Fn::If"]
        for branch in (yes, no):
            if branch != ref("AWS::NoValue"):
                yield from expand_if(branch)
    else:
        yield value


def role_of(transformed: dict[str, Any], function_id: str) -> dict[str, Any]:
    role = props(transformed, function_id)["Role"]
    assert isinstance(role, dict) and "Fn::GetAtt" in role, f"{function_id} role is not one of the stack's"
    return props(transformed, role["Fn::GetAtt"][0])


def statements(transformed: dict[str, Any], function_id: str) -> list[tuple[dict[str, Any], bool]]:
    """Every inline-policy statement of a function's role, with whether it sits under an Fn::If."""
    found: list[tuple[dict[str, Any], bool]] = []
    for entry in role_of(transformed, function_id).get("Policies", []):
        conditional = isinstance(entry, dict) and "Fn::If" in entry
        for policy in expand_if(entry):
            for statement in as_list(policy["PolicyDocument"]["Statement"]):
                found.append((statement, conditional))
    return found


def s3_grants(transformed: dict[str, Any], function_id: str) -> dict[str, set[str]]:
    """S3 object action -> the key prefixes the role grants it on."""
    grants: dict[str, set[str]] = {}
    for statement, _ in statements(transformed, function_id):
        actions = as_list(statement["Action"])
        object_actions = [a for a in actions if a.startswith("s3:") and a != "s3:ListBucket"]
        if not object_actions:
            continue
        assert statement["Effect"] == "Allow"
        for action in object_actions:
            assert "*" not in action, f"{function_id}: wildcard S3 action {action}"
            for resource in as_list(statement["Resource"]):
                grants.setdefault(action, set()).add(s3_object_prefix(resource))
    return grants


def key_prefixes(pattern: dict[str, Any]) -> list[str]:
    """The key prefixes an S3 EventBridge pattern matches; "" (everything) when unsure."""
    matchers = pattern.get("detail", {}).get("object", {}).get("key")
    if not matchers:
        return [""]
    prefixes = []
    for matcher in matchers:
        if isinstance(matcher, str):
            prefixes.append(matcher)  # an exact key: conservatively, everything below it too
        elif isinstance(matcher, dict) and set(matcher) == {"prefix"} and isinstance(matcher["prefix"], str):
            prefixes.append(matcher["prefix"])
        else:
            prefixes.append("")  # suffix, anything-but, wildcard...: assume it matches anything
    return prefixes


def overlaps(a: str, b: str) -> bool:
    """Whether some key lies under both prefixes."""
    return a.startswith(b) or b.startswith(a)


def queue_feeds(transformed: dict[str, Any]) -> dict[str, set[str]]:
    """Queue logical id -> the functions its event source mappings invoke."""
    feeds: dict[str, set[str]] = {}
    aliases = {
        name: res["Properties"]["FunctionName"]["Ref"]
        for name, res in resources_of(transformed, "AWS::Lambda::Alias").items()
    }
    for mapping in resources_of(transformed, "AWS::Lambda::EventSourceMapping").values():
        source = mapping["Properties"]["EventSourceArn"]
        function = mapping["Properties"]["FunctionName"]
        assert "Fn::GetAtt" in source and "Ref" in function
        feeds.setdefault(source["Fn::GetAtt"][0], set()).add(aliases.get(function["Ref"], function["Ref"]))
    return feeds


def rule_routes(transformed: dict[str, Any]) -> dict[str, tuple[list[str], set[str]]]:
    """Rule logical id -> (key prefixes it matches in the article bucket, functions it ends up invoking)."""
    feeds = queue_feeds(transformed)
    routes = {}
    for rule_id, rule in resources_of(transformed, "AWS::Events::Rule").items():
        pattern = rule["Properties"]["EventPattern"]
        buckets = pattern.get("detail", {}).get("bucket", {}).get("name")
        if buckets is not None and ref(BUCKET) not in buckets:
            continue  # not about the article bucket
        functions: set[str] = set()
        for target in rule["Properties"]["Targets"]:
            arn = target["Arn"]
            assert "Fn::GetAtt" in arn, f"{rule_id} targets something outside the stack"
            functions |= feeds.get(arn["Fn::GetAtt"][0], set())
        routes[rule_id] = (key_prefixes(pattern), functions)
    return routes


def triggered_by_writes(transformed: dict[str, Any], function_id: str) -> dict[str, set[str]]:
    """For each prefix a function may write, the functions an object written there would invoke."""
    routes = rule_routes(transformed)
    result = {}
    for written in s3_grants(transformed, function_id).get("s3:PutObject", set()):
        invoked: set[str] = set()
        for prefixes, functions in routes.values():
            if any(overlaps(prefix, written) for prefix in prefixes):
                invoked |= functions
        result[written] = invoked
    return result


def queue_policies_for(doc: dict[str, Any], queue_id: str) -> list[dict[str, Any]]:
    return [
        p["Properties"]["PolicyDocument"]
        for p in resources_of(doc, "AWS::SQS::QueuePolicy").values()
        if ref(queue_id) in p["Properties"]["Queues"]
    ]


def denies_insecure_transport(document: dict[str, Any], action: str, resources: list[Any]) -> bool:
    for statement in as_list(document["Statement"]):
        if (
            statement["Effect"] == "Deny"
            and statement["Principal"] in ("*", {"AWS": "*"})
            and action in as_list(statement["Action"])
            and statement.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            and all(r in as_list(statement["Resource"]) for r in resources)
        ):
            return True
    return False


def all_queue_ids(doc: dict[str, Any]) -> list[str]:
    return list(resources_of(doc, "AWS::SQS::Queue"))


def dlq_ids(doc: dict[str, Any]) -> set[str]:
    found = set()
    for queue in resources_of(doc, "AWS::SQS::Queue").values():
        redrive = queue["Properties"].get("RedrivePolicy")
        if redrive:
            found.add(redrive["deadLetterTargetArn"]["Fn::GetAtt"][0])
    return found


def stage_ids(attribute: str) -> list[str]:
    return [getattr(stage, attribute) for stage in STAGES]


def lane_ids(method: str) -> list[str]:
    """A per-lane id (`queue_logical_id_in` ...) of every stage in every lane."""
    return [getattr(stage, method)(lane) for stage in STAGES for lane in topology.LANES]


def in_lanes(prefix: str) -> set[str]:
    """A routed prefix (some stage's input) in every lane; any other prefix as it is."""
    routed = {stage.input_prefix for stage in STAGES}
    return {lane.prefix(prefix) for lane in topology.LANES} if prefix in routed else {prefix}


by_stage = pytest.mark.parametrize("stage", STAGES, ids=[stage.name for stage in STAGES])


# --------------------------------------------------------------------------- tooling


def _lint(text: str) -> list[Any]:
    from cfnlint.api import lint

    return lint(text)


def test_cfn_lint_reports_no_errors_or_warnings() -> None:
    from cfnlint.api import lint_file

    matches = lint_file(TEMPLATE_PATH)
    problems = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id[0] in "EW"]
    assert problems == []


def test_cfn_lint_ignores_only_the_listed_checks(template: dict[str, Any]) -> None:
    ignored = set(template.get("Metadata", {}).get("cfn-lint", {}).get("config", {}).get("ignore_checks", []))
    assert ignored <= set(ALLOWED_LINT_IGNORES)
    # Lint again without the ignore list: nothing but the ignored checks may appear.
    unignored = copy.deepcopy(template)
    unignored.get("Metadata", {}).pop("cfn-lint", None)
    found = {m.rule.id for m in _lint(json.dumps(unignored)) if m.rule.id[0] in "EW"}
    assert found <= ignored


def test_runtime_can_still_be_created() -> None:
    """A new stack must be creatable: the runtime's create block (cfn-lint's lifecycle data) is ahead."""
    data = resources.files("cfnlint.data.AdditionalSpecs").joinpath("LmbdRuntimeLifecycle.json")
    lifecycle = json.loads(data.read_text()).get(RUNTIME, {})
    today = dt.date.today().isoformat()
    assert lifecycle.get("create-block", "9999-12-31") > today, f"{RUNTIME}: {lifecycle}"


def test_sam_transform_succeeds_offline(transformed: dict[str, Any]) -> None:
    assert "Transform" not in transformed
    functions = {*stage_ids("logical_id"), *topology.ITEM_PROCESSOR_LOGICAL_IDS}  # the backfill machine's: no stage
    assert set(resources_of(transformed, "AWS::Lambda::Function")) == functions
    assert len(resources_of(transformed, "AWS::Lambda::EventSourceMapping")) == len(STAGES) * len(topology.LANES)
    assert len(resources_of(transformed, "AWS::Lambda::LayerVersion")) == 1


# --------------------------------------------------------------------------- parameters, globals, layer


def test_parameters(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["StageName"]["Default"] == DEPLOYMENT
    assert params["TaggerBackend"]["Default"] == "offline"
    assert set(params["TaggerBackend"]["AllowedValues"]) == {"offline", "comprehend", "crf"}
    assert int(params["MaxUploadBytes"]["Default"]) == 10 * 1024 * 1024
    assert int(params["LogRetentionDays"]["Default"]) == 30
    assert params["AlarmTopicArn"]["Default"] == ""
    conditions = template["Conditions"]
    assert conditions["UseComprehend"] == {"Fn::Equals": [ref("TaggerBackend"), "comprehend"]}
    assert conditions["HasAlarmTopic"] == {"Fn::Not": [{"Fn::Equals": [ref("AlarmTopicArn"), ""]}]}
    for optional in ("AlarmEmail", "KmsKeyArn", "AccessLogBucketName"):
        assert params[optional]["Default"] == "", optional
    assert conditions["HasKmsKey"] == {"Fn::Not": [{"Fn::Equals": [ref("KmsKeyArn"), ""]}]}
    assert conditions["HasAccessLogBucket"] == {"Fn::Not": [{"Fn::Equals": [ref("AccessLogBucketName"), ""]}]}


def test_globals(template: dict[str, Any]) -> None:
    function = template["Globals"]["Function"]
    assert function["Runtime"] == RUNTIME
    assert function["Architectures"] == ["arm64"]
    assert function["Tracing"] == "Active"
    assert function["Environment"]["Variables"] == {
        "TABLE_NAME": ref(TABLE),
        "POWERTOOLS_SERVICE_NAME": "articleflow",
        "POWERTOOLS_METRICS_NAMESPACE": "articleflow",
        "STAGE_NAME": ref("StageName"),
        "TAGGER_BACKEND": ref("TaggerBackend"),
        "MAX_UPLOAD_BYTES": ref("MaxUploadBytes"),
        "LOG_LEVEL": "INFO",
        "PYDANTIC_DISABLE_PLUGINS": "1",
    }


def test_shared_layer(template: dict[str, Any]) -> None:
    layer = template["Resources"]["SharedLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert layer["Properties"]["CompatibleRuntimes"] == [RUNTIME]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert layer["Metadata"] == {"BuildMethod": RUNTIME, "BuildArchitecture": "arm64"}


# --------------------------------------------------------------------------- bucket and table


def test_bucket(template: dict[str, Any]) -> None:
    bucket = props(template, BUCKET)
    assert "BucketName" not in bucket  # CloudFormation names it
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"] == {"EventBridgeEnabled": True}
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": {"Fn::If": ["HasKmsKey", "aws:kms", "AES256"]},
        "KMSMasterKeyID": if_kms_key(),
    }
    assert bucket["LoggingConfiguration"] == {
        "Fn::If": [
            "HasAccessLogBucket",
            {
                "DestinationBucketName": ref("AccessLogBucketName"),
                "LogFilePrefix": {"Fn::Sub": "articleflow-${StageName}/"},
            },
            ref("AWS::NoValue"),
        ]
    }
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    rules = bucket["LifecycleConfiguration"]["Rules"]
    assert any(
        r["Status"] == "Enabled" and r.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays") for r in rules
    )


def test_bucket_policy_denies_insecure_transport(template: dict[str, Any]) -> None:
    policies = [
        p["Properties"]["PolicyDocument"]
        for p in resources_of(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == ref(BUCKET)
    ]
    assert len(policies) == 1
    objects = {"Fn::Sub": f"${{{BUCKET}.Arn}}/*"}
    assert denies_insecure_transport(policies[0], "s3:*", [getatt(BUCKET, "Arn"), objects])


def test_state_table(template: dict[str, Any]) -> None:
    table = props(template, TABLE)
    assert template["Resources"][TABLE]["Type"] == "AWS::DynamoDB::Table"
    assert name_for(table["TableName"]) == topology.table_name(DEPLOYMENT)
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    assert table["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": {"Fn::If": ["HasKmsKey", "KMS", ref("AWS::NoValue")]},
        "KMSMasterKeyId": if_kms_key(),
    }
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


# --------------------------------------------------------------------- per stage: rule -> queue -> function


@by_stage
def test_stage_function(template: dict[str, Any], stage: Stage) -> None:
    resource = template["Resources"][stage.logical_id]
    assert resource["Type"] == "AWS::Serverless::Function"
    function = resource["Properties"]
    assert name_for(function["FunctionName"]) == stage.function_name(DEPLOYMENT)
    assert function["CodeUri"] == stage.code_uri
    assert function["Handler"] == stage.handler
    assert function["Timeout"] == stage.timeout_seconds
    assert function["MemorySize"] == stage.memory_mb
    assert function["Layers"] == [ref("SharedLayer")]
    variables = function.get("Environment", {}).get("Variables", {})
    if stage.sends_to_publish_queue:  # through the publish topic, which fans out to the queue
        assert variables == {"PUBLISH_TOPIC_ARN": ref(PUBLISH_TOPIC)}
    else:
        assert "PUBLISH_TOPIC_ARN" not in variables


@by_stage
def test_stage_restores_from_a_snapshot(template: dict[str, Any], transformed: dict[str, Any], stage: Stage) -> None:
    function = props(transformed, stage.logical_id)
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert template["Globals"]["Function"]["AutoPublishAlias"] == topology.FUNCTION_ALIAS
    alias = props(transformed, stage.alias_logical_id)
    assert alias["Name"] == topology.FUNCTION_ALIAS and alias["FunctionName"] == ref(stage.logical_id)
    version_id = alias["FunctionVersion"]["Fn::GetAtt"][0]
    assert transformed["Resources"][version_id]["Type"] == "AWS::Lambda::Version"


@by_stage
def test_stage_event_source(transformed: dict[str, Any], stage: Stage) -> None:
    mappings = [
        m["Properties"]
        for m in resources_of(transformed, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == ref(stage.alias_logical_id)
    ]
    # One per lane, on the alias (SnapStart restores published versions only).
    by_queue = {m["EventSourceArn"]["Fn::GetAtt"][0]: m for m in mappings}
    assert set(by_queue) == {stage.queue_logical_id_in(lane) for lane in topology.LANES}
    for lane in topology.LANES:
        mapping = by_queue[stage.queue_logical_id_in(lane)]
        assert mapping["BatchSize"] == stage.batch_size
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert stage.max_concurrency_in(lane) >= 2  # the SQS event source's minimum
        assert mapping["ScalingConfig"] == {"MaximumConcurrency": stage.max_concurrency_in(lane)}
    # Bulk work never takes more of a stage than live uploads are left.
    assert stage.max_concurrency_in(topology.BULK_LANE) < stage.max_concurrency_in(topology.LIVE_LANE)


@by_stage
def test_stage_queue(template: dict[str, Any], stage: Stage) -> None:
    queue = props(template, stage.queue_logical_id)
    assert name_for(queue["QueueName"]) == stage.queue_name(DEPLOYMENT)
    assert "SqsManagedSseEnabled" in queue  # see test_every_queue_is_encrypted_and_tls_only
    assert queue["VisibilityTimeout"] == stage.visibility_timeout
    timeout = props(template, stage.logical_id)["Timeout"]
    if stage.sends_to_publish_queue:  # every retry sends within the FIFO topic's deduplication window
        last_send = (topology.MAX_RECEIVE_COUNT - 1) * queue["VisibilityTimeout"] + timeout
        assert last_send < topology.DEDUPLICATION_WINDOW_SECONDS
        assert queue["VisibilityTimeout"] >= 4 * timeout
    else:
        assert queue["VisibilityTimeout"] >= topology.VISIBILITY_TIMEOUT_FACTOR * timeout
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": getatt(stage.dlq_logical_id, "Arn"),
        "maxReceiveCount": topology.MAX_RECEIVE_COUNT,
    }
    dlq = props(template, stage.dlq_logical_id)
    assert name_for(dlq["QueueName"]) == stage.dlq_name(DEPLOYMENT)
    assert "SqsManagedSseEnabled" in dlq
    assert dlq["MessageRetentionPeriod"] == DLQ_RETENTION_SECONDS


@by_stage
def test_stage_rule(template: dict[str, Any], stage: Stage) -> None:
    rule = template["Resources"][stage.rule_logical_id]
    assert rule["Type"] == "AWS::Events::Rule"
    assert rule["Properties"].get("State", "ENABLED") == "ENABLED"
    assert "EventBusName" not in rule["Properties"]  # the default bus, where S3 sends its events
    assert rule["Properties"]["EventPattern"] == topology.event_pattern(
        ref(BUCKET),  # type: ignore[arg-type]  # the bucket name, as CloudFormation resolves it
        stage.input_prefix,
    )
    targets = rule["Properties"]["Targets"]
    assert [t["Arn"] for t in targets] == [getatt(stage.queue_logical_id, "Arn")]


@by_stage
def test_stage_wiring(transformed: dict[str, Any], stage: Stage) -> None:
    """Rule -> queue -> function, as deployed: the stage's rule invokes the stage's function only."""
    prefixes, functions = rule_routes(transformed)[stage.rule_logical_id]
    assert prefixes == [stage.input_prefix]
    assert functions == {stage.logical_id}


@by_stage
def test_stage_queue_policy(template: dict[str, Any], stage: Stage) -> None:
    (document,) = queue_policies_for(template, stage.queue_logical_id)
    queue_arn = getatt(stage.queue_logical_id, "Arn")
    allows = [s for s in as_list(document["Statement"]) if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Sid": allows[0].get("Sid"),
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": getatt(stage.rule_logical_id, "Arn")}},
        }
    ]
    assert denies_insecure_transport(document, "sqs:*", [queue_arn])


# --------------------------------------------------------------------------- queues in general


def test_every_queue_is_encrypted_and_tls_only(template: dict[str, Any]) -> None:
    expected = {*lane_ids("queue_logical_id_in"), *lane_ids("dlq_logical_id_in"), PUBLISH_QUEUE, PUBLISH_DLQ}
    assert set(all_queue_ids(template)) == expected
    for queue_id in all_queue_ids(template):
        queue = props(template, queue_id)
        if queue_id == PUBLISH_QUEUE:  # the fan-out's own key, which SNS delivers into it with
            assert queue["KmsMasterKeyId"] == ref(PUBLISH_TOPIC_KEY) and "SqsManagedSseEnabled" not in queue
        else:  # SQS-managed keys, or the customer-managed key when KmsKeyArn is given.
            assert queue["SqsManagedSseEnabled"] == {"Fn::If": ["HasKmsKey", ref("AWS::NoValue"), True]}, queue_id
            assert queue["KmsMasterKeyId"] == if_kms_key(), queue_id
        documents = queue_policies_for(template, queue_id)
        arn = getatt(queue_id, "Arn")
        assert any(denies_insecure_transport(d, "sqs:*", [arn]) for d in documents), queue_id


def test_every_dlq_keeps_messages_fourteen_days(template: dict[str, Any]) -> None:
    assert dlq_ids(template) == set(lane_ids("dlq_logical_id_in")) | {PUBLISH_DLQ}
    for queue_id in dlq_ids(template):
        assert props(template, queue_id)["MessageRetentionPeriod"] == DLQ_RETENTION_SECONDS
        assert "RedrivePolicy" not in props(template, queue_id)


def test_publish_queue(template: dict[str, Any]) -> None:
    queue = props(template, PUBLISH_QUEUE)
    assert name_for(queue["QueueName"]) == topology.publish_queue_name(DEPLOYMENT)
    assert name_for(props(template, PUBLISH_DLQ)["QueueName"]) == topology.publish_dlq_name(DEPLOYMENT)
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": getatt(PUBLISH_DLQ, "Arn"),
        "maxReceiveCount": topology.MAX_RECEIVE_COUNT,
    }
    # Nothing inside the stack consumes the product output, and no rule feeds it.
    assert PUBLISH_QUEUE not in json.dumps(
        {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Events::Rule"}
    )


# --------------------------------------------------------------------------- least privilege


@by_stage
def test_role_has_only_inline_and_sam_managed_policies(transformed: dict[str, Any], stage: Stage) -> None:
    role = role_of(transformed, stage.logical_id)
    assert set(role.get("ManagedPolicyArns", [])) <= SAM_MANAGED_POLICIES
    for statement, _ in statements(transformed, stage.logical_id):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, f"{stage.name}: wildcard action {action}"


@by_stage
def test_role_s3_access_is_exactly_the_stage_prefixes(transformed: dict[str, Any], stage: Stage) -> None:
    reads = {*in_lanes(stage.input_prefix), *stage.extra_read_prefixes}
    expected = {action: reads for action in S3_READ}
    expected["s3:PutObject"] = set().union(*(in_lanes(prefix) for prefix in stage.output_prefixes))
    if stage.deletes_input:
        expected["s3:DeleteObject"] = in_lanes(stage.input_prefix)
    assert s3_grants(transformed, stage.logical_id) == expected


@by_stage
def test_role_may_list_only_its_read_prefixes(transformed: dict[str, Any], stage: Stage) -> None:
    """ListBucket lets S3 answer 404 for a vanished key; it is held to the prefixes the stage reads."""
    found = statements(transformed, stage.logical_id)
    listing = [s for s, _ in found if "s3:ListBucket" in as_list(s["Action"])]
    assert len(listing) == 1
    (statement,) = listing
    assert as_list(statement["Action"]) == ["s3:ListBucket"]
    assert as_list(statement["Resource"]) == [getatt(BUCKET, "Arn")]
    allowed = as_list(statement["Condition"]["StringLike"]["s3:prefix"])
    assert set(statement["Condition"]) == {"StringLike"}
    assert set(allowed) == {f"{p}*" for p in (*in_lanes(stage.input_prefix), *stage.extra_read_prefixes)}


@by_stage
def test_role_table_and_queue_access(transformed: dict[str, Any], stage: Stage) -> None:
    table: set[str] = set()
    sqs: set[str] = set()
    sns: set[str] = set()
    kms: set[str] = set()
    for statement, _ in statements(transformed, stage.logical_id):
        actions = set(as_list(statement["Action"]))
        if any(a.startswith("dynamodb:") for a in actions):
            assert as_list(statement["Resource"]) == [getatt(TABLE, "Arn")]
            table |= actions
        sqs |= actions & {"sqs:SendMessage"}  # each role's receive/delete on its own queue: checked below
        if any(a.startswith("sns:") for a in actions):
            assert as_list(statement["Resource"]) == [ref(PUBLISH_TOPIC)]
            sns |= actions
        if any(a.startswith("kms:") for a in actions) and as_list(statement["Resource"]) != [ref("KmsKeyArn")]:
            assert as_list(statement["Resource"]) == [getatt(PUBLISH_TOPIC_KEY, "Arn")]
            kms |= actions
    assert table == (TABLE_ACTIONS if stage.reads_table else set())
    assert sqs == set()  # publish sends to the topic; no function writes a queue itself
    assert sns == ({"sns:Publish"} if stage.sends_to_publish_queue else set())
    assert kms == ({"kms:GenerateDataKey", "kms:Decrypt"} if stage.sends_to_publish_queue else set())


@by_stage
def test_each_function_may_consume_its_own_queue_only(transformed: dict[str, Any], stage: Stage) -> None:
    role = role_of(transformed, stage.logical_id)
    assert not any("SQS" in arn for arn in role.get("ManagedPolicyArns", []))
    granted: dict[str, list[Any]] = {}
    for statement, _ in statements(transformed, stage.logical_id):
        for action in as_list(statement["Action"]):
            if action.startswith("sqs:") and action != "sqs:SendMessage":
                granted.setdefault(action, []).extend(as_list(statement["Resource"]))
    own = [getatt(stage.queue_logical_id_in(lane), "Arn") for lane in topology.LANES]
    assert granted == {action: own for action in QUEUE_CONSUMER_ACTIONS}


@by_stage
def test_kms_key_use_is_granted_only_when_a_key_is_given(template: dict[str, Any], stage: Stage) -> None:
    policies = props(template, stage.logical_id)["Policies"]
    (policy,) = [p for p in policies if isinstance(p, dict) and p.get("Fn::If", [None])[0] == "HasKmsKey"]
    _, granted, otherwise = policy["Fn::If"]
    assert otherwise == ref("AWS::NoValue")
    (statement,) = granted["Statement"]
    assert set(statement["Action"]) == KMS_ACTIONS
    assert statement["Resource"] == [ref("KmsKeyArn")]


def test_alarm_topic_is_created_when_none_is_given(template: dict[str, Any]) -> None:
    topic = template["Resources"]["AlarmTopic"]
    assert (topic["Type"], topic["Condition"]) == ("AWS::SNS::Topic", "CreateAlarmTopic")
    assert topic["Properties"]["KmsMasterKeyId"] == if_kms_key()
    assert template["Conditions"]["CreateAlarmTopic"] == {"Fn::Equals": [ref("AlarmTopicArn"), ""]}
    subscription = template["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "SubscribeAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": ref("AlarmTopic"),
        "Protocol": "email",
        "Endpoint": ref("AlarmEmail"),
    }


@by_stage
def test_only_tag_may_call_comprehend_and_only_when_chosen(template: dict[str, Any], stage: Stage) -> None:
    policies = props(template, stage.logical_id)["Policies"]
    conditional = [p for p in policies if isinstance(p, dict) and "Fn::If" in p and p["Fn::If"][0] != "HasKmsKey"]
    unconditional = [p for p in policies if p not in conditional]
    assert "comprehend" not in json.dumps(unconditional)
    if stage.name != "tag":
        assert conditional == []
        return
    (policy,) = conditional
    condition, granted, otherwise = policy["Fn::If"]
    assert condition == "UseComprehend"
    assert otherwise == ref("AWS::NoValue")
    (statement,) = granted["Statement"]
    assert set(as_list(statement["Action"])) == COMPREHEND_ACTIONS
    assert statement["Resource"] == "*"  # Comprehend has no resource-level permissions


def if_kms_key() -> dict[str, Any]:
    return {"Fn::If": ["HasKmsKey", ref("KmsKeyArn"), ref("AWS::NoValue")]}


def test_wildcard_resources_are_only_comprehend(transformed: dict[str, Any]) -> None:
    for stage in STAGES:
        for statement, conditional in statements(transformed, stage.logical_id):
            if "*" in as_list(statement["Resource"]):
                assert conditional
                assert set(as_list(statement["Action"])) == COMPREHEND_ACTIONS


# --------------------------------------------------------------------------- no loops


def test_topology_has_no_self_trigger() -> None:
    inputs = {stage.input_prefix: stage for stage in STAGES}
    for stage in STAGES:
        for output in stage.output_prefixes:
            assert not overlaps(output, stage.input_prefix), stage.name
            # An output is either routed nowhere or exactly the next stage's input.
            routed = [s for prefix, s in inputs.items() if overlaps(prefix, output)]
            assert routed in ([], [inputs.get(output)]), (stage.name, output)
        for prefix in stage.extra_read_prefixes:
            assert not any(overlaps(prefix, p) for p in inputs), (stage.name, prefix)


@by_stage
def test_no_function_triggers_itself(transformed: dict[str, Any], stage: Stage) -> None:
    """From the deployed template: no rule feeding this function matches any prefix its role can write."""
    writes = s3_grants(transformed, stage.logical_id)["s3:PutObject"]
    assert writes, f"{stage.name} writes nothing?"
    for rule_id, (prefixes, functions) in rule_routes(transformed).items():
        if stage.logical_id in functions:
            clashes = [(p, w) for p in prefixes for w in writes if overlaps(p, w)]
            assert clashes == [], f"{rule_id} feeds {stage.logical_id} and matches its writes {clashes}"


@by_stage
def test_writes_reach_only_the_next_stage(transformed: dict[str, Any], stage: Stage) -> None:
    """Each written prefix invokes nothing, or exactly the stage whose input it is."""
    for written, invoked in triggered_by_writes(transformed, stage.logical_id).items():
        consumers = {s.logical_id for s in STAGES for lane in topology.LANES if s.input_prefix_in(lane) == written}
        assert invoked == consumers, (stage.name, written, invoked)
        assert stage.logical_id not in invoked


def test_pipeline_graph_is_the_topology_chain(transformed: dict[str, Any]) -> None:
    edges = {
        stage.logical_id: set().union(*triggered_by_writes(transformed, stage.logical_id).values()) for stage in STAGES
    }
    expected = {
        stage.logical_id: {s.logical_id for s in STAGES if s.input_prefix in stage.output_prefixes} for stage in STAGES
    }
    assert edges == expected

    # Acyclic: a depth-first walk never re-enters a function on its own path.
    def walk(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"cycle: {' -> '.join((*path, node))}"
        for nxt in edges[node]:
            walk(nxt, (*path, node))

    for stage in STAGES:
        walk(stage.logical_id, ())


# --------------------------------------------------------------------------- operations


@by_stage
def test_log_group(template: dict[str, Any], stage: Stage) -> None:
    groups = {
        name_for(g["Properties"]["LogGroupName"]): (logical_id, g["Properties"])
        for logical_id, g in resources_of(template, "AWS::Logs::LogGroup").items()
    }
    logical_id, group = groups[stage.log_group_name(DEPLOYMENT)]
    assert logical_id == stage.log_group_logical_id
    assert group["RetentionInDays"] == ref("LogRetentionDays")
    assert group["KmsKeyId"] == if_kms_key()
    # Created before the function, so Lambda never creates it first without retention.
    assert as_list(template["Resources"][stage.logical_id].get("DependsOn", [])) == [logical_id]


def _alarms(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in resources_of(template, "AWS::CloudWatch::Alarm").values()]


# Someone is told by default: the given topic, else the stack's own.
ALARM_ACTIONS = [{"Fn::If": ["HasAlarmTopic", {"Ref": "AlarmTopicArn"}, {"Ref": "AlarmTopic"}]}]


def _assert_any_above_zero(alarm: dict[str, Any]) -> None:
    assert alarm["Threshold"] == 0
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["AlarmActions"] == ALARM_ACTIONS


def test_alarm_on_every_dead_letter_queue(template: dict[str, Any]) -> None:
    for queue_id in dlq_ids(template):
        matching = [
            a
            for a in _alarms(template)
            if a.get("Namespace") == "AWS/SQS"
            and a["MetricName"] == "ApproximateNumberOfMessagesVisible"
            and a["Dimensions"] == [{"Name": "QueueName", "Value": getatt(queue_id, "QueueName")}]
        ]
        assert len(matching) == 1, queue_id
        _assert_any_above_zero(matching[0])


def test_alarm_on_every_function_error(template: dict[str, Any]) -> None:
    functions = set(resources_of(template, "AWS::Serverless::Function"))
    assert functions == {*stage_ids("logical_id"), *topology.ITEM_PROCESSOR_LOGICAL_IDS}
    for function_id in functions:
        matching = [
            a
            for a in _alarms(template)
            if a.get("Namespace") == "AWS/Lambda"
            and a["MetricName"] == "Errors"
            and a["Dimensions"] == [{"Name": "FunctionName", "Value": ref(function_id)}]
        ]
        assert len(matching) == 1, function_id
        _assert_any_above_zero(matching[0])


def test_outputs(template: dict[str, Any]) -> None:
    outputs = {name: o["Value"] for name, o in template["Outputs"].items()}
    assert outputs == {
        "ArticleBucketName": ref(BUCKET),
        "PublishQueueUrl": ref(PUBLISH_QUEUE),
        "PublishQueueArn": getatt(PUBLISH_QUEUE, "Arn"),
        "StateTableName": ref(TABLE),
        "DashboardUrl": outputs["DashboardUrl"],
        "PublishTopicArn": ref(PUBLISH_TOPIC),
        "PublishTopicKeyArn": getatt(PUBLISH_TOPIC_KEY, "Arn"),
        "PublishQueueConsumerPolicyArn": ref("PublishQueueConsumerPolicy"),
        "AlarmTopicArn": {"Fn::If": ["HasAlarmTopic", ref("AlarmTopicArn"), ref("AlarmTopic")]},
        "BackfillStateMachineArn": ref(topology.BACKFILL_STATE_MACHINE_LOGICAL_ID),
    }
    assert "${OperationsDashboard}" in outputs["DashboardUrl"]["Fn::Sub"]


def test_alarm_on_the_age_of_every_queues_oldest_message(template: dict[str, Any]) -> None:
    for queue_id in [*stage_ids("queue_logical_id"), PUBLISH_QUEUE]:
        matching = [
            a
            for a in _alarms(template)
            if a.get("MetricName") == "ApproximateAgeOfOldestMessage"
            and a["Dimensions"] == [{"Name": "QueueName", "Value": getatt(queue_id, "QueueName")}]
        ]
        assert len(matching) == 1, queue_id
        assert matching[0]["Threshold"] == ref("MaxMessageAgeSeconds")
        assert matching[0]["AlarmActions"] == ALARM_ACTIONS


def test_alarms_on_quarantine_rate_and_end_to_end_latency(template: dict[str, Any]) -> None:
    rate = props(template, "QuarantineRateAlarm")
    quarantined = {
        q["MetricStat"]["Metric"]["Dimensions"][0]["Value"]
        for q in rate["Metrics"]
        if q.get("MetricStat", {}).get("Metric", {}).get("MetricName") == "Quarantined"
    }
    # Every stage that can quarantine counts (ingest and normalize reject input; tag and publish do not).
    assert quarantined == {stage.name for stage in STAGES if topology.QUARANTINE_PREFIX in stage.output_prefixes}
    assert quarantined
    assert [m["Id"] for m in rate["Metrics"] if m["ReturnData"]] == ["rate"]
    assert rate["Threshold"] == ref("QuarantineRateAlarmPercent") and rate["AlarmActions"] == ALARM_ACTIONS
    latency = props(template, "EndToEndLatencyAlarm")
    assert (latency["Namespace"], latency["MetricName"]) == ("articleflow", "EndToEndLatency")
    assert {"Name": "stage", "Value": "publish"} in latency["Dimensions"]
    assert latency["ExtendedStatistic"] == "p99" and latency["AlarmActions"] == ALARM_ACTIONS


def test_dashboard_shows_every_stage_queue_and_dead_letter_queue(template: dict[str, Any]) -> None:
    (dashboard,) = resources_of(template, "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body.replace("${StageName}", DEPLOYMENT).replace("${AWS::Region}", "eu-west-1"))["widgets"]
    shown: dict[str, set[str]] = {}
    for widget in widgets:
        for row in widget["properties"].get("metrics", []):
            names = [value for value in row if isinstance(value, str) and value.startswith("articleflow-")]
            shown.setdefault(widget["properties"]["title"], set()).update(names)
    functions = {stage.function_name(DEPLOYMENT) for stage in STAGES}
    for title in ("Invocations", "Errors", "Throttles", "Duration p50", "Duration p99"):
        (key,) = [t for t in shown if t.startswith(title)]
        assert shown[key] == functions, title
    queues = {stage.queue_name(DEPLOYMENT) for stage in STAGES} | {topology.publish_queue_name(DEPLOYMENT)}
    dlqs = {stage.dlq_name(DEPLOYMENT) for stage in STAGES} | {topology.publish_dlq_name(DEPLOYMENT)}
    assert shown["Queue depth (messages visible)"] == queues
    assert shown["Age of oldest message (s)"] == queues
    assert shown["Dead-letter queue depth"] == dlqs
    metrics = json.dumps(widgets)
    assert '"EndToEndLatency"' in metrics and '"Quarantined"' in metrics
    (logs,) = [w for w in widgets if w["type"] == "log"]
    # The query reads the runtime's own quarantine log line, by its message and its `kind` key.
    assert "filter message = 'input quarantined'" in logs["properties"]["query"]
    assert "by stage, kind" in logs["properties"]["query"]


def test_sam_validate_lint_is_clean() -> None:
    """`sam validate --lint` (cfn-lint through SAM), where `make build`/`make validate` installed SAM."""
    import subprocess

    sam = Path(__file__).resolve().parents[2] / ".venv-sam" / "bin" / "sam"
    if not sam.exists():
        pytest.skip("the SAM CLI is not installed (make validate installs it into .venv-sam)")
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "eu-west-1"}
    done = subprocess.run(
        [str(sam), "validate", "--lint", "--template-file", str(TEMPLATE_PATH)],
        capture_output=True,
        text=True,
        env=env,
        cwd=TEMPLATE_PATH.parent,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
