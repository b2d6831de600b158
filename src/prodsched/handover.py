"""Below the large-plant threshold: the full model first, then the large-plant route.

CP-SAT proves the optima of small plants at once, but on a model it cannot
prove its search often improves more slowly than the large-plant route's
windows (:mod:`prodsched.lns.route`) would. So on a plant below the threshold
(:func:`~prodsched.budget.is_large`) the full model's search runs for
:data:`~prodsched.budget.HANDOVER_SHARE` of the limit (:class:`Handover`). A
schedule it proves optimal (every stage, for its lot plan) is returned at
once. Otherwise the large-plant route gets the rest of the limit
(:func:`large_from`), started from the best of its own dispatch schedules and
the full model's schedule, with each product made in the mode the full model
made it in (its choices for ``auto`` products), so it returns nothing worse
than the full model had. kpis.json then says ``handed_over`` and keeps the
full model's ``stages``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from prodsched.budget import HANDOVER_MIN_SECONDS, HANDOVER_SHARE, Budget
from prodsched.cpsat_runner import ProgressHook
from prodsched.errors import NoScheduleError
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.request import SolveMonitor, SolveRequest
from prodsched.schedule.schedule import Schedule


def hands_over(request: SolveRequest, plant: Plant) -> bool:
    """Whether the full model may hand over to the large-plant route (see the
    module).

    Not when the request ties the solve to one model: extensions, a given lot
    plan or warm starts (the benchmark formats), a previous plan, relaxed
    deadlines or a deterministic budget of its own; nor when the share is too
    short for CP-SAT (:data:`~prodsched.budget.HANDOVER_MIN_SECONDS`).
    """
    return not (request.extensions or request.lot_plan is not None or request.warm_starts
                or plant.previous is not None or request.relax_deadlines
                or request.settings.deterministic_seconds is not None
                or HANDOVER_SHARE * request.time_limit < HANDOVER_MIN_SECONDS)


class Handover:
    """Polled as the full model's stop request: true once stopping is asked for,
    or once the search has run ``seconds`` with a schedule in hand (a solution,
    or a valid dispatch schedule before the search: :meth:`started`); without
    one it goes on until its first solution.

    :attr:`fired` says that the search ended to hand over.
    """

    def __init__(self, stop: Callable[[], bool], seconds: float):
        self.stop, self.seconds = stop, seconds
        self.end = math.inf
        self.fired = False
        self.found = False  # a solution, or a valid schedule before the search

    def seen(self, progress: ProgressHook | None) -> ProgressHook:
        """``progress``, noting that the search has a solution."""

        def hook(stage: str, seconds: float, objective: float, bound: float) -> None:
            self.found = True
            if progress is not None:
                progress(stage, seconds, objective, bound)

        return hook

    def started(self, fallback: bool) -> None:
        """The search starts now; ``fallback``: with a valid schedule to fall back on."""
        self.end, self.found = time.monotonic() + self.seconds, fallback

    def __call__(self) -> bool:
        if self.stop():
            return True
        if self.found and time.monotonic() >= self.end:
            self.fired = True
        return self.fired


def handover_for(request: SolveRequest, plant: Plant, repeatable: bool) -> Handover | None:
    """The full model's :class:`Handover` when the solve may hand over (see the
    module); ``None`` when it may not: :func:`hands_over` says no, the route is
    forced, or the run must repeat (one worker: the clock may not decide)."""
    if request.large is not None or repeatable or not hands_over(request, plant):
        return None
    return Handover(request.stop or (lambda: False), HANDOVER_SHARE * request.time_limit)


def large_from(first: Schedule, plant: Plant, request: SolveRequest, budget: Budget,
               monitor: SolveMonitor, setups: SetupTable,
               report: Callable[[Schedule], dict[str, Any]]) -> Schedule:
    """The large-plant route for the rest of ``budget``, started from the best of
    its own dispatch schedules and ``first`` (the full model's schedule), each
    product made in the mode ``first`` made it in; ``first`` when the route
    cannot start. ``report`` gives kpis.json's ``modes`` of a schedule."""
    from prodsched.lns.route import StartBreaksRules, solve_large

    info = first.info

    def on_interrupt() -> Schedule:  # before the route has a schedule of its own
        info.interrupted = True
        return first

    monitor.fallback(on_interrupt)
    now = time.monotonic()
    try:
        schedule = solve_large(
            plant, replace(request, time_limit=budget.end - now, started_at=now, large=True,
                           modes=_made_modes(first, request.modes),
                           warm_starts=[("full model", list(first.ops))]),
            Budget(now, budget.end - now), monitor, setups)
    except (StartBreaksRules, NoScheduleError):
        return first
    found = schedule.info  # timed from the hand-over: the whole solve's clock instead
    found.solve_seconds = time.monotonic() - budget.started
    if found.budget is not None:
        found.budget = found.budget.updated(
            time_limit=budget.limit, warm_start_seconds=round(
                now - budget.started + found.budget.warm_start_seconds, 3))
    if info.stages:
        found.stages = info.stages
    found.details["modes"] = report(schedule)
    found.details["handed_over"] = {
        "full_model_seconds": round(now - budget.started, 3),
        "full_model_objective_values": info.objective_values,
        "full_model_status": str(info.status),
        "full_model_source": info.details.get("source", "CP-SAT")}
    return schedule


def _made_modes(schedule: Schedule, asked: dict[str, Mode] | None) -> dict[str, Mode]:
    """The modes asked for, and for each product the one mode its lots were made in."""
    made: dict[str, set[Mode]] = {}
    for lot in schedule.lots:
        made.setdefault(lot.product, set()).add(lot.mode)
    return {**(asked or {}), **{p: next(iter(m)) for p, m in made.items() if len(m) == 1}}
