"""The run's progress bar: files done / total, rate, time left; drawn only on a terminal."""

from __future__ import annotations

import io

from articleflow_dev.local.progress import CLEAR_LINE, Progress, format_duration, render


def test_render_shows_done_total_rate_and_eta():
    assert render(0, 300, 0.0) == "[" + "-" * 24 + "] 0/300 files"
    assert render(150, 300, 15.0) == "[" + "#" * 12 + "-" * 12 + "] 150/300 files  10.0 files/s  ETA 0:15"
    assert render(300, 300, 31.0).endswith("300/300 files  9.7 files/s  ETA 0:00")


def test_durations_read_as_a_clock():
    assert [format_duration(s) for s in (0, 59.6, 61, 3725)] == ["0:00", "1:00", "1:01", "1:02:05"]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_are_printed_above_the_bar_which_is_cleared_at_the_end():
    bar, out, clock = io.StringIO(), io.StringIO(), Clock()
    progress = Progress(4, bar, enabled=True, clock=clock)
    clock.now += 2
    progress.write("a.txt: published", out)
    progress.advance()
    assert out.getvalue() == "a.txt: published\n"
    assert bar.getvalue().endswith(CLEAR_LINE + render(1, 4, 2.0))
    progress.close()
    assert bar.getvalue().endswith(CLEAR_LINE)


def test_nothing_is_drawn_when_not_a_terminal():
    bar, out = io.StringIO(), io.StringIO()
    progress = Progress(2, bar, enabled=False)
    progress.write("a.txt: published", out)
    progress.advance()
    progress.close()
    assert bar.getvalue() == ""
    assert out.getvalue() == "a.txt: published\n"
