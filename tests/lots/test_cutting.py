"""Cutting demand into lots: FIFO allocations, lot rules, STOCK only where forced."""

from __future__ import annotations

from fractions import Fraction

import pytest

from prodsched.lots.cutting import allocate, cut, fifo_orders, make_lots, smallest_lot
from prodsched.lots.lot import STOCK
from prodsched.plant.model import Mode, Order, Product


def orders(*quantities: int) -> list[Order]:
    return [Order(f"o{i}", "P", q, due=Fraction(10 * (i + 1))) for i, q in enumerate(quantities)]


def test_fifo_order_is_due_then_release_then_file_order():
    a = Order("a", "P", 1, due=Fraction(50))
    b = Order("b", "P", 1, due=None)
    c = Order("c", "P", 1, due=Fraction(20), release=5)
    d = Order("d", "P", 1, due=Fraction(20), release=0)
    assert [o.order_id for o in fifo_orders([a, b, c, d])] == ["d", "c", "a", "b"]


def test_allocate_splits_orders_across_lots_and_sends_surplus_to_stock():
    got = allocate(orders(5, 3, 4), [6, 8])
    assert got == [(("o0", 5), ("o1", 1)), (("o1", 2), ("o2", 4), (STOCK, 2))]


@pytest.mark.parametrize(("min_lot", "max_lot", "multiple", "units", "expected"), [
    (1, None, 1, 7, 7), (10, None, 1, 7, 10), (1, None, 4, 7, 8), (6, None, 4, 7, 8),
    (9, None, 4, 3, 12), (1, 20, 5, 16, 20),
])
def test_smallest_lot(min_lot, max_lot, multiple, units, expected):
    product = Product("P", "P", Mode.BATCH, min_lot, max_lot, multiple)
    assert smallest_lot(units, product) == expected


@pytest.mark.parametrize(("min_lot", "max_lot", "multiple", "wanted", "max_lots"), [
    (1, None, 1, [5, 8], 9), (1, None, 1, [], 9), (4, None, 2, [3, 5, 9], 9),
    (1, 6, 1, [], 9), (5, 10, 5, [2, 4, 6, 8], 9), (1, None, 1, [1, 2, 3, 4, 5], 2),
    (3, 7, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 3),
])
def test_cut_respects_every_lot_rule(min_lot, max_lot, multiple, wanted, max_lots):
    product = Product("P", "P", Mode.BATCH, min_lot, max_lot, multiple)
    demand = 12
    sizes = cut(demand, product, wanted, max_lots)
    low, high = product.lot_size_range()
    assert sum(sizes) >= demand
    assert all(s % multiple == 0 and s >= low and (high is None or s <= high) for s in sizes)
    # every lot carries ordered units; surplus only in the last, which is minimal
    assert sum(sizes[:-1]) < demand
    assert sizes[-1] == smallest_lot(demand - sum(sizes[:-1]), product)
    fewest = 1 if high is None else -(-demand // high)
    assert len(sizes) <= max(max_lots, fewest)


def test_make_lots_carries_release_due_and_deadline_of_what_they_serve():
    os_ = [Order("a", "P", 4, due=Fraction(30), release=2, deadline=50),
           Order("b", "P", 4, due=Fraction(40), release=7)]
    product = Product("P", "P", Mode.BATCH)
    first, second = make_lots(product, Mode.BATCH, os_, [6, 2], "P#")
    assert (first.lot_id, first.allocations, first.release, first.due, first.deadline) == (
        "P#1", (("a", 4), ("b", 2)), 7, 30, 50)
    assert (second.lot_id, second.allocations, second.release, second.due) == (
        "P#2", (("b", 2),), 7, 40)


def test_cut_never_needs_more_lots_than_max_lot_forces():
    # neighbours of 5 cannot merge under max_lot 8, yet 3 lots of 8, 8, 4 hold 20 units
    product = Product("P", "P", Mode.BATCH, 1, 8, 1)
    sizes = cut(20, product, [5, 10, 15], 3)
    assert len(sizes) == 3 and sum(sizes) == 20
