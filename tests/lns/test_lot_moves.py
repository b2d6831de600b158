"""Lot moves of the large-plant search: sizes re-chosen within the lot rules, every moved
schedule valid, and the search keeps a move only where it pays."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

import prodsched.lns.search as search
from prodsched.cpsat_runner import SolverSettings
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lot_moves import apply_move, move_round, moves_of, product_lines
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import improve
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.lots.lot import STOCK
from prodsched.lots.placed import lots_in
from prodsched.objective import parse_objective
from prodsched.plant import load_plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.timeline.conftest import queue_schedule

# One machine; product A in lots of multiples of 2 (min 4, max 20): four orders, two due
# early and two due late; B in between. With a wide demand window A is one lot of 18
# units (17 ordered, 1 to stock) made early, so the late orders' units wait long. C's
# last lot holds 4 ordered units and 6 to stock (min_lot 10): merged with the lot before,
# the stock goes (a lot of 16 holds the 16 ordered units).
FILES = {
    "orders.csv": ("order_id,product,quantity,due,release\n"
                   "a1,A,4,40,0\na2,A,6,42,0\na3,A,4,400,0\na4,A,3,410,0\n"
                   "b1,B,10,60,0\nb2,B,10,300,0\nc1,C,12,50,0\nc2,C,2,300,0\nc3,C,2,310,0\n"),
    "products.csv": ("product,family,mode,min_lot,max_lot,lot_multiple,holding_cost\n"
                     "A,fa,batch,4,20,2,1\nB,fb,batch,,,,1\nC,fb,batch,10,,1,1\n"),
    "routings.csv": ("product,step,machine,time_per_unit\nA,1,M,2\nB,1,M,2\nA,2,N,1\nB,2,N,1\n"
                     "C,1,M,1\n"),
    "setups.csv": "machine,from,to,time,cost\n*,fa,fb,5,5\n*,fb,fa,5,5\n",
}


def _start(make_plant, window):
    plant = load_plant(make_plant(FILES))
    setups = SetupTable(plant)
    lots = aggregated_lots(plant, window)
    ops = queue_schedule(plant, lots, setups, RULES["atcs"])
    return plant, setups, Indexed(plant, lots, ops)


def _rules_kept(plant, lots):
    for lot in lots:
        product = plant.products[lot.product]
        low, high = product.lot_size_range()
        assert lot.quantity >= low and lot.quantity % product.lot_multiple == 0
        assert high is None or lot.quantity <= high


def test_the_lines_are_the_products_lots_in_fifo_order(make_plant):
    plant, _, state = _start(make_plant, 0)
    lines = product_lines(plant, state.lots, state.ops)
    a = lines["A"]
    assert [o.order_id for o in a.orders] == ["a1", "a2", "a3", "a4"]
    by_id = {lot.lot_id: lot for lot in state.lots}
    assert [by_id[i].order_ids for i in a.lot_ids] == [("a1",), ("a2",), ("a3",), ("a4",)]
    assert sum(a.sizes) == 18   # a4's 3 units make a lot of 4: one unit to stock
    c = lines["C"]
    assert c.sizes == (12, 10) and [m.sizes for m in moves_of(c, 0) if m.kind == "merge"] == [
        (16,), (16,)]


def test_every_move_keeps_the_lot_rules_the_units_and_a_valid_schedule(make_plant):
    for window in (5, 1000):
        plant, setups, state = _start(make_plant, window)
        lines = product_lines(plant, state.lots, state.ops)
        kinds = set()
        for line in lines.values():
            for at in range(len(line.sizes)):
                for move in moves_of(line, at):
                    kinds.add(move.kind)
                    assert sum(move.sizes) >= line.demand()
                    assert all(line.fits(size) for size in move.sizes)
                    ops = apply_move(plant, setups, state, line, move,
                                     {lot.lot_id for lot in state.lots}, keep_ends=False)
                    assert ops is not None
                    lots = lots_in(ops)
                    _rules_kept(plant, lots)
                    assert len(lots) == len(state.lots) + {"merge": -1, "split": 1}.get(
                        move.kind, 0)
                    assert_valid(Schedule(plant, lots, ops))
                    ordered = {}
                    for lot in lots:
                        for order_id, units in lot.allocations:
                            if order_id != STOCK:
                                ordered[order_id] = ordered.get(order_id, 0) + units
                    assert ordered == {o.order_id: o.quantity for o in plant.orders}
        assert kinds == ({"shift", "merge", "split"} if window == 5 else {"split"})


def test_a_split_takes_the_far_off_orders_out_of_an_early_lot(make_plant):
    plant, setups, state = _start(make_plant, 1000)   # A: one lot for all four orders
    objective = parse_objective("holding-cost")
    evaluator = Evaluator(plant, objective)
    values = evaluator.values(state.ops)
    splits = moves_of(product_lines(plant, state.lots, state.ops)["A"], 0)
    # a1, a2 | a3, a4 and a stock unit; the new lot back to back or where its due date says
    assert [(m.kind, m.sizes, m.later) for m in splits] == [("split", (10, 8), False),
                                                            ("split", (10, 8), True)]
    found, tried = move_round(plant, setups, evaluator, state, values, random.Random(0))
    assert tried >= 1 and found is not None
    ops, better = found
    assert better < values == evaluator.values(state.ops)
    assert better == evaluator.values(ops)
    assert_valid(Schedule(plant, lots_in(ops), ops))


def test_a_merge_saves_a_changeover_where_setups_cost(make_plant):
    plant, setups, state = _start(make_plant, 0)
    evaluator = Evaluator(plant, parse_objective("setup-cost"))
    line = product_lines(plant, state.lots, state.ops)["A"]
    merges = [m for m in moves_of(line, 1) if m.kind == "merge"]
    assert {m.later for m in merges} == {False, True}
    costs = []
    for move in merges:
        ops = apply_move(plant, setups, state, line, move, set(), keep_ends=False)
        assert ops is not None
        assert_valid(Schedule(plant, lots_in(ops), ops))
        costs.append(evaluator.values(ops)[0])
    assert min(costs) <= evaluator.values(state.ops)[0]


def test_no_move_where_the_lots_are_not_pieces_of_the_line(make_plant):
    plant, _, state = _start(make_plant, 0)
    assert {"A", "B"} <= set(product_lines(plant, state.lots, state.ops))
    # a plan from outside: A's lots take a1 with a3, a2 alone (not FIFO pieces)
    a1, _, a3 = [lot for lot in state.lots if lot.product == "A"][:3]
    mixed = {a1.lot_id: replace(a1, allocations=(("a1", 4), ("a3", 4))),
             a3.lot_id: replace(a3, allocations=(("STOCK", 4),))}
    lots = [mixed.get(lot.lot_id, lot) for lot in state.lots]
    assert "A" not in product_lines(plant, lots, state.ops)
    # a lot with fixed work: its product is left alone
    fixed = [replace(op, fixed=True) if op.lot.product == "B" else op for op in state.ops]
    assert "B" not in product_lines(plant, state.lots, fixed)


@pytest.mark.parametrize("objective", ["weighted-tardiness=1,holding-cost=1", "holding-cost"])
def test_the_search_keeps_lot_moves_that_pay_and_stays_valid(make_plant, objective,
                                                             monkeypatch):
    # without route windows: a window over A's whole route (every third one) makes its
    # lot just in time for its last orders, which under holding cost alone is 0 at once,
    # and under lateness and holding leaves A's lot whole (1,258 against 522 here)
    monkeypatch.setattr(search, "ROUTE_AT", -1)
    plant, setups, state = _start(make_plant, 1000)
    parsed = parse_objective(objective)
    evaluator = Evaluator(plant, parsed)
    start = evaluator.values(state.ops)
    seen = []
    best, values, stats = improve(plant, setups, parsed, state.lots, state.ops,
                                  Stop(time.monotonic() + 5, deterministic_seconds=0.5),
                                  SolverSettings(workers=1, seed=0),
                                  on_improve=lambda ops, values: seen.append(values))
    assert stats.lot_moves >= 1 and stats.lot_moves_kept >= 1
    assert values == evaluator.values(best) < start
    assert seen == sorted(seen, reverse=True) and seen[-1] == values
    assert len(lots_in(best)) > len(state.lots)   # A's one lot was split
    assert_valid(Schedule(plant, lots_in(best), best))


def test_no_move_starts_once_stopped(make_plant):
    plant, setups, state = _start(make_plant, 1000)
    evaluator = Evaluator(plant, parse_objective("holding-cost"))
    values = evaluator.values(state.ops)
    assert move_round(plant, setups, evaluator, state, values, random.Random(0),
                      Stop.make(requested=lambda: True)) == (None, 0)
    found, tried = move_round(plant, setups, evaluator, state, values, random.Random(0),
                              Stop(time.monotonic() + 30))
    assert found is not None and tried >= 1
