"""Orchestration: plant → lots → dispatch warm start → CP-SAT → validated schedule.

The best schedule found is returned when time runs out (status
``feasible``); every returned schedule has passed the independent validator.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from prodsched.cpsat_runner import ProgressHook, RunResult, SolverSettings, run_stages
from prodsched.errors import InfeasibleError
from prodsched.heuristics.compact import left_shift
from prodsched.heuristics.warmstart import choose_warm_start
from prodsched.jobshop.builder import DEFAULT_MAX_ARCS, JobShopModel, ModelExtension
from prodsched.jobshop.solution import add_hint, decode
from prodsched.lots.lot import Lot
from prodsched.lots.plan import DEFAULT_EXTRA_SLOTS, plan_lots
from prodsched.lots.realize import realizations
from prodsched.modes_report import mode_report
from prodsched.objective import DEFAULT_OBJECTIVE, Objective, parse_objective
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule, SolveInfo

# Above this many circuit arcs and operations, presolve is kept short.
LARGE_MODEL = 20_000


class InvalidScheduleError(RuntimeError):
    """The solver produced a schedule the validator rejects (a bug; never written)."""


@dataclass
class SolveRequest:
    """Everything :func:`solve` needs besides the plant (see :func:`solve`).

    ``extensions`` add constraints to the job-shop model; ``warm_starts`` are
    extra complete schedules ``(name, placed operations)`` competing with the
    dispatch rules for the warm start; ``modes`` overrides products' modes;
    ``extra_slots`` bounds the lots per product (see :func:`plan_lots`);
    ``lot_plan`` replaces the planned lots (e.g. lots fixed by a heuristic:
    ``LotPlan(fixed=lots, groups=())``, so CP-SAT only sequences them).
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


def solve(
    plant: Plant,
    *,
    objective: str | Objective = DEFAULT_OBJECTIVE,
    time_limit: float = 30.0,
    workers: int = 0,
    seed: int = 0,
    gap: float | None = None,
    log: bool = False,
    progress: ProgressHook | None = None,
    stop: Callable[[], bool] | None = None,
    started_at: float | None = None,
) -> Schedule:
    """Schedule a plant.

    Parameters
    ----------
    plant
        The plant, from :func:`prodsched.load_plant`.
    objective
        What to minimise, e.g. ``"makespan"``, ``"weighted-tardiness=1,setup-cost=0.5"``
        or the lexicographic default ``"weighted-tardiness>setup-time"``.
    time_limit
        Seconds for the whole solve (counted from ``started_at`` if given).
    workers
        CP-SAT search workers (0: all cores).
    seed
        Random seed of the search.
    gap
        Stop at this relative gap (e.g. ``0.01``) instead of proving optimality.
    log
        Print CP-SAT's search log.
    progress
        Called as ``progress(stage, seconds, objective, bound)`` on every
        improving solution.
    stop
        Polled on every solution; when it returns true the search stops and
        the best schedule so far is returned.
    started_at
        ``time.monotonic()`` at which the time limit started (default: now).

    Returns
    -------
    Schedule
        Validated; ``schedule.status`` is ``optimal`` or ``feasible``.

    Raises
    ------
    InfeasibleError
        When no schedule meets the deadlines (or none was found in time).
    """
    request = SolveRequest(
        objective=parse_objective(objective), time_limit=time_limit,
        settings=SolverSettings(workers=workers, seed=seed, gap=gap, log=log),
        started_at=started_at, progress=progress, stop=stop)
    return solve_request(plant, request)


def solve_request(plant: Plant, request: SolveRequest) -> Schedule:
    """:func:`solve` with its arguments in one record."""
    t0 = request.started_at if request.started_at is not None else time.monotonic()
    deadline = t0 + request.time_limit
    setups = SetupTable(plant)
    plan = request.lot_plan or plan_lots(plant, request.modes, extra_slots=request.extra_slots)
    warm = choose_warm_start(plant, realizations(plan), setups, request.objective,
                             request.warm_starts)
    build_started = time.monotonic()
    jm = JobShopModel(plant, plan, setups, request.objective, reference=warm.best.ops,
                      max_arcs_per_machine=request.max_arcs_per_machine,
                      extensions=request.extensions)
    add_hint(jm, warm.best.ops)
    stages = [(str(s), *jm.stage_expression(s)) for s in request.objective.stages]
    build_seconds = time.monotonic() - build_started
    at_zero = [v == 0 for v in warm.best.values]
    settings = request.settings
    if jm.size() > LARGE_MODEL:
        settings = replace(settings, light_presolve=True)
    run = run_stages(jm.model, stages, settings, deadline, at_zero=at_zero,
                     progress=request.progress, stop=request.stop)
    details: dict[str, Any] = {
        "model": _model_stats(jm, build_seconds),
        "dispatch": warm.summary(),
        "stages": [s.__dict__ for s in run.stages],
    }
    if run.values is not None:
        lots, ops = decode(jm, run.value)
        status = run.status
    elif run.status == "infeasible":
        raise InfeasibleError()
    elif warm.meets_deadlines:
        lots, ops, status = warm.best.lots, warm.best.ops, "feasible"
        details["source"] = "dispatch (CP-SAT found no schedule in time)"
    else:
        raise InfeasibleError()
    schedule = _finish(plant, lots, ops, status, request.objective, run, details, t0, setups)
    details["modes"] = mode_report(plan, schedule, warm, request.objective)
    return schedule


def _model_stats(jm: JobShopModel, build_seconds: float) -> dict[str, Any]:
    return {
        "kind": "jobshop",
        "lots": len(jm.lots),
        "operations": len(jm.ops),
        "circuit_machines": len(jm.sequences),
        "circuit_arcs": sum(len(s.arcs) for s in jm.sequences.values()),
        "restricted_machines": jm.restricted_machines,
        "horizon": jm.horizon,
        "build_seconds": round(build_seconds, 3),
    }


def _finish(plant: Plant, lots: list[Lot], ops: list[PlacedOp], status: str,
            objective: Objective, run: RunResult, details: dict[str, Any],
            t0: float, setups: SetupTable) -> Schedule:
    """Build the schedule (left-shifted when that is no worse), report objective
    and bound, and validate it."""
    schedule = Schedule(plant, lots, ops)
    shifted = Schedule(plant, lots, left_shift(plant, ops, setups))
    if objective.values(shifted.kpis) <= objective.values(schedule.kpis):
        schedule = shifted
        details["left_shifted"] = True
    value = objective.stages[0].value(schedule.kpis)
    bound: float | None = None
    if run.stages and run.stages[0].bound is not None:
        bound = min(float(value), run.stages[0].bound)
    if status == "optimal":
        bound = float(value)
    schedule.info = SolveInfo(
        status=status, objective=float(value), bound=bound, objective_name=str(objective),
        solve_seconds=time.monotonic() - t0, details=details)
    schedule.info.details["objective_values"] = [float(v) for v in
                                                 objective.values(schedule.kpis)]
    check_schedule(schedule)
    return schedule


def check_schedule(schedule: Schedule) -> None:
    """Run the independent validator on the files this schedule would write.

    Raises
    ------
    InvalidScheduleError
        Listing every violation; such a schedule is never written.
    """
    from prodsched.validate import validate_texts

    files = schedule.render()
    violations = validate_texts(schedule.plant, files["schedule.csv"],
                                files["orders_report.csv"], files["kpis.json"])
    if violations:
        listing = "\n".join(str(v) for v in violations[:20])
        raise InvalidScheduleError(
            f"internal error: the schedule breaks {len(violations)} rule(s):\n{listing}")
