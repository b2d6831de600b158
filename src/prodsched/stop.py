"""When a search ends: one object for every way a search is told to stop.

A search stops at a wall-clock deadline, or when its deterministic budget is
spent (repeatable runs), or when it is asked to (Ctrl-C, an API caller's
flag); and a CP-SAT search that runs meanwhile must be interruptible from
outside (a signal handler holds the live solver). :class:`Stop` carries all
four, so a function that searches takes one ``stop`` argument instead of a
deadline, a budget, a flag and a solver hook. It is immutable: a part of a
search with a tighter deadline gets its own (:meth:`Stop.until`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

# Given the live CP-SAT solver while it runs, and None after (e.g. for a
# signal handler that stops it).
SolverHook = Callable[[cp_model.CpSolver | None], None]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Stop:
    """When to stop.

    Parameters
    ----------
    deadline
        ``time.monotonic()`` at which the search ends (``inf``: no clock).
    deterministic_seconds
        When set, the search's budget in CP-SAT's deterministic time (with one
        worker, the same input then gives the same result); the clock
        ``deadline`` still holds as a safety.
    requested
        Polled: once true, the search ends with what it has.
    solver_hook
        Called with the live solver while a CP-SAT search runs, and ``None``
        after.
    """

    deadline: float = math.inf
    deterministic_seconds: float | None = None
    requested: Callable[[], bool] = _never
    solver_hook: SolverHook | None = None

    @classmethod
    def make(cls, deadline: float = math.inf, *, requested: Callable[[], bool] | None = None,
             solver_hook: SolverHook | None = None,
             deterministic_seconds: float | None = None) -> Stop:
        """A stop from optional parts (``requested=None``: never requested)."""
        return cls(deadline, deterministic_seconds, requested or _never, solver_hook)

    def __call__(self) -> bool:
        """Whether stopping was requested (not whether time is up)."""
        return self.requested()

    def left(self) -> float:
        """Seconds to the deadline (``inf`` without one)."""
        return self.deadline - time.monotonic()

    def over(self) -> bool:
        """Whether a search should end now: its deadline has passed or stopping was
        requested (the deterministic budget is CP-SAT's to count)."""
        return self.left() <= 0 or self.requested()

    def until(self, deadline: float) -> Stop:
        """The same, ending by ``deadline`` at the latest."""
        return replace(self, deadline=min(self.deadline, deadline))

    def or_when(self, flag: Callable[[], bool]) -> Stop:
        """The same, requested also once ``flag`` is true (a part of a search that
        ends on its own signal as well as on the caller's)."""
        return replace(self, requested=lambda: self.requested() or flag())

    def within(self, seconds: float) -> Stop:
        """The same, ending ``seconds`` from now at the latest."""
        return self.until(time.monotonic() + seconds)

    def with_budget(self, deterministic_seconds: float | None) -> Stop:
        """The same with another deterministic budget (``None``: none)."""
        return replace(self, deterministic_seconds=deterministic_seconds)

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        """Hand the live solver (``None``: the search ended) to the hook."""
        if self.solver_hook is not None:
            self.solver_hook(solver)

    @property
    def flag(self) -> Callable[[], bool] | None:
        """The stop flag to poll, ``None`` when no caller can ask for a stop."""
        return None if self.requested is _never else self.requested


# A stop that never comes (no deadline, never requested): the default of an optional
# ``stop`` argument.
NO_STOP = Stop()
