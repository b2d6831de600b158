"""Orchestration: plant → lots → dispatch warm start → CP-SAT → validated schedule.

The best schedule found is returned when time runs out (status
``feasible``); every returned schedule has passed the independent validator.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

from prodsched.budget import (
    BUILD_SHARE,
    DETERMINISTIC_PER_SECOND,
    DETERMINISTIC_SEARCH_SHARE,
    FULL_START_OPERATIONS,
    MERGE_TRIAL_PER_OP,
    MIN_SEARCH,
    WARM_SHARE,
    Budget,
    ModelSize,
    counted_work,
    fitting,
    is_large,
    repeatable_by_default,
)
from prodsched.cpsat_runner import (
    ModelRejectedError,
    ProgressHook,
    RunResult,
    SolverSettings,
    run_stages,
)
from prodsched.errors import (
    Conflict,
    InfeasibleError,
    InvalidScheduleError,
    NoScheduleError,
    PlantError,
    Problem,
    UsageError,
)
from prodsched.feasibility import explain, missed_deadlines, preflight, relax_deadlines
from prodsched.handover import handover_for, large_from
from prodsched.heuristics.warmstart import choose_warm_start
from prodsched.jobshop.builder import JobShopModel
from prodsched.jobshop.criteria import stage_floor
from prodsched.jobshop.solution import add_hint, decode
from prodsched.lots.ids import distinct_lot_ids
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import pinned_work
from prodsched.lots.plan import LotPlan, plan_lots
from prodsched.lots.previous import plan_with_previous
from prodsched.lots.realize import realizations
from prodsched.lots.restrictions import plan_restrictions
from prodsched.lotsizing.solve import solve_lotsizing
from prodsched.modes_report import mode_report
from prodsched.objective import (
    DEFAULT_OBJECTIVE,
    REPLAN_OBJECTIVE,
    Criterion,
    Objective,
    counts_holding,
    parse_objective,
    stages_at_zero,
)
from prodsched.plant.model import Plant
from prodsched.plant.previous import parse_moment
from prodsched.plant.setups import SetupTable
from prodsched.replan import PreviousLike, attach_previous, best_valid, kept_orders
from prodsched.request import MODELS, NoMonitor, SolveMonitor, SolveRequest
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule, SolveInfo
from prodsched.schedule.stats import JobShopModelStats, SolveStatus, StageLimit
from prodsched.stop import Stop
from prodsched.timeline.retime import delay_to_due, left_shift
from prodsched.validate.check import check_schedule, follows_rules

__all__ = [
    "InvalidScheduleError",
    "NoScheduleError",
    "SolveMonitor",
    "SolveRequest",
    "check_schedule",
    "solve",
    "solve_request",
]

# Above this many circuit arcs and operations, presolve is kept short.
LARGE_MODEL = 20_000
# Share of the time limit for merging lots of the warm start (merge descent).
MERGE_SHARE = 0.05


def solve(
    plant: Plant,
    *,
    objective: str | Objective | None = None,
    time_limit: float = 30.0,
    workers: int = 0,
    seed: int = 0,
    gap: float | None = None,
    log: bool = False,
    progress: ProgressHook | None = None,
    stop: Callable[[], bool] | None = None,
    started_at: float | None = None,
    relax_deadlines: bool = False,
    model: str = "jobshop",
    bucket_length: int | None = None,
    previous: PreviousLike | None = None,
    now: int | str | None = None,
) -> Schedule:
    """Schedule a plant.

    Parameters
    ----------
    plant
        The plant, from :func:`prodsched.load_plant`.
    objective
        What to minimise, e.g. ``"makespan"``, ``"weighted-tardiness=1,setup-cost=0.5"``
        or the lexicographic default ``"weighted-tardiness>setup-time"``
        (``"weighted-tardiness>changes>setup-time"`` with ``previous``).
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
        Polled between phases and on every solution; when it returns true the
        search stops and the best schedule so far is returned (kpis.json:
        ``interrupted``).
    started_at
        ``time.monotonic()`` at which the time limit started (default: now).
    relax_deadlines
        Treat deadlines as due dates, so a plant whose deadlines cannot all be
        met is still scheduled; kpis.json lists the missed ones (job-shop model only).
    model
        ``jobshop`` (continuous time: the full model, or on large plants the
        neighbourhood search) or ``lotsizing`` (lots and sequences planned in
        time buckets, then timed; see :mod:`prodsched.lotsizing`).
    bucket_length
        The lot-sizing model's bucket length in time units (default: the
        plant's ``bucket_length``, else one chosen from the plant).
    previous
        The plan to re-plan: a :class:`Schedule`, or a folder with its
        schedule.csv. Its rows that start before ``now`` are kept exactly
        (unless the plant has a fixed.csv of its own); its other lots keep
        their ids and are preferred on their machine and place (criterion
        ``changes``); kpis.json gets ``changes`` and orders_report.csv
        ``completion_moved`` (see :mod:`prodsched.replan`).
    now
        The moment of planning, in the plant's form (text) or time units;
        default: plant.csv's ``now`` (required with ``previous``).

    Returns
    -------
    Schedule
        Validated; ``schedule.status`` is ``optimal`` or ``feasible``.

    Raises
    ------
    InfeasibleError
        When no schedule meets the deadlines: ``conflicts`` says which orders
        and constraints conflict. Its subclass :class:`NoScheduleError` when
        none was found in time without a proof.
    PlantError
        When the plant's numbers are too large for CP-SAT to take them together.
    """
    if previous is not None:
        plant = attach_previous(plant, previous, now)
    elif now is not None:
        plant = replace(plant, now=parse_moment(now, plant.time_axis) if isinstance(now, str)
                        else now)
    if objective is None:
        objective = REPLAN_OBJECTIVE if plant.previous is not None else DEFAULT_OBJECTIVE
    request = SolveRequest(
        objective=parse_objective(objective), time_limit=time_limit,
        settings=SolverSettings(workers=workers, seed=seed, gap=gap, log=log),
        started_at=started_at, progress=progress, stop=stop, relax_deadlines=relax_deadlines,
        model=model, bucket_length=bucket_length)
    return solve_request(plant, request)


def solve_request(plant: Plant, request: SolveRequest) -> Schedule:
    """:func:`solve` with its arguments in one record.

    Raises
    ------
    InfeasibleError
        With the conflicting orders and constraints, when the plant is
        proved infeasible (by :func:`~prodsched.feasibility.preflight` or
        CP-SAT); :class:`NoScheduleError` when none was found in time.
    PlantError
        When the plant's numbers are too large for CP-SAT.
    """
    if request.model not in MODELS:
        raise UsageError(f"unknown model {request.model!r}; use one of {', '.join(MODELS)}")
    if Criterion.CHANGES in request.objective.criteria and plant.previous is None:
        raise UsageError("the criterion changes needs a previous plan (--previous, previous=)")
    if request.model == "lotsizing":
        if request.relax_deadlines:
            raise UsageError("relax_deadlines works with the job-shop model only")
        return solve_lotsizing(plant, request, request.bucket_length or plant.bucket_length)
    t0 = request.started_at if request.started_at is not None else time.monotonic()
    settings = request.settings
    repeatable = (request.repeatable if request.repeatable is not None
                  else repeatable_by_default(settings.workers))
    budget = Budget(t0, request.time_limit, repeatable)
    original = plant
    if request.relax_deadlines:
        plant = relax_deadlines(plant)
    monitor = request.monitor or NoMonitor()
    stop = request.stop or (lambda: False)
    setups = SetupTable(plant)
    warm_starts = list(request.warm_starts)
    if request.lot_plan is not None:
        plan = request.lot_plan
    elif plant.previous is not None:  # yesterday's lots keep their ids
        plan = plan_with_previous(plant, request.modes, extra_slots=request.extra_slots)
    else:
        plan = plan_lots(plant, request.modes, extra_slots=request.extra_slots)
    restricted = plan_restrictions(plant, plan)
    if request.lot_plan is not None:
        restricted.insert(0, "lot plan: given to the solve")
    conflicts = preflight(plant, plan)
    if conflicts:
        raise InfeasibleError(conflicts)
    size = ModelSize.of(plant, plan, setups)
    large = is_large(size) if request.large is None else request.large
    # repeatable runs count the warm start's merge trials instead of timing them
    trials = (counted_work(MERGE_SHARE * request.time_limit, MERGE_TRIAL_PER_OP, size.ops)
              if repeatable else None)
    # warm starts (the formats' heuristics, the strategies' seeds) go to the full model,
    # unless the large-plant route is asked for: it then starts from the best of them
    if large and not (request.extensions or request.lot_plan or plant.previous is not None
                      or (warm_starts and request.large is not True)):
        from prodsched.lns.route import StartBreaksRules, solve_large

        # the full route's start competes too; the request of a fallback to the full
        # model below stays as given
        large_request = request
        # (its per-order lots make a candidate cost as much as the plant has orders)
        if max(size.ops, len(plant.orders)) <= FULL_START_OPERATIONS:
            full = choose_warm_start(plant, fitting(realizations(plan), plan), setups,
                                     request.objective,
                                     stop=Stop(t0 + WARM_SHARE * request.time_limit,
                                               requested=stop),
                                     plan=plan, merge_seconds=MERGE_SHARE * request.time_limit,
                                     merge_trials=trials)
            large_request = replace(request, warm_starts=[
                *request.warm_starts, (f"full route: {full.best.name}", full.best.ops)])
        try:
            return _relaxed(original,
                            solve_large(plant, large_request, budget, monitor, setups), request)
        except StartBreaksRules:  # no dispatch schedule to start from: the full model
            pass
    handover = handover_for(request, plant, repeatable)  # may go on in the large route
    monitor.phase("warm start")
    kept: list[tuple[str, list[PlacedOp]]] = []
    if plant.previous is not None or plan.pinned:  # the previous plan's order, after fixed work
        kept = kept_orders(plant, plan, setups,
                           Stop(t0 + WARM_SHARE * request.time_limit, requested=stop))
        warm_starts += kept
    # once stopped (Ctrl-C during the format's warm starts), one hintable schedule is enough
    stopped = stop()
    warm = choose_warm_start(plant, fitting(realizations(plan), plan), setups,
                             request.objective, warm_starts,
                             stop=Stop(time.monotonic() if stopped
                                       else t0 + WARM_SHARE * request.time_limit), plan=plan,
                             merge_seconds=0.0 if stopped else MERGE_SHARE * request.time_limit,
                             merge_trials=trials)
    skipped = warm.skipped
    info = SolveInfo()
    info.dispatch = dispatch = warm.summary()
    # a warm start that breaks a rule of the plant is only a hint: no fallback, no stage
    # taken as 0 on its word
    usable = warm.meets_deadlines and follows_rules(plant, warm.best.lots, warm.best.ops)
    if not usable and kept:  # a start that keeps the fixed work, when valid
        own = best_valid(plant, kept, request.objective)
        if own is not None:
            warm.best, usable = own, True
    if warm.meets_deadlines and not usable:
        info.dispatch = replace(dispatch, breaks_rules=True)
    budget.note(time_limit=request.time_limit, repeatable=repeatable,
                warm_start_seconds=round(time.monotonic() - t0, 3),
                warm_start_skipped=skipped, deterministic_seconds=None, wall_limit_hit=False)
    info.budget = budget.notes
    info.restricted = restricted

    def fallback(reason: str, own: SolveInfo | None = None) -> Schedule:
        if not usable:
            raise NoScheduleError(reason)
        found = info if own is None else own
        found.budget = budget.notes
        found.details["source"] = f"dispatch ({reason})"
        schedule = _finish(plant, warm.best.lots, warm.best.ops, SolveStatus.FEASIBLE,
                           request.objective, RunResult(), found, t0, setups)
        found.details["modes"] = mode_report(plan, schedule, warm, request.objective)
        return _relaxed(original, schedule, request)

    def on_interrupt() -> Schedule:  # from another thread: details of its own
        own = info.copy()
        own.interrupted = True
        return fallback("interrupted before CP-SAT found a schedule", own)

    if usable:
        monitor.fallback(on_interrupt)
    if stop():
        info.interrupted = True
        return fallback("interrupted before CP-SAT started")
    reserve = size.finish_seconds()
    max_arcs = size.choose_arcs(BUILD_SHARE * budget.available(reserve),
                                request.max_arcs_per_machine)
    budget.note(finish_reserve=round(reserve, 3), max_arcs_per_machine=max_arcs)
    if max_arcs is None or budget.available(reserve) < MIN_SEARCH:
        return fallback("the time limit leaves no time for CP-SAT")
    monitor.phase("build")
    build_started = time.monotonic()
    jm = JobShopModel(plant, plan, setups, request.objective, reference=warm.best.ops,
                      max_arcs_per_machine=max_arcs, extensions=request.extensions)
    add_hint(jm, warm.best.ops)
    if jm.restricted_machines:
        restricted.append("sequencing arcs pruned on "
                          + ", ".join(sorted(set(jm.restricted_machines))))
    stages = [(str(s), *jm.stage_expression(s)) for s in request.objective.stages]
    build_seconds = time.monotonic() - build_started
    info.model = _model_stats(jm, build_seconds)
    # a stage the hint already brings to 0 needs no search, if the hint is a valid schedule
    at_zero = stages_at_zero(warm.best.values) if usable else None
    if jm.size() > LARGE_MODEL:
        settings = replace(settings, light_presolve=True)
    det = settings.deterministic_seconds
    if repeatable and det is None:
        search = max(MIN_SEARCH, DETERMINISTIC_SEARCH_SHARE * request.time_limit
                     - size.build_seconds(max_arcs) - reserve)
        det = round(DETERMINISTIC_PER_SECOND * search, 3)
    budget.note(deterministic_seconds=det)
    if stop():
        info.interrupted = True
        return fallback("interrupted before CP-SAT started")
    monitor.phase("search")
    run_stop = request.stopping(budget.end - reserve, det)
    progress = request.progress
    if handover is not None:
        run_stop, progress = replace(run_stop, requested=handover), handover.seen(progress)
        handover.started(fallback=usable)
    try:
        run = run_stages(jm.model, stages, settings, run_stop, at_zero=at_zero,
                         progress=progress)
    except ModelRejectedError as err:
        raise _too_large(plant, err) from None
    monitor.phase("finish")
    info.stages = list(run.stages)
    budget.note(wall_limit_hit=any(s.limit is StageLimit.WALL for s in run.stages))
    handing = (handover is not None and handover.fired and not stop()
               and run.status is not SolveStatus.OPTIMAL)
    if (run.interrupted and not handing) or stop():
        info.interrupted = True
    if run.values is None and run.status == SolveStatus.INFEASIBLE:
        raise InfeasibleError(_explain(plant, plan, setups, request, budget))

    def report(schedule: Schedule) -> dict[str, Any]:
        return mode_report(plan, schedule, warm, request.objective)

    if run.values is None:
        reason = "interrupted before CP-SAT found a schedule" if info.interrupted \
            else "CP-SAT found no schedule in time"
        if handing:
            reason = "CP-SAT found no schedule in its share"
        schedule = fallback(reason)
    else:
        lots, ops = decode(jm, run.value)
        info.budget = budget.notes
        schedule = _finish(plant, lots, ops, run.status, request.objective, run, info, t0,
                           setups)
        info.details["modes"] = report(schedule)
    if handing:
        schedule = large_from(schedule, plant, request, budget, monitor, setups, report)
    return _relaxed(original, schedule, request)


def _relaxed(original: Plant, schedule: Schedule, request: SolveRequest) -> Schedule:
    """Record the deadlines a ``relax_deadlines`` schedule misses, and that the
    large-plant route (the only one that sets no ``restricted``) solves windows."""
    if schedule.info.restricted is None:
        schedule.info.restricted = ["large-plant route: CP-SAT solves windows of the schedule"]
    if request.relax_deadlines:
        schedule.info.details["relaxed_deadlines"] = {
            "missed": missed_deadlines(original, schedule)}
    return schedule


def _explain(plant: Plant, plan: LotPlan, setups: SetupTable, request: SolveRequest,
             budget: Budget) -> list[Conflict]:
    """The conflicting deadlines, by CP-SAT under assumptions, in the time left."""
    # at least half a second, within the bound the command promises (limit × 1.1 + 1 s)
    conflicts = explain(plant, plan, setups,
                        request.stopping(max(budget.end - 0.2, time.monotonic() + 0.5)),
                        workers=request.settings.workers, seed=request.settings.seed,
                        extensions=request.extensions)
    if conflicts:
        return conflicts
    with_deadlines = tuple(o.order_id for o in plant.orders if o.deadline is not None)
    return [Conflict(with_deadlines, "deadlines",
                     "CP-SAT proved that no schedule meets every deadline; which of them "
                     "conflict was not found within the time limit")]


def _too_large(plant: Plant, err: ModelRejectedError) -> PlantError:
    where = str(plant.source) if plant.source is not None else plant.name
    reason = str(err).splitlines()[0].split(": vars")[0]
    return PlantError([Problem(where, None, None, None,
                               "the plant's numbers are too large to schedule together "
                               "(weights, costs or times with many digits, or a very long "
                               f"time span): {reason}")])


def _model_stats(jm: JobShopModel, build_seconds: float) -> JobShopModelStats:
    return JobShopModelStats(
        lots=len(jm.lots),
        operations=len(jm.ops),
        circuit_machines=len(jm.sequences),
        circuit_arcs=sum(len(s.arcs) for s in jm.sequences.values()),
        restricted_machines=jm.restricted_machines,
        horizon=jm.horizon,
        build_seconds=round(build_seconds, 3),
    )


def _reaches_plant_floor(plant: Plant, objective: Objective, value: Fraction) -> bool:
    """Whether a one-stage objective's value is its :func:`stage_floor` for the plant:
    no schedule of the plant does better, whatever model found it."""
    if len(objective.stages) != 1:
        return False
    floor = stage_floor(plant, objective.stages[0])
    return floor is not None and value <= floor


def _finish(plant: Plant, lots: list[Lot], ops: list[PlacedOp], status: SolveStatus,
            objective: Objective, run: RunResult, info: SolveInfo,
            t0: float, setups: SetupTable) -> Schedule:
    """Build the schedule (left-shifted when that is no worse; where holding counts,
    its runs moved towards their due dates when that is better), report objective
    and bound into ``info``, and validate it."""
    lots, ops = distinct_lot_ids(lots, ops, pinned_work(plant, setups).lots)
    schedule = Schedule(plant, lots, ops)
    shifted = Schedule(plant, lots, left_shift(plant, ops, setups))
    if objective.values(shifted.kpis) <= objective.values(schedule.kpis) and \
            follows_rules(plant, lots, shifted.ops):
        schedule = shifted
        info.details["left_shifted"] = True
    if counts_holding(objective, plant):  # runs left early, moved towards their due dates
        later = Schedule(plant, lots, delay_to_due(plant, schedule.ops, setups))
        if objective.values(later.kpis) < objective.values(schedule.kpis) and \
                follows_rules(plant, lots, later.ops):
            schedule = later
            info.details["delayed_to_due"] = True
    value = objective.stages[0].value(schedule.kpis)
    bound: float | None = None
    if run.stages and run.stages[0].bound is not None:
        bound = min(float(value), run.stages[0].bound)
    if status == SolveStatus.OPTIMAL:
        bound = float(value)
    values: list[float | None] = [float(v) for v in objective.values(schedule.kpis)]
    if any(values) and _reaches_plant_floor(plant, objective, value):
        # no schedule of the plant does better, whatever model found this one
        status, bound = SolveStatus.OPTIMAL, float(value)
    elif info.restricted and any(values):
        # a proof or bound of the restricted model holds for it, not for the plant
        # (every criterion is >= 0, so all zeros is optimal for any model)
        status = SolveStatus.FEASIBLE
        info.restricted_model_bound = bound
        bound = None
    info.status, info.objective, info.bound = status, float(value), bound
    info.objective_name, info.solve_seconds = str(objective), time.monotonic() - t0
    info.objective_values = values
    schedule.info = info
    check_schedule(schedule)
    return schedule
