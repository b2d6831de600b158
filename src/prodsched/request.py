"""What a solve is asked to do, shared by every route (full model, large plant, lot sizing).

:class:`SolveRequest` carries the objective, the time limit, the solver settings
and the hooks; :class:`SolveMonitor` follows a solve's phases. They live below
the routes so that a route never imports the code that chooses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import ProgressHook, SolverSettings
from prodsched.jobshop.builder import DEFAULT_MAX_ARCS, ModelExtension
from prodsched.lots.plan import DEFAULT_EXTRA_SLOTS, LotPlan
from prodsched.objective import Objective
from prodsched.plant.model import Mode
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop

__all__ = ["MODELS", "NoMonitor", "SolveMonitor", "SolveRequest"]

# The models a plant can be solved with (SolveRequest.model).
MODELS = ("jobshop", "lotsizing")


class SolveMonitor(Protocol):
    """Told how a solve goes, so that an interrupt can be answered at once.

    ``phase`` is called with ``warm start``, ``build``, ``search``,
    ``finish``; ``fallback`` with a function that makes the validated
    dispatch schedule, as soon as there is one.
    """

    def phase(self, name: str) -> None:
        """The solve enters phase ``name``."""

    def fallback(self, make: Callable[[], Schedule]) -> None:
        """``make()`` gives the best schedule so far without CP-SAT."""


@dataclass
class SolveRequest:
    """Everything :func:`solve` needs besides the plant (see :func:`solve`).

    ``extensions`` add constraints to the job-shop model; ``warm_starts`` are
    extra complete schedules ``(name, placed operations)`` competing with the
    dispatch rules for the warm start; ``modes`` overrides products' modes;
    ``extra_slots`` bounds the lots per product (see :func:`plan_lots`);
    ``lot_plan`` replaces the planned lots (e.g. lots fixed by a heuristic:
    ``LotPlan(fixed=lots, groups=())``, so CP-SAT only sequences them);
    ``relax_deadlines`` turns deadlines into due dates (the missed ones are
    listed in kpis.json); ``repeatable`` limits the search by deterministic
    time (default: with one worker; see :mod:`prodsched.budget`);
    ``solver_hook`` is given the live CP-SAT solver (``None`` after) so that
    a signal handler can stop it; ``monitor`` follows the phases (see
    :class:`SolveMonitor`); ``checkpoint``, on large plants
    (:func:`prodsched.budget.is_large`) and on smaller ones once the full
    model hands over (:mod:`prodsched.handover`), is called with every new best
    schedule once it is validated, and the files it renders to
    (:meth:`Schedule.render`), from another thread, while the solve goes on
    (the command line writes each one, so a valid schedule is on disk early);
    ``large`` forces the large-plant route (``True``) or the full model
    (``False``) instead of choosing by size; ``model`` is ``jobshop`` (the
    full model or the large-plant route) or ``lotsizing`` (the bucket model,
    with ``bucket_length``, default the plant's).
    """

    objective: Objective
    time_limit: float = 30.0
    settings: SolverSettings = field(default_factory=SolverSettings)
    started_at: float | None = None
    progress: ProgressHook | None = None
    stop: Callable[[], bool] | None = None
    max_arcs_per_machine: int = DEFAULT_MAX_ARCS
    extensions: Sequence[ModelExtension] = ()
    warm_starts: Sequence[tuple[str, list[PlacedOp]]] = ()
    modes: dict[str, Mode] | None = None
    extra_slots: int = DEFAULT_EXTRA_SLOTS
    lot_plan: LotPlan | None = None
    relax_deadlines: bool = False
    repeatable: bool | None = None
    solver_hook: Callable[[cp_model.CpSolver | None], None] | None = None
    monitor: SolveMonitor | None = None
    checkpoint: Callable[[Schedule, dict[str, str]], None] | None = None
    large: bool | None = None
    model: str = "jobshop"
    bucket_length: int | None = None

    def stopping(self, deadline: float, deterministic_seconds: float | None = None) -> Stop:
        """A :class:`~prodsched.stop.Stop` at ``deadline`` (and deterministic budget)
        with this request's stop flag and solver hook."""
        return Stop.make(deadline, requested=self.stop, solver_hook=self.solver_hook,
                         deterministic_seconds=deterministic_seconds)


class NoMonitor:
    """A :class:`SolveMonitor` that ignores every call."""

    def phase(self, name: str) -> None:
        """Ignore."""

    def fallback(self, make: Callable[[], Schedule]) -> None:
        """Ignore."""
