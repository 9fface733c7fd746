"""Articles, re-uploads and duplicate events through the real handlers while AWS calls fail.

At the end every article is published at its latest content, or its work is in a DLQ: nothing lost;
revisions on the queue follow S3's upload order, so no newer message is followed by an older one
(nothing stale); and no revision reaches the publish queue twice: a send whose outcome its sender
could not know (the SDK resent it after a lost response, or the attempt ended between the send and
its record) is repeated under the revision's deduplication id, which the FIFO topic and queue drop,
and no repeat comes later than the deduplication window after the first send (moto deduplicates
regardless of time, so the harness checks the window on the simulated clock). Then the DLQs are
redriven without faults, as an operator would, and every article is published at its latest content.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from articleflow.adapters.aws import client
from articleflow.core.ingest import article_id_for
from articleflow.topology import STAGES
from articleflow_dev.local.embedded import EmbeddedPipeline
from tests.integration.faults.harness import FaultInjector, FaultyPump, SimulatedClock, s3_event

pytestmark = pytest.mark.integration

WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "school",
    "bridge",
    "market",
    "festival",
    "library",
    "station",
    "museum",
    "garden",
]


def article_text(n: int, variant: int) -> bytes:
    words = " ".join(WORDS[(n * 7 + variant * 3 + i) % len(WORDS)] for i in range(12))
    return f"Report {n} version {variant}.\n\nThe {words} story number {n} in its version {variant}.\n".encode()


@dataclass
class Workload:
    uploads: dict[str, list[bytes]] = field(default_factory=lambda: defaultdict(list))  # key -> contents in order
    duplicate_events: int = 0


def run(pipeline: EmbeddedPipeline, pump: FaultyPump, articles: int, rng: random.Random) -> Workload:
    """Upload every article; after each round of first attempts (some failing), re-upload some keys."""
    work = Workload()
    s3, sqs = client("s3"), client("sqs")
    latest = dict.fromkeys(range(articles), 0)
    rounds = [list(range(articles)), rng.sample(range(articles), k=max(1, articles // 2))]
    rounds.append(rng.sample(range(articles), k=max(1, articles // 3)))
    for round_number, numbers in enumerate(rounds):
        for n in numbers:
            if round_number:  # the same bytes again (a publisher's retry) or a new version, evenly
                latest[n] = latest[n] if rng.random() < 0.5 else latest[n] + 1
            key = pipeline.upload(f"story-{n}.txt", article_text(n, latest[n]))
            work.uploads[key].append(article_text(n, latest[n]))
            if rng.random() < 0.3:  # EventBridge delivers this version's event twice
                version = s3.head_object(Bucket=pipeline.bucket, Key=key)["VersionId"]
                body = s3_event(pipeline.bucket, key, version)
                sqs.send_message(QueueUrl=pipeline.queues["ingest"].url, MessageBody=body)
                work.duplicate_events += 1
        # First attempts of what is queued, before any visibility timeout passes: the next round's
        # re-uploads land while some of these attempts have failed half-way.
        for _ in range(rng.randrange(1, 4)):
            for stage in STAGES:
                pump.step(stage)
    pump.drain()
    return work


def dead_lettered_articles(pipeline: EmbeddedPipeline) -> tuple[set[str], list[tuple[str, str]]]:
    """Article ids with a message in a DLQ (ids from the event keys), and those messages to redrive."""
    import json

    ids, letters = set(), []
    for stage, messages in pipeline.dead_letters().items():
        for message in messages:
            key = json.loads(message["Body"])["detail"]["object"]["key"]
            ids.add(article_id_for(key) if stage == "ingest" else key.split("/")[1])
            letters.append((stage, message["Body"]))
    return ids, letters


def check_run(articles: int, rate: float, seed: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    rng = random.Random(seed)
    clock = SimulatedClock()
    monkeypatch.setattr(time, "time", clock.time)
    with EmbeddedPipeline() as pipeline:
        injector = FaultInjector(rate=rate, rng=rng)
        injector.install(monkeypatch)
        pump = FaultyPump(pipeline, injector, clock)
        work = run(pipeline, pump, articles, rng)
        published = pipeline.take_published()
        in_dlq, letters = dead_lettered_articles(pipeline)

        by_article: dict[str, list[dict]] = defaultdict(list)
        for item in published:
            by_article[item["body"]["article_id"]].append(item["body"])
        versions = {
            key: [
                v["VersionId"]
                for v in reversed(client("s3").list_object_versions(Bucket=pipeline.bucket, Prefix=key)["Versions"])
                if v["Key"] == key
            ]
            for key in work.uploads
        }
        lost = stale = duplicates = 0
        for key, contents in work.uploads.items():
            article = article_id_for(key)
            messages = by_article.get(article, [])
            revisions = [m["revision"] for m in messages]
            duplicates += len(revisions) - len(set(revisions))
            # Nothing stale: revisions only go up on the queue, and so does the S3 version they carry.
            order = [versions[key].index(m["source"]["version_id"]) for m in messages]
            if revisions != sorted(revisions) or order != sorted(order):
                stale += 1
            latest = hashlib.sha256(contents[-1]).hexdigest()
            if not (messages and messages[-1]["content_sha256"] == latest) and article not in in_dlq:
                lost += 1
        figures = {
            "articles": articles,
            "uploads": sum(len(c) for c in work.uploads.values()),
            "duplicate_events": work.duplicate_events,
            "api_calls": injector.calls,
            **{f"injected_{kind}": count for kind, count in sorted(injector.injected.items())},
            "crashed_invocations": pump.crashes,
            "published_messages": len(published),
            "articles_in_dlq": len(in_dlq),
            "lost": lost,
            "stale": stale,
            "duplicates": duplicates,
            "ambiguous_sends": injector.ambiguous_sends,
            "sends_beyond_dedup_window": injector.sends_beyond_deduplication_window(),
        }
        assert (lost, stale, duplicates, figures["sends_beyond_dedup_window"]) == (0, 0, 0, 0), figures

        # The operator redrives the DLQs once the faults are over: every article ends at its latest content.
        injector.rate = 0.0
        for stage, body in letters:
            client("sqs").send_message(QueueUrl=pipeline.queues[stage].url, MessageBody=body)
        pump.drain()
        for item in pipeline.take_published():
            by_article[item["body"]["article_id"]].append(item["body"])
        for key, contents in work.uploads.items():
            messages = by_article[article_id_for(key)]
            assert messages and messages[-1]["content_sha256"] == hashlib.sha256(contents[-1]).hexdigest(), key
            revisions = [m["revision"] for m in messages]
            assert revisions == sorted(revisions), (key, revisions)
        assert pipeline.dead_letters() == {}
        return figures


@pytest.mark.parametrize(("rate", "seed"), [(0.1, 1), (0.3, 2)])
def test_nothing_lost_stale_or_duplicated_under_faults(rate: float, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = check_run(articles=8, rate=rate, seed=seed, monkeypatch=monkeypatch)
    assert figures["injected_crash"] > 0 and figures["injected_lost_retried"] > 0  # the faults did happen


@pytest.mark.stress
@pytest.mark.parametrize(("rate", "seed"), [(0.1, 11), (0.2, 12), (0.3, 13)])
def test_nothing_lost_stale_or_duplicated_under_faults_at_scale(
    rate: float, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = check_run(articles=200, rate=rate, seed=seed, monkeypatch=monkeypatch)
    print("faults", rate, figures)
