"""A one-line progress bar on a terminal: files done / total, rate, time left."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

BAR_WIDTH = 24
CLEAR_LINE = "\r\x1b[K"


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def render(done: int, total: int, elapsed: float) -> str:
    """`[#######-----]  12/300 files  9.6 files/s  ETA 0:30` (no rate or ETA before the first file)."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    line = f"[{bar}] {done}/{total} files"
    if done and elapsed > 0:
        rate = done / elapsed
        line += f"  {rate:.1f} files/s  ETA {format_duration((total - done) / rate)}"
    return line


class Progress:
    """Draws on `stream` only when `enabled` (a terminal); `write` prints a line above the bar."""

    def __init__(
        self, total: int, stream: IO[str], *, enabled: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.started = clock()
        self.done = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.draw()

    def draw(self) -> None:
        if self.enabled:
            self.stream.write(CLEAR_LINE + render(self.done, self.total, self.clock() - self.started))
            self.stream.flush()

    def write(self, line: str, stream: IO[str]) -> None:
        """Print `line` to `stream` (stdout or stderr) without breaking the bar."""
        if self.enabled:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
        print(line, file=stream, flush=True)
        self.draw()

    def close(self) -> None:
        if self.enabled:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
