"""The pipeline's shape, defined once.

`template.yaml`'s per-stage resources are rendered from this module
(`make template-render`, scripts/render_template.py) and the template tests check
the rest against it; the embedded runner (`articleflow run`) builds exactly this
topology on moto. Change a prefix, a queue or a stage here, re-render, and both follow.

Two words with one meaning each: a *stage* is a step of the pipeline (ingest,
normalize, ...); a *deployment* is one installation of the whole pipeline (the
stack's `StageName` parameter, e.g. dev or prod), part of every resource name.
"""

from __future__ import annotations

from dataclasses import dataclass

# The Lambda runtime every function and the layer run on. The tests and `make` use the same
# interpreter version (scripts/find_python.sh reads it from here).
LAMBDA_RUNTIME = "python3.13"
LAMBDA_ARCHITECTURE = "arm64"
# Every function publishes a version per deployment behind this alias (SnapStart applies to published
# versions), and its SQS event source invokes the alias.
FUNCTION_ALIAS = "live"

INCOMING_PREFIX = "incoming/"
INGESTED_PREFIX = "ingested/"
NORMALIZED_PREFIX = "normalized/"
TAGGED_PREFIX = "tagged/"
PUBLISHED_PREFIX = "published/"
QUARANTINE_PREFIX = "quarantine/"
# Trained tagger models and alias tables (files, not the pydantic `articleflow.models`). Read by the
# tag stage; no rule routes it.
TAGGER_MODELS_PREFIX = "models/"

# A message that fails this many receives goes to the stage's dead-letter queue.
MAX_RECEIVE_COUNT = 3
# AWS recommends a queue visibility timeout of at least 6x the function timeout (room for Lambda to
# retry a throttled batch). The publish stage's is shorter: see sends_within_deduplication_window.
VISIBILITY_TIMEOUT_FACTOR = 6
# The publish topic and queue are FIFO: each revision is sent with a deduplication id, so a send
# repeated because its outcome was unknown (a lost response, a crash before it was recorded) is
# delivered once if it comes within SNS's deduplication window of the first, and each article's
# revisions reach a FIFO subscriber in the order they were sent (one message group per article).
FIFO_SUFFIX = ".fifo"
DEDUPLICATION_WINDOW_SECONDS = 300
# Slack for the event source's polling between a message turning visible and its next receive.
POLL_MARGIN_SECONDS = 30


def sends_within_deduplication_window(timeout_seconds: int) -> int:
    """The longest visibility timeout with which every receive of a message sends within the
    deduplication window of the first send: the last receive starts (MAX_RECEIVE_COUNT - 1)
    visibility timeouts after the first and sends at most a function timeout later."""
    room = DEDUPLICATION_WINDOW_SECONDS - timeout_seconds - POLL_MARGIN_SECONDS
    return room // (MAX_RECEIVE_COUNT - 1)


@dataclass(frozen=True)
class Lane:
    """A way through the stages. Live uploads and bulk work (a backfill, a whole-archive reprocess)
    run through the same functions but on separate queues: each stage's bulk queue has its own event
    source with a lower MaximumConcurrency, so bulk work cannot starve live uploads. The lane is in the
    key (EventBridge routes on the key alone): every routed prefix of the bulk lane starts `bulk/`."""

    name: str
    key_prefix: str
    queue_suffix: str  # of its queue and DLQ names
    logical_suffix: str  # of its template resources' logical ids

    def prefix(self, routed_prefix: str) -> str:
        return f"{self.key_prefix}{routed_prefix}"


LIVE_LANE = Lane("live", "", "", "")
BULK_LANE = Lane("bulk", "bulk/", "-bulk", "Bulk")
LANES = (LIVE_LANE, BULK_LANE)
# Where a backfill (`articleflow backfill`, the backfill state machine) copies archived objects.
BULK_PREFIX = BULK_LANE.prefix(INCOMING_PREFIX)
# Each stage's bulk event source runs at most this many invocations (SQS event sources' minimum).
BULK_MAX_CONCURRENCY = 2


def lane_of(key: str) -> Lane:
    return BULK_LANE if key.startswith(BULK_LANE.key_prefix) else LIVE_LANE


def live_key(key: str) -> str:
    """The key as the live lane names it: a bulk copy is the same article as that upload."""
    return key.removeprefix(lane_of(key).key_prefix)


def record_key(prefix: str, article_id: str, revision: int, lane: Lane = LIVE_LANE) -> str:
    """Where a stage writes an article's revision under its output prefix (and the next stage reads
    it), in the lane of the input it was made from."""
    return f"{lane.prefix(prefix)}{article_id}/r{revision:06d}.json"


@dataclass(frozen=True)
class Stage:
    """One Lambda function: the prefix that triggers it and the prefixes it writes."""

    name: str
    logical_id: str
    input_prefix: str
    output_prefixes: tuple[str, ...]
    timeout_seconds: int
    memory_mb: int
    batch_size: int = 10
    max_concurrency: int = 5
    reads_table: bool = True
    sends_to_publish_queue: bool = False
    deletes_input: bool = False
    # Prefixes read besides the input (never routed to any stage).
    extra_read_prefixes: tuple[str, ...] = ()

    @property
    def code_uri(self) -> str:
        return f"functions/{self.name}/"

    @property
    def handler(self) -> str:
        return "app.lambda_handler"

    @property
    def alias_logical_id(self) -> str:
        """The alias SAM's AutoPublishAlias creates: what the event source mapping invokes."""
        return f"{self.logical_id}Alias{FUNCTION_ALIAS}"

    def input_prefix_in(self, lane: Lane) -> str:
        return lane.prefix(self.input_prefix)

    def queue_logical_id_in(self, lane: Lane) -> str:
        return f"{self.logical_id}{lane.logical_suffix}Queue"

    def dlq_logical_id_in(self, lane: Lane) -> str:
        return f"{self.logical_id}{lane.logical_suffix}DeadLetterQueue"

    def rule_logical_id_in(self, lane: Lane) -> str:
        return f"{self.logical_id}{lane.logical_suffix}Rule"

    def event_source_logical_id_in(self, lane: Lane) -> str:
        return f"{self.logical_id}{lane.logical_suffix}EventSource"

    def max_concurrency_in(self, lane: Lane) -> int:
        return BULK_MAX_CONCURRENCY if lane is BULK_LANE else self.max_concurrency

    @property
    def queue_logical_id(self) -> str:
        return self.queue_logical_id_in(LIVE_LANE)

    @property
    def dlq_logical_id(self) -> str:
        return self.dlq_logical_id_in(LIVE_LANE)

    @property
    def rule_logical_id(self) -> str:
        return self.rule_logical_id_in(LIVE_LANE)

    @property
    def visibility_timeout(self) -> int:
        if self.sends_to_publish_queue:
            # Each retry of a send whose outcome was unknown must fall inside the FIFO topic's
            # deduplication window: 120 s for a 30 s timeout, 4x rather than the usual 6x.
            return sends_within_deduplication_window(self.timeout_seconds)
        return self.timeout_seconds * VISIBILITY_TIMEOUT_FACTOR

    @property
    def log_group_logical_id(self) -> str:
        return f"{self.logical_id}LogGroup"

    def function_name(self, deployment: str) -> str:
        return f"articleflow-{deployment}-{self.name}"

    def log_group_name(self, deployment: str) -> str:
        return f"/aws/lambda/{self.function_name(deployment)}"

    def queue_name(self, deployment: str, lane: Lane = LIVE_LANE) -> str:
        return f"articleflow-{deployment}-{self.name}{lane.queue_suffix}"

    def dlq_name(self, deployment: str, lane: Lane = LIVE_LANE) -> str:
        return f"articleflow-{deployment}-{self.name}{lane.queue_suffix}-dlq"


STAGES: tuple[Stage, ...] = (
    Stage(
        name="ingest",
        logical_id="IngestFunction",
        input_prefix=INCOMING_PREFIX,
        output_prefixes=(INGESTED_PREFIX, QUARANTINE_PREFIX),
        timeout_seconds=30,
        memory_mb=512,  # peak ~245 MiB on a 10 MiB article (make bench)
        deletes_input=True,  # a quarantined upload is moved, not copied
    ),
    Stage(
        name="normalize",
        logical_id="NormalizeFunction",
        input_prefix=INGESTED_PREFIX,
        output_prefixes=(NORMALIZED_PREFIX, QUARANTINE_PREFIX),
        timeout_seconds=30,
        memory_mb=512,  # peak ~245 MiB on a 10 MiB article
    ),
    Stage(
        name="tag",
        logical_id="TagFunction",
        input_prefix=NORMALIZED_PREFIX,
        output_prefixes=(TAGGED_PREFIX,),
        timeout_seconds=60,
        memory_mb=1024,  # peak ~700 MiB on a 10 MiB article (make bench)
        extra_read_prefixes=(TAGGER_MODELS_PREFIX,),
    ),
    Stage(
        name="publish",
        logical_id="PublishFunction",
        input_prefix=TAGGED_PREFIX,
        output_prefixes=(PUBLISHED_PREFIX,),
        timeout_seconds=30,
        memory_mb=1024,  # the message is ~4.6x the article: ~610 MiB peak at 10 MiB
        sends_to_publish_queue=True,
    ),
)

STAGES_BY_NAME = {stage.name: stage for stage in STAGES}
STAGE_NAMES = tuple(STAGES_BY_NAME)

PUBLISH_QUEUE_LOGICAL_ID = "PublishQueue"
PUBLISH_DLQ_LOGICAL_ID = "PublishDeadLetterQueue"
BUCKET_LOGICAL_ID = "ArticleBucket"
TABLE_LOGICAL_ID = "StateTable"


def publish_queue_name(deployment: str) -> str:
    return f"articleflow-{deployment}-published{FIFO_SUFFIX}"


def publish_dlq_name(deployment: str) -> str:
    return f"articleflow-{deployment}-published-dlq{FIFO_SUFFIX}"


# Fan-out: publish sends each article to this SNS topic; the publish queue is its first
# subscriber (raw message delivery, so its messages keep their SQS body and attributes), and any
# team adds its own subscription with a filter policy (templates/consumer-queue.yaml).
PUBLISH_TOPIC_LOGICAL_ID = "PublishTopic"
PUBLISH_TOPIC_KEY_LOGICAL_ID = "PublishTopicKey"
PUBLISH_SUBSCRIPTION_LOGICAL_ID = "PublishQueueSubscription"


def publish_topic_name(deployment: str) -> str:
    return f"articleflow-{deployment}-published{FIFO_SUFFIX}"


def table_name(deployment: str) -> str:
    return f"articleflow-{deployment}-state"


# Backfill and whole-archive reprocess: one Step Functions execution (template.yaml,
# BackfillStateMachine) whose Distributed Map lists a prefix (or reads an S3 Inventory manifest)
# and feeds the items in batches into the bulk lane. Its feed rate is held to about what the bulk
# lane's event sources take (BULK_MAX_CONCURRENCY per stage), so its queues do not pile up: at most
# BACKFILL_MAX_CONCURRENCY batches in flight, each of BACKFILL_BATCH_SIZE objects followed by a
# BACKFILL_BATCH_PAUSE_SECONDS pause (README, "Backfill at scale").
BACKFILL_STATE_MACHINE_LOGICAL_ID = "BackfillStateMachine"
BACKFILL_ROLE_LOGICAL_ID = "BackfillStateMachineRole"
REPROCESS_FUNCTION_LOGICAL_ID = "ReprocessFunction"
BACKFILL_FUNCTION_LOGICAL_ID = "BackfillFunction"
# The functions the state machine's Distributed Maps invoke per batch (no pipeline stage of their own).
ITEM_PROCESSOR_LOGICAL_IDS = (REPROCESS_FUNCTION_LOGICAL_ID, BACKFILL_FUNCTION_LOGICAL_ID)
# `articleflow reprocess --from-stage`: any stage but the first, each reads the record the stage before it stored.
REPROCESS_FROM_STAGES = STAGE_NAMES[1:]
BACKFILL_RESULTS_PREFIX = "backfill-results/"
BACKFILL_MAX_CONCURRENCY = 4
BACKFILL_BATCH_SIZE = 100
BACKFILL_BATCH_PAUSE_SECONDS = 15
BACKFILL_TOLERATED_FAILURE_PERCENT = 1


def backfill_state_machine_name(deployment: str) -> str:
    return f"articleflow-{deployment}-backfill"


def event_pattern(bucket_name: str, prefix: str) -> dict[str, object]:
    """The EventBridge pattern that routes an upload under `prefix` to a stage."""
    return {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {
            "bucket": {"name": [bucket_name]},
            "object": {"key": [{"prefix": prefix}]},
        },
    }
