"""Below the large-plant threshold: the full model, and the large-plant route once it stalls.

CP-SAT proves the optima of small plants at once and often goes on improving
a schedule it cannot prove, but on some models its search stalls while the
large-plant route's windows (:mod:`prodsched.lns.route`) would go on
improving. So on a plant below the threshold (:func:`~prodsched.budget.is_large`)
the full model's search ends early when it stalls: after at least
:data:`~prodsched.budget.HANDOVER_SHARE` of the limit, once no better solution
came for :data:`~prodsched.budget.STALL_SHARE` of it (:class:`Stall`). The
large-plant route then gets the rest of the limit (:func:`large_from`),
started from the best of its own dispatch schedules and the full model's
schedule, with each product made in the mode the full model made it in (its
choices for ``auto`` products), so it returns nothing worse than the full
model had. kpis.json then says ``handed_over`` and keeps the full model's
``stages``. A full model that proves its schedule optimal or improves to the
end keeps the solve, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from prodsched.budget import HANDOVER_MIN_SECONDS, HANDOVER_SHARE, STALL_SHARE, Budget
from prodsched.cpsat_runner import ProgressHook
from prodsched.errors import NoScheduleError
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.request import SolveMonitor, SolveRequest
from prodsched.schedule.schedule import Schedule


def hands_over(request: SolveRequest, plant: Plant) -> bool:
    """Whether the full model may hand over to the large-plant route when it
    stalls (see the module).

    Not when the request ties the solve to one model: extensions, a given lot
    plan or warm starts (the benchmark formats), a previous plan, relaxed
    deadlines or a deterministic budget of its own; nor when the share is too
    short for CP-SAT (:data:`~prodsched.budget.HANDOVER_MIN_SECONDS`).
    """
    return not (request.extensions or request.lot_plan is not None or request.warm_starts
                or plant.previous is not None or request.relax_deadlines
                or request.settings.deterministic_seconds is not None
                or HANDOVER_SHARE * request.time_limit < HANDOVER_MIN_SECONDS)


class Stall:
    """Polled as the full model's stop request: true once stopping is asked for, or
    once the search has found nothing better for ``after`` seconds (counted from
    the search's start until its first solution), but not before ``earliest``,
    and not before a first solution when the search has no valid schedule to
    fall back on (:meth:`started`).

    :attr:`fired` says that the search ended because it stalled.
    """

    def __init__(self, stop: Callable[[], bool], earliest: float, after: float):
        self.stop, self.earliest, self.after = stop, earliest, after
        self.last = time.monotonic()
        self.fired = False
        self.found = False  # a solution, or a valid schedule before the search

    def seen(self, progress: ProgressHook | None) -> ProgressHook:
        """``progress``, noting when each better solution came."""

        def hook(stage: str, seconds: float, objective: float, bound: float) -> None:
            self.last, self.found = time.monotonic(), True
            if progress is not None:
                progress(stage, seconds, objective, bound)

        return hook

    def started(self, fallback: bool) -> None:
        """The search starts now; ``fallback``: with a valid schedule to fall back on."""
        self.last, self.found = time.monotonic(), fallback

    def __call__(self) -> bool:
        if self.stop():
            return True
        now = time.monotonic()
        if self.found and now >= self.earliest and now - self.last >= self.after:
            self.fired = True
        return self.fired


def stall_for(request: SolveRequest, plant: Plant, t0: float, repeatable: bool) -> Stall | None:
    """The full model's :class:`Stall` when the solve may hand over (see the
    module); ``None`` when it may not: :func:`hands_over` says no, the route is
    forced, or the run must repeat (one worker: the clock may not decide)."""
    if request.large is not None or repeatable or not hands_over(request, plant):
        return None
    limit = request.time_limit
    return Stall(request.stop or (lambda: False), t0 + HANDOVER_SHARE * limit,
                 STALL_SHARE * limit)


def large_from(first: Schedule, plant: Plant, request: SolveRequest, budget: Budget,
               monitor: SolveMonitor, setups: SetupTable,
               report: Callable[[Schedule], dict[str, Any]]) -> Schedule:
    """The large-plant route for the rest of ``budget``, started from the best of
    its own dispatch schedules and ``first`` (the full model's schedule, when it
    stalled), each product made in the mode ``first`` made it in; ``first`` when
    the route cannot start. ``report`` gives kpis.json's ``modes`` of a schedule."""
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
