"""Large-neighbourhood search: never worse, always valid, better where there is room."""

from __future__ import annotations

import time

from prodsched.cpsat_runner import SolverSettings
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import improve
from prodsched.lns.start import RULES
from prodsched.objective import parse_objective
from prodsched.plant import load_plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.timeline.conftest import queue_schedule
from tests.timeline.test_dispatch import ALTERNATING


def _search(plant, objective, rule, seconds, det=None, workers=2):
    setups = SetupTable(plant)
    parsed = parse_objective(objective)
    lots = aggregated_lots(plant)
    ops = queue_schedule(plant, lots, setups, RULES[rule])
    seen = []
    best, values, stats = improve(
        plant, setups, parsed, lots, ops,
        Stop(time.monotonic() + seconds, deterministic_seconds=det),
        SolverSettings(workers=workers, seed=0),
        on_improve=lambda ops, values: seen.append(values))
    return lots, ops, best, values, stats, seen


# one machine, two families released by turns with idle time between: a
# dispatch rule that does not wait changes over before every order
SPREAD = {**ALTERNATING, "orders.csv": "order_id,product,quantity,due,release\n" + "".join(
    f"o{k},{'A' if k % 2 == 0 else 'B'},5,2000,{20 * k}\n" for k in range(12))}


def test_a_window_search_regroups_products_that_alternate(make_plant):
    plant = load_plant(make_plant(SPREAD))
    lots, start, best, values, _, seen = _search(plant, "setup-cost", "atcs", 5)
    evaluator = Evaluator(plant, parse_objective("setup-cost"))
    assert evaluator.values(start)[0] >= 80
    assert values == evaluator.values(best) and values[0] == 10   # one changeover
    assert seen and seen[-1] == values
    assert_valid(Schedule(plant, lots, best))


def test_every_improvement_is_an_improvement_and_the_result_is_valid(generated):
    plant = generated["all-modes"]
    objective = "weighted-tardiness>setup-time"
    lots, start, best, values, stats, seen = _search(plant, objective, "setup-aware", 6)
    evaluator = Evaluator(plant, parse_objective(objective))
    assert [evaluator.values(start), *seen] == sorted([evaluator.values(start), *seen],
                                                      reverse=True)
    assert len(set(seen)) == len(seen)
    assert values == evaluator.values(best) <= evaluator.values(start)
    assert stats.windows > 0
    assert_valid(Schedule(plant, lots, best))


def test_deadlines_stay_met(generated):
    plant = generated["deadlines"]
    lots, _, best, _, _, _ = _search(plant, "setup-cost", "lazy-30", 4)
    assert_valid(Schedule(plant, lots, best))


def test_one_worker_and_a_deterministic_budget_repeat_exactly(generated):
    plant = generated["all-modes"]
    first = _search(plant, "weighted-tardiness=1,setup-cost=1", "lazy-30", 60, det=0.5,
                    workers=1)
    again = _search(plant, "weighted-tardiness=1,setup-cost=1", "lazy-30", 60, det=0.5,
                    workers=1)
    assert first[2] == again[2] and first[4].windows == again[4].windows


def test_the_mix_of_windows_follows_what_each_kind_gains_per_second():
    import random
    from fractions import Fraction as F

    from prodsched.lns.search import MIN_RECORDS, RESIZE_SHARE, RESIZE_SHARE_RANGE, Mix

    def share(mix: Mix) -> float:
        draws = [mix.resize_next() for _ in range(4000)]
        return sum(draws) / len(draws)

    mix = Mix(random.Random(0))
    assert abs(share(mix) - RESIZE_SHARE) < 0.03          # nothing known yet
    # lot windows lower a later stage (the first stays 0) half as fast per second as
    # the others: a third of the windows, once each kind has enough windows
    for k in range(MIN_RECORDS):
        mix.record(True, (F(0), F(100)), (F(0), F(95)), 0.5)
        if k:
            assert abs(share(mix) - RESIZE_SHARE) < 0.03  # the others: none yet
        mix.record(False, (F(0), F(100)), (F(0), F(90)), 0.5)
    assert abs(mix.rate(True) - 0.1) < 1e-9 and abs(mix.rate(False) - 0.2) < 1e-9
    assert abs(share(mix) - 1 / 3) < 0.03
    # far faster: the share is capped
    for _ in range(10):
        mix.record(True, (F(0), F(100)), (F(0), F(20)), 0.5)
    assert abs(share(mix) - RESIZE_SHARE_RANGE[1]) < 0.03
    # lot windows stop paying: their share falls to the floor, never below it
    for _ in range(80):
        mix.record(True, (F(0), F(90)), (F(0), F(90)), 0.5)
        mix.record(False, (F(0), F(90)), (F(0), F(85)), 0.5)
    assert abs(share(mix) - RESIZE_SHARE_RANGE[0]) < 0.02


def test_route_windows_are_drawn_among_routed_lots_that_cost_something(generated):
    from prodsched.lns.search import _costly_routes
    from prodsched.lns.state import Indexed

    plant = generated["all-modes"]
    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    state = Indexed(plant, lots, queue_schedule(plant, lots, setups, RULES["atcs"]))
    for objective, holding in (("weighted-tardiness", False),
                               ("weighted-tardiness=1,holding-cost=1", True)):
        evaluator = Evaluator(plant, parse_objective(objective))
        assert evaluator.counts_holding is holding
        routed, costs = _costly_routes(state, evaluator)
        assert routed and len(routed) == len(costs) and min(costs) > 0
        for lot_id, cost in zip(routed, costs, strict=True):
            chain = [state.ops[k] for k in state.by_lot[lot_id]]
            assert len({op.machine for op in chain}) > 1
            late = sum(float(evaluator.weight[o]) * (chain[-1].end - evaluator.due[o])
                       for o, _ in chain[-1].lot.allocations
                       if o in evaluator.due and chain[-1].end > evaluator.due[o])
            assert late <= cost + 1e-9 and (holding or late == cost)
        if not holding:
            tardy_only = routed
    # holding adds the lots that end early
    assert set(tardy_only) <= set(routed)
