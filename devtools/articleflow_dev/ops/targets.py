"""Where the pipeline's resources are: serve's defaults or a deployed stack's outputs.

Both name queues the same way (`articleflow.topology`), so only the stage name, bucket and table
differ: serve uses stage `local` (`local/provision.py`), a stack says them in its parameters and
outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from articleflow.adapters.aws import client
from articleflow.topology import LIVE_LANE, STAGES_BY_NAME, Lane, publish_dlq_name, publish_queue_name, table_name
from articleflow_dev.local.provision import bucket_name

SERVE_DEPLOYMENT = "local"
PUBLISH = "publish"  # `redrive publish`: the publish queue's DLQ, not the publish stage's


@dataclass(frozen=True)
class Target:
    deployment: str
    bucket: str
    table: str
    state_machine_arn: str | None = None

    def queue_names(self, stage: str, *, publish_queue: bool = False, lane: Lane = LIVE_LANE) -> tuple[str, str]:
        """(source queue, its DLQ) of a stage in a lane, or of the publish queue."""
        if publish_queue:
            return publish_queue_name(self.deployment), publish_dlq_name(self.deployment)
        definition = STAGES_BY_NAME[stage]
        return definition.queue_name(self.deployment, lane), definition.dlq_name(self.deployment, lane)


def serve_target() -> Target:
    return Target(SERVE_DEPLOYMENT, bucket_name(SERVE_DEPLOYMENT), table_name(SERVE_DEPLOYMENT))


def stack_target(stack_name: str) -> Target:
    stack = client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    parameters = {parameter["ParameterKey"]: parameter["ParameterValue"] for parameter in stack.get("Parameters", [])}
    return Target(
        deployment=parameters["StageName"],
        bucket=outputs["ArticleBucketName"],
        table=outputs["StateTableName"],
        state_machine_arn=outputs.get("BackfillStateMachineArn"),
    )


def resolve(stack_name: str | None) -> Target:
    return stack_target(stack_name) if stack_name else serve_target()
