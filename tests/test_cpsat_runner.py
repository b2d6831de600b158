"""The one CP-SAT runner: searches without stages (assumptions and their core), stop
polling while no solution comes, and the settings every caller hands it."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from prodsched import cpsat_runner
from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.stop import Stop


def _conflict() -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """x + y <= 1 with three assumption literals: a → x, b → y, c → nothing."""
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    a, b, c = (model.new_bool_var(n) for n in "abc")
    model.add(x + y <= 1)
    model.add(x == 1).only_enforce_if(a)
    model.add(y == 1).only_enforce_if(b)
    return model, [a, b, c]


def test_without_stages_a_model_is_solved_for_any_solution():
    model, (a, _, c) = _conflict()
    model.add_assumptions([a, c])
    run = run_stages(model, [], SolverSettings(workers=1), Stop(time.monotonic() + 10))
    assert run.status == "feasible" and run.values is not None and run.value(a) == 1
    assert [s.name for s in run.stages] == ["feasibility"]


def test_an_infeasible_set_of_assumptions_comes_back_with_its_core():
    model, (a, b, c) = _conflict()
    model.add_assumptions([a, b, c])
    run = run_stages(model, [], SolverSettings(workers=1), Stop(time.monotonic() + 10))
    assert run.status == "infeasible" and run.values is None
    assert set(run.core) == {a.index, b.index}


class _Silent:
    """A live search that finds nothing until it is stopped."""

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self.parameters = cp_model.CpSolver().parameters

    def stop_search(self) -> None:
        self.stopped.set()

    def solve(self, model: object, callback: object = None) -> object:
        self.stopped.wait(30)
        return cp_model.UNKNOWN

    @property
    def response_proto(self) -> object:
        return type("Response", (), {"deterministic_time": 0.0, "wall_time": 0.1})()

    objective_value = 0.0
    best_objective_bound = 0.0


def test_stop_ends_a_search_that_finds_no_solution(monkeypatch):
    silent = _Silent()
    monkeypatch.setattr(cpsat_runner, "_solver", lambda *args: silent)
    model, _ = _conflict()
    for stages in ([], [("x", model.new_int_var(0, 5, "z"), 1)]):
        silent.stopped.clear()
        started = time.monotonic()
        run = run_stages(model, stages, SolverSettings(workers=1), Stop.make(
            started + 30, requested=lambda t=started: time.monotonic() > t + 0.3))
        assert silent.stopped.is_set() and run.values is None
        assert time.monotonic() - started < 5


def test_the_settings_reach_the_solver():
    model, _ = _conflict()
    seen: list[tuple[bool, int, int]] = []

    def hook(solver: cp_model.CpSolver | None) -> None:
        if solver is not None:
            p = solver.parameters
            seen.append((p.cp_model_presolve, p.num_workers, p.random_seed))

    z = model.new_int_var(0, 5, "z")
    run_stages(model, [("z", z, 1)], SolverSettings(workers=1, seed=7, presolve=False),
               Stop.make(time.monotonic() + 10, solver_hook=hook))
    run_stages(model, [("z", z, 1)], SolverSettings(workers=1, seed=7),
               Stop.make(time.monotonic() + 10, solver_hook=hook))
    assert seen == [(False, 1, 7), (True, 1, 7)]
