"""The fan-out in template.yaml and the reusable consumer queue (templates/consumer-queue.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from articleflow import topology
from tests.template.test_template import (
    as_list,
    denies_insecure_transport,
    getatt,
    name_for,
    props,
    ref,
    statements,
)

pytestmark = pytest.mark.template

REPO_ROOT = Path(__file__).resolve().parents[2]
CONSUMER_QUEUE = REPO_ROOT / "templates" / "consumer-queue.yaml"
TOPIC = topology.PUBLISH_TOPIC_LOGICAL_ID
KEY = topology.PUBLISH_TOPIC_KEY_LOGICAL_ID
QUEUE = topology.PUBLISH_QUEUE_LOGICAL_ID
READ_ACTIONS = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}


def load(path: Path) -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    return json.loads(json.dumps(cfn_yaml.load(str(path))))


@pytest.fixture(scope="module")
def consumer_queue() -> dict[str, Any]:
    return load(CONSUMER_QUEUE)


def by_sid(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {statement["Sid"]: statement for statement in as_list(document["Statement"])}


def assert_consumer_policy(document: dict[str, Any], queue_arn: Any, published_objects: str, key_arn: Any) -> None:
    """Receive/delete on its own queue, s3:GetObject under published/ only, decrypt with the topic key."""
    statements = by_sid(document)
    assert set(statements) == {"ReceiveAndDelete", "ReadPointers", "DecryptMessages"}
    assert all(s["Effect"] == "Allow" for s in statements.values())
    assert set(as_list(statements["ReceiveAndDelete"]["Action"])) == READ_ACTIONS
    assert as_list(statements["ReceiveAndDelete"]["Resource"]) == [queue_arn]
    assert set(as_list(statements["ReadPointers"]["Action"])) == {"s3:GetObject", "s3:GetObjectVersion"}
    (objects,) = as_list(statements["ReadPointers"]["Resource"])
    assert objects == {"Fn::Sub": published_objects}
    assert as_list(statements["DecryptMessages"]["Action"]) == ["kms:Decrypt"]
    assert as_list(statements["DecryptMessages"]["Resource"]) == [key_arn]


def allows_only_the_topic(document: dict[str, Any], queue_arns: list[Any], topic: Any) -> bool:
    return any(
        s["Effect"] == "Allow"
        and s["Principal"] == {"Service": "sns.amazonaws.com"}
        and as_list(s["Action"]) == ["sqs:SendMessage"]
        and as_list(s["Resource"]) == queue_arns
        and s["Condition"] == {"ArnEquals": {"aws:SourceArn": topic}}
        for s in as_list(document["Statement"])
    )


# --------------------------------------------------------------------------- template.yaml


def test_topic_is_named_by_the_topology_and_encrypted_with_its_own_rotating_key(template):
    topic = props(template, TOPIC)
    assert name_for(topic["TopicName"]) == topology.publish_topic_name("dev")
    assert topic["KmsMasterKeyId"] == ref(KEY)
    # FIFO: publish's deduplication id and message group reach every subscriber.
    assert (topic["FifoTopic"], topic["ContentBasedDeduplication"], topic["FifoThroughputScope"]) == (
        True,
        False,
        "MessageGroup",
    )
    key = props(template, KEY)
    assert key["EnableKeyRotation"] is True
    sns = by_sid(key["KeyPolicy"])["SnsDeliversToEncryptedQueues"]
    assert sns["Principal"] == {"Service": "sns.amazonaws.com"}
    assert sns["Condition"] == {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}


def test_topic_policy_allows_only_this_accounts_subscriptions(template):
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SNS::TopicPolicy"]
    assert policy["Properties"]["Topics"] == [ref(TOPIC)]
    statements = by_sid(policy["Properties"]["PolicyDocument"])
    allow = statements["AccountSubscribes"]
    assert allow["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    assert "sns:Subscribe" in allow["Action"] and "sns:Publish" not in allow["Action"]
    deny = statements["OnlyThisAccountSubscribes"]
    assert (deny["Effect"], deny["Principal"]) == ("Deny", "*")
    assert set(deny["Action"]) == {"sns:Subscribe", "sns:Receive"}
    assert deny["Condition"] == {"StringNotEquals": {"aws:PrincipalAccount": ref("AWS::AccountId")}}
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_publish_queue_is_the_topics_raw_subscriber(template):
    subscription = props(template, topology.PUBLISH_SUBSCRIPTION_LOGICAL_ID)
    assert subscription == {
        "TopicArn": ref(TOPIC),
        "Protocol": "sqs",
        "Endpoint": getatt(QUEUE, "Arn"),
        "RawMessageDelivery": True,  # the queue's messages keep the article as body, attributes as attributes
        # Undeliverable after SNS's retries: kept in the (alarmed) publish DLQ, not dropped.
        "RedrivePolicy": {"deadLetterTargetArn": getatt(topology.PUBLISH_DLQ_LOGICAL_ID, "Arn")},
    }
    assert props(template, QUEUE)["KmsMasterKeyId"] == ref(KEY)
    for queue_id, name in (
        (QUEUE, topology.publish_queue_name),
        (topology.PUBLISH_DLQ_LOGICAL_ID, topology.publish_dlq_name),
    ):
        assert props(template, queue_id)["FifoQueue"] is True  # a FIFO topic's subscription DLQ is FIFO too
        assert name_for(props(template, queue_id)["QueueName"]) == name("dev")
    assert props(template, QUEUE)["DeduplicationScope"] == "messageGroup"
    for queue_id in (QUEUE, topology.PUBLISH_DLQ_LOGICAL_ID):
        (policy,) = [
            r["Properties"]["PolicyDocument"]
            for r in template["Resources"].values()
            if r["Type"] == "AWS::SQS::QueuePolicy" and r["Properties"]["Queues"] == [ref(queue_id)]
        ]
        assert allows_only_the_topic(policy, [getatt(queue_id, "Arn")], ref(TOPIC)), queue_id


def test_only_publish_may_publish_to_the_topic(transformed):
    for stage in topology.STAGES:
        found = [s for s, _ in statements(transformed, stage.logical_id) if "sns:Publish" in as_list(s["Action"])]
        assert len(found) == (1 if stage.sends_to_publish_queue else 0), stage.name
        for statement in found:
            assert as_list(statement["Resource"]) == [ref(TOPIC)]


def test_publish_queue_consumer_policy(template):
    resource = template["Resources"]["PublishQueueConsumerPolicy"]
    assert resource["Type"] == "AWS::IAM::ManagedPolicy"
    assert_consumer_policy(
        resource["Properties"]["PolicyDocument"],
        getatt(QUEUE, "Arn"),
        f"${{{topology.BUCKET_LOGICAL_ID}.Arn}}/{topology.PUBLISHED_PREFIX}*",
        getatt(KEY, "Arn"),
    )


# --------------------------------------------------------------------------- templates/consumer-queue.yaml


def test_consumer_queue_template_lints_clean():
    from cfnlint.api import lint_file

    assert [str(match) for match in lint_file(CONSUMER_QUEUE)] == []


def test_consumer_queue_is_encrypted_dead_lettered_and_tls_only(consumer_queue):
    queue = props(consumer_queue, "ConsumerQueue")
    assert queue["KmsMasterKeyId"] == ref("PublishTopicKeyArn")
    # FIFO like the topic (and so its DLQ, which also takes what SNS could not deliver).
    assert queue["FifoQueue"] is True and props(consumer_queue, "ConsumerDeadLetterQueue")["FifoQueue"] is True
    assert queue["QueueName"] == {"Fn::Sub": "${QueueName}.fifo"}
    assert props(consumer_queue, "ConsumerDeadLetterQueue")["KmsMasterKeyId"] == ref("PublishTopicKeyArn")
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": getatt("ConsumerDeadLetterQueue", "Arn"),
        "maxReceiveCount": topology.MAX_RECEIVE_COUNT,
    }
    queue_policy = props(consumer_queue, "ConsumerQueuePolicy")
    assert queue_policy["Queues"] == [ref("ConsumerQueue"), ref("ConsumerDeadLetterQueue")]
    arns = [getatt("ConsumerQueue", "Arn"), getatt("ConsumerDeadLetterQueue", "Arn")]
    assert denies_insecure_transport(queue_policy["PolicyDocument"], "sqs:*", arns)
    assert allows_only_the_topic(queue_policy["PolicyDocument"], arns, ref("PublishTopicArn"))
    alarm = props(consumer_queue, "ConsumerDeadLetterQueueAlarm")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": getatt("ConsumerDeadLetterQueue", "QueueName")}]
    assert (alarm["MetricName"], alarm["Threshold"]) == ("ApproximateNumberOfMessagesVisible", 0)


def test_consumer_subscription_is_raw_with_the_given_filter(consumer_queue):
    subscription = props(consumer_queue, "ConsumerSubscription")
    assert subscription["TopicArn"] == ref("PublishTopicArn")
    assert subscription["Endpoint"] == getatt("ConsumerQueue", "Arn")
    assert subscription["RawMessageDelivery"] is True
    assert subscription["FilterPolicyScope"] == "MessageAttributes"
    assert subscription["FilterPolicy"] == {"Fn::If": ["HasFilter", ref("FilterPolicy"), ref("AWS::NoValue")]}
    assert subscription["RedrivePolicy"] == {"deadLetterTargetArn": getatt("ConsumerDeadLetterQueue", "Arn")}
    # The queue policy must exist before SNS is allowed to deliver.
    assert consumer_queue["Resources"]["ConsumerSubscription"]["DependsOn"] == "ConsumerQueuePolicy"


def test_consumer_queue_outputs_its_managed_policy(consumer_queue):
    resource = consumer_queue["Resources"]["ConsumerPolicy"]
    assert resource["Type"] == "AWS::IAM::ManagedPolicy"
    assert_consumer_policy(
        resource["Properties"]["PolicyDocument"],
        getatt("ConsumerQueue", "Arn"),
        f"arn:${{AWS::Partition}}:s3:::${{ArticleBucketName}}/{topology.PUBLISHED_PREFIX}*",
        ref("PublishTopicKeyArn"),
    )
    assert consumer_queue["Outputs"]["ConsumerPolicyArn"]["Value"] == ref("ConsumerPolicy")
    assert set(consumer_queue["Parameters"]) >= {"PublishTopicArn", "PublishTopicKeyArn", "ArticleBucketName"}


def test_consumer_queue_takes_the_pipeline_stacks_outputs(template, consumer_queue):
    """A team fills the snippet's stack parameters from the pipeline's outputs, nothing else."""
    wired = {"PublishTopicArn", "PublishTopicKeyArn", "ArticleBucketName"}
    assert wired <= set(template["Outputs"])
    required = {name for name, spec in consumer_queue["Parameters"].items() if "Default" not in spec}
    assert required == wired | {"QueueName"}


# --------------------------------------------------------------------------- examples/lambda_consumer


EXAMPLE = REPO_ROOT / "examples" / "lambda_consumer" / "template.yaml"


def test_example_lambda_template_lints_clean():
    from cfnlint.api import lint_file

    assert [str(match) for match in lint_file(EXAMPLE)] == []


def test_example_lambda_reads_its_own_filtered_queue_with_partial_batch_failures():
    example = load(EXAMPLE)
    nested = props(example, "ArticleQueue")
    # The reusable snippet, not a copy of it.
    assert (EXAMPLE.parent / nested["TemplateURL"]).resolve() == CONSUMER_QUEUE
    assert json.loads(example["Parameters"]["FilterPolicy"]["Default"]) == {"language": ["ar"]}
    assert nested["Parameters"]["FilterPolicy"] == ref("FilterPolicy")
    function = props(example, "ConsumerFunction")
    (event,) = function["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == getatt("ArticleQueue", "Outputs.QueueArn")
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert function["Policies"] == [getatt("ArticleQueue", "Outputs.ConsumerPolicyArn")]
    assert function["Runtime"] == topology.LAMBDA_RUNTIME
    assert int(nested["Parameters"]["VisibilityTimeout"]) >= 6 * function["Timeout"]
