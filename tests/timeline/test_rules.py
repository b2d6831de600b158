"""Priority rules: what they know about the lots, and how they rank candidates."""

from __future__ import annotations

import pytest

from prodsched.lots.fixed import lots_per_order
from prodsched.plant.setups import SetupTable
from prodsched.timeline.context import Context
from prodsched.timeline.rules import RULES, Atcs, QueueRule, SetupFirst, serial, setup_ties
from prodsched.timeline.steps import Routes
from tests.timeline.conftest import build_plant, opt, order

PLANT = build_plant(
    {"A": [[opt("M1", 2), opt("M2", 1)], [opt("M3", 3)]], "B": [[opt("M1")]]},
    [order("a", "A", 10, due=100, release=5), order("b", "B", 20, due=40),
     order("c", "B", 5)])


def _context() -> Context:
    lots = lots_per_order(PLANT)
    return Context(PLANT, SetupTable(PLANT), lots, Routes.of(PLANT))


def test_the_context_derives_due_dates_and_work_left():
    ctx = _context()
    assert ctx.due == [100, 40, float("inf")]
    assert ctx.fastest == [[10, 30], [20], [5]]        # the faster machine of step 1
    assert ctx.remaining == [[40, 30], [20], [5]]
    assert ctx.step_due[0] == [70, 100]                # less the fastest later steps
    assert ctx.arrival == [0, 1, 2] and ctx.weight == [1.0, 1.0, 1.0]


def test_queue_rules_are_atcs_or_setup_first_deciding_by_machine():
    ctx = _context()
    atcs = QueueRule()(ctx)
    lazy = QueueRule(urgency=30, lookahead=True, lazy=True)(ctx)
    assert isinstance(atcs, Atcs) and atcs.conflicts == "machine" and not atcs.lookahead
    assert isinstance(lazy, SetupFirst) and lazy.lazy and lazy.conflicts == "machine"
    assert RULES["atcs"](ctx).conflicts == "setup"
    assert setup_ties("edd")(ctx).conflicts == "run"
    assert serial("edd")(ctx).conflicts == "all" and serial("edd")(ctx).whole_lot


@pytest.mark.parametrize(("rule", "lot_order"), [
    ("edd", [1, 0, 2]), ("fifo", [1, 2, 0]), ("mwkr", [0, 1, 2]),
])
def test_static_rules_order_one_products_queue(rule, lot_order):
    ctx = _context()
    made = RULES[rule](ctx)
    keys = {i: made.order(i, 0, "M1") for i in range(3)}
    assert sorted(range(3), key=lambda i: (keys[i], i)) == lot_order
