"""The warm start is a complete, feasible assignment of every model variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from prodsched import load_plant
from prodsched.heuristics.warmstart import choose_warm_start
from prodsched.jobshop.builder import JobShopModel
from prodsched.jobshop.solution import add_hint, decode
from prodsched.lots.plan import plan_lots
from prodsched.lots.realize import realizations
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from tests.conftest import assert_valid

INSTANCES = Path(__file__).resolve().parents[2] / "instances"
OBJECTIVES = ["weighted-tardiness>setup-time", "makespan",
              "holding-cost=1,setup-cost=1,late-orders=5"]


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("name", ["tiny", "bakery", "furniture", "bottling"])
def test_warm_start_hint_is_complete_and_feasible(name, objective):
    plant = load_plant(INSTANCES / name)
    setups, obj = SetupTable(plant), parse_objective(objective)
    plan = plan_lots(plant)
    warm = choose_warm_start(plant, realizations(plan), setups, obj)
    jm = JobShopModel(plant, plan, setups, obj, reference=warm.best.ops)
    add_hint(jm, warm.best.ops)
    proto = jm.model.proto
    hinted = set(proto.solution_hint.vars)
    free = [v.name for i, v in enumerate(proto.variables)
            if i not in hinted and min(v.domain) != max(v.domain)]
    assert free == []
    jm.model.minimize(jm.stage_expression(obj.stages[0])[0])
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(jm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    lots, ops = decode(jm, solver.value)
    schedule = Schedule(plant, lots, ops)
    assert_valid(schedule)
    # the decoded hint is the warm start itself
    assert obj.values(schedule.kpis) == warm.best.values
