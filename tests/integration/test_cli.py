"""`articleflow run` and `normalize` account for every file; exit codes, usage errors, stdin, metadata."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from articleflow import __version__
from articleflow_dev.cli import EXIT_INTERNAL, EXIT_OK, EXIT_QUARANTINED, EXIT_USAGE, main
from articleflow_dev.local.embedded import EmbeddedPipeline
from articleflow_dev.local.ledger import FileState, Ledger, upload_of
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

SAMPLES = REPO_ROOT / "samples"
ENGLISH = SAMPLES / "en-library-reopens.txt"
FRENCH = next(SAMPLES.glob("fr-*.txt"))
BIN = Path(sys.executable).parent


def messages(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def summary(err: str) -> str:
    return err.strip().splitlines()[-1]


def test_same_named_files_in_two_folders_are_two_articles(tmp_path: Path, capsys):
    for folder, sample in (("a", ENGLISH), ("b", FRENCH)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_bytes(sample.read_bytes())
    assert main(["run", str(tmp_path)]) == EXIT_OK
    captured = capsys.readouterr()
    published = messages(captured.out)
    assert sorted(m["source"]["key"] for m in published) == ["incoming/a/x.txt", "incoming/b/x.txt"]
    assert len({m["article_id"] for m in published}) == 2
    assert summary(captured.err).startswith(
        "2 file(s): 2 published, 0 unchanged, 0 quarantined, 0 dead-lettered, 0 failed"
    )


def test_two_arguments_that_would_share_a_key_are_a_usage_error(tmp_path: Path, capsys):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_bytes(ENGLISH.read_bytes())
    assert main(["run", str(tmp_path / "a"), str(tmp_path / "b")]) == EXIT_USAGE
    assert "would both upload as x.txt" in capsys.readouterr().err


def test_every_file_gets_one_state_and_the_counts_add_up(tmp_path: Path, capsys, monkeypatch):
    """published, quarantined, dead-lettered and failed in one run: exit 1, each file reported once."""
    import articleflow.core.ingest as ingest_core

    (tmp_path / "good.txt").write_bytes(ENGLISH.read_bytes())
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "poison.txt").write_bytes(b"POISON: this story makes ingest fail every time it is tried.")
    (tmp_path / "refused.txt").write_bytes(FRENCH.read_bytes())
    (tmp_path / "unreadable.txt").write_bytes(FRENCH.read_bytes())
    inspect = ingest_core.inspect_upload

    def failing_on_poison(data: bytes, *args: Any, **kwargs: Any) -> Any:
        if data.startswith(b"POISON"):
            raise ConnectionError("a transient error that never goes away")
        return inspect(data, *args, **kwargs)

    upload = EmbeddedPipeline.upload

    def refusing(self: EmbeddedPipeline, name: str, data: bytes, metadata: Any = None) -> str:
        if name == "refused.txt":
            raise ValueError("S3 said no")
        return upload(self, name, data, metadata)

    monkeypatch.setattr(ingest_core, "inspect_upload", failing_on_poison)  # before the handlers are imported
    monkeypatch.setattr(EmbeddedPipeline, "upload", refusing)
    read_bytes = Path.read_bytes

    def unreadable(path: Path) -> bytes:
        if path.name == "unreadable.txt":  # as chmod 000 would, even for root
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert main(["run", str(tmp_path)]) == EXIT_INTERNAL
    captured = capsys.readouterr()
    assert [m["source"]["key"] for m in messages(captured.out)] == ["incoming/good.txt"]
    lines = captured.err.splitlines()
    for name, state in (
        ("good.txt", "published"),
        ("binary.txt", "QUARANTINED by ingest (binary)"),
        ("poison.txt", "DEAD-LETTERED by ingest"),
        ("refused.txt", "FAILED upload refused: S3 said no"),
        ("unreadable.txt", "FAILED could not read it: [Errno 13] Permission denied"),
    ):
        (line,) = [line for line in lines if line.startswith(str(tmp_path / name))]
        assert f": {state}" in line
    assert summary(captured.err).startswith(
        "5 file(s): 1 published, 0 unchanged, 1 quarantined, 1 dead-lettered, 2 failed"
    )


def test_quarantine_alone_exits_2(tmp_path: Path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    assert main(["run", str(bad), str(ENGLISH)]) == EXIT_QUARANTINED
    assert "1 published, 0 unchanged, 1 quarantined" in summary(capsys.readouterr().err)


def test_an_unchanged_upload_and_a_lost_one_are_told_apart():
    data = ENGLISH.read_bytes()
    with EmbeddedPipeline() as pipeline:
        first = Ledger(pipeline)
        first.add(upload_of("story.txt", "incoming/story.txt", data))
        pipeline.upload("story.txt", data)
        pipeline.drain()
        assert [r.state for r in first.collect()] == [FileState.PUBLISHED]

        again = Ledger(pipeline)
        again.add(upload_of("story.txt", "incoming/story.txt", data))
        again.add(upload_of("never.txt", "incoming/never.txt", b"never uploaded"))
        pipeline.upload("story.txt", data)
        pipeline.drain()
        assert again.collect() == []
        settled = {r.upload.label: (r.state, r.detail) for r in again.settle()}
    assert settled == {
        "story.txt": (FileState.UNCHANGED, "same content as r1, already published"),
        "never.txt": (FileState.FAILED, "no result: not published, quarantined or dead-lettered"),
    }


def test_results_stream_as_files_finish(tmp_path: Path):
    """More files than one batch: results come out over several rounds, not all at the end."""
    rounds: list[int] = []
    with EmbeddedPipeline() as pipeline:
        ledger = Ledger(pipeline)
        for n in range(12):
            data = f"Story number {n} has a body paragraph long enough to publish.".encode()
            ledger.add(upload_of(f"s{n}.txt", pipeline.upload(f"s{n}.txt", data), data))
        pipeline.drain(after_round=lambda: rounds.append(len(ledger.collect())))
    assert sum(rounds) == 12
    assert len([count for count in rounds if count]) >= 2


def test_publisher_metadata_in_any_language_arrives_decoded(capsys):
    assert main(["run", str(ENGLISH), "--meta", "publisher=Écho de l'Ouest"]) == EXIT_OK
    (message,) = messages(capsys.readouterr().out)
    assert message["source"]["publisher"] == "Écho de l'Ouest"
    assert main(["run", str(FRENCH), "--meta", "publisher=صحيفة الأخبار", "--meta", "title=عنوان"]) == EXIT_OK
    (message,) = messages(capsys.readouterr().out)
    assert message["source"]["publisher"] == "صحيفة الأخبار"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["run", str(ENGLISH), "--tagger", "bogus"], "invalid choice: 'bogus'"),
        (["run", "no-such-file.txt"], "no such file or directory: no-such-file.txt"),
        (["run", str(ENGLISH), "--meta", "publisher"], "--meta takes KEY=VALUE"),
        (["run", str(ENGLISH), "--model", "no-such-model"], "no such model"),
        (["run"], "the following arguments are required: PATH"),
        (["serve", "--port", "70000"], "not a TCP port"),
        (["normalize", "-", "-"], "stdin (-) can be read only once"),
        (["bogus"], "invalid choice: 'bogus'"),
    ],
)
def test_usage_errors_exit_64_and_say_what_was_wrong(argv, says, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own errors leave through parser.exit
        code = exit_.code
    assert code == EXIT_USAGE
    assert says in capsys.readouterr().err


def test_an_internal_error_exits_1(monkeypatch, capsys):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("moto would not start")

    monkeypatch.setattr(EmbeddedPipeline, "__enter__", broken)
    assert main(["run", str(ENGLISH)]) == EXIT_INTERNAL
    assert "internal error: RuntimeError('moto would not start')" in capsys.readouterr().err


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(BIN / "articleflow"), *args], input=stdin, capture_output=True, timeout=300, check=False, cwd=REPO_ROOT
    )


def test_version():
    done = run_cli("--version")
    assert (done.returncode, done.stdout.decode()) == (0, f"articleflow {__version__}\n")


def test_stdin_is_read_with_a_dash():
    done = run_cli("normalize", "-", "--json", stdin=ENGLISH.read_bytes())
    assert done.returncode == 0, done.stderr
    (result,) = messages(done.stdout.decode())
    assert (result["file"], result["status"]) == ("-", "ok")
    assert result["article"]["title"] == "City library reopens after two-year renovation"

    done = run_cli("run", "-", stdin=FRENCH.read_bytes())
    assert done.returncode == 0, done.stderr
    (message,) = messages(done.stdout.decode())
    assert message["source"]["key"] == "incoming/stdin"
    assert b"\r" not in done.stderr  # not a terminal: no progress bar


def test_a_folder_run_on_a_terminal_draws_a_progress_bar_on_stderr():
    import os
    import pty

    primary, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(BIN / "articleflow"), "run", str(SAMPLES)], stdout=subprocess.PIPE, stderr=terminal, cwd=REPO_ROOT
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert process.wait(timeout=300) == 0
    assert process.stdout is not None
    total = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert len(messages(process.stdout.read().decode())) == total  # stdout carries only the messages
    text = seen.decode()
    assert f"] {total}/{total} files" in text
    assert "files/s  ETA" in text


def test_run_keeps_to_its_own_moto_whatever_endpoint_the_environment_names(monkeypatch, capsys):
    """`run` once followed AWS_ENDPOINT_URL to a server, emptied its publish queue, then failed there."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    for _ in range(2):
        assert main(["run", str(ENGLISH)]) == EXIT_OK
        assert len(messages(capsys.readouterr().out)) == 1


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ({"published": 2}, 0),
        ({"published": 1, "quarantined": 1}, 2),
        ({"published": 1, "unchanged": 1}, 1),
        ({"quarantined": 1, "dead-lettered": 1}, 1),
        ({"published": 1, "failed": 1}, 1),
    ],
)
def test_exit_status_is_non_zero_for_anything_not_published_or_quarantined(states, expected):
    from articleflow_dev.cli import _exit_status
    from articleflow_dev.local.ledger import FileState

    counts = dict.fromkeys(FileState, 0) | {FileState(state): n for state, n in states.items()}
    assert _exit_status(counts) == expected
