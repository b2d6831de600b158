"""The all-linear lot-sizing model as a MIP: which models qualify, its bound is the
optimum CP-SAT proves, and a plan it proves is the solve's result."""

from __future__ import annotations

import multiprocessing
import random
import time
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.formats.psp import read_psp
from prodsched.formats.trigeiro import read_trigeiro
from prodsched.lotsizing import windows
from prodsched.lotsizing.mip import MipModel, all_linear, race
from prodsched.lotsizing.solve import solve_lotsizing
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.lotsizing.test_window_model import model_of
from tests.lotsizing.test_windows import OBJECTIVE, one_worker, random_psp

# 3 items, 6 periods of 100 time units; per item: time per unit, holding cost,
# setup time, setup cost; then the demand, one line per period
TINY = """3 6
1
100
1 1 10 50
1 2 5 80
2 1 10 40
0 0 0
30 0 10
0 40 0
20 0 10
0 30 20
10 20 5
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.dat"
    path.write_text(TINY)
    return path


def proved_by_cp_sat(bm, stages) -> list[float]:  # type: ignore[no-untyped-def]
    run = run_stages(bm.model.clone(), stages, one_worker(20.0),
                     Stop.make(deterministic_seconds=20.0))
    assert run.status == "optimal"
    return [s.objective for s in run.stages]


def test_sequence_independent_setups_make_a_linear_model(tiny, tmp_path):
    linear, _, _ = model_of(read_trigeiro(tiny), OBJECTIVE)
    assert all_linear(linear.model)
    path, _ = random_psp(tmp_path, 1, 12, 3, 8)  # changeovers between products: set-up states
    flows, _, _ = model_of(read_psp(path), OBJECTIVE)
    assert not all_linear(flows.model)


@pytest.mark.parametrize("objective", [OBJECTIVE, "setup-cost>holding-cost"])
def test_the_mip_bound_is_the_optimum_cp_sat_proves(tiny, objective):
    bm, _, stages = model_of(read_trigeiro(tiny), objective)
    optimum = proved_by_cp_sat(bm, stages)
    values, bounds = MipModel(bm.model).minimise(stages, Stop.make(time.monotonic() + 30))
    assert values is not None and bounds is not None
    assert [b / scale for b, (_, _, scale) in zip(bounds, stages, strict=True)] == optimum


def test_the_mip_proves_its_bound_to_the_unit():
    """Thirty near-equal costs (about a million each) to cover a weight: many covers
    are within HiGHS's default relative gap (1e-4) of the optimum, so a solve that
    stopped there would give a bound above the optimum."""
    rng = random.Random(0)
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"chosen_{i}") for i in range(30)]
    cost = [1_000_000 + rng.randint(0, 999) for _ in chosen]
    model.add(sum(rng.randint(10, 99) * x for x in chosen) >= 1000)
    total = sum(c * x for c, x in zip(cost, chosen, strict=True))
    exact = model.clone()
    exact.minimize(total)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(exact) == cp_model.OPTIMAL
    values, bounds = MipModel(model).minimise([("cost", total, 1)],
                                              Stop.make(time.monotonic() + 30))
    assert values is not None and bounds == [solver.objective_value]
    assert sum(c * values[x.index] for c, x in zip(cost, chosen, strict=True)) == bounds[0]


def test_a_plan_the_mip_proves_is_the_result(tiny):
    bm, parsed, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    optimum = proved_by_cp_sat(bm, stages)
    run, stats = windows.search_plan(bm, parsed, SolverSettings(workers=1),
                                     Stop.make(time.monotonic() + 30))
    assert stats.mip == "proved" and stats.windows == 0
    assert run.status == "optimal"
    assert [(s.objective, s.bound) for s in run.stages] == [(v, v) for v in optimum]
    assert windows.stage_values(bm, parsed, run.values) == tuple(optimum)


def test_the_mip_is_not_tried_with_a_deterministic_budget(tiny):
    """Repeatable runs: HiGHS counts wall time only."""
    bm, parsed, _ = model_of(read_trigeiro(tiny), OBJECTIVE)
    _, stats = windows.search_plan(bm, parsed, one_worker(5.0),
                                   Stop.make(deterministic_seconds=5.0))
    assert stats.mip is None


def test_a_schedule_from_the_mip_plan_is_valid(tiny):
    request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=30,
                           settings=SolverSettings(workers=1))
    schedule = solve_lotsizing(read_trigeiro(tiny), request, bucket_length=100)
    assert_valid(schedule)
    assert schedule.info.windows is not None and schedule.info.windows.mip == "proved"


def test_the_mip_writes_nothing_to_the_console(tiny, capfd):
    """The CLI's output is its own: HiGHS prints neither its banner nor its log."""
    bm, _, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    MipModel(bm.model).minimise(stages, Stop.make(time.monotonic() + 30))
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("workers", [1, 2])
def test_racing_solves_prove_the_same_bounds(tiny, workers):
    """HiGHS solves side by side (forked, seeds 0 and 1; one worker: one forked solve):
    the first to prove wins, with the bounds a solve in this process proves; no
    racer is left running."""
    bm, _, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    alone = MipModel(bm.model).minimise(stages, Stop.make(time.monotonic() + 30))
    values, bounds = race(bm.model, stages, Stop.make(time.monotonic() + 30), workers)
    assert values is not None and bounds == alone[1]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_requested_stop_ends_the_race(tiny, workers):
    bm, _, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    started = time.monotonic()
    result = race(bm.model, stages, Stop.make(started + 30, requested=lambda: True), workers)
    assert result == (None, None) and time.monotonic() - started < 5
    assert multiprocessing.active_children() == []


def test_the_race_writes_nothing_to_the_console(tiny, capfd):
    bm, _, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    race(bm.model, stages, Stop.make(time.monotonic() + 30), workers=2)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def _race_in_a_pool_worker(path: Path) -> list[int] | None:
    bm, _, stages = model_of(read_trigeiro(path), OBJECTIVE)
    return race(bm.model, stages, Stop.make(time.monotonic() + 30), workers=2)[1]


def test_a_pool_worker_solves_the_mip_itself(tiny):
    """A pool's workers are daemonic and may not start processes: the race is one
    solve there, with the same bounds."""
    bm, _, stages = model_of(read_trigeiro(tiny), OBJECTIVE)
    _, alone = MipModel(bm.model).minimise(stages, Stop.make(time.monotonic() + 30))
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_race_in_a_pool_worker, (tiny,)) == alone
