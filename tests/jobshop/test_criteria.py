"""The criteria's constant bounds: an order's earliest completion holds for every
valid schedule, and it lets CP-SAT prove optima the model's own bound missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodsched import load_plant, solve
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.jobshop.criteria import earliest_completion, machine_load_floor, stage_floor
from prodsched.objective import parse_objective
from prodsched.strategies import StrategySettings, run_strategy
from tests.conftest import assert_valid


@pytest.mark.parametrize("seed", range(3))
def test_no_valid_schedule_goes_below_the_orders_or_the_machines_floors(seed, tmp_path):
    config = GeneratorConfig(orders=30, products=5, families=2, machines=3, max_steps=2,
                             alternatives=3, setup_ratio=0.3, due_tightness=0.5,
                             mode_mix="batch=0.4,mass=0.3,one-off=0.3", seed=seed)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    schedules = [run_strategy(plant, name, StrategySettings()) for name in ("edd", "nearest-setup")]
    schedules.append(solve(plant, objective="makespan", time_limit=10, workers=1))
    orders = {o.order_id: o for o in plant.orders}
    floor = machine_load_floor(plant)
    for schedule in schedules:
        assert_valid(schedule)
        for outcome in schedule.outcomes:
            assert outcome.completion >= earliest_completion(plant, orders[outcome.order_id])
        assert schedule.kpis.makespan >= floor
    # not bounds that hold because they say nothing: releases and run times count, and
    # a machine's load says more than any one order's completion
    assert any(earliest_completion(plant, o) > o.release + 1 for o in plant.orders)
    assert floor > max(earliest_completion(plant, o) for o in plant.orders)


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


def _load_cuts(plant, objective="makespan"):
    """The linear constraints of the makespan's machine-load cuts in the full model."""
    import prodsched.jobshop.criteria as criteria
    from prodsched.jobshop.builder import JobShopModel
    from prodsched.lots.plan import plan_lots
    from prodsched.plant.setups import SetupTable

    counts = []
    real = criteria.add_machine_load

    def counted(*args):  # type: ignore[no-untyped-def]
        counts.append(real(*args))
        return counts[-1]

    criteria.add_machine_load = counted
    try:
        JobShopModel(plant, plan_lots(plant), SetupTable(plant), parse_objective(objective))
    finally:
        criteria.add_machine_load = real
    return counts


def test_machine_load_cuts_only_where_lot_sizes_are_chosen(tmp_path):
    def generated(mode_mix, name):  # type: ignore[no-untyped-def]
        config = GeneratorConfig(orders=12, products=3, families=1, machines=3, max_steps=2,
                                 alternatives=2, mode_mix=mode_mix, seed=4)
        return load_plant(write_plant(config, tmp_path / name))

    batch = generated("batch=1", "batch")
    # one per machine that alone makes some step, and one over all machines
    alone = {opts[0].machine for route in batch.routings.values() for step in route
             if len(opts := step.options) == 1}
    assert _load_cuts(batch) == [len(alone) + 1]
    # every lot one order (one-off): every run's duration is known, the model as before
    assert _load_cuts(generated("one-off=1", "one-off")) == [0]
    assert _load_cuts(batch, "weighted-tardiness") == []   # only the makespan has them


def test_a_machines_work_bounds_the_makespan_whatever_the_lot_sizes(tmp_path, monkeypatch):
    """Fifteen orders of three batch products on two machines: the lots' sizes one by
    one say little, the units' work on a machine a lot. One worker (repeatable): the
    full model's bound was 1,290 without the cuts, for a makespan above 2,000."""
    import prodsched.jobshop.criteria as criteria

    config = GeneratorConfig(orders=15, products=3, families=1, machines=2, alternatives=1,
                             due_tightness=0.09, mode_mix="batch=1", calendar=True,
                             datetimes=True, max_wait_share=0.3, setup_crews=2, operators=2,
                             seed=13022)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    bounds = {}
    for cuts in (False, True):
        monkeypatch.setattr(criteria, "LOAD_CUTS", cuts)
        schedule = solve(plant, objective="makespan", time_limit=4, workers=1)
        assert_valid(schedule)
        stage = schedule.info.stages[0]
        assert stage.bound <= stage.objective and schedule.info.objective <= stage.objective
        bounds[cuts] = stage.bound
    # the units' work on the busier machine (each lot's fixed time left out)
    work = {m: sum(float(o.time_per_unit * order.quantity)
                   for order in plant.orders
                   for step in plant.routings[order.product]
                   for o in step.options if o.machine == m) for m in plant.machines}
    assert bounds[True] >= max(work.values()) > bounds[False] + 200


def test_a_makespan_at_the_machines_load_is_optimal_for_the_plant(make_plant):
    """120 units on one machine, at most 50 a lot: three lots at least, each 10 to set
    up plus 1 a unit, so nothing ends before 150. The model has fewer lot slots than
    the 120 lots the plant allows (orders due at different times: the slots are a
    restriction), so its own proof says nothing for the plant; the floor does."""
    folder: Path = make_plant({
        "orders.csv": "order_id,product,quantity,due\n"
                      + "".join(f"o{i},P,10,{100 + 10 * i}\n" for i in range(12)),
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M1,1,10\n",
        "products.csv": "product,mode,min_lot,max_lot\nP,batch,1,50\n",
    })
    plant = load_plant(folder)
    assert machine_load_floor(plant) == 150
    assert max(earliest_completion(plant, o) for o in plant.orders) == 20
    schedule = solve(plant, objective="makespan", time_limit=20, workers=1)
    assert_valid(schedule)
    assert schedule.info.restricted
    assert (schedule.info.objective, schedule.info.status, schedule.info.bound) == \
        (150, "optimal", 150)


def test_the_machines_floor_lets_each_lot_take_its_fastest_machine(make_plant):
    """P's step runs on A (2 a unit) or B (50 to set up, 1 a unit), at most 100 a lot;
    Q fills A and R fills B. Best: P's 100 on B, its 10 on A, makespan 250. Counting
    P's two lots on one machine (210 on B at best) would make the floor 270; each lot
    at the least fixed time and the least rate, 220 shared by two machines, holds."""
    folder: Path = make_plant({
        "orders.csv": "order_id,product,quantity\np1,P,100\np2,P,10\nq,Q,230\nr,R,100\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                        "P,1,A,2,0\nP,1,B,1,50\nQ,1,A,1,0\nR,1,B,1,0\n",
        "products.csv": "product,mode,min_lot,max_lot\nP,batch,1,100\nQ,batch,1,\nR,batch,1,\n",
    })
    plant = load_plant(folder)
    assert machine_load_floor(plant) == 230          # Q alone on A
    schedule = solve(plant, objective="makespan", time_limit=10, workers=1)
    assert_valid(schedule)
    assert schedule.kpis.makespan == 250 >= machine_load_floor(plant)
