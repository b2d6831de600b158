"""The time budget: model size known before building, warm starts cut short, fallbacks."""

from __future__ import annotations

import time

from prodsched import load_plant, solve
from prodsched.budget import ModelSize, fitting
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.heuristics.warmstart import choose_warm_start
from prodsched.jobshop.builder import JobShopModel
from prodsched.lots.plan import plan_lots
from prodsched.lots.realize import CUTS, realizations
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.stop import Stop
from tests.conftest import assert_valid


def generated(tmp_path, orders: int, seed: int = 1):
    config = GeneratorConfig(orders=orders, machines=4, max_steps=2, alternatives=2,
                             calendar=True, seed=seed)
    return load_plant(write_plant(config, tmp_path / f"g{orders}_{seed}"))


def test_model_size_is_known_before_building(tmp_path):
    plant = generated(tmp_path, 40)
    setups = SetupTable(plant)
    plan = plan_lots(plant)
    size = ModelSize.of(plant, plan, setups)
    objective = parse_objective("weighted-tardiness>setup-time")
    for max_arcs in (100_000, 300):
        jm = JobShopModel(plant, plan, setups, objective, max_arcs_per_machine=max_arcs,
                          reference=choose_warm_start(plant, realizations(plan), setups,
                                                      objective).best.ops)
        assert size.ops == len(jm.ops)
        assert set(size.nodes) == set(jm.sequences)
        built = sum(len(s.arcs) for s in jm.sequences.values())
        assert 0.7 * built <= size.arcs(max_arcs) <= 1.3 * built, (built, size.arcs(max_arcs))


def test_busy_machines_keep_fewer_arcs_when_time_is_short():
    size = ModelSize(ops=2000, covers=0, nodes={"M1": 400, "M2": 400})
    everything = size.build_seconds(10**9)
    assert size.choose_arcs(everything + 1, 10**9) == 10**9
    fewer = size.choose_arcs(everything / 4, 10**9)
    assert fewer is not None and size.build_seconds(fewer) <= everything / 4
    assert size.choose_arcs(0.01, 10**9) is None
    assert size.finish_seconds() > ModelSize(ops=1, covers=0, nodes={}).finish_seconds()


def test_warm_start_past_its_deadline_still_gives_a_hint(tmp_path):
    plant = generated(tmp_path, 30)
    setups = SetupTable(plant)
    plan = plan_lots(plant)
    objective = parse_objective("weighted-tardiness")
    options = realizations(plan)
    warm = choose_warm_start(plant, options, setups, objective, stop=Stop(time.monotonic() - 1))
    assert warm.best.hintable
    assert len(warm.scores) == 1 and len(warm.skipped) >= 1
    full = choose_warm_start(plant, options, setups, objective, stop=Stop(time.monotonic() + 60))
    assert full.skipped == [] and len(full.scores) == len(warm.scores) + len(warm.skipped)


# Cut at every order, these once needed more lots (rounded up to multiples of 10) than
# the plan has slots for; the pipeline took such a cut as the model's hint and failed.
QUANTITIES = [68, 32, 35, 95, 33, 38, 94, 10, 85, 58, 39, 60, 88, 51, 51, 100, 16, 34, 29, 41,
              46, 34, 47, 81, 81, 67, 20, 21, 71, 86, 85, 36, 22, 2, 84, 9, 16, 77, 44, 4]


def _many_small_orders(make_plant):
    quantities = QUANTITIES
    return make_plant({
        "orders.csv": "order_id,product,quantity,due\n" + "".join(
            f"o{i},P,{q},{10 * (i + 1)}\n" for i, q in enumerate(quantities)),
        "products.csv": "product,mode,min_lot,max_lot,lot_multiple\nP,batch,10,80,10\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
    })


def test_every_cut_fits_the_slots_and_can_be_the_hint(make_plant):
    plant = load_plant(_many_small_orders(make_plant))
    plan = plan_lots(plant)
    (group,) = plan.groups
    options = fitting(realizations(plan), plan)
    assert all(option.hintable for option in options if option.name in CUTS)
    for option in options:
        if option.name in CUTS:
            assert len(option.lots) <= group.slots


def test_such_a_plant_solves(make_plant):
    schedule = solve(load_plant(_many_small_orders(make_plant)), time_limit=5, workers=1)
    assert_valid(schedule)


def test_a_limit_too_short_for_cp_sat_gives_the_dispatch_schedule(tmp_path):
    plant = generated(tmp_path, 45)  # the full model's route
    schedule = solve(plant, time_limit=0.2, workers=2)
    assert_valid(schedule)
    details = schedule.info.details
    assert schedule.status == "feasible"
    assert details["source"] == "dispatch (the time limit leaves no time for CP-SAT)"
    assert schedule.info.budget.as_dict()["max_arcs_per_machine"] is None
    assert schedule.info.stages is None


def test_the_command_counts_its_start_up_only_when_it_is_the_program(monkeypatch):
    from prodsched.cli import common

    before = time.monotonic()
    assert before <= common.process_started() <= time.monotonic()  # inside pytest: now
    monkeypatch.setattr(common.sys, "argv", ["/venv/bin/prodsched", "solve"])
    monkeypatch.setattr(common, "FRESH_PROCESS", 10**9)
    assert common.process_started() < before - 0.1        # this process started earlier
