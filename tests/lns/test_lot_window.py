"""Lot windows: CP-SAT chooses the sizes of neighbouring lots of a product together with
their sequence; every unit ordered stays made, the lot rules hold, the schedule stays
valid, and the search keeps such a window only where it pays."""

from __future__ import annotations

import random
import time

import pytest

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.jobshop.window import WindowModel
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lot_moves import product_lines
from prodsched.lns.lot_window import lot_window, window_around
from prodsched.lns.search import improve
from prodsched.lns.state import Indexed
from prodsched.lots.lot import STOCK
from prodsched.lots.placed import lots_in
from prodsched.objective import parse_objective
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.lns.test_lot_moves import _start


def _units(lots):
    """Units per order (and to stock) over every lot of a product."""
    out: dict[tuple[str, str], int] = {}
    for lot in lots:
        for order_id, units in lot.allocations:
            key = (lot.product, order_id)
            out[key] = out.get(key, 0) + units
    return out


def _solve(plant, setups, objective, state, window, resize):
    wm = WindowModel(plant, setups, objective, state, window, resize=resize)
    proto = wm.model.proto
    assert sorted(proto.solution_hint.vars) == list(range(len(proto.variables)))
    run = run_stages(wm.model, wm.stages(), SolverSettings(workers=1),
                     Stop(time.monotonic() + 20))
    assert run.status == "optimal"
    return wm.resized(run.value)


def _lot_rules_hold(plant, lots):
    for lot in lots:
        low, high = plant.products[lot.product].lot_size_range()
        assert lot.quantity >= low and lot.quantity % plant.products[lot.product].lot_multiple == 0
        assert high is None or lot.quantity <= high


def test_a_lot_window_splits_an_early_lot_that_holds_far_off_orders(make_plant):
    plant, setups, state = _start(make_plant, 1000)   # A: one lot of 18 for a1..a4
    objective = parse_objective("holding-cost")
    evaluator = Evaluator(plant, objective)
    line = product_lines(plant, state.lots, state.ops)["A"]
    assert len(line.lot_ids) == 1
    found = window_around(plant, state, line, 0, 1000)
    assert found is not None
    window, resize = found
    assert resize.lot_ids == line.lot_ids and len(resize.names) == 2 and not resize.exact
    ops = _solve(plant, setups, objective, state, window, resize)
    lots = lots_in(ops)
    assert_valid(Schedule(plant, lots, ops))
    _lot_rules_hold(plant, lots)
    assert evaluator.values(ops) < evaluator.values(state.ops)
    a_lots = [lot for lot in lots if lot.product == "A"]
    assert len(a_lots) == 2 and {lot.lot_id for lot in a_lots} == set(resize.names)
    ordered = {key: n for key, n in _units(lots).items() if key[1] != STOCK}
    assert ordered == {(o.product, o.order_id): o.quantity for o in plant.orders}


def test_lots_that_are_not_the_products_last_keep_exactly_their_units(make_plant):
    plant, setups, state = _start(make_plant, 0)   # A: a lot per order
    objective = parse_objective("setup-cost")
    evaluator = Evaluator(plant, objective)
    line = product_lines(plant, state.lots, state.ops)["A"]
    assert len(line.lot_ids) == 4
    found = window_around(plant, state, line, 1, 1000)   # lots 0, 1, 2 of A
    assert found is not None
    window, resize = found
    assert resize.lot_ids == line.lot_ids[:3] and resize.exact
    assert [o.order_id for o in resize.group.orders] == ["a1", "a2", "a3"]
    ops = _solve(plant, setups, objective, state, window, resize)
    lots = lots_in(ops)
    assert_valid(Schedule(plant, lots, ops))
    _lot_rules_hold(plant, lots)
    assert _units(lots) == _units(state.lots)   # stock units too: only A's last lot has any
    assert evaluator.values(ops) <= evaluator.values(state.ops)
    # the lot after the window's lots is untouched
    assert line.lot_ids[3] in {lot.lot_id for lot in lots}


def test_no_lot_window_where_no_products_lots_are_pieces_of_its_line(make_plant):
    plant, _, state = _start(make_plant, 0)
    evaluator = Evaluator(plant, parse_objective("holding-cost"))
    fixed = [op.__class__(**{**op.__dict__, "fixed": True}) for op in state.ops]
    assert lot_window(plant, Indexed(plant, state.lots, fixed), evaluator,
                      random.Random(0), 1000) is None
    assert lot_window(plant, state, evaluator, random.Random(0), 1000) is not None
    # a window too small for any lot of the product
    line = product_lines(plant, state.lots, state.ops)["A"]
    assert window_around(plant, state, line, 0, 1) is None


@pytest.mark.parametrize("objective", ["weighted-tardiness", "weighted-tardiness=1,setup-cost=1"])
def test_the_search_keeps_lot_windows_that_pay_and_stays_valid(make_plant, monkeypatch,
                                                               objective):
    # A in one lot of 18 ends after a1's and a2's due dates; without lot moves (a round
    # never comes here) only a lot window can split it
    import prodsched.lns.search as search

    monkeypatch.setattr(search, "LOT_EVERY", 10**9)
    plant, setups, state = _start(make_plant, 1000)
    parsed = parse_objective(objective)
    evaluator = Evaluator(plant, parsed)
    start = evaluator.values(state.ops)
    best, values, stats = improve(plant, setups, parsed, state.lots, state.ops,
                                  Stop(time.monotonic() + 10, deterministic_seconds=1.0),
                                  SolverSettings(workers=1, seed=0))
    assert stats.lot_moves == 0
    assert stats.lot_windows >= 1 and stats.lot_windows_kept >= 1
    assert stats.result().lot_windows == stats.lot_windows
    assert values == evaluator.values(best) < start
    lots = lots_in(best)
    assert len([lot for lot in lots if lot.product == "A"]) >= 2
    _lot_rules_hold(plant, lots)
    assert_valid(Schedule(plant, lots, best))


def test_no_lot_window_where_holding_cost_counts(make_plant):
    plant, setups, state = _start(make_plant, 1000)
    objective = parse_objective("weighted-tardiness=1,holding-cost=1")
    best, _, stats = improve(plant, setups, objective, state.lots, state.ops,
                             Stop(time.monotonic() + 3, deterministic_seconds=0.5),
                             SolverSettings(workers=1, seed=0))
    assert stats.windows >= 1 and stats.lot_windows == 0
    assert_valid(Schedule(plant, lots_in(best), best))
