"""The fast evaluator agrees exactly with the schedule's KPIs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.start import RULES
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.validate import validate_texts
from tests.timeline.conftest import queue_schedule

OBJECTIVES = [
    "weighted-tardiness=1,setup-cost=1", "weighted-tardiness>setup-time", "makespan",
    "total-tardiness", "late-orders>holding-cost", "holding-cost=2,setup-cost=0.5",
]


@pytest.mark.parametrize("plant_name", ["all-modes", "deadlines", "mass-long"])
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_values_equal_the_objective_of_the_schedule(generated, plant_name, objective):
    plant = generated[plant_name]
    parsed = parse_objective(objective)
    evaluator = Evaluator(plant, parsed)
    for window in (0, 500):
        lots = aggregated_lots(plant, window)
        for rule in ("lazy-30", "atcs"):
            ops = queue_schedule(plant, lots, SetupTable(plant), RULES[rule])
            assert evaluator.values(ops) == parsed.values(Schedule(plant, lots, ops).kpis)


def _misses_a_deadline(plant, lots, ops) -> bool:
    files = Schedule(plant, lots, ops).render()
    return any(v.rule == "8 deadline" for v in validate_texts(
        plant, files["schedule.csv"], files["orders_report.csv"], files["kpis.json"]))


def test_deadlines_met_as_the_validator_sees_them(generated):
    plant = generated["deadlines"]
    evaluator = Evaluator(plant, parse_objective("makespan"))
    lots = aggregated_lots(plant)
    ops = queue_schedule(plant, lots, SetupTable(plant), RULES["atcs"])
    assert evaluator.meets_deadlines(ops) is not _misses_a_deadline(plant, lots, ops)
    # the last step of a lot with a deadline, moved past it
    k = max(k for k, op in enumerate(ops) if op.lot.deadline is not None
            and op.step == plant.routings[op.lot.product][-1].number)
    late = max(0, ops[k].lot.deadline + 1 - ops[k].end)
    ops[k] = replace(ops[k], start=ops[k].start + late, end=ops[k].end + late)
    assert _misses_a_deadline(plant, lots, ops)
    assert not evaluator.meets_deadlines(ops)
