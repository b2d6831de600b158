"""The backward first plan: every unit on time and as late as it can be, a plan
of the whole model, and the search's fallback when it breaks a rule."""

from __future__ import annotations

import csv
import io

import pytest

from prodsched.cpsat_runner import SolverSettings
from prodsched.formats.psp import read_psp
from prodsched.lotsizing import windows
from prodsched.lotsizing.first_plan import backward_plan
from prodsched.lotsizing.solve import solve_lotsizing
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.lotsizing.test_lotsizing import psp_by_enumeration, psp_file
from tests.lotsizing.test_windows import OBJECTIVE, bucket_model, one_worker, random_psp


def made_by_bucket(bm, plan):  # type: ignore[no-untyped-def]
    """Per item, units the plan makes in each bucket."""
    made = [[0] * bm.grid.count for _ in bm.items]
    for k, units in plan.items():
        made[bm.lots[k].item][bm.lots[k].bucket] += units
    return made


@pytest.mark.parametrize("seed", range(4))
def test_every_unit_is_made_on_time_and_at_most_one_per_period(tmp_path, seed):
    path, _ = random_psp(tmp_path, seed, 40, 5, 30)
    bm, _ = bucket_model(read_psp(path))
    plan = backward_plan(bm)
    made = made_by_bucket(bm, plan)
    for i, item in enumerate(bm.items):
        due = item.cumulative(bm.grid, "due")
        so_far = 0
        for b in range(bm.grid.count):
            so_far += made[i][b]
            assert so_far >= due[b], (item.name, b)
        assert so_far == item.demand
    for b in range(bm.grid.count):
        assert sum(made[i][b] for i in range(len(bm.items))) <= 1


@pytest.mark.parametrize("seed", range(3))
def test_without_changeover_costs_the_backward_plan_is_optimal(tmp_path, seed):
    _, (periods, demand, h, _) = random_psp(tmp_path, seed, 14, 3, 10)
    free = [[0] * len(demand) for _ in demand]  # the same demand, no changeover costs
    path = psp_file(tmp_path, periods, demand, h, free)
    bm, objective = bucket_model(read_psp(path))
    stages = [(str(s), *bm.stage_expression(s)) for s in objective.stages]
    values = windows.first_values(bm, stages, one_worker(5.0),
                                  Stop.make(deterministic_seconds=5.0))
    assert values is not None
    expected = psp_by_enumeration(periods, demand, h, free)
    assert windows.stage_values(bm, objective.stages, values) == (expected,)


def test_the_first_plan_is_a_plan_of_the_whole_model(tmp_path):
    path, (periods, demand, h, q) = random_psp(tmp_path, 5, 14, 3, 10)
    bm, objective = bucket_model(read_psp(path))
    stages = [(str(s), *bm.stage_expression(s)) for s in objective.stages]
    values = windows.first_values(bm, stages, one_worker(5.0),
                                  Stop.make(deterministic_seconds=5.0))
    assert values is not None
    plan = backward_plan(bm)
    for k, lot in enumerate(bm.lots):
        assert values[lot.quantity.index] == plan.get(k, 0)
    # never below the optimum, which enumeration gives independently
    value = windows.stage_values(bm, objective.stages, values)[0]
    assert value >= psp_by_enumeration(periods, demand, h, q)


def test_a_first_plan_that_breaks_a_rule_is_left_out(tmp_path, monkeypatch):
    path, _ = random_psp(tmp_path, 0, 40, 5, 30)
    # a plan that makes nothing cannot meet the deadlines
    monkeypatch.setattr(windows, "backward_plan", lambda bm: {})
    bm, objective = bucket_model(read_psp(path))
    stages = [(str(s), *bm.stage_expression(s)) for s in objective.stages]
    assert windows.first_values(bm, stages, one_worker(5.0),
                                Stop.make(deterministic_seconds=5.0)) is None
    request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=60,
                           settings=SolverSettings(workers=1, deterministic_seconds=3.0))
    schedule = solve_lotsizing(read_psp(path), request, bucket_length=1)
    assert_valid(schedule)
    assert schedule.info.windows is not None and schedule.info.windows.first_plan is None
    plan = list(csv.DictReader(io.StringIO(schedule.render()["plan.csv"])))
    assert sum(int(r["quantity"]) for r in plan) == len(schedule.plant.orders)


def test_the_search_reports_the_first_plan_and_ends_no_worse(tmp_path):
    path, _ = random_psp(tmp_path, 3, 40, 5, 30)
    request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=60,
                           settings=SolverSettings(workers=1, deterministic_seconds=3.0))
    schedule = solve_lotsizing(read_psp(path), request, bucket_length=1)
    assert_valid(schedule)
    assert schedule.info.windows is not None
    first = schedule.info.windows.first_plan
    assert first is not None and schedule.info.objective is not None
    assert schedule.info.objective <= first
