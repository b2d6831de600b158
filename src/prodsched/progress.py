"""A live progress line while solving, for people at a terminal.

:class:`ProgressLine` is a progress hook for :func:`prodsched.solve`
(``progress(stage, seconds, objective, bound)``): on a terminal it keeps one
line up to date, rewritten in place, with the elapsed time, the stage, the
best objective found, the proven bound and the gap between them::

    [   4.2 s] weighted-tardiness: best 140, bound 96, gap 31.4% (7 solutions)

Between solutions a heartbeat thread keeps the elapsed time ticking. When
the stream is not a terminal (a pipe, a file, CI) it prints nothing at all,
so logs stay clean; ``enabled=False`` silences it anywhere.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"


def relative_gap(objective: float, bound: float) -> float:
    """``(objective - bound) / |objective|``, 0 when both are 0 (never negative)."""
    if objective == bound:
        return 0.0
    if objective == 0:
        return float("inf")
    return max(0.0, (objective - bound) / abs(objective))


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is an interactive terminal."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed or detached stream
        return False


class ProgressLine:
    """A one-line, in-place progress display of a solve.

    Parameters
    ----------
    stream
        Where to write (default: standard error, so standard output stays
        clean for the results).
    enabled
        ``None``: only when ``stream`` is a terminal; ``True``/``False`` force it.
    interval
        Fewest seconds between two redraws on new solutions (a stage's first
        solution is always drawn; later ones wait for the next redraw).
    heartbeat
        Seconds between redraws while no solution comes in (0: no heartbeat thread).
    clock
        Monotonic clock (for tests).
    started_at
        Clock reading that elapsed time counts from (default: now).
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None,
                 interval: float = 0.1, heartbeat: float = 0.5,
                 clock: Callable[[], float] = time.monotonic,
                 started_at: float | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.interval = interval
        self.heartbeat = heartbeat
        self.clock = clock
        self.started_at = clock() if started_at is None else started_at
        self.stage = ""
        self.objective: float | None = None
        self.bound: float | None = None
        self.solutions = 0
        self.message = "searching"
        self._last_draw = -float("inf")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False

    def __call__(self, stage: str, seconds: float, objective: float, bound: float) -> None:
        """Record a new solution (the progress hook of :func:`prodsched.solve`)."""
        with self._lock:
            if stage != self.stage:
                self.solutions = 0
            self.stage, self.objective, self.bound = stage, objective, bound
            self.solutions += 1
            self._draw(force=self.solutions == 1)  # a stage's first solution always shows

    def status(self, message: str) -> None:
        """Show what is going on before the first solution (``loading``, ``searching``)."""
        with self._lock:
            self.message = message
            self._draw(force=True)

    def text(self) -> str:
        """The current line (without control characters)."""
        elapsed = max(0.0, self.clock() - self.started_at)
        head = f"[{elapsed:7.1f} s]"
        if self.objective is None or self.bound is None:
            return f"{head} {self.message}..."
        gap = relative_gap(self.objective, self.bound)
        gap_text = "inf" if gap == float("inf") else f"{gap:.1%}"
        plural = "" if self.solutions == 1 else "s"
        stage = f"{self.stage}: " if self.stage else ""
        return (f"{head} {stage}best {self.objective:g}, bound {self.bound:g}, "
                f"gap {gap_text} ({self.solutions} solution{plural})")

    def _draw(self, force: bool) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if not force and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((100, 24)).columns
        line = self.text()[: max(10, width - 1)]
        try:
            self.stream.write(CLEAR_LINE + line)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False
            return
        self._drawn = True

    def _tick(self) -> None:
        while not self._stop.wait(self.heartbeat):
            with self._lock:
                self._draw(force=True)

    def start(self) -> ProgressLine:
        """Draw the line and start the heartbeat (when enabled); returns ``self``."""
        if self.enabled:
            with self._lock:
                self._draw(force=True)
            if self.heartbeat > 0 and self._thread is None:
                self._thread = threading.Thread(target=self._tick, name="prodsched-progress",
                                                daemon=True)
                self._thread.start()
        return self

    def close(self, keep: bool = False) -> None:
        """Stop the heartbeat and clear the line (or, with ``keep``, end it with a newline)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            if self.enabled and self._drawn:
                try:
                    if keep:
                        self.stream.write(CLEAR_LINE + self.text() + "\n")
                    else:
                        self.stream.write(CLEAR_LINE)
                    self.stream.flush()
                except (OSError, ValueError):
                    pass
            self._drawn = False

    def __enter__(self) -> ProgressLine:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
