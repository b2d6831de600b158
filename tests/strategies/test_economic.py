"""Economic lot sizes: the formulas, the plant's inputs, and the lots they give."""

from __future__ import annotations

import math

import pytest

from prodsched.plant.setups import SetupTable
from prodsched.strategies import StrategySettings, run_strategy
from prodsched.strategies.economic import (
    LotItem,
    common_cycle,
    eoq,
    epq,
    lot_items,
    planning_horizon,
)
from tests.conftest import assert_valid
from tests.strategies.conftest import one_machine


def test_eoq_and_epq_formulas():
    assert eoq(50, 0.4, 0.01) == pytest.approx(math.sqrt(2 * 50 * 0.4 / 0.01))  # 63.25
    assert epq(50, 0.4, 0.01, 2.0) == pytest.approx(math.sqrt(5000))  # stock builds at 1.6/min
    assert eoq(50, 0.4, 0) == math.inf        # holding is free: one long run
    assert eoq(0, 0.4, 0.01) == 0             # changeovers are free: no reason to batch
    assert epq(50, 3.0, 0.01, 2.0) == math.inf  # the machine cannot keep up


def test_common_cycle_formula_and_its_setup_bound():
    a = LotItem("A", "M1", setup_cost=50, setup_time=5, demand_rate=0.2, holding_cost=0.01,
                production_rate=1.0)
    b = LotItem("B", "M1", setup_cost=30, setup_time=5, demand_rate=0.1, holding_cost=0.02,
                production_rate=0.5)
    holding = 0.01 * 0.2 * 0.8 + 0.02 * 0.1 * 0.8
    assert common_cycle([a, b]) == pytest.approx(math.sqrt(2 * 80 / holding))  # 316.2
    # changeovers of 100 each need a cycle of at least 200 / (1 - 0.4) = 333.3
    slow = [LotItem(**{**i.__dict__, "setup_time": 100}) for i in (a, b)]
    assert common_cycle(slow) == pytest.approx(200 / 0.6)


EOQ_ORDERS = """\
order_id,product,quantity,due
p1,P1,100,250
p2,P1,100,500
p3,P1,100,750
p4,P1,100,1000
q1,P2,10,1000
"""
EOQ_PRODUCTS = """\
product,family,mode,holding_cost
P1,F1,batch,0.01
P2,F2,one-off,0
"""
EOQ_SETUPS = """\
machine,from,to,time,cost
*,*,*,5,50
"""


def test_eoq_lots_come_from_the_formula(make_plant):
    # P1: changeover from P2 costs 50 (A), demand 400 over 1000 minutes (d = 0.4),
    # holding 0.01, half a minute per unit (p = 2): EPQ = sqrt(2*50*0.4 / (0.01*0.8)) = 70.7
    plant = one_machine(make_plant, EOQ_ORDERS, EOQ_PRODUCTS, EOQ_SETUPS, tpu="0.5")
    assert planning_horizon(plant) == 1000
    item = lot_items(plant, SetupTable(plant))["P1"]
    assert (item.setup_cost, item.demand_rate, item.production_rate) == (50, 0.4, 2)
    schedule = run_strategy(plant, "eoq", StrategySettings())
    assert_valid(schedule)
    sizes = [lot.quantity for lot in schedule.lots if lot.product == "P1"]
    assert sum(sizes) == 400
    assert sizes[:-1] == [71, 70, 71, 71, 71]  # cuts at 70.7, 141.4, 212.1, ...
    assert sizes[-1] == 400 - sum(sizes[:-1])


def test_cheaper_changeovers_give_smaller_eoq_lots(make_plant):
    plant = one_machine(make_plant, EOQ_ORDERS, EOQ_PRODUCTS, EOQ_SETUPS, tpu="0.5")
    from prodsched.bench.smed import scale_setups

    cheap = scale_setups(plant, 0.25)
    lots = {name: [lot for lot in run_strategy(p, "eoq", StrategySettings()).lots
                   if lot.product == "P1"] for name, p in (("full", plant), ("cheap", cheap))}
    assert len(lots["cheap"]) > len(lots["full"])  # EPQ halves with a quarter of the cost
