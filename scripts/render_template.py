"""Render template.yaml's per-stage resources from shared/articleflow/topology.py.

`make template-render` rewrites each region of template.yaml between `# BEGIN GENERATED <region>` and
`# END GENERATED <region>`; everything outside those markers is hand-written and kept as it is.
tests/template/test_template_generated.py fails when template.yaml differs from what this renders.

Adding a stage: add its `Stage` to `topology.STAGES` (and, when its function needs handler settings
or grants the topology does not describe, an entry in `FUNCTION_EXTRAS` below), then run
`make template-render`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from articleflow import topology
from articleflow.topology import LANES, QUARANTINE_PREFIX, STAGES, Lane, Stage

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "template.yaml"

# Every name in the template carries the deployment name, the `StageName` parameter.
DEPLOYMENT = "${StageName}"
# A queue keeps undelivered messages 4 days, a dead-letter queue the maximum, 14 days.
QUEUE_RETENTION_SECONDS = 4 * 24 * 3600
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
ALARM_ACTIONS = "[!If [HasAlarmTopic, !Ref AlarmTopicArn, !Ref AlarmTopic]]"
ALARM_PERIOD_SECONDS = 300


@dataclass(frozen=True)
class FunctionExtras:
    """What a stage's function needs beyond what its `topology.Stage` says, as template YAML."""

    # Handler settings on top of Globals (name -> YAML value).
    environment: tuple[tuple[str, str], ...] = ()
    # Statements appended to the function's own policy document.
    statements: str = ""
    # Further policy documents, placed before the KMS one (conditional grants).
    policies: str = ""


_PUBLISH_TOPIC_STATEMENTS = """\
- Sid: PublishTopic
  Effect: Allow
  Action:
    - sns:Publish
  Resource:
    - !Ref PublishTopic
# Publishing to an encrypted topic makes and reads a data key with the topic's key.
- Sid: PublishTopicKey
  Effect: Allow
  Action:
    - kms:GenerateDataKey
    - kms:Decrypt
  Resource:
    - !GetAtt PublishTopicKey.Arn
"""

_COMPREHEND_POLICY = """\
# Comprehend has no resource-level permissions, hence "*"; granted only
# when the stack is deployed with TaggerBackend=comprehend.
- !If
  - UseComprehend
  - Version: "2012-10-17"
    Statement:
      - Sid: Comprehend
        Effect: Allow
        Action:
          - comprehend:DetectEntities
          - comprehend:BatchDetectEntities
        Resource: "*"
  - !Ref AWS::NoValue
"""

# Keyed by stage name; a stage missing here needs nothing more than its topology.
FUNCTION_EXTRAS: dict[str, FunctionExtras] = {
    "tag": FunctionExtras(
        environment=(
            ("ARTICLE_BUCKET", "!Ref ArticleBucket"),
            ("TAGGER_MODEL_KEY", "!Ref TaggerModelKey"),
            ("ALIAS_TABLE_KEY", "!Ref AliasTableKey"),
        ),
        policies=_COMPREHEND_POLICY,
    ),
    "publish": FunctionExtras(
        environment=(("PUBLISH_TOPIC_ARN", "!Ref PublishTopic"),),
        statements=_PUBLISH_TOPIC_STATEMENTS,
    ),
}


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(f"{pad}{line}" if line.strip() else line for line in text.splitlines(keepends=True))


def _bucket_objects(prefix: str) -> str:
    return f'!Sub "${{{topology.BUCKET_LOGICAL_ID}.Arn}}/{prefix}*"'


def _prefix_title(prefix: str) -> str:
    """`ingested/` -> `Ingested`, for statement ids."""
    return prefix.strip("/").replace("/", " ").title().replace(" ", "")


def _statement(sid: str, actions: Iterable[str], resources: Iterable[str], comment: str = "") -> str:
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f"- Sid: {sid}", "  Effect: Allow", "  Action:"]
    lines += [f"    - {action}" for action in actions]
    lines += ["  Resource:"]
    lines += [f"    - {resource}" for resource in resources]
    return "\n".join(lines) + "\n"


def _in_lanes(prefix: str) -> list[str]:
    """A prefix in every lane when a rule routes it (a stage's input), else as it is."""
    routed = {stage.input_prefix for stage in STAGES}
    return [lane.prefix(prefix) for lane in LANES] if prefix in routed else [prefix]


def _stage_statements(stage: Stage) -> str:
    """The function's own policy: its queues (one per lane), its prefixes, the state table."""
    inputs = _in_lanes(stage.input_prefix)
    reads = (*inputs, *stage.extra_read_prefixes)
    parts = [
        _statement(
            "ConsumeOwnQueues",
            ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
            [f"!GetAtt {stage.queue_logical_id_in(lane)}.Arn" for lane in LANES],
            comment="Lambda's SQS event sources poll with the function's role: its own queues only (SAM's\n"
            "SQS event would attach AWSLambdaSQSQueueExecutionRole, which allows every queue).",
        ),
        _statement("ReadInput", ["s3:GetObject", "s3:GetObjectVersion"], [_bucket_objects(p) for p in inputs]),
    ]
    parts += [
        _statement(f"Read{_prefix_title(prefix)}", ["s3:GetObject", "s3:GetObjectVersion"], [_bucket_objects(prefix)])
        for prefix in stage.extra_read_prefixes
    ]
    parts += [
        _statement(f"Write{_prefix_title(prefix)}", ["s3:PutObject"], [_bucket_objects(p) for p in _in_lanes(prefix)])
        for prefix in stage.output_prefixes
    ]
    if stage.deletes_input:
        parts.append(_statement("DeleteInput", ["s3:DeleteObject"], [_bucket_objects(p) for p in inputs]))
    listing = _statement(
        "ListReadPrefixes",
        ["s3:ListBucket"],
        [f"!GetAtt {topology.BUCKET_LOGICAL_ID}.Arn"],
        comment="Lets S3 answer 404 (not 403) for a key that is gone, only under the read prefixes.",
    )
    listing += "  Condition:\n    StringLike:\n      s3:prefix:\n" + "".join(f"        - {p}*\n" for p in reads)
    parts.append(listing)
    if stage.reads_table:
        parts.append(
            _statement(
                "StateTable",
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                [f"!GetAtt {topology.TABLE_LOGICAL_ID}.Arn"],
            )
        )
    parts.append(FUNCTION_EXTRAS.get(stage.name, FunctionExtras()).statements)
    return "".join(parts)


def _function(stage: Stage) -> str:
    extras = FUNCTION_EXTRAS.get(stage.name, FunctionExtras())
    environment = ""
    if extras.environment:
        environment = "Environment:\n  Variables:\n" + "".join(f"    {k}: {v}\n" for k, v in extras.environment)
    return f"""\
{stage.logical_id}:
  Type: AWS::Serverless::Function
  DependsOn: {stage.log_group_logical_id}
  Properties:
    FunctionName: !Sub "{stage.function_name(DEPLOYMENT)}"
    Description: articleflow {stage.name} stage ({_flow(stage)}).
    CodeUri: {stage.code_uri}
    Handler: {stage.handler}
    Timeout: {stage.timeout_seconds}
    MemorySize: {stage.memory_mb}
{_indent(environment, 4)}\
    Layers:
      - !Ref SharedLayer
    Policies:
      - Version: "2012-10-17"
        Statement:
{_indent(_stage_statements(stage), 10)}\
{_indent(extras.policies, 6)}\
      - !If
        - HasKmsKey
        - Version: "2012-10-17"
          Statement:
            - Sid: UseKmsKey
              Effect: Allow
              Action:
                - kms:Decrypt
                - kms:GenerateDataKey
              Resource:
                - !Ref KmsKeyArn
        - !Ref AWS::NoValue
"""


def _flow(stage: Stage) -> str:
    return f"{stage.input_prefix} -> {', '.join(stage.output_prefixes)}"


def _deny_insecure_transport(queue_logical_id: str) -> str:
    return f"""\
- Sid: DenyInsecureTransport
  Effect: Deny
  Principal: "*"
  Action: "sqs:*"
  Resource: !GetAtt {queue_logical_id}.Arn
  Condition:
    Bool:
      aws:SecureTransport: "false"
"""


def _queues(stage: Stage, lane: Lane) -> str:
    queue, dlq, rule = stage.queue_logical_id_in(lane), stage.dlq_logical_id_in(lane), stage.rule_logical_id_in(lane)
    prefix = stage.input_prefix_in(lane)
    return f"""\
{rule}:
  Type: AWS::Events::Rule
  Properties:
    Description: S3 objects created under {prefix} go to the {stage.name} stage ({lane.name} lane).
    State: ENABLED
    EventPattern:
      source:
        - aws.s3
      detail-type:
        - Object Created
      detail:
        bucket:
          name:
            - !Ref {topology.BUCKET_LOGICAL_ID}
        object:
          key:
            - prefix: {prefix}
    Targets:
      - Id: {queue}
        Arn: !GetAtt {queue}.Arn

{queue}:
  Type: AWS::SQS::Queue
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
  Properties:
    QueueName: !Sub "{stage.queue_name(DEPLOYMENT, lane)}"
    SqsManagedSseEnabled: !If [HasKmsKey, !Ref AWS::NoValue, true]
    KmsMasterKeyId: !If [HasKmsKey, !Ref KmsKeyArn, !Ref AWS::NoValue]
    MessageRetentionPeriod: {QUEUE_RETENTION_SECONDS}
    VisibilityTimeout: {stage.visibility_timeout}
    RedrivePolicy:
      deadLetterTargetArn: !GetAtt {dlq}.Arn
      maxReceiveCount: {topology.MAX_RECEIVE_COUNT}

{dlq}:
  Type: AWS::SQS::Queue
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
  Properties:
    QueueName: !Sub "{stage.dlq_name(DEPLOYMENT, lane)}"
    SqsManagedSseEnabled: !If [HasKmsKey, !Ref AWS::NoValue, true]
    KmsMasterKeyId: !If [HasKmsKey, !Ref KmsKeyArn, !Ref AWS::NoValue]
    MessageRetentionPeriod: {DLQ_RETENTION_SECONDS}

{queue}Policy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues:
      - !Ref {queue}
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Sid: AllowStageRule
          Effect: Allow
          Principal:
            Service: events.amazonaws.com
          Action: sqs:SendMessage
          Resource: !GetAtt {queue}.Arn
          Condition:
            ArnEquals:
              aws:SourceArn: !GetAtt {rule}.Arn
{_indent(_deny_insecure_transport(queue), 8)}
{dlq}Policy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues:
      - !Ref {dlq}
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
{_indent(_deny_insecure_transport(dlq), 8)}"""


def _event_source(stage: Stage, lane: Lane) -> str:
    return f"""\
{stage.event_source_logical_id_in(lane)}:
  Type: AWS::Lambda::EventSourceMapping
  Properties:
    EventSourceArn: !GetAtt {stage.queue_logical_id_in(lane)}.Arn
    # The alias: SnapStart restores published versions only (AutoPublishAlias in Globals).
    FunctionName: !Ref {stage.logical_id}.Alias
    BatchSize: {stage.batch_size}
    FunctionResponseTypes:
      - ReportBatchItemFailures
    ScalingConfig:
      MaximumConcurrency: {stage.max_concurrency_in(lane)}
"""


def _log_group(stage: Stage) -> str:
    return f"""\
{stage.log_group_logical_id}:
  Type: AWS::Logs::LogGroup
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
  Properties:
    LogGroupName: !Sub "{stage.log_group_name(DEPLOYMENT)}"
    RetentionInDays: !Ref LogRetentionDays
    KmsKeyId: !If [HasKmsKey, !Ref KmsKeyArn, !Ref AWS::NoValue]
"""


def _alarm(logical_id: str, name: str, description: str, metric: str, dimension: str, threshold: str) -> str:
    namespace, metric_name, statistic = metric.split()
    dimension_name, dimension_value = dimension.split(maxsplit=1)
    return f"""\
{logical_id}:
  Type: AWS::CloudWatch::Alarm
  Properties:
    AlarmName: !Sub "{name}"
    AlarmDescription: {description}
    Namespace: {namespace}
    MetricName: {metric_name}
    Dimensions:
      - Name: {dimension_name}
        Value: {dimension_value}
    Statistic: {statistic}
    Period: {ALARM_PERIOD_SECONDS}
    EvaluationPeriods: 1
    Threshold: {threshold}
    ComparisonOperator: GreaterThanThreshold
    TreatMissingData: notBreaching
    AlarmActions: {ALARM_ACTIONS}
"""


def _dlq_alarm(stage: Stage, lane: Lane) -> str:
    dlq = stage.dlq_logical_id_in(lane)
    return _alarm(
        f"{dlq}Alarm",
        f"{stage.queue_name(DEPLOYMENT, lane)}-dlq-not-empty",
        f"Messages for the {stage.name} stage ({lane.name} lane) failed {topology.MAX_RECEIVE_COUNT} times and landed"
        " in its dead-letter queue.",
        "AWS/SQS ApproximateNumberOfMessagesVisible Maximum",
        f"QueueName !GetAtt {dlq}.QueueName",
        "0",
    )


def _alarms(stage: Stage) -> str:
    """Per lane a DLQ alarm; the function's errors; the live queue's age (a bulk queue's backlog is its purpose)."""
    function_name, queue = stage.function_name(DEPLOYMENT), stage.queue_logical_id
    return "\n".join(
        [
            *(_dlq_alarm(stage, lane) for lane in LANES),
            _alarm(
                f"{stage.logical_id}ErrorsAlarm",
                f"{function_name}-errors",
                f"The {stage.name} function raised errors.",
                "AWS/Lambda Errors Sum",
                f"FunctionName !Ref {stage.logical_id}",
                "0",
            ),
            _alarm(
                f"{queue}AgeAlarm",
                f"{function_name}-queue-age",
                f"The oldest message in the {stage.name} stage's queue waited longer than MaxMessageAgeSeconds.",
                "AWS/SQS ApproximateAgeOfOldestMessage Maximum",
                f"QueueName !GetAtt {queue}.QueueName",
                "!Ref MaxMessageAgeSeconds",
            ),
        ]
    )


def _stage_block(stage: Stage) -> str:
    rule = "# " + "-" * 75
    header = f"{rule}\n# Stage: {stage.name}  ({_flow(stage)})\n{rule}\n"
    parts = [
        *(_queues(stage, lane) for lane in LANES),
        _function(stage),
        *(_event_source(stage, lane) for lane in LANES),
        _log_group(stage),
        _alarms(stage),
    ]
    return header + "\n".join(parts)


def render_stages() -> str:
    """Per stage: per lane a rule, queue, DLQ, their policies and an event source; the function, its
    log group and alarms."""
    return "\n".join(_stage_block(stage) for stage in STAGES)


# --------------------------------------------------------------------------- operations


def _quarantining_stages() -> list[Stage]:
    return [stage for stage in STAGES if QUARANTINE_PREFIX in stage.output_prefixes]


def _publishing_stage() -> Stage:
    (stage,) = [stage for stage in STAGES if stage.sends_to_publish_queue]
    return stage


def _metric_rows(namespace: str, metric: str, dimension: str, values: list[str]) -> list[list[object]]:
    """CloudWatch's shorthand: the first row names the metric, the next ones repeat it with "..."."""
    first, *rest = values
    rows: list[list[object]] = [[namespace, metric, dimension, first]]
    return rows + [["...", value] for value in rest]


def _widget(x: int, y: int, width: int, title: str, metrics: list[list[object]], stat: str) -> dict[str, object]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": width,
        "height": 6,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "metrics": metrics,
            "stat": stat,
            "period": ALARM_PERIOD_SECONDS,
            "view": "timeSeries",
        },
    }


def _dashboard_widgets() -> list[dict[str, object]]:
    functions = [stage.function_name(DEPLOYMENT) for stage in STAGES]
    queues = [stage.queue_name(DEPLOYMENT) for stage in STAGES] + [topology.publish_queue_name(DEPLOYMENT)]
    dlqs = [stage.dlq_name(DEPLOYMENT) for stage in STAGES] + [topology.publish_dlq_name(DEPLOYMENT)]
    quarantining = _quarantining_stages()
    service = ["service", "articleflow"]
    publish = _publishing_stage().name
    latency = [
        ["articleflow", "EndToEndLatency", "stage", publish, *service, {"stat": "p50", "label": "p50"}],
        ["...", {"stat": "p99", "label": "p99"}],
    ]
    first, *rest = quarantining
    quarantined = [
        ["articleflow", "Quarantined", "stage", first.name, *service],
        *(["...", stage.name, *service] for stage in rest),
    ]
    sources = " | ".join(f"SOURCE '{stage.log_group_name(DEPLOYMENT)}'" for stage in quarantining)

    def lambda_rows(metric: str) -> list[list[object]]:
        return _metric_rows("AWS/Lambda", metric, "FunctionName", functions)

    def sqs_rows(metric: str, names: list[str]) -> list[list[object]]:
        return _metric_rows("AWS/SQS", metric, "QueueName", names)

    charts = [
        ("Invocations per stage", lambda_rows("Invocations"), "Sum"),
        ("Errors per stage", lambda_rows("Errors"), "Sum"),
        ("Throttles per stage", lambda_rows("Throttles"), "Sum"),
        ("Duration p50 per stage (ms)", lambda_rows("Duration"), "p50"),
        ("Duration p99 per stage (ms)", lambda_rows("Duration"), "p99"),
        ("End-to-end latency, upload to publish (ms)", latency, "p50"),
        ("Queue depth (messages visible)", sqs_rows("ApproximateNumberOfMessagesVisible", queues), "Maximum"),
        ("Age of oldest message (s)", sqs_rows("ApproximateAgeOfOldestMessage", queues), "Maximum"),
        ("Dead-letter queue depth", sqs_rows("ApproximateNumberOfMessagesVisible", dlqs), "Maximum"),
    ]
    # Three charts a row, then the quarantines per stage and per kind, half the width each.
    return [
        *(_widget(8 * (i % 3), 6 * (i // 3), 8, *chart) for i, chart in enumerate(charts)),
        _widget(0, 18, 12, "Quarantined per stage", quarantined, "Sum"),
        {
            "type": "log",
            "x": 12,
            "y": 18,
            "width": 12,
            "height": 6,
            "properties": {
                "title": "Quarantined per kind",
                "region": "${AWS::Region}",
                "view": "table",
                "query": f"{sources} | filter message = 'input quarantined'"
                " | stats count(*) as quarantined by stage, kind | sort quarantined desc",
            },
        },
    ]


def _dashboard() -> str:
    body = json.dumps({"widgets": _dashboard_widgets()}, indent=2)
    return f"""\
OperationsDashboard:
  Type: AWS::CloudWatch::Dashboard
  Properties:
    DashboardName: !Sub "articleflow-{DEPLOYMENT}"
    # Per stage: invocations, errors, throttles, duration p50/p99; every queue's depth and oldest
    # message; the dead-letter queues; quarantines per stage and per kind (from the logs); and the
    # upload-to-publish latency that publish emits (EndToEndLatency).
    DashboardBody: !Sub |
{_indent(body, 6)}
"""


def _metric_stat(metric_id: str, metric: str, stage: Stage) -> str:
    return f"""\
- Id: {metric_id}
  ReturnData: false
  MetricStat:
    Metric:
      Namespace: articleflow
      MetricName: {metric}
      Dimensions:
        - {{Name: stage, Value: {stage.name}}}
        - {{Name: service, Value: articleflow}}
    Period: 3600
    Stat: Sum
"""


def _quarantine_rate_alarm() -> str:
    quarantining = _quarantining_stages()
    names = " or ".join(stage.name for stage in quarantining)
    total = " + ".join(f"FILL(q{stage.name}, 0)" for stage in quarantining)
    # New uploads: what the first stage wrote plus what it rejected.
    entry = STAGES[0]
    metrics = [f'- Id: quarantined\n  ReturnData: false\n  Expression: "{total}"\n']
    metrics += [_metric_stat(f"q{stage.name}", "Quarantined", stage) for stage in quarantining]
    metrics.append(_metric_stat("accepted", "RecordsWritten", entry))
    accepted = entry.output_prefixes[0].strip("/")
    metrics.append(
        f"- Id: rate\n  Label: Quarantined per 100 uploads {accepted} or rejected\n  ReturnData: true\n"
        f'  Expression: "100 * quarantined / MAX([FILL(accepted, 0) + FILL(q{entry.name}, 0), 1])"\n'
    )
    return f"""\
QuarantineRateAlarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    AlarmName: !Sub "articleflow-{DEPLOYMENT}-quarantine-rate"
    AlarmDescription: >-
      More than QuarantineRateAlarmPercent of an hour's new uploads were quarantined (by {names}):
      a publisher's export is probably broken.
    Metrics:
{_indent("".join(metrics), 6)}\
    EvaluationPeriods: 1
    Threshold: !Ref QuarantineRateAlarmPercent
    ComparisonOperator: GreaterThanThreshold
    TreatMissingData: notBreaching
    AlarmActions: {ALARM_ACTIONS}
"""


def render_operations() -> str:
    """The dashboard and the quarantine-rate alarm, whose contents list the stages."""
    return _dashboard() + "\n" + _quarantine_rate_alarm()


REGIONS: dict[str, Callable[[], str]] = {"stages": render_stages, "operations": render_operations}
# The regions sit under `Resources:`.
REGION_INDENT = 2


def render(template: str) -> str:
    """`template` with every generated region replaced by what the topology renders now."""
    lines = template.splitlines(keepends=True)
    out: list[str] = []
    seen: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        marker = line.strip()
        if not marker.startswith("# BEGIN GENERATED "):
            continue
        region = marker.removeprefix("# BEGIN GENERATED ").split(":")[0]
        end = f"# END GENERATED {region}"
        while index < len(lines) and lines[index].strip() != end:
            index += 1
        if region not in REGIONS or index == len(lines):
            raise ValueError(f"template: region {region!r} is unknown or has no {end!r} line")
        out.append(_indent(REGIONS[region](), REGION_INDENT))
        seen.append(region)
    if sorted(seen) != sorted(REGIONS):
        raise ValueError(f"template: expected one region each of {sorted(REGIONS)}, found {seen}")
    return "".join(out)


def main() -> int:
    TEMPLATE_PATH.write_text(render(TEMPLATE_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
