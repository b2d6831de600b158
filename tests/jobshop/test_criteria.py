"""The criteria's constant bounds: an order's earliest completion holds for every
valid schedule, and it lets CP-SAT prove optima the model's own bound missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodsched import load_plant, solve
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.jobshop.criteria import earliest_completion, stage_floor
from prodsched.objective import parse_objective
from prodsched.strategies import StrategySettings, run_strategy
from tests.conftest import assert_valid


@pytest.mark.parametrize("seed", range(3))
def test_no_valid_schedule_completes_an_order_before_its_earliest_completion(seed, tmp_path):
    config = GeneratorConfig(orders=30, products=5, families=2, machines=3, max_steps=2,
                             alternatives=3, setup_ratio=0.3, due_tightness=0.5,
                             mode_mix="batch=0.4,mass=0.3,one-off=0.3", seed=seed)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    schedules = [run_strategy(plant, name, StrategySettings()) for name in ("edd", "nearest-setup")]
    schedules.append(solve(plant, objective="makespan", time_limit=10, workers=1))
    orders = {o.order_id: o for o in plant.orders}
    for schedule in schedules:
        assert_valid(schedule)
        for outcome in schedule.outcomes:
            assert outcome.completion >= earliest_completion(plant, orders[outcome.order_id])
    # not a bound that holds because it says nothing: releases and run times count
    assert any(earliest_completion(plant, o) > o.release + 1 for o in plant.orders)


def test_a_late_release_split_over_two_machines_is_proved(make_plant):
    """Six small orders early, then 120 units released at 100; two machines at 1 per
    unit plus 10 per lot: at best the late order runs as two lots of 60 side by side,
    done at 100 + 70. Without the earliest completion, one worker's search ended at
    170 with a bound of 49."""
    early = "".join(f"e{i},P,{10 + i},{3 * i}\n" for i in range(6))
    folder: Path = make_plant({
        "orders.csv": "order_id,product,quantity,release\n" + early + "late,P,120,100\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                        "P,1,M1,1,10\nP,1,M2,1,10\n",
        "products.csv": "product,mode,min_lot\nP,batch,1\n",
    })
    plant = load_plant(folder)
    late = next(o for o in plant.orders if o.order_id == "late")
    assert earliest_completion(plant, late) == 170
    schedule = solve(plant, objective="makespan", time_limit=20, workers=1)
    assert_valid(schedule)
    assert schedule.info.objective == 170
    stage = schedule.info.stages[-1]  # proved for its lot plan (slots)
    assert (stage.status, stage.bound) == ("optimal", 170)
    # and for the plant: no schedule completes the late order before 170
    assert schedule.info.restricted
    assert (schedule.info.status, schedule.info.bound) == ("optimal", 170)


def test_weighted_tardiness_at_its_plant_floor_is_optimal(make_plant):
    """The same plant with due dates: the late order is due at 100, the others late
    in the day; its earliest completion is 170, so no schedule has a weighted
    tardiness below 70, whatever lot plan found it."""
    early = "".join(f"e{i},P,{10 + i},{3 * i},{200}\n" for i in range(6))
    folder: Path = make_plant({
        "orders.csv": "order_id,product,quantity,release,due\n" + early
                      + "late,P,120,100,100\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                        "P,1,M1,1,10\nP,1,M2,1,10\n",
        "products.csv": "product,mode,min_lot\nP,batch,1\n",
    })
    plant = load_plant(folder)
    assert stage_floor(plant, parse_objective("weighted-tardiness").stages[0]) == 70
    schedule = solve(plant, objective="weighted-tardiness", time_limit=20, workers=1)
    assert_valid(schedule)
    assert schedule.info.objective == 70
    assert (schedule.info.status, schedule.info.bound) == ("optimal", 70)
