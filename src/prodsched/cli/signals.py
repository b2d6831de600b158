"""Ctrl-C and SIGTERM during ``prodsched solve``: keep the best schedule, then stop.

The first SIGINT or SIGTERM asks the solve to stop: CP-SAT's search is
stopped at once (``stop_search`` on the live solver), the best schedule found
so far is validated and written as usual, and the command exits 130 (SIGINT)
or 143 (SIGTERM). While the plant is still being read there is nothing to
keep: the command stops at once, writing nothing. A second signal aborts at
once, whatever is going on; files already in place stay whole (outputs are
replaced atomically).

Python runs signal handlers only in the main thread, between bytecodes, so
the solve runs in a worker thread while the main thread waits for it and
answers signals. When the worker is busy where it cannot be stopped (building
the model, which can take seconds), the main thread does not wait for it: it
takes the best dispatch schedule (validated) and writes that.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from prodsched.schedule.schedule import Schedule

HANDLED = (signal.SIGINT, signal.SIGTERM)
# Seconds the main thread waits for a stopped search to hand over its schedule
# before it writes the dispatch schedule instead (phases that cannot be stopped
# are not waited for).
SEARCH_GRACE = 3.0
# Phases in which the worker cannot be stopped promptly.
UNSTOPPABLE = ("build",)

T = TypeVar("T")


class Interrupted(Exception):
    """Raised in the main thread by a signal that arrives while nothing can be kept."""


def exit_code(signum: int) -> int:
    """The shell's exit code for a command ended by ``signum``: 128 + its number."""
    return 128 + signum


class Interrupt:
    """Signal state of one command; also the solve's stop, solver hook and monitor."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.at: float | None = None
        self.phase_name = "load"
        self._solver: cp_model.CpSolver | None = None
        self._fallback: Callable[[], Schedule] | None = None
        self._lock = threading.Lock()

    # -- what the solve calls --------------------------------------------
    def requested(self) -> bool:
        """True once a signal asked to stop (the solve's ``stop``)."""
        return self.signum is not None

    def hook(self, solver: cp_model.CpSolver | None) -> None:
        """Remember the live solver (the solve's ``solver_hook``)."""
        with self._lock:
            self._solver = solver
        if solver is not None and self.requested():
            solver.stop_search()

    def phase(self, name: str) -> None:
        """The solve entered phase ``name`` (see :class:`~prodsched.pipeline.SolveMonitor`)."""
        self.phase_name = name

    def fallback(self, make: Callable[[], Schedule]) -> None:
        """Keep the function that makes the dispatch schedule."""
        self._fallback = make

    # -- signals ---------------------------------------------------------
    @property
    def name(self) -> str:
        """The signal's name, e.g. ``SIGINT`` (empty before any)."""
        return signal.Signals(self.signum).name if self.signum is not None else ""

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.signum is not None:
            sys.stderr.write(f"\nprodsched: second {signal.Signals(signum).name}; aborted\n")
            sys.stderr.flush()
            os._exit(exit_code(signum))
        self.signum, self.at = signum, time.monotonic()
        self.stop_solver()
        if self.phase_name == "load":
            raise Interrupted()
        sys.stderr.write(f"\nprodsched: {self.name}: stopping; the best schedule so far will be "
                         "written (again to abort)\n")
        sys.stderr.flush()

    def stop_solver(self) -> None:
        """Stop the live search, if any (called again while waiting, against races)."""
        with self._lock:
            solver = self._solver
        if solver is not None and self.requested():
            solver.stop_search()

    @contextmanager
    def installed(self) -> Iterator[Interrupt]:
        """Handle SIGINT and SIGTERM inside the block (main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {s: signal.signal(s, self._handle) for s in HANDLED}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    # -- running the solve -------------------------------------------------
    def run(self, work: Callable[[], T]) -> tuple[T | Schedule, bool]:
        """Run ``work`` in a worker thread; return its result and whether it was abandoned.

        Abandoned (``True``): a signal came while the worker could not be
        stopped soon, and the result is the dispatch schedule instead; the
        worker is still running, so the caller must end with :func:`os._exit`.
        """
        box: dict[str, Any] = {}
        self.phase_name = "start"

        def target() -> None:
            try:
                box["result"] = work()
            except BaseException as err:  # handed to the main thread
                box["error"] = err

        worker = threading.Thread(target=target, name="prodsched-solve", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
            if not self.requested():
                continue
            self.stop_solver()
            if self._fallback is not None and self._abandon():
                return self._fallback(), True
        if "error" in box:
            raise box["error"]
        return box["result"], False

    def _abandon(self) -> bool:
        waited = time.monotonic() - (self.at or time.monotonic())
        return self.phase_name in UNSTOPPABLE or (self.phase_name == "search"
                                                  and waited > SEARCH_GRACE)
