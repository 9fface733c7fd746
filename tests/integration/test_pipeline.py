"""End to end on moto: S3 upload -> EventBridge -> SQS -> the real handlers -> publish queue."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from articleflow.adapters.aws import client
from articleflow.core.ingest import article_id_for
from articleflow.models.message import PublishedMessage
from articleflow.runtime.stage import BatchFailed
from articleflow.topology import INGESTED_PREFIX, STAGE_NAMES, STAGES, STAGES_BY_NAME
from articleflow_dev.local.embedded import EmbeddedPipeline, QueueInfo, sqs_event
from tests.conftest import REPO_ROOT
from tests.unit.test_publish import ninjs_validator

pytestmark = pytest.mark.integration

ARABIC_KEY_NAME = "أخبار/قيادة اليابان.txt"
SOURCE_URL = "https://www.congluan.vn/my-ra-tuyen-bo-thanh-lap-bo-chi-huy-quan-su-moi-tai-nhat-ban-post305266.html"


@pytest.fixture
def pipeline():
    with EmbeddedPipeline(max_upload_bytes=64 * 1024) as running:
        yield running


def only_message(pipeline: EmbeddedPipeline) -> dict[str, Any]:
    published = pipeline.take_published()
    assert len(published) == 1, [item["body"]["article_id"] for item in published]
    return published[0]


def s3_event_body(bucket: str, key: str, version_id: str | None, detail_type: str = "Object Created") -> str:
    """An EventBridge S3 event as AWS sends it (lower-case `etag`, `reason: PutObject`)."""
    return json.dumps(
        {
            "version": "0",
            "detail-type": detail_type,
            "source": "aws.s3",
            "detail": {
                "bucket": {"name": bucket},
                "object": {"key": key, "size": 1, "etag": "x", "version-id": version_id},
                "reason": "PutObject",
            },
        }
    )


def send_to_stage(pipeline: EmbeddedPipeline, stage: str, body: str) -> None:
    client("sqs").send_message(QueueUrl=pipeline.queues[stage].url, MessageBody=body)


def version_of(pipeline: EmbeddedPipeline, key: str) -> str:
    return str(client("s3").head_object(Bucket=pipeline.bucket, Key=key)["VersionId"])


def test_arabic_sample_comes_out_with_every_field(pipeline, arabic_sample):
    key = pipeline.upload(ARABIC_KEY_NAME, arabic_sample, {"publisher": "Cong Luan"})
    pipeline.drain()
    item = only_message(pipeline)
    message = item["body"]
    PublishedMessage.model_validate(message)  # the contract, strictly

    assert message["article_id"] == article_id_for(key)
    assert message["revision"] == 1
    assert message["content_sha256"] == hashlib.sha256(arabic_sample).hexdigest()
    assert message["source"] == {
        "bucket": pipeline.bucket,
        "key": key,
        "version_id": version_of(pipeline, key),
        "publisher": "Cong Luan",
        "url": SOURCE_URL,
    }

    text = message["text"]
    lines = arabic_sample.decode("utf-8").splitlines()
    assert text["paragraphs"] == [lines[0], *lines[2:11]]
    assert text["body"] == "\n\n".join(text["paragraphs"])
    assert (text["title"], text["title_origin"]) == (None, "none")
    assert (text["language"], text["script"], text["direction"]) == ("ar", "Arab", "rtl")
    assert text["word_count"] == len(text["body"].split())  # Arabic: every token holds a letter or digit
    assert message["captions"] == [{"text": lines[1].removesuffix(" الصورة: حمام السباحة"), "credit": "حمام السباحة"}]
    assert message["byline"] == {"authors": ["نغوك آنه"], "sources": ["جابان تايمز", "رويترز"]}
    removed = {entry["kind"]: entry["text"] for entry in message["removed"]}
    assert removed["ad"] == "[إعلان رقم 2]"
    assert removed["comments"] == "تعليق (0)"

    by_text = {}
    for entity in message["entities"]:
        for mention in entity["mentions"]:
            if mention.get("field", "body") == "body":
                assert text["body"][mention["start"] : mention["end"]]  # offsets index the body
        by_text.setdefault(entity["text"], entity)
    assert by_text["طوكيو"]["id"] == "geonames:1850147"
    assert by_text["اليابان"]["id"] == "iso3166:JP"
    assert {entity["type"] for entity in message["entities"]} >= {
        "PERSON",
        "LOCATION",
        "ORGANIZATION",
        "DATE",
    }

    assert list(ninjs_validator().iter_errors(message["ninjs"])) == []
    assert message["ninjs"]["language"] == "ar"
    assert [run["stage"] for run in message["processing"]] == list(STAGE_NAMES)
    assert all(run["duration_ms"] >= 0 for run in message["processing"])

    # Through the topic with raw delivery: today's attributes, plus what subscribers filter on.
    attributes = {name: value["StringValue"] for name, value in item["attributes"].items()}
    present = {entity["id"] for entity in message["entities"] if entity["id"]}
    assert attributes == {
        "article_id": message["article_id"],
        "revision": "1",
        "language": "ar",
        "schema_version": message["schema_version"],
        "payload": "inline",
        "publisher": "Cong Luan",
        "entity_types": json.dumps(sorted({entity["type"] for entity in message["entities"]})),
        "entity_ids": json.dumps(sorted(present)),
    }
    assert item["attributes"]["entity_ids"]["DataType"] == "String.Array"
    assert item["attributes"]["language"]["DataType"] == "String"
    (published_key,) = pipeline.keys("published/")
    stored = client("s3").get_object(Bucket=pipeline.bucket, Key=published_key)["Body"].read()
    assert json.loads(stored) == message


def test_repeated_event_and_identical_reupload_publish_nothing_new(pipeline):
    sample = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_bytes()
    key = pipeline.upload("library.txt", sample)
    pipeline.drain()
    assert len(pipeline.take_published()) == 1
    first_version = version_of(pipeline, key)

    send_to_stage(pipeline, "ingest", s3_event_body(pipeline.bucket, key, first_version))  # S3 redelivers
    pipeline.upload("library.txt", sample)  # the publisher uploads the same bytes again
    pipeline.drain()
    assert pipeline.take_published() == []
    assert pipeline.keys(INGESTED_PREFIX) == [f"{INGESTED_PREFIX}{article_id_for(key)}/r000001.json"]
    assert pipeline.dead_letters() == {}  # skipped as unchanged, not failed


def test_changed_content_publishes_the_next_revision(pipeline):
    sample = (REPO_ROOT / "samples" / "en-library-reopens.txt").read_text(encoding="utf-8")
    pipeline.upload("library.txt", sample.encode())
    pipeline.drain()
    first = only_message(pipeline)["body"]
    pipeline.upload("library.txt", sample.replace("4,000 people", "5,000 people").encode())
    pipeline.drain()
    second = only_message(pipeline)["body"]
    assert (first["revision"], second["revision"]) == (1, 2)
    assert second["article_id"] == first["article_id"]
    assert second["content_sha256"] != first["content_sha256"]
    assert "5,000 people" in second["text"]["body"]


def test_an_event_for_a_replaced_version_is_skipped(pipeline):
    """Events arrive out of order: an old version's late event must not republish old text."""
    key = pipeline.upload("story.txt", b"First version of the story, long enough to be a paragraph.")
    old_version = version_of(pipeline, key)
    pipeline.upload("story.txt", b"Second version of the story, long enough to be a paragraph.")
    pipeline.drain()
    assert [m["body"]["revision"] for m in pipeline.take_published()] == [1]
    send_to_stage(pipeline, "ingest", s3_event_body(pipeline.bucket, key, old_version))
    pipeline.drain()
    assert pipeline.take_published() == []


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("empty.txt", b"", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"),
        ("noise.txt", bytes((i * 89 + 17) % 127 + 129 for i in range(600)), "undecodable"),
        ("huge.txt", b"a" * (64 * 1024 + 1), "too_large"),
        ("furniture-only.txt", b"Read more: elsewhere\nShare this article\n", "empty"),
    ],
)
def test_bad_uploads_are_quarantined_with_a_reason_and_not_retried(pipeline, name, data, kind):
    key = pipeline.upload(name, data)
    stats = pipeline.drain()
    assert pipeline.take_published() == []
    (reason,) = pipeline.quarantine_reasons()
    assert reason["kind"] == kind
    assert reason["reason"]
    assert reason["article_id"] == article_id_for(key)
    assert stats.failed_records == 0  # handled, not retried
    assert pipeline.dead_letters() == {}
    if reason["stage"] == "ingest":  # moved: the upload is gone from incoming/, its copy is kept
        assert pipeline.keys("incoming/") == []
        assert f"quarantine/ingest/{name}" in pipeline.keys("quarantine/")
    assert '"Quarantined"' in pipeline.log_stream.getvalue()  # the EMF metric was emitted


def test_one_bad_record_never_fails_the_others_and_ends_in_the_dlq(pipeline):
    keys = [pipeline.upload(f"story-{n}.txt", f"Story number {n} has a body paragraph.".encode()) for n in (1, 2)]
    sqs = client("sqs")
    ingest = pipeline.queues["ingest"]
    sqs.send_message(QueueUrl=ingest.url, MessageBody="this is not an S3 event")
    messages = sqs.receive_message(QueueUrl=ingest.url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert len(messages) == 3
    response = pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, ingest))
    poisoned = [m["MessageId"] for m in messages if m["Body"] == "this is not an S3 event"]
    assert response["batchItemFailures"] == [{"itemIdentifier": poisoned[0]}]
    for message in messages:  # hand the batch back as Lambda would: successes deleted, failure retried
        if message["MessageId"] in poisoned:
            sqs.change_message_visibility(
                QueueUrl=ingest.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        else:
            sqs.delete_message(QueueUrl=ingest.url, ReceiptHandle=message["ReceiptHandle"])
    pipeline.drain()
    published = pipeline.take_published()
    assert sorted(m["body"]["article_id"] for m in published) == sorted(article_id_for(k) for k in keys)
    dead = pipeline.dead_letters()
    assert list(dead) == ["ingest"]
    assert [m["Body"] for m in dead["ingest"]] == ["this is not an S3 event"]


def test_a_batch_where_every_record_fails_fails_the_invocation(pipeline):
    """As on Lambda with powertools: an all-failed batch is a function error (Errors alarm), not a reply."""
    ingest = pipeline.queues["ingest"]
    sqs = client("sqs")
    for body in ("not an event", "{}", '{"detail-type": "Object Created"}'):
        sqs.send_message(QueueUrl=ingest.url, MessageBody=body)
    messages = sqs.receive_message(QueueUrl=ingest.url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    with pytest.raises(BatchFailed, match="all 3 records"):
        pipeline.invoke(STAGES_BY_NAME["ingest"], sqs_event(messages, ingest))
    assert pipeline.log_stream.getvalue().count("record failed; SQS will retry it") == 3


def test_an_empty_batch_is_not_a_failure(pipeline):
    assert pipeline.invoke(STAGES_BY_NAME["ingest"], {"Records": []}) == {"batchItemFailures": []}


def recorded_event(stage: str, bucket: str, key: str | None = None, version_id: str | None = None) -> dict[str, Any]:
    """A recorded AWS event from events/, pointed at this test's bucket and object version."""
    event = json.loads((REPO_ROOT / "events" / f"{stage}.json").read_text(encoding="utf-8"))
    record = event["Records"][0]
    body = json.loads(record["body"])
    body["detail"]["bucket"]["name"] = bucket
    if key is not None:
        body["detail"]["object"]["key"] = key
    body["detail"]["object"]["version-id"] = version_id
    record["body"] = json.dumps(body, ensure_ascii=False)
    return copy.deepcopy(event)


def test_recorded_aws_events_drive_every_handler(pipeline, arabic_sample):
    """AWS-shaped events (URL-encoded Arabic key, `etag`, `reason: PutObject`) work like moto's."""
    key = "incoming/أخبار/خبر عاجل.txt"
    client("s3").put_object(Bucket=pipeline.bucket, Key=key, Body=arabic_sample)
    event = recorded_event("ingest", pipeline.bucket, version_id=version_of(pipeline, key))
    assert json.loads(event["Records"][0]["body"])["detail"]["object"]["key"] != key  # it is URL-encoded
    for stage, next_stage in zip(STAGES, (*STAGES[1:], None), strict=True):
        response = pipeline.invoke(stage, event)
        assert response == {"batchItemFailures": []}
        (written,) = pipeline.keys(stage.output_prefixes[0])
        if next_stage:
            event = recorded_event(next_stage.name, pipeline.bucket, written, version_of(pipeline, written))
    message = only_message(pipeline)["body"]
    assert message["source"]["key"] == key
    assert message["article_id"] == article_id_for(key)


def test_events_other_than_object_created_are_ignored(pipeline):
    key = pipeline.upload("tagged.txt", b"A story about tags, long enough to count as text.")
    pipeline.drain()
    pipeline.take_published()
    send_to_stage(pipeline, "ingest", s3_event_body(pipeline.bucket, key, None, "Object Tags Added"))
    stats = pipeline.drain()
    assert stats.failed_records == 0
    assert pipeline.take_published() == []


def test_cli_run_prints_json_lines_and_exit_codes(tmp_path: Path, capsys):
    from articleflow_dev.cli import main

    assert main(["run", str(REPO_ROOT / "samples"), "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(list((REPO_ROOT / "samples").glob("*.txt")))
    assert {json.loads(line)["text"]["language"] for line in lines} == {"ar", "en", "fr"}

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    assert main(["run", str(bad)]) == 2
    assert "QUARANTINED by ingest (binary)" in capsys.readouterr().err


def test_queue_info_is_what_the_runner_created(pipeline):
    for stage, queue in pipeline.queues.items():
        assert isinstance(queue, QueueInfo)
        attributes = client("sqs").get_queue_attributes(QueueUrl=queue.url, AttributeNames=["All"])["Attributes"]
        assert int(attributes["VisibilityTimeout"]) == STAGES_BY_NAME[stage].visibility_timeout
        assert json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"] == pipeline.dead_letter_queues[stage].arn


# --- input formats (issue 4): one upload per format, end to end ------------------------------

FORMAT_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "formats"


def _docx_upload() -> bytes:
    from tests.unit.test_formats_docx import ARTICLE, make_docx

    return make_docx(ARTICLE)


@pytest.mark.parametrize(
    ("name", "data", "title", "language", "removed_kind"),
    [
        (
            "ferry.txt",  # an HTML page under a .txt key: content decides
            (FORMAT_FIXTURES / "en-harbour-ferry.html").read_bytes(),
            "Electric ferry joins the harbour fleet",
            "en",
            "read_more",
        ),
        (
            "jazz.md",
            (FORMAT_FIXTURES / "fr-festival-jazz.md").read_bytes(),
            "Le festival de jazz s’ouvre sous la pluie",
            "fr",
            "read_more",
        ),
        (
            "solar.json",
            (FORMAT_FIXTURES / "ar-solar-station.json").read_bytes(),
            "افتتاح أكبر محطة للطاقة الشمسية في المنطقة",
            "ar",
            "comments",
        ),
        (
            "agua.xml",
            (FORMAT_FIXTURES / "es-plan-agua.nitf.xml").read_bytes(),
            "El ayuntamiento aprueba el plan del agua",
            "es",
            "copyright",
        ),
        (
            "bus.xml",
            (FORMAT_FIXTURES / "vi-xe-buyt-dien.newsml.xml").read_bytes(),
            "Hà Nội mở thêm tuyến xe buýt điện",
            "vi",
            "share",
        ),
        ("library.docx", _docx_upload(), "Shiraz library reopens its doors", "en", "share"),
        (
            "legacy-ar.txt",
            "محطة شمسية جديدة\n\nافتتحت البلدية يوم الأحد محطة جديدة للطاقة الشمسية على أطراف المدينة.\n\n"
            "اقرأ أيضا: خطة البلدية\n".encode("cp1256"),
            "محطة شمسية جديدة",
            "ar",
            "read_more",
        ),
    ],
)
def test_every_format_is_published_through_the_pipeline(pipeline, name, data, title, language, removed_kind):
    pipeline.upload(name, data)
    stats = pipeline.drain()
    assert pipeline.quarantine_reasons() == []
    assert stats.failed_records == 0
    message = only_message(pipeline)["body"]
    PublishedMessage.model_validate(message)
    assert message["text"]["title"] == title
    assert message["text"]["language"] == language
    assert message["text"]["paragraphs"]
    assert removed_kind in {entry["kind"] for entry in message["removed"]}
    assert list(ninjs_validator().iter_errors(message["ninjs"])) == []


def _zip_bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/filler.bin", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "stage", "kind"),
    [
        ("bomb.docx", _zip_bomb(), "ingest", "zip_bomb"),
        (
            "laughs.xml",
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<nitf><body><body.content><p>&b;</p></body.content></body></nitf>",
            "normalize",
            "xml_entities",
        ),
        (
            "xxe.xml",
            b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<nitf><body><body.content><p>&x;</p></body.content></body></nitf>",
            "normalize",
            "xml_entities",
        ),
        ("broken.xml", b"<nitf><body><p>unclosed</body></nitf>", "normalize", "malformed_xml"),
        ("bad.json", b'{"title": "No body", "titel": "typo"}', "normalize", "invalid_json"),
        ("feed.xml", b'<?xml version="1.0"?><rss><channel/></rss>', "normalize", "unsupported_format"),
    ],
)
def test_hostile_and_invalid_formats_are_quarantined_with_a_reason(pipeline, name, data, stage, kind):
    pipeline.upload(name, data)
    stats = pipeline.drain()
    assert pipeline.take_published() == []
    (reason,) = pipeline.quarantine_reasons()
    assert (reason["stage"], reason["kind"]) == (stage, kind)
    assert reason["reason"]
    assert stats.failed_records == 0
    assert pipeline.dead_letters() == {}


def test_cli_normalize_prints_articles_and_exit_codes(tmp_path: Path, capsys):
    from articleflow_dev.cli import main

    assert main(["normalize", str(FORMAT_FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "title (explicit): Electric ferry joins the harbour fleet" in out
    assert "removed [read_more]: Xem thêm" in out

    assert main(["normalize", "--json", str(FORMAT_FIXTURES / "es-plan-agua.nitf.xml")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert (result["status"], result["media_type"]) == ("ok", "application/nitf+xml")
    assert result["article"]["dateline"] == "SEVILLA, 15 abr"

    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x"}', encoding="utf-8")
    assert main(["normalize", str(bad), str(FORMAT_FIXTURES / "fr-festival-jazz.md")]) == 2
    captured = capsys.readouterr()
    assert "REJECTED (invalid_json)" in captured.err
    assert "Le festival de jazz" in captured.out


def test_page_metadata_travels_to_the_message_and_its_ninjs(pipeline):
    pipeline.upload("ferry.html", (FORMAT_FIXTURES / "en-harbour-ferry.html").read_bytes())
    pipeline.drain()
    message = only_message(pipeline)["body"]
    standfirst = "The first battery ferry starts carrying commuters across the bay on Monday."
    assert message["text"]["standfirst"] == standfirst
    assert message["metadata"] == {
        "published_at": "2026-03-02T07:30:00Z",
        "updated_at": "2026-03-02T09:05:00Z",
        "section": "Transport",
        "tags": ["ferries", "climate", "harbour"],
        "subjects": [],
        "media_type": "text/html",
        "encoding": "utf-8",
        "published_date": None,
        "updated_date": None,
        "extraction": "articleflow",
    }
    assert message["byline"]["authors"] == ["Maya Lindqvist", "Tom Okafor"]
    assert message["ninjs"]["contentCreated"] == "2026-03-02T07:30:00Z"
    assert [s["name"] for s in message["ninjs"]["subjects"]] == ["ferries", "climate", "harbour"]


def test_publisher_metadata_wins_and_logs_carry_the_article_id(pipeline):
    sample = (REPO_ROOT / "samples" / "fr-tram-nantes.txt").read_bytes()
    key = pipeline.upload(
        "tram.txt",
        sample,
        {
            "publisher": "Ouest Exemple",
            "source-url": "https://example.fr/tram",
            "title": "Le tram",
            "language": "fr-FR",
        },
    )
    pipeline.drain()
    message = only_message(pipeline)["body"]
    assert (message["text"]["title"], message["text"]["title_origin"]) == ("Le tram", "explicit")
    assert message["text"]["language"] == "fr-FR"
    assert (message["source"]["publisher"], message["source"]["url"]) == ("Ouest Exemple", "https://example.fr/tram")
    records = [json.loads(line) for line in pipeline.log_stream.getvalue().splitlines() if line.startswith("{")]
    processed = [r for r in records if r.get("message") == "record processed"]
    assert {r["stage"] for r in processed} == set(STAGE_NAMES)
    assert {r["correlation_id"] for r in processed} == {article_id_for(key)}
    # The Lambda context on every line: request id, cold start, function name, ARN and version.
    for line in processed:
        assert line["function_request_id"] and line["function_version"] == "$LATEST"
        assert line["function_name"].endswith(line["stage"]) and isinstance(line["cold_start"], bool)
    # Publish measures upload-to-publish latency (EMF), the dashboard's end-to-end figure.
    latencies = [r["EndToEndLatency"] for r in records if "EndToEndLatency" in r]
    assert len(latencies) == 1 and all(0 <= ms < 600_000 for ms in latencies[0])  # EMF: a list of values


def test_a_pipeline_that_fails_to_start_leaves_no_moto_or_environment_behind():
    from articleflow.core.tagging import UnknownTaggerError

    before = dict(os.environ)
    with pytest.raises(UnknownTaggerError), EmbeddedPipeline(tagger="no-such-tagger"):
        pass
    assert dict(os.environ) == before
    with EmbeddedPipeline() as fresh:  # would hit "table already exists" inside a leftover moto
        fresh.upload("story.txt", b"A story long enough to be published as a paragraph.")
        fresh.drain()
        assert len(fresh.take_published()) == 1
