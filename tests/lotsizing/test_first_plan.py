"""The backward first plan: every unit on time and as late as it can be, a plan
of the whole model, and the search's fallback when it breaks a rule."""

from __future__ import annotations

import csv
import io

import pytest

from prodsched.cpsat_runner import SolverSettings
from prodsched.formats.psp import read_psp
from prodsched.formats.trigeiro import read_trigeiro
from prodsched.lotsizing import windows
from prodsched.lotsizing.first_plan import backward_plan, entry_times
from prodsched.lotsizing.grid import capacity
from prodsched.lotsizing.solve import solve_lotsizing
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest
from prodsched.stop import Stop
from tests.conftest import SHARED_BENCHMARKS, assert_valid
from tests.lotsizing.test_lotsizing import needs_shared, psp_by_enumeration, psp_file
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


@pytest.mark.parametrize(("long_horizon", "breaks", "expected"), [
    (60, False, "plain"), (10, False, "from plan"), (10, True, "plain")])
def test_the_whole_model_hands_over_early_only_from_the_plan_on_a_long_horizon(
        tmp_path, monkeypatch, long_horizon, breaks, expected):
    path, _ = random_psp(tmp_path, 2, 40, 5, 30)
    monkeypatch.setattr(windows, "LONG_HORIZON", long_horizon)
    if breaks:
        monkeypatch.setattr(windows, "backward_plan", lambda bm: {})
    seen: list[tuple[float, float]] = []
    whole = windows._whole

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(args[-1])
        return whole(*args, **kwargs)

    monkeypatch.setattr(windows, "_whole", recording)
    bm, objective = bucket_model(read_psp(path))
    windows.search_plan(bm, objective.stages, one_worker(1.0), Stop.make(deterministic_seconds=1.0))
    shares = {"plain": (windows.WHOLE_SHARE, windows.STALL_SHARE),
              "from plan": (windows.FROM_PLAN_WHOLE_SHARE, windows.FROM_PLAN_STALL_SHARE)}
    assert seen == [shares[expected]]


def test_the_plan_holds_room_for_any_changeover_into_each_lot():
    # Trigeiro F1: setup times on every lot; a plan that counted only the changeovers
    # it had chosen overfilled buckets, and completing it failed
    path = needs_shared(SHARED_BENCHMARKS / "lotsizing_clsp" / "instances" / "trigeiro_FG"
                        / "F1.dat")
    bm, objective = bucket_model(read_trigeiro(path))
    plan = backward_plan(bm)
    entry = entry_times(bm)
    caps = {m: capacity(bm.plant, m, bm.grid) for m in {lot.machine for lot in bm.lots}}
    load: dict[tuple[str, int], int] = {}
    for k, units in plan.items():
        lot = bm.lots[k]
        key = (lot.machine, lot.bucket)
        load[key] = (load.get(key, 0) + lot.option.duration(units)
                     + entry[(lot.machine, bm.items[lot.item].product.name)])
    assert load and all(used <= caps[m][b] for (m, b), used in load.items())
    stages = [(str(s), *bm.stage_expression(s)) for s in objective.stages]
    assert windows.first_values(bm, stages, one_worker(5.0),
                                Stop.make(deterministic_seconds=5.0)) is not None
