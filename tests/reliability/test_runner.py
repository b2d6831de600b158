"""run_stages: what it claims when stages are assumed, stopped or limited by deterministic time."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.stop import Stop


def two_stages(first_at_least: int) -> tuple[cp_model.CpModel, list]:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    y = model.new_int_var(0, 10, "y")
    model.add(x >= first_at_least)
    model.add(x + y >= 5)
    return model, [("x", x, 1), ("y", y, 1)]


def test_both_stages_solved_in_order():
    model, stages = two_stages(1)
    run = run_stages(model, stages, SolverSettings(workers=1), Stop(time.monotonic() + 10))
    assert run.status == "optimal"
    assert [(s.name, s.objective) for s in run.stages] == [("x", 1.0), ("y", 4.0)]


def test_an_infeasible_model_is_reported_infeasible():
    model, stages = two_stages(11)
    run = run_stages(model, stages, SolverSettings(workers=1), Stop(time.monotonic() + 10))
    assert run.status == "infeasible" and run.values is None


def test_infeasible_after_a_stage_assumed_at_zero_proves_nothing():
    # the hint said x = 0 was possible; it was not, so nothing is proved
    model, stages = two_stages(1)
    run = run_stages(model, stages, SolverSettings(workers=1), Stop(time.monotonic() + 10),
                     at_zero=[True, False])
    assert run.status == "unknown" and run.values is None


def test_stop_before_a_stage_skips_it():
    model, stages = two_stages(1)
    run = run_stages(model, stages, SolverSettings(workers=1),
                     Stop.make(time.monotonic() + 10, requested=lambda: True))
    assert run.interrupted and run.stages == [] and run.values is None


def test_the_solver_hook_sees_each_live_solver_then_none():
    model, stages = two_stages(1)
    seen: list[object] = []
    run_stages(model, stages, SolverSettings(workers=1),
               Stop.make(time.monotonic() + 10, solver_hook=seen.append))
    assert [type(s).__name__ if s is not None else None for s in seen] == [
        "CpSolver", None, "CpSolver", None]


def test_deterministic_budget_is_shared_by_the_stages():
    model, stages = two_stages(1)
    run = run_stages(model, stages, SolverSettings(workers=1),
                     Stop(time.monotonic() + 10, deterministic_seconds=5.0))
    assert run.status == "optimal"
    assert sum(s.deterministic_seconds for s in run.stages) <= 5.0
    assert all(s.limit == "done" for s in run.stages)
