"""`articleflow serve` as a subprocess on a free port, and the AWS clients a test points at it.

Clients reach serve only as any AWS client would: its endpoint URL and test credentials.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent
REGION = "us-east-1"
# Generous: the first start imports every handler; callers' loops end as soon as the work is done.
STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli_environment(endpoint_url: str | None = None) -> dict[str, str]:
    """This process's environment with test credentials only (and AWS_ENDPOINT_URL when given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)
    if endpoint_url:
        env["AWS_ENDPOINT_URL"] = endpoint_url
    return env


@contextlib.contextmanager
def serve_process(stderr_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    """Start serve, wait for its ready line, yield the process and that line (parsed); kill it at exit."""
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [str(BIN / "articleflow"), "serve", "--port", str(free_port())],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=cli_environment(),
            cwd=REPO_ROOT,
        )
        watchdog = threading.Timer(STARTUP_SECONDS, process.kill)  # a hung start fails the test, not the suite
        watchdog.start()
        try:
            assert process.stdout is not None
            ready = process.stdout.readline()  # blocks until serve is ready (or exits)
            watchdog.cancel()
            assert ready, f"serve exited {process.wait()} before it was ready: {stderr_path.read_text()}"
            yield process, json.loads(ready)
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()


def aws_cli(endpoint: dict[str, Any], *args: str) -> str:
    """The real AWS CLI against serve; its stdout (the command must succeed)."""
    done = subprocess.run(
        [str(BIN / "aws"), "--endpoint-url", endpoint["endpoint_url"], *args],
        capture_output=True,
        text=True,
        env=cli_environment(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def sdk_client(endpoint: dict[str, Any], service: str) -> Any:
    """A botocore client for serve, configured explicitly (nothing from this process's AWS_* variables)."""
    from botocore.session import get_session

    return get_session().create_client(
        service,
        endpoint_url=endpoint["endpoint_url"],
        region_name=endpoint["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
