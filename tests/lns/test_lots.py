"""Lots of the large-plant route: orders aggregated by demand point, lot rules kept."""

from __future__ import annotations

from prodsched.lns.lots import aggregated_lots
from prodsched.plant import load_plant
from prodsched.plant.model import Mode

FILES = {
    "orders.csv": ("order_id,product,quantity,due,release\n"
                   "a1,A,4,100,0\na2,A,4,104,0\na3,A,4,300,0\na4,A,4,106,50\n"
                   "b1,B,4,100,0\nb2,B,4,101,0\n"),
    "products.csv": ("product,family,mode,min_lot,max_lot,lot_multiple\n"
                     "A,f,batch,1,10,1\nB,f,one-off,,,\n"),
    "routings.csv": "product,step,machine,time_per_unit\nA,1,M,1\nB,1,M,1\n",
}


def _lots(make_plant, window, modes=None):
    plant = load_plant(make_plant(FILES))
    return [(lot.product, lot.mode, lot.order_ids, lot.quantity)
            for lot in aggregated_lots(plant, window, modes)]


def test_without_a_window_every_order_is_its_own_lot(make_plant):
    lots = _lots(make_plant, 0)
    assert sorted(ids for _, _, ids, _ in lots) == [
        ("a1",), ("a2",), ("a3",), ("a4",), ("b1",), ("b2",)]


def test_orders_of_one_demand_point_share_a_lot_within_max_lot(make_plant):
    lots = _lots(make_plant, 10)
    a_lots = [ids for product, _, ids, _ in lots if product == "A"]
    # a1, a2 are due within 10 and released together; max_lot 10 keeps a4 apart
    # (released 50 later anyway); a3 is due much later
    assert a_lots == [("a1", "a2"), ("a4",), ("a3",)]
    assert all(q <= 10 for product, _, _, q in lots if product == "A")


def test_one_off_orders_are_never_merged(make_plant):
    lots = _lots(make_plant, 1000)
    assert [ids for product, _, ids, _ in lots if product == "B"] == [("b1",), ("b2",)]


def test_modes_can_be_overridden(make_plant):
    lots = _lots(make_plant, 0, {"A": Mode.MASS})
    assert {mode for product, mode, _, _ in lots if product == "A"} == {Mode.MASS}
