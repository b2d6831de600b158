"""Pinned work from a loaded fixed.csv: its lots, placed operations, the steps
still to plan, and the units left to the orders."""

from __future__ import annotations

from fractions import Fraction

from prodsched.lots.lot import Lot
from prodsched.lots.pinned import open_orders, pinned_work
from prodsched.lots.plan import plan_lots
from prodsched.plant import Mode, load_plant
from prodsched.plant.model import ResourceUse
from prodsched.plant.setups import Changeover

# A batch (step 1 on M1, step 2 on M2), B one-off (M1). M1 starts set up for B.
# Any changeover takes 2 and holds the crew; into A it costs 3, otherwise 1.
PLANT = {
    "orders.csv": "order_id,product,quantity,due,release\no1,A,10,50,0\no2,A,6,40,1\n"
                  "o3,B,2,30,0\no4,B,1,60,0\n",
    "products.csv": "product,mode\nA,batch\nB,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,1\nA,2,M2,1\nB,1,M1,1\n",
    "machines.csv": "machine,initial_state\nM1,B\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,1,crew\n*,*,A,2,3,crew\n",
    "resources.csv": "resource,capacity\ncrew,1\n",
    "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                 "M1,setup,A#1,A,,,,,0,2\n"
                 "M1,run,A#1,A,batch,1,12,o1:10;o2:2,2,14\n"
                 "M2,run,A#1,A,batch,2,12,o2:2;o1:10,14,26\n"
                 "M1,run,o3,B,one-off,1,2,o3:2,16,18\n"
                 "M1,setup,A#2,A,,,,,18,20\n"
                 "M1,run,A#2,A,batch,1,2,o2:2,20,22\n",
    "plant.csv": "now\n22\n",
}


def test_pinned_lots_ops_and_next_steps(make_plant):
    plant = load_plant(make_plant(PLANT))
    pinned = pinned_work(plant)
    a1 = Lot("A#1", "A", Mode.BATCH, (("o1", 10), ("o2", 2)), release=1, due=Fraction(40))
    o3 = Lot("o3", "B", Mode.ONE_OFF, (("o3", 2),), release=0, due=Fraction(30))
    a2 = Lot("A#2", "A", Mode.BATCH, (("o2", 2),), release=1, due=Fraction(40))
    assert pinned.lots == (a1, o3, a2)
    crew = (ResourceUse("crew", 1),)
    ops = {(op.lot.lot_id, op.step): op for op in pinned.ops}
    assert set(ops) == {("A#1", 1), ("A#1", 2), ("o3", 1), ("A#2", 1)}
    assert all(op.fixed for op in pinned.ops)
    first = ops[("A#1", 1)]
    # the machine starts set up for B: the rule into A (cost 3, crew) applies
    assert (first.machine, first.start, first.end) == ("M1", 2, 14)
    assert first.setup == Changeover(2, Fraction(3), crew)
    assert (first.setup_begin, first.setup_end) == (0, 2)
    second = ops[("A#1", 2)]
    assert (second.machine, second.start, second.end, second.setup) == (
        "M2", 14, 26, Changeover(0, Fraction(0)))
    # a fixed run without a fixed setup row before it carries no changeover
    assert ops[("o3", 1)].setup == Changeover(0, Fraction(0))
    again = ops[("A#2", 1)]
    assert again.setup == Changeover(2, Fraction(3), crew)
    assert (again.setup_begin, again.start, again.end) == (18, 20, 22)
    assert pinned.next_step == {"A#1": 2, "o3": 1, "A#2": 1}
    assert pinned.route_steps == {"A#1": 2, "o3": 1, "A#2": 2}
    assert pinned.open_lots == [a2]
    assert [op.step for op in pinned.ops_of("A#1")] == [1, 2]
    # each lot counts once, whatever number of steps is fixed
    assert pinned.allocated() == {"o1": 10, "o2": 4, "o3": 2}


def test_open_orders_are_what_pinned_lots_do_not_make(make_plant):
    plant = load_plant(make_plant(PLANT))
    left = open_orders(plant)
    assert [(o.order_id, o.quantity) for o in left] == [("o2", 2), ("o4", 1)]
    assert left[1] is plant.order_by_id["o4"]   # untouched orders are kept as they are
    plan = plan_lots(plant)
    assert plan.pinned == pinned_work(plant)
    planned = {o.order_id: o.quantity for g in plan.groups for o in g.orders}
    planned.update({lot.lot_id: lot.quantity for lot in plan.fixed})
    assert planned == {"o2": 2, "o4": 1}


def test_a_plant_without_fixed_rows_pins_nothing(make_plant):
    files = {k: v for k, v in PLANT.items() if k != "fixed.csv"}
    plant = load_plant(make_plant(files))
    pinned = pinned_work(plant)
    assert not pinned and pinned.lots == () and pinned.allocated() == {}
    assert open_orders(plant) == plant.orders


def test_stock_units_of_a_fixed_lot_are_not_an_order(make_plant):
    files = {**PLANT, "products.csv": "product,mode,lot_multiple\nA,batch,4\nB,one-off,1\n",
             "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                          "M1,run,A#1,A,batch,1,12,o1:10;STOCK:2,0,12\n"}
    plant = load_plant(make_plant(files))
    pinned = pinned_work(plant)
    assert pinned.allocated() == {"o1": 10}
    assert [(o.order_id, o.quantity) for o in open_orders(plant, pinned)] == [
        ("o2", 6), ("o3", 2), ("o4", 1)]
    assert pinned.next_step == {"A#1": 1}
