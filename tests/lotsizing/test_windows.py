"""Fix-and-optimise over windows of buckets: plans of the whole model, never worse
than where they start, and a window over every bucket is a proof."""

from __future__ import annotations

import csv
import io
import random
import time
from pathlib import Path

import pytest

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.formats.psp import read_psp
from prodsched.lotsizing import windows
from prodsched.lotsizing.grid import make_grid
from prodsched.lotsizing.items import plan_items
from prodsched.lotsizing.model import BucketModel
from prodsched.lotsizing.solve import busiest_load, solve_lotsizing
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest
from prodsched.plant.setups import SetupTable
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.lotsizing.test_lotsizing import psp_by_enumeration, psp_file

OBJECTIVE = "setup-cost,holding-cost"


def random_psp(tmp_path: Path, seed: int, periods: int, items: int, units: int
               ) -> tuple[Path, tuple[int, list[list[int]], int, list[list[int]]]]:
    rng = random.Random(seed)
    demand = [[0] * periods for _ in range(items)]
    for _ in range(units):
        demand[rng.randrange(items)][rng.randrange(2, periods)] = 1
    q = [[0 if i == j else rng.randint(20, 150) for j in range(items)] for i in range(items)]
    h = rng.choice([5, 10])
    return psp_file(tmp_path, periods, demand, h, q), (periods, demand, h, q)


def bucket_model(plant):  # type: ignore[no-untyped-def]
    objective = parse_objective(OBJECTIVE)
    setups = SetupTable(plant)
    items = plan_items(plant)
    grid = make_grid(plant, plant.bucket_length, busiest_load(plant, items, setups))
    return BucketModel(plant, items, grid, setups, objective.criteria), objective


def one_worker(deterministic: float) -> SolverSettings:
    return SolverSettings(workers=1, linearization_level=2, deterministic_seconds=deterministic)


def record_whole(monkeypatch) -> list[float]:  # type: ignore[no-untyped-def]
    """The whole model's last-stage objective, recorded each time it runs."""
    started: list[float] = []
    whole = windows._whole

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        run = whole(*args, **kwargs)
        started.append(run.stages[-1].objective)
        return run

    monkeypatch.setattr(windows, "_whole", recording)
    return started


def test_stage_values_are_what_the_solver_minimised(tmp_path):
    path, _ = random_psp(tmp_path, 3, 12, 3, 8)
    bm, objective = bucket_model(read_psp(path))
    stages = [(str(s), *bm.stage_expression(s)) for s in objective.stages]
    run = run_stages(bm.model, stages, one_worker(5.0), Stop.make(deterministic_seconds=5.0))
    assert run.status == "optimal" and run.values is not None
    assert windows.stage_values(bm, objective.stages, run.values) == (run.stages[0].objective,)


def test_every_bucket_has_its_decisions(tmp_path):
    path, _ = random_psp(tmp_path, 4, 12, 3, 8)
    bm, _ = bucket_model(read_psp(path))
    found = windows.decisions_by_bucket(bm)
    for lot in bm.lots:
        assert {lot.made.index, lot.quantity.index, lot.duration.index} <= set(found[lot.bucket])


@pytest.mark.parametrize("seed", range(3))
def test_windows_never_end_worse_than_the_whole_model_left_them(tmp_path, monkeypatch, seed):
    path, _ = random_psp(tmp_path, seed, 40, 5, 30)
    bm, objective = bucket_model(read_psp(path))
    started = record_whole(monkeypatch)
    monkeypatch.setattr(windows, "WHOLE_SHARE", 0.02)
    monkeypatch.setattr(windows, "FROM_PLAN_WHOLE_SHARE", 0.02)
    run, stats = windows.search_plan(bm, objective.stages, one_worker(1.5),
                                     Stop.make(deterministic_seconds=1.5))
    assert run.values is not None and started
    assert run.stages[-1].objective <= started[0]
    assert windows.stage_values(bm, objective.stages, run.values) == (run.stages[-1].objective,)
    if stats.improved:
        assert run.stages[-1].objective < started[0]


def test_a_window_over_every_bucket_proves_the_optimum(tmp_path, monkeypatch):
    path, (periods, demand, h, q) = random_psp(tmp_path, 2, 20, 3, 14)
    expected = psp_by_enumeration(periods, demand, h, q)
    # the whole model gets almost nothing; the first window covers every bucket
    monkeypatch.setattr(windows, "WHOLE_SHARE", 1e-4)
    monkeypatch.setattr(windows, "FROM_PLAN_WHOLE_SHARE", 1e-4)
    monkeypatch.setattr(windows, "FIRST_WIDTH_SHARE", 1.0)
    bm, objective = bucket_model(read_psp(path))
    run, stats = windows.search_plan(bm, objective.stages, one_worker(20.0),
                                     Stop.make(deterministic_seconds=20.0))
    assert stats.windows == 1 and stats.improved == 1 and stats.proved_whole_horizon
    assert run.status == "optimal"
    assert (run.stages[0].objective, run.stages[0].bound) == (expected, expected)


def test_a_plan_from_windows_expands_to_a_valid_schedule(tmp_path, monkeypatch):
    # 60 buckets: the whole model proves a 40-bucket one itself (deadline cuts)
    path, _ = random_psp(tmp_path, 0, 60, 6, 45)
    monkeypatch.setattr(windows, "WHOLE_SHARE", 0.02)
    monkeypatch.setattr(windows, "FROM_PLAN_WHOLE_SHARE", 0.02)
    request = SolveRequest(objective=parse_objective(OBJECTIVE), time_limit=60,
                           settings=SolverSettings(workers=1, deterministic_seconds=1.5))
    schedule = solve_lotsizing(read_psp(path), request, bucket_length=1)
    assert_valid(schedule)
    stats = schedule.info.windows
    assert stats is not None and stats.windows >= 1
    plan = list(csv.DictReader(io.StringIO(schedule.render()["plan.csv"])))
    assert sum(int(r["quantity"]) for r in plan) == len(schedule.plant.orders)


def test_on_the_clock_the_whole_model_hands_over_when_it_stalls(tmp_path, monkeypatch):
    path, _ = random_psp(tmp_path, 1, 60, 6, 45)
    bm, objective = bucket_model(read_psp(path))
    started = record_whole(monkeypatch)
    monkeypatch.setattr(windows, "WHOLE_SHARE", 0.05)
    monkeypatch.setattr(windows, "FROM_PLAN_WHOLE_SHARE", 0.05)
    monkeypatch.setattr(windows, "STALL_SHARE", 0.02)
    monkeypatch.setattr(windows, "FROM_PLAN_STALL_SHARE", 0.02)
    settings = SolverSettings(workers=1, linearization_level=2)
    run, stats = windows.search_plan(bm, objective.stages, settings,
                                     Stop.make(time.monotonic() + 8.0))
    assert run.values is not None and started
    assert not run.interrupted  # stalling is not a stop the caller asked for
    assert run.status == "optimal" or stats.windows >= 1
    assert run.stages[-1].objective <= started[0]
    assert windows.stage_values(bm, objective.stages, run.values) == (run.stages[-1].objective,)


@pytest.mark.parametrize("width", [2, 5, 25, 60])
def test_each_pass_of_windows_moves_its_edges(width):
    starts = [windows._pass_start(passes, width) for passes in range(1, 4)]
    assert all(0 <= start < max(1, width // 2) for start in starts)
    if width >= 4:  # a window of 2 or 3 buckets has nowhere else to start
        assert starts[0] != 0 and starts[0] != starts[1]
