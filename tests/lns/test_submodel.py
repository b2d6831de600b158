"""A window's CP-SAT model: the current schedule is a solution; its solutions stay valid."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.jobshop.window import WindowModel
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import apply_moves
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.lns.window import Neighbourhoods
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from prodsched.timeline.retime import retime
from tests.conftest import assert_valid
from tests.timeline.conftest import queue_schedule

OBJECTIVE = parse_objective("weighted-tardiness=1,setup-cost=1")


def _windows(plant, count, size=25, group=3):
    lots = aggregated_lots(plant)
    state = Indexed(plant, lots, queue_schedule(plant, lots, SetupTable(plant),
                                                RULES["setup-aware"]))
    hoods = Neighbourhoods(plant, group=group)
    return state, [hoods.sliding(state, size) for _ in range(count)]


@pytest.mark.parametrize("plant_name", ["all-modes", "mass-long", "deadlines"])
@pytest.mark.parametrize("soft", [None, 0.1])
def test_the_current_schedule_is_a_complete_solution_of_every_window(generated, plant_name,
                                                                     soft):
    plant = generated[plant_name]
    state, windows = _windows(plant, 6)
    for window in windows:
        wm = WindowModel(plant, SetupTable(plant), OBJECTIVE, state, window, soft=soft)
        proto = wm.model.proto
        assert sorted(proto.solution_hint.vars) == list(range(len(proto.variables)))
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        solver.parameters.max_time_in_seconds = 10
        assert solver.solve(wm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.mark.parametrize("plant_name", ["all-modes", "mass-long", "deadlines"])
def test_a_solved_window_put_back_gives_a_valid_schedule(generated, plant_name):
    plant = generated[plant_name]
    setups = SetupTable(plant)
    state, windows = _windows(plant, 4, size=30)
    evaluator = Evaluator(plant, OBJECTIVE)
    checked = 0
    for window in windows:
        wm = WindowModel(plant, setups, OBJECTIVE, state, window, soft=0.1)
        run = run_stages(wm.model, wm.stages(), SolverSettings(workers=1, presolve=False),
                         Stop(time.monotonic() + 1.5))
        assert run.values is not None
        moved = apply_moves(state, window, wm.moves(run.value))
        if moved is None:
            continue
        shifted = retime(plant, setups, moved[0], moved[1], state.by_lot.values())
        if shifted is None:
            continue  # the moves contradict the fixed rest (refused by the search)
        if evaluator.meets_deadlines(shifted):
            assert_valid(Schedule(plant, state.lots, shifted))
            checked += 1
    assert checked
