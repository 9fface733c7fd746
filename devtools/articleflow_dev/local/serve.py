"""`articleflow serve`: the pipeline behind a real HTTP AWS endpoint that any AWS client can use.

moto's server (werkzeug, in a thread of this process) answers S3, EventBridge, SQS and DynamoDB
on `http://HOST:PORT`; the topology is created on it (idempotently), and the main thread plays
Lambda's SQS event source for the four real handlers, which reach the endpoint over HTTP like
any other client. The publish queue is the product: serve never consumes it.

stdout carries exactly one line, the endpoint's description as JSON, once it is ready; every
log line (the handlers', the event source's, the server's warnings) goes to stderr as JSON.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Iterator
from typing import IO, Any

from articleflow_dev.local.embedded import EmbeddedPipeline
from articleflow_dev.local.event_source import log_json
from articleflow_dev.local.provision import describe


class JsonLinesHandler(logging.Handler):
    """Python logging (werkzeug's, moto's) as the JSON lines the rest of serve's logs are."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        fields: dict[str, Any] = {"logger": record.name}
        if record.exc_info:
            fields["exception"] = logging.Formatter().formatException(record.exc_info)
        log_json(self.stream, record.levelname, record.getMessage(), **fields)


@contextlib.contextmanager
def moto_server(host: str, port: int) -> Iterator[str]:
    """moto's HTTP server on host:port (0: any free port) in a thread; yields its endpoint URL.

    Bound here, in the caller's thread, so that a port already in use fails at once with OSError
    (moto's ThreadedMotoServer would wait forever for a thread that died binding it).
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    server = make_server(host, port, DomainDispatcherApplication(create_backend_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="moto-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop` (the batch in hand finishes first) instead of killing the process."""
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) for number in signals}
    for number in signals:
        signal.signal(number, lambda signum, frame: stop.set())
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def serve(
    host: str,
    port: int,
    *,
    stdout: IO[str],
    stderr: IO[str],
    stop: threading.Event | None = None,
    pipeline_options: dict[str, Any] | None = None,
) -> int:
    """Run until SIGINT/SIGTERM (or `stop`); returns the exit status (0)."""
    stop = stop or threading.Event()
    logging.basicConfig(level=logging.WARNING, handlers=[JsonLinesHandler(stderr)], force=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    logging.captureWarnings(True)  # Python warnings as JSON log lines too, not plain text on stderr
    with (
        stop_on_signals(stop),
        moto_server(host, port) as endpoint_url,
        EmbeddedPipeline(
            endpoint_url=endpoint_url,
            log_stream=stderr,
            retry_after=None,  # failed messages wait out the queue's visibility timeout, as on AWS
            **(pipeline_options or {}),
        ) as pipeline,
    ):
        print(json.dumps(describe(pipeline.deployment, endpoint_url), ensure_ascii=False), file=stdout, flush=True)
        log_json(stderr, "INFO", "articleflow serve is ready", endpoint_url=endpoint_url, bucket=pipeline.bucket)
        stats = pipeline.event_source.run_until_stopped(stop)
    log_json(
        stderr,
        "INFO",
        "articleflow serve stopped",
        invocations=stats.invocations,
        records=stats.records,
        failed_records=stats.failed_records,
        timeouts=stats.timeouts,
    )
    return 0
