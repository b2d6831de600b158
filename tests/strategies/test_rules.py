"""Dispatch rules on one machine, where the right sequence can be checked by hand."""

from __future__ import annotations

import pytest

from prodsched.plant.setups import SetupTable
from prodsched.strategies import StrategySettings, run_strategy
from prodsched.strategies.heuristics import per_order_lots
from prodsched.timeline.context import atcs_scales
from tests.conftest import assert_valid
from tests.strategies.conftest import machine_sequence, one_machine

THREE_ORDERS = """\
order_id,product,quantity,due
o1,P1,10,100
o2,P2,5,30
o3,P3,20,60
"""
ONE_OFF = """\
product,family,mode
P1,P1,one-off
P2,P2,one-off
P3,P3,one-off
"""


@pytest.mark.parametrize(("rule", "expected"), [
    ("edd", ["o2", "o3", "o1"]),    # due 30, 60, 100
    ("spt", ["o2", "o1", "o3"]),    # 5, 10, 20 units at 1 minute each
    ("fifo", ["o1", "o2", "o3"]),   # file order (all released at 0)
])
def test_static_rules_sequence_one_machine(make_plant, rule, expected):
    plant = one_machine(make_plant, THREE_ORDERS, ONE_OFF)
    schedule = run_strategy(plant, rule, StrategySettings())
    assert_valid(schedule)
    assert machine_sequence(schedule, "M1") == expected
    assert schedule.kpis.makespan == 35  # no setups, no idle time


def test_fifo_follows_releases_first(make_plant):
    orders = "order_id,product,quantity,due,release\no1,P1,10,100,50\no2,P2,5,30,0\n" \
             "o3,P3,20,60,0\n"
    schedule = run_strategy(one_machine(make_plant, orders, ONE_OFF), "fifo", StrategySettings())
    assert_valid(schedule)
    assert machine_sequence(schedule, "M1") == ["o2", "o3", "o1"]


FAMILY_ORDERS = """\
order_id,product,quantity,due
a1,P1,10,{a1}
b1,P2,10,{b1}
a2,P3,10,{a2}
"""
FAMILIES = """\
product,family,mode
P1,F1,one-off
P2,F2,one-off
P3,F1,one-off
"""
SETUPS = """\
machine,from,to,time,cost
*,*,*,10,10
*,F1,F1,0,0
*,F2,F2,0,0
"""


def family_plant(make_plant, a1: int, b1: int, a2: int):  # type: ignore[no-untyped-def]
    orders = FAMILY_ORDERS.format(a1=a1, b1=b1, a2=a2)
    return one_machine(make_plant, orders, FAMILIES, SETUPS)


def test_nearest_setup_stays_in_the_family_where_edd_changes_over(make_plant):
    plant = family_plant(make_plant, 10, 20, 30)
    edd = run_strategy(plant, "edd", StrategySettings())
    near = run_strategy(plant, "nearest-setup", StrategySettings())
    for s in (edd, near):
        assert_valid(s)
    assert machine_sequence(edd, "M1") == ["a1", "b1", "a2"]
    assert edd.kpis.setup_count == 2
    assert machine_sequence(near, "M1") == ["a1", "a2", "b1"]
    assert near.kpis.setup_count == 1


def test_atcs_avoids_a_changeover_when_due_dates_are_far(make_plant):
    plant = family_plant(make_plant, 1000, 1010, 1020)
    schedule = run_strategy(plant, "atcs", StrategySettings())
    assert_valid(schedule)
    assert machine_sequence(schedule, "M1") == ["a1", "a2", "b1"]


def test_atcs_scales_from_the_plant_statistics(make_plant):
    # runs 10, 10, 10: p = 10; setups between different products sharing M1:
    # P1->P2, P2->P1, P2->P3, P3->P2 take 10, P1<->P3 none: s = 40/6.
    # makespan estimate C = (30 + 3 s) / 1 = 50; dues 10, 20, 30:
    # R = 20/50 = 0.4 -> k1 = 4.9; tau = 1 - 20/50 = 0.6; eta = s/p = 2/3
    # -> k2 = 0.6 / (2 sqrt(2/3)) = 0.3674.
    plant = family_plant(make_plant, 10, 20, 30)
    scales = atcs_scales(plant, per_order_lots(plant), SetupTable(plant))
    assert scales.mean_run == pytest.approx(10)
    assert scales.mean_setup == pytest.approx(40 / 6)
    assert scales.k1 == pytest.approx(4.9)
    assert scales.k2 == pytest.approx(0.6 / (2 * (2 / 3) ** 0.5))


@pytest.mark.parametrize("rule", ["nearest-setup", "atcs", "edd"])
def test_heuristics_decide_exactly_at_any_number_of_lots(generated, monkeypatch, rule):
    # the one dispatcher decides by events above EXACT_MAX_LOTS lots (the large-plant
    # start); the strategies, compared with each other, decide exactly at any size
    import importlib

    from prodsched.strategies.heuristics import pinned_work
    from prodsched.timeline.rules import RULES

    dispatching = importlib.import_module("prodsched.timeline.dispatch")
    plant = generated["batch-mass-heavy-setups"]
    lots = per_order_lots(plant)
    setups = SetupTable(plant)
    pinned = pinned_work(plant, setups)
    exact = dispatching.dispatch(plant, setups, lots, RULES[rule], pinned=pinned, exact=True)
    by_events = dispatching.dispatch(plant, setups, lots, RULES[rule], pinned=pinned,
                                     exact=False)
    assert by_events != exact   # the two ways differ on this plant: the test can tell
    before = run_strategy(plant, rule, StrategySettings())
    monkeypatch.setattr(dispatching, "EXACT_MAX_LOTS", 1)
    assert dispatching.dispatch(plant, setups, lots, RULES[rule], pinned=pinned) == by_events
    after = run_strategy(plant, rule, StrategySettings())
    assert_valid(after)
    assert after.rows == before.rows
