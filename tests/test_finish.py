"""The full route's last step: the model's schedule, left-shifted when that is no
worse and, where holding cost counts, with its runs moved towards their due dates
when that is better; checked by the validator either way."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction

from prodsched.cpsat_runner import RunResult
from prodsched.lots.cutting import make_lots
from prodsched.objective import parse_objective
from prodsched.pipeline import _finish
from prodsched.plant.model import Mode
from prodsched.plant.setups import SetupTable
from prodsched.schedule.solve_info import SolveInfo
from prodsched.schedule.stats import SolveStatus
from prodsched.timeline import dispatch
from tests.conftest import assert_valid
from tests.timeline.conftest import build_plant, opt, order


def _one_lot_plant():  # type: ignore[no-untyped-def]
    """One lot of 101 units on M1 made at [0, 101): 1 unit due at 120, 100 at 400."""
    base = build_plant({"A": [[opt("M1")]]},
                       [order("early", "A", 1, due=120), order("late", "A", 100, due=400)],
                       modes={"A": Mode.BATCH})
    plant = replace(base, products={"A": replace(base.products["A"], holding_cost=Fraction(1))})
    lots = make_lots(plant.products["A"], Mode.BATCH, list(plant.orders), [101], "L")
    return plant, lots, dispatch(plant, SetupTable(plant), lots, "edd")


def test_where_holding_counts_the_runs_end_by_their_due_dates():
    plant, lots, ops = _one_lot_plant()
    info = SolveInfo()
    schedule = _finish(plant, lots, ops, SolveStatus.FEASIBLE,
                       parse_objective("weighted-tardiness=1,holding-cost=1"), RunResult(),
                       info, time.monotonic(), SetupTable(plant))
    assert [(op.start, op.end) for op in schedule.ops] == [(19, 120)]
    assert info.details["delayed_to_due"] is True
    assert info.objective == 100 * 280
    assert_valid(schedule)


def test_without_holding_cost_the_runs_stay_early():
    plant, lots, ops = _one_lot_plant()
    info = SolveInfo()
    schedule = _finish(plant, lots, ops, SolveStatus.FEASIBLE,
                       parse_objective("weighted-tardiness>makespan"), RunResult(), info,
                       time.monotonic(), SetupTable(plant))
    assert [(op.start, op.end) for op in schedule.ops] == [(0, 101)]
    assert "delayed_to_due" not in info.details
    assert_valid(schedule)
