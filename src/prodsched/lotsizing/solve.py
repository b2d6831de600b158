"""Orchestration of the lot-sizing model: plant → buckets → CP-SAT plan →
timed schedule (validated) with plan.csv beside it."""

from __future__ import annotations

import csv
import io
import math
import time
from collections import defaultdict
from dataclasses import replace
from typing import Any

from prodsched.cpsat_runner import RunResult
from prodsched.errors import Conflict, InfeasibleError, NoScheduleError
from prodsched.lotsizing.expand import PlannedLot, expand, plan_rows
from prodsched.lotsizing.grid import make_grid
from prodsched.lotsizing.items import Item, plan_items
from prodsched.lotsizing.model import BucketModel
from prodsched.lotsizing.windows import search_plan
from prodsched.objective import parse_objective
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.request import SolveRequest
from prodsched.schedule.schedule import Schedule, SolveInfo
from prodsched.schedule.stats import LotSizingModelStats, SolveStatus
from prodsched.validate.check import check_schedule

DEFAULT_LOTSIZING_OBJECTIVE = "weighted-tardiness>setup-cost,holding-cost,setup-time"
PLAN_COLUMNS = ("bucket", "machine", "product", "quantity", "position", "lot")


def busiest_load(plant: Plant, items: list[Item], setups: SetupTable) -> int:
    """Time units of work on the busiest machine if every lot ran on its fastest
    machine, with a changeover before each item: the grid's slack."""
    load: dict[str, int] = defaultdict(int)
    worst_setup = max((math.ceil(r.time) for r in plant.setup_rules), default=0)
    for item in items:
        fastest = min(item.options, key=lambda o: o.duration(item.demand))
        load[fastest.machine] += fastest.duration(item.demand) + worst_setup
    return max(load.values(), default=0)


def read_plan(bm: BucketModel, value: Any) -> list[PlannedLot]:
    """The lots a solution makes, with their position inside their bucket."""
    plan = []
    for seq in bm.sequences:
        made = [k for k in seq.lots if value(bm.lots[k].made)]
        if not made:
            continue
        if seq.arcs:
            successor = {k: j for k, j, lit in seq.arcs if value(lit)}
            order = [next(k for k in made if value(seq.first[k]))]
            while order[-1] in successor:
                order.append(successor[order[-1]])
        else:
            order = made
        for position, k in enumerate(order, start=1):
            lot = bm.lots[k]
            plan.append(PlannedLot(lot.bucket, lot.machine, bm.items[lot.item],
                                   value(lot.quantity), position))
    return plan


def plan_csv(rows: list[dict[str, object]]) -> str:
    """plan.csv text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(PLAN_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def solve_lotsizing(plant: Plant, request: SolveRequest,
                    bucket_length: int | None = None) -> Schedule:
    """Plan lots in time buckets, then expand the plan into a timed schedule.

    Parameters
    ----------
    plant
        The plant.
    request
        A :class:`prodsched.request.SolveRequest` (objective, time limit,
        solver settings, progress, stop).
    bucket_length
        Time units per bucket (default: about 30 buckets to the last due date).

    Raises
    ------
    InfeasibleError
        When no plan meets the deadlines
        (:class:`~prodsched.errors.NoScheduleError` when none was found in time).
    """
    t0 = request.started_at if request.started_at is not None else time.monotonic()
    objective = parse_objective(request.objective)
    setups = SetupTable(plant)
    items = plan_items(plant)
    grid = make_grid(plant, bucket_length, busiest_load(plant, items, setups))
    build_started = time.monotonic()
    bm = BucketModel(plant, items, grid, setups, objective.criteria)
    build_seconds = time.monotonic() - build_started
    # the full LP (all constraints, level 2) is what bounds a lot-sizing model
    settings = replace(request.settings, linearization_level=2, subsolvers=("max_lp",))
    run, windows = search_plan(
        bm, objective.stages, settings,
        request.stopping(t0 + request.time_limit, settings.deterministic_seconds),
        progress=request.progress)
    if run.values is None:
        if run.status == "infeasible":
            raise InfeasibleError([Conflict(
                (), "lot-sizing buckets",
                f"no plan of buckets of {grid.length} time units meets every deadline and "
                "bucket capacity; try smaller buckets, or the job-shop model")])
        raise NoScheduleError("no plan was found within the time limit; give more time or "
                              "larger buckets")
    expanded, ops = expand(plant, read_plan(bm, run.value), grid, setups)
    schedule = Schedule(plant, [e.lot for e in expanded], ops)
    schedule.info = info = _info(run, objective, t0)
    info.model = LotSizingModelStats(
        bucket_length=grid.length, buckets=grid.count, items=len(items),
        lot_variables=len(bm.lots), build_seconds=round(build_seconds, 3))
    info.stages = list(run.stages)
    info.windows = windows
    info.details["plan_lots"] = len(expanded)
    info.objective_values = [s.objective for s in run.stages]
    info.details["objective_note"] = ("objective and bound are the lot-sizing model's costs "
                                      "per bucket; the KPIs are measured on the timed schedule")
    if plant.bucket_length is None or grid.length != plant.bucket_length:
        # the plant is not itself a bucket model (psp, trigeiro): the plan's
        # proof holds for buckets of this length, not for every schedule
        restrict(schedule.info, f"lot-sizing buckets of {grid.length} time units")
    schedule.extra_files["plan.csv"] = plan_csv(plan_rows(expanded))
    check_schedule(schedule)
    return schedule


def restrict(info: SolveInfo, what: str) -> None:
    """Mark a solve's result as proven only for a restricted model: status
    ``feasible``, no bound, kpis.json ``restricted`` lists ``what``."""
    info.restricted = [*(info.restricted or []), what]
    info.restricted_model_bound = info.bound
    if info.status == SolveStatus.OPTIMAL:
        info.status = SolveStatus.FEASIBLE
    info.bound = None


def _info(run: RunResult, objective: Any, t0: float) -> SolveInfo:
    """Objective and bound of the plan's first criterion (bucket costs)."""
    first = run.stages[0]
    return SolveInfo(status=run.status, objective=first.objective, bound=first.bound,
                     objective_name=str(objective), solve_seconds=time.monotonic() - t0)
