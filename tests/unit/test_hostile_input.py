"""Input that broke the pipeline (issue 16): parser errors are quarantined, regexes stay linear, keys decode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articleflow.core.decoding import detect
from articleflow.core.errors import RejectedInput
from articleflow.core.formats.markdown import extract_markdown
from articleflow.core.normalize import normalize_upload
from articleflow.models.events import ObjectRef
from articleflow.runtime.stage import MAX_KEY_BYTES, is_folder_marker, quarantine_keys
from articleflow.topology import QUARANTINE_PREFIX, STAGES_BY_NAME
from articleflow_dev.cli import main

STORY = "A paragraph of the story that is long enough to be kept as the article's body text."


@pytest.mark.parametrize(
    "html",
    [
        f"<html><body><p>x<script></script>\x01</p><p>{STORY}</p></body></html>",
        f"<html><body><style></style>\x0c<p>{STORY}</p></body></html>",
        f"<html><body><p>{STORY}\x00\x1f\x0b</p><noscript></noscript>\x08</body></html>",
    ],
)
def test_control_characters_in_html_do_not_crash_the_parser(html: str) -> None:
    article = normalize_upload(detect.HTML, html)
    assert STORY in article.paragraphs


@pytest.mark.parametrize(
    "front_matter",
    ["date: 2026-02-30", "date: 2026-01-01T10:00:00+99:00", "published: 2026-13-01"],
)
def test_impossible_front_matter_dates_are_rejected_with_a_reason(front_matter: str) -> None:
    with pytest.raises(RejectedInput) as rejected:
        normalize_upload(detect.MARKDOWN, f"---\n{front_matter}\n---\n# Title\n\n{STORY}\n")
    assert rejected.value.kind == "bad_front_matter"
    assert "impossible value" in rejected.value.reason


def test_a_parser_error_nobody_foresaw_becomes_a_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    def parser_bug(text: str) -> None:
        raise ValueError("a library's complaint about its input")

    monkeypatch.setattr("articleflow.core.formats.markdown.extract_markdown", parser_bug)
    with pytest.raises(RejectedInput) as rejected:
        normalize_upload(detect.MARKDOWN, f"# Title\n\n{STORY}\n")
    assert rejected.value.kind == "unparseable"
    assert "ValueError: a library's complaint" in rejected.value.reason


def test_the_normalize_cli_exits_2_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad-date.md"
    bad.write_text(f"---\ntitle: T\ndate: 2026-02-30\n---\n\n{STORY}\n", encoding="utf-8")
    assert main(["normalize", str(bad), "--json"]) == 2
    (result,) = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert (result["status"], result["kind"]) == ("rejected", "bad_front_matter")


def test_64_kib_of_brackets_after_a_title_normalize() -> None:
    # Was 30 s (the link pattern rescanned to the end from every "["); the fuzz test bounds its time.
    article = normalize_upload(detect.MARKDOWN, "# Title\n\n" + "[" * 65536 + "\n\n" + STORY)
    assert article.title == "Title"
    assert STORY in article.paragraphs


def test_markdown_inline_markup_still_unwraps() -> None:
    doc = extract_markdown(
        '# T\n\nSee [the report](https://example.org/r "Report") and ![a map](m.png), **bold**, __also__, '
        "~~gone~~, `code`, *em*, <https://example.org> and [a ref][1]<!-- note --><script>x()</script>.\n"
    )
    assert doc.blocks == ["See the report and a map, bold, also, gone, code, em, https://example.org and a ref."]


def test_unclosed_markup_is_left_as_text() -> None:
    doc = extract_markdown("# T\n\nA <!-- never closed, a <script never closed, **never closed and [never closed.\n")
    assert doc.blocks == ["A <!-- never closed, a <script never closed, **never closed and [never closed."]


def _event(key: str, size: int | None = 1) -> str:
    detail = {"bucket": {"name": "b"}, "object": {"key": key, "size": size, "version-id": "v1"}}
    return json.dumps({"detail-type": "Object Created", "detail": detail})


@pytest.mark.parametrize(
    ("event_key", "key"),
    [
        ("incoming/a+b.txt", "incoming/a b.txt"),  # S3 encodes a space as "+"
        ("incoming/a%2Bb.txt", "incoming/a+b.txt"),  # and a "+" as %2B
        ("incoming/100%25.txt", "incoming/100%.txt"),
        ("incoming/%D8%AE%D8%A8%D8%B1.txt", "incoming/خبر.txt"),
    ],
)
def test_event_keys_are_decoded_as_s3_encodes_them(event_key: str, key: str) -> None:
    _, ref = ObjectRef.from_sqs_body(_event(event_key))
    assert ref.key == key


def test_console_folder_markers_are_not_uploads() -> None:
    assert is_folder_marker(ObjectRef.from_sqs_body(_event("incoming/sub/", size=0))[1])
    assert is_folder_marker(ObjectRef.from_sqs_body(_event("incoming/sub/", size=None))[1])
    assert not is_folder_marker(ObjectRef.from_sqs_body(_event("incoming/sub/a.txt", size=0))[1])


def test_long_keys_get_a_short_unique_quarantine_key() -> None:
    ingest = STAGES_BY_NAME["ingest"]
    long_a, long_b = "incoming/" + "خ" * 505 + "a.txt", "incoming/" + "خ" * 505 + "b.txt"  # 1,019 bytes each
    (qa, ra), (qb, rb) = quarantine_keys(ingest, long_a), quarantine_keys(ingest, long_b)
    assert qa != qb
    assert all(len(key.encode()) <= MAX_KEY_BYTES for key in (qa, ra, qb, rb))
    assert qa.startswith(f"{QUARANTINE_PREFIX}ingest/خخخ") and ra == qa + ".reason.json"
    assert quarantine_keys(ingest, "incoming/short.txt") == (
        f"{QUARANTINE_PREFIX}ingest/short.txt",
        f"{QUARANTINE_PREFIX}ingest/short.txt.reason.json",
    )


def test_an_html_page_of_too_many_elements_is_rejected_before_extraction() -> None:
    from articleflow.core.formats.html import MAX_ELEMENTS

    with pytest.raises(RejectedInput) as rejected:
        normalize_upload(detect.HTML, f"<html><body><p>{STORY}" + "<br>" * MAX_ELEMENTS + "</p></body></html>")
    assert rejected.value.kind == "too_complex"
