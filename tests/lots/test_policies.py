"""Lot policies keep the lot rules: min_lot, max_lot, lot_multiple, STOCK only last."""

from __future__ import annotations

from prodsched.lots import policies as lotting
from prodsched.lots.lot import STOCK
from prodsched.plant.model import Mode
from tests.strategies.conftest import one_machine

ORDERS = """\
order_id,product,quantity,due
o1,P1,7,10
o2,P1,13,30
o3,P1,26,20
o4,P2,3,40
"""
PRODUCTS = """\
product,family,mode,min_lot,max_lot,lot_multiple
P1,P1,batch,10,20,5
P2,P2,auto,1,,1
"""


def test_per_order_lots_respect_the_lot_rules(make_plant):
    plant = one_machine(make_plant, ORDERS, PRODUCTS)
    lots = lotting.plant_lots(plant, lotting.per_order)
    p1 = [lot for lot in lots if lot.product == "P1"]
    # FIFO by due date: o1 (7), o3 (26), o2 (13) = 46 units; sizes multiples of 5 in [10, 20]:
    # 10, 20, and 16 left need a last lot of 20 with 4 units to STOCK
    assert all(10 <= lot.quantity <= 20 and lot.quantity % 5 == 0 for lot in p1)
    assert sum(u for lot in p1 for o, u in lot.allocations if o != STOCK) == 46
    assert [lot.quantity for lot in p1] == [10, 20, 20]
    stock = [lot for lot in p1 if any(o == STOCK for o, _ in lot.allocations)]
    assert stock == [p1[-1]] and (STOCK, 4) in p1[-1].allocations
    assert p1[0].allocations[0] == ("o1", 7)
    assert all(lot.mode is Mode.BATCH for lot in p1)
    (p2,) = [lot for lot in lots if lot.product == "P2"]
    assert p2.mode is Mode.MASS and p2.allocations == (("o4", 3),)  # auto: made as mass


def test_fixed_size_and_due_windows_cut_where_asked(make_plant):
    plant = one_machine(make_plant, ORDERS, PRODUCTS)
    big = [lot.quantity for lot in lotting.plant_lots(plant, lotting.fixed_size(10))
           if lot.product == "P1"]
    assert big == [20, 20, 10]  # 46 units: max_lot 20 caps every lot, the last is minimal
    windows = lotting.plant_lots(plant, lotting.due_windows([0, 25]))
    first, second = [lot for lot in windows if lot.product == "P1"][:2]
    assert {o for o, _ in first.allocations} == {"o1", "o3"}  # due 10 and 20: one window
    assert "o2" in {o for o, _ in second.allocations}
