"""The warm start is a complete, feasible assignment of every model variable."""

from __future__ import annotations

import tempfile
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


def source(name: str) -> Path:
    """A bundled plant, or a generated one (``gen-<seed>``: auto products, few orders each)."""
    if not name.startswith("gen-"):
        return INSTANCES / name
    from prodsched.generate import GeneratorConfig, write_plant

    folder = Path(tempfile.mkdtemp()) / name
    return write_plant(GeneratorConfig(orders=40, products=8, families=3, machines=4,
                                       setup_ratio=0.5, seed=int(name[4:])), folder)


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("name", ["tiny", "bakery", "furniture", "bottling", "gen-9101"])
def test_warm_start_hint_is_complete_and_feasible(name, objective):
    plant = load_plant(source(name))
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
    # the decoded hint is the warm start itself, and the model prices it as the KPIs do
    assert obj.values(schedule.kpis) == warm.best.values
    _, scale = jm.stage_expression(obj.stages[0])
    assert solver.objective_value / scale == pytest.approx(float(warm.best.values[0]))
