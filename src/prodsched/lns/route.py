"""The pipeline's route for large plants: a dispatch schedule at once, then windows.

Above a size where one CP-SAT model of the whole plant cannot be built and
searched in the time limit (:func:`prodsched.budget.is_large`), the pipeline
takes this route instead:

1. **start** (:func:`prodsched.lns.start.choose_start`): lot plans × dispatch
   rules; the first candidate is validated and handed to
   ``SolveRequest.checkpoint`` at once (the command line writes it), so a
   valid schedule is on disk within seconds; the others follow up to
   :data:`START_SHARE` of the limit;
2. **large-neighbourhood search** (:func:`prodsched.lns.search.improve`) from
   the best candidate until the finish reserve; every new best is validated
   in the background and handed on
   (:class:`prodsched.lns.checkpoint.Checkpointer`);
3. **finish**: the best schedule, validated — usually already, in the
   background — is returned.

Every schedule handed on or returned has passed the independent validator.
With one worker the run repeats exactly: the number of candidates and the
search's budget are then decided from the plant and the limit alone (unless
candidates cost so much more than estimated that the start reaches
:data:`~prodsched.budget.COUNTED_SAFETY` times its share on the clock).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

from prodsched.budget import (
    COUNTED_SAFETY,
    DETERMINISTIC_PER_SECOND,
    DETERMINISTIC_SEARCH_SHARE,
    Budget,
    counted_work,
)
from prodsched.errors import InvalidScheduleError, NoPlacementError, NoScheduleError
from prodsched.lns.checkpoint import Checked, Checkpointer
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.search import improve
from prodsched.lns.start import CANDIDATE_PER_OP, Candidate, choose_start
from prodsched.lots.lot import Lot
from prodsched.lots.placed import lots_in
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.request import SolveMonitor, SolveRequest
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule, SolveInfo
from prodsched.schedule.stats import DispatchStats, LnsModelStats, SolveStatus
from prodsched.validate.check import check_schedule, follows_rules

# Share of the limit after which no more start candidates are tried.
START_SHARE = 0.2
# Seconds between two background validations of a new best schedule.
CHECKPOINT_EVERY = 5.0
# Finish: the final validation may take this much longer than the first did,
# writing the files this share of it, plus this many seconds.
VALIDATION_MARGIN = 1.3
WRITE_SHARE = 0.3
FINISH_BASE = 0.3
# Interrupted: the best schedule is validated before it is written when the
# first validation took at most this many seconds (else the newest validated
# one is written at once).
STOP_VALIDATE = 1.0
# Without a measurement (repeatable runs): seconds per row to validate.
VALIDATE_PER_ROW = 0.25e-3


class StartBreaksRules(Exception):
    """Every dispatch schedule of the plant breaks one of its spec v2 rules (the
    validator says so): the pipeline takes the full model instead."""


# A schedule to validate: its lots and placed steps.
Payload = tuple[list[Lot], list[PlacedOp]]
Make = Callable[..., Checked]


def solve_large(plant: Plant, request: SolveRequest, budget: Budget, monitor: SolveMonitor,
                setups: SetupTable) -> Schedule:
    """Schedule a large plant (see the module).

    Raises
    ------
    NoScheduleError
        When no dispatch rule meets every deadline.
    """

    t0, objective = budget.started, request.objective
    stop = request.stop or (lambda: False)
    record = SolveInfo()  # the sections of kpis.json so far
    budget.note(time_limit=request.time_limit, repeatable=budget.repeatable,
                warm_start_skipped=[], deterministic_seconds=None, wall_limit_hit=False)

    def make(payload: Payload, *, final: bool = False) -> Checked:
        lots, ops = payload
        schedule = Schedule(plant, lots, ops)
        info = record.copy()
        info.budget = budget.notes
        if not final:
            info.details["provisional"] = True
        info.status = SolveStatus.FEASIBLE
        info.objective = float(objective.stages[0].value(schedule.kpis))
        info.objective_name, info.solve_seconds = str(objective), time.monotonic() - t0
        info.objective_values = [float(v) for v in objective.values(schedule.kpis)]
        schedule.info = info
        return schedule, check_schedule(schedule)

    checkpointer = Checkpointer(make, request.checkpoint, CHECKPOINT_EVERY)  # type: ignore[arg-type]
    first: dict[str, Any] = {}
    checked: dict[str, bool] = {}

    def usable(candidate: Candidate) -> bool:
        """Meets every deadline and follows every rule (on a plant with v2 rules the
        candidate is validated: :func:`~prodsched.validate.check.follows_rules`)."""
        if candidate.name not in checked:
            checked[candidate.name] = candidate.meets_deadlines and follows_rules(
                plant, candidate.lots, candidate.ops)
        return checked[candidate.name]

    def on_best(candidate: Candidate) -> None:
        if not usable(candidate):
            return
        record.dispatch = DispatchStats(candidate.name)
        payload = (candidate.lots, candidate.ops)
        if first:
            first["candidate"] = candidate
            first["version"] = checkpointer.offer(payload)
            return
        began = time.monotonic()
        first["candidate"] = candidate
        first["version"] = checkpointer.put(make(payload))
        first["seconds"] = time.monotonic() - began
        record.details["first_schedule_seconds"] = round(time.monotonic() - t0, 3)
        monitor.fallback(lambda: _interrupted(checkpointer))

    monitor.phase("warm start")
    evaluator = Evaluator(plant, objective)
    operations = sum(len(plant.routings[o.product]) for o in plant.orders)
    try:
        start = choose_start(
            plant, setups, evaluator, modes=request.modes, on_best=on_best,
            given=request.warm_starts,
            stop=request.stopping(t0 + START_SHARE * request.time_limit
                                  * (COUNTED_SAFETY if budget.repeatable else 1)),
            count=counted_work(START_SHARE * request.time_limit, CANDIDATE_PER_OP,
                               operations) if budget.repeatable else None)
    except NoPlacementError as err:  # no rule keeps every max_wait: the full model
        checkpointer.close()
        raise StartBreaksRules(str(err)) from err
    best = start.best
    record.dispatch = dispatch = start.summary()
    record.model = LnsModelStats(lots=len(best.lots), operations=len(best.ops),
                                 lot_seconds=round(start.lot_seconds, 3))
    budget.note(warm_start_seconds=round(time.monotonic() - t0, 3),
                warm_start_skipped=start.skipped)
    if not best.meets_deadlines:
        checkpointer.close()
        raise NoScheduleError("no dispatch rule meets every deadline, and the plant is too "
                              "large for one CP-SAT model")
    if not usable(best):  # the best valid candidate, else the full model
        if "candidate" not in first:
            checkpointer.close()
            raise StartBreaksRules(best.name)
        best = first["candidate"]
        record.dispatch = replace(dispatch, warm_start=best.name)
    reserve = _reserve(max(len(best.ops), len(plant.orders)), first["seconds"],
                       budget.repeatable)
    deadline = budget.end - reserve
    det = None
    if budget.repeatable:
        det = round(DETERMINISTIC_PER_SECOND * max(
            0.0, DETERMINISTIC_SEARCH_SHARE * request.time_limit - reserve), 3)
    budget.note(finish_reserve=round(reserve, 3), deterministic_seconds=det)
    latest: list[int | None] = [first["version"]]

    def improved(ops: list[PlacedOp], values: tuple[Fraction, ...]) -> None:
        # offered only while a validation started now ends before the search does
        on_time = time.monotonic() < deadline - first["seconds"]
        latest[0] = checkpointer.offer((lots_in(ops), ops)) if on_time else None

    monitor.phase("search")
    ops, _, stats = improve(plant, setups, objective, best.lots, best.ops,
                            request.stopping(deadline, det),
                            request.settings, on_improve=improved, t0=t0)
    monitor.phase("finish")
    record.lns = stats.result()
    budget.note(wall_limit_hit=det is not None and stats.deterministic_seconds < det - 0.01)
    validate_seconds = first["seconds"]
    if stop():  # answer soon: the best schedule if it validates quickly, else the newest
        record.interrupted = True  # validated one
        latest[0] = None
        if validate_seconds > STOP_VALIDATE:
            validate_seconds = float("inf")
    return _final(checkpointer, make, (lots_in(ops), ops), latest[0], budget, validate_seconds,
                  record)


def _reserve(rows: int, validate_seconds: float, repeatable: bool) -> float:
    """Seconds kept from the end of the limit to validate and write the final schedule
    (repeatable runs: estimated from its ``rows``, the more of operations and orders,
    as both files are checked row by row: a plant of 1,500 orders in 384 lot steps
    ended 0.1-0.8 s past its limit when only the operations counted)."""
    if repeatable:
        validate_seconds = VALIDATE_PER_ROW * rows
    return validate_seconds * (VALIDATION_MARGIN + WRITE_SHARE) + FINISH_BASE


def _final(checkpointer: Checkpointer, make: Make, best: Payload, version: int | None,
           budget: Budget, validate_seconds: float, record: SolveInfo) -> Schedule:
    """The best schedule, validated: the checkpointer's when it has it (or is about to),
    else validated now; when there is no time left for that, the newest validated one.
    Should the validator reject the best one (a fault of the search), the newest
    validated one is returned and kpis.json says what was rejected (``rejected``:
    checkpoints; ``rejected_final``: the best one).

    ``version`` is the best schedule's version at the checkpointer (``None``:
    found too late to be offered).
    """
    try:
        if version is not None:
            ready = checkpointer.result_for(version, timeout=max(0.0, budget.left()))
            if ready is not None:
                return _finalised(ready, _rejected(checkpointer, record), budget)
        if checkpointer.error is not None:
            raise checkpointer.error
        done = checkpointer.latest()
        if done is None or budget.left() >= validate_seconds:
            checkpointer.close()
            _rejected(checkpointer, record)
            try:
                return make(best, final=True)[0]
            except InvalidScheduleError as err:
                if done is None:
                    raise
                record.details["rejected_final"] = str(err)
        return _finalised(done.schedule, _rejected(checkpointer, record), budget)
    finally:
        checkpointer.close()


def _rejected(checkpointer: Checkpointer, record: SolveInfo) -> SolveInfo:
    """``record`` with the schedules the validator rejected, if any (kpis.json)."""
    if checkpointer.rejected:
        record.details["rejected"] = [f"version {v}: {t}" for v, t in checkpointer.rejected]
    return record


def _finalised(schedule: Schedule, record: SolveInfo, budget: Budget) -> Schedule:
    """A validated checkpoint as the final schedule: the solve's details, not provisional."""
    info = schedule.info
    info.details = {**info.details, **record.details}
    info.budget = budget.notes
    info.details.pop("provisional", None)
    info.solve_seconds = time.monotonic() - budget.started
    return schedule


def _interrupted(checkpointer: Checkpointer) -> Schedule:
    """For an interrupt: the newest validated schedule."""
    done = checkpointer.latest()
    assert done is not None  # the fallback is set once there is one
    checkpointer.close()
    done.schedule.info.details.pop("provisional", None)
    done.schedule.info.interrupted = True
    return done.schedule
