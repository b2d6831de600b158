"""The live progress line: drawn in place on a terminal, silent anywhere else."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prodsched.progress import CLEAR_LINE, ProgressLine, relative_gap

INSTANCES = Path(__file__).resolve().parents[1] / "instances"


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_on_a_terminal_the_line_shows_time_best_bound_and_gap() -> None:
    out, clock = FakeTerminal(), Clock()
    line = ProgressLine(out, heartbeat=0, clock=clock)
    assert line.enabled
    line.start()
    assert out.getvalue() == CLEAR_LINE + "[    0.0 s] searching..."
    clock.now += 1.25
    line("weighted-tardiness", 1.2, 140.0, 96.0)
    assert out.getvalue().endswith(
        CLEAR_LINE + "[    1.2 s] weighted-tardiness: best 140, bound 96, gap 31.4% (1 solution)")
    clock.now += 0.01
    line("weighted-tardiness", 1.3, 120.0, 96.0)  # within the redraw interval: not drawn yet
    assert "best 120" not in out.getvalue()
    clock.now += 0.5
    line("weighted-tardiness", 1.8, 100.0, 100.0)
    assert out.getvalue().endswith("best 100, bound 100, gap 0.0% (3 solutions)")
    clock.now += 0.5
    line("setup-time", 2.3, 35.0, 0.0)  # a new stage counts its own solutions
    assert out.getvalue().endswith("setup-time: best 35, bound 0, gap 100.0% (1 solution)")
    assert "\n" not in out.getvalue()
    line.close()
    assert out.getvalue().endswith(CLEAR_LINE)  # cleared for the summary that follows


def test_not_a_terminal_or_disabled_prints_nothing() -> None:
    for stream, enabled in ((io.StringIO(), None), (FakeTerminal(), False)):
        with ProgressLine(stream, enabled=enabled, heartbeat=0.01) as line:
            line("makespan", 0.1, 10.0, 5.0)
            line.status("searching")
        assert stream.getvalue() == ""


def test_heartbeat_keeps_the_elapsed_time_moving() -> None:
    out = FakeTerminal()
    with ProgressLine(out, heartbeat=0.01):
        deadline = time.monotonic() + 10
        while out.getvalue().count(CLEAR_LINE) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert out.getvalue().count(CLEAR_LINE) >= 3  # redrawn with no solution coming in


def test_gap() -> None:
    assert relative_gap(0, 0) == 0 and relative_gap(10, 10) == 0
    assert relative_gap(200, 150) == 0.25 and relative_gap(5, 0) == 1.0
    assert relative_gap(0, -1) == float("inf")


def run_solve_in_a_terminal(tmp_path: Path, *extra: str) -> tuple[str, int]:
    """`prodsched solve` with its output on a pseudo-terminal; returns what it showed."""
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "prodsched", "solve", str(INSTANCES / "tiny"), "--out",
               str(tmp_path / "out"), "--time-limit", "2", "--workers", "1", *extra]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace"), process.wait(timeout=60)


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs pseudo-terminals")
def test_solve_on_a_terminal_shows_progress_and_quiet_does_not(tmp_path: Path) -> None:
    shown, code = run_solve_in_a_terminal(tmp_path)
    assert code == 0, shown
    assert CLEAR_LINE + "[" in shown and " s] " in shown
    assert "best " in shown and "bound " in shown and "gap " in shown
    assert "wrote " in shown  # the summary follows the cleared line
    quiet, code = run_solve_in_a_terminal(tmp_path, "--quiet")
    assert code == 0 and quiet.strip() == ""


def test_solve_into_a_pipe_prints_no_progress(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prodsched", "solve", str(INSTANCES / "tiny"), "--out",
         str(tmp_path / "out"), "--time-limit", "3", "--workers", "1"],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stdout + result.stderr and "\x1b" not in result.stderr
    assert result.stdout.startswith(("optimal", "feasible")) and result.stderr == ""
