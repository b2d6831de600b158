"""Family campaigns and product wheels keep their sequences."""

from __future__ import annotations

import itertools

from prodsched.strategies import StrategySettings, run_strategy
from tests.conftest import assert_valid
from tests.strategies.conftest import machine_sequence, one_machine, product_sequence

SETUPS = """\
machine,from,to,time,cost
*,*,*,10,10
*,F1,F1,0,0
*,F2,F2,0,0
"""
ALTERNATING = """\
order_id,product,quantity,due
o1,P1,5,10
o2,P2,5,20
o3,P3,5,30
o4,P4,5,40
o5,P1,5,50
"""
FOUR = """\
product,family,mode
P1,F1,one-off
P2,F2,one-off
P3,F1,one-off
P4,F2,one-off
"""


def test_family_campaigns_keep_each_family_together(make_plant):
    plant = one_machine(make_plant, ALTERNATING, FOUR, SETUPS)
    campaign = run_strategy(plant, "family-campaigns", StrategySettings())
    edd = run_strategy(plant, "edd", StrategySettings())
    for s in (campaign, edd):
        assert_valid(s)
    families = [plant.products[p].family for p in product_sequence(campaign, "M1")]
    assert [f for f, _ in itertools.groupby(families)] == ["F1", "F2"]  # F1 is due first
    # within a family, products by their first due date, then orders by due date
    assert machine_sequence(campaign, "M1") == ["o1", "o5", "o3", "o2", "o4"]
    assert campaign.kpis.setup_count == 1
    assert edd.kpis.setup_count == 4


WHEEL_ORDERS = """\
order_id,product,quantity,due
a1,A,5,50
b1,B,5,60
c1,C,5,70
a2,A,5,150
c2,C,5,160
b2,B,5,170
"""
WHEEL_PRODUCTS = """\
product,family,mode
A,F1,batch
B,F1,batch
C,F2,batch
"""


def test_product_wheel_repeats_its_cycle_every_turn(make_plant):
    plant = one_machine(make_plant, WHEEL_ORDERS, WHEEL_PRODUCTS, SETUPS)
    # turns of 100 minutes: a1, b1, c1 fall due in the first, the rest in the second
    wheel = run_strategy(plant, "product-wheel:100", StrategySettings())
    assert_valid(wheel)
    # the wheel: from the most urgent product along the cheapest changeovers, A -> B -> C
    assert product_sequence(wheel, "M1") == ["A", "B", "C", "A", "B", "C"]
    assert wheel.kpis.lot_count == 6  # one lot per product and turn
    edd = run_strategy(plant, "edd", StrategySettings())
    assert product_sequence(edd, "M1") == ["A", "B", "C", "A", "C", "B"]


def test_one_long_turn_makes_each_product_once(make_plant):
    plant = one_machine(make_plant, WHEEL_ORDERS, WHEEL_PRODUCTS, SETUPS)
    wheel = run_strategy(plant, "product-wheel:1000", StrategySettings())
    assert_valid(wheel)
    assert product_sequence(wheel, "M1") == ["A", "B", "C"]
    assert wheel.kpis.setup_count == 1


def test_common_cycle_rotates_products_in_wheel_order(generated):
    plant = generated["batch-mass-heavy-setups"]
    schedule = run_strategy(plant, "common-cycle", StrategySettings())
    assert_valid(schedule)
    assert schedule.kpis.lot_count > len({o.product for o in plant.orders})
