"""``auto`` decided per product from the plant's figures (issue 24): custom work
one-off, stable or setup-heavy products in lots; kpis.json says why."""

from __future__ import annotations

import pytest

from prodsched import load_plant, solve
from prodsched.lots.auto import (
    SMALL_OVERHEAD,
    ProductProfile,
    choose_auto,
    coefficient_of_variation,
    product_profile,
)
from prodsched.lots.plan import plan_lots
from prodsched.plant.model import Mode
from tests.conftest import assert_valid
from tests.modes_plants import drink_and_custom


def profile(**figures: object) -> ProductProfile:
    base: dict[str, object] = dict(product="P", orders=6, units=60, size_cv=0.0,
                                   interval_cv=0.0, off_lot_orders=0.0, changeover=5.0,
                                   fixed_time=0.0, order_run_time=95.0, capacity_used=0.3,
                                   steps=2)
    return ProductProfile(**{**base, **figures})  # type: ignore[arg-type]


def test_profile_figures_come_from_the_plant(make_plant):
    plant = load_plant(make_plant({
        "orders.csv": "order_id,product,quantity,due\np1,P,2,100\np2,P,14,200\np3,P,8,400\n"
                      "q1,Q,5,100\nr1,R,5,100\n",
        "products.csv": "product,min_lot\nP,5\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,2,3\nQ,1,M,1,0\n"
                        "R,1,M,1,0\nP,2,N,1,0\n",
        "machines.csv": "machine,initial_state\nN,Q\n",
        "setups.csv": "machine,from,to,time\n*,Q,P,10\n*,R,P,20\n",
    }))
    p = product_profile(plant, "P")
    assert (p.orders, p.units, p.steps) == (3, 24, 2)
    assert p.size_cv == pytest.approx(coefficient_of_variation([2, 14, 8]), abs=1e-4)
    # due-date intervals 100 and 200
    assert p.interval_cv == pytest.approx(50 / 150, abs=1e-4)
    assert p.off_lot_orders == pytest.approx(1 / 3)  # the order of 2 is below min_lot 5
    # M: from Q 10, from R 20 (mean 15); N: P runs there alone, from its initial state Q 10
    assert p.changeover == 15 + 10 and p.fixed_time == 3
    assert p.order_run_time == pytest.approx(8 * 2 + 8 * 1)
    assert not p.stable


def test_custom_work_is_one_off_and_everything_else_in_lots():
    custom = profile(size_cv=0.6, interval_cv=0.8)
    assert choose_auto(custom).mode is Mode.ONE_OFF
    assert "grouping its orders would save little" in choose_auto(custom).reason
    # stable demand: campaigns, whatever the setups
    assert choose_auto(profile(changeover=0.0)).mode is Mode.AUTO
    # irregular, but setups a third of an order's machine time: lots
    heavy = profile(size_cv=0.6, changeover=50.0, order_run_time=100.0)
    assert choose_auto(heavy).mode is Mode.AUTO
    assert "its setups are worth grouping orders for" in choose_auto(heavy).reason
    # one order: nothing to group or to keep apart
    assert choose_auto(profile(orders=1, size_cv=0.0, interval_cv=None)).mode is Mode.AUTO
    # on a machine loaded above 85 %, an overhead of 10 % is worth grouping for
    between = profile(size_cv=0.6, changeover=10.0, order_run_time=90.0)
    assert between.overhead_share < SMALL_OVERHEAD
    assert choose_auto(between).mode is Mode.ONE_OFF
    assert choose_auto(profile(size_cv=0.6, changeover=10.0, order_run_time=90.0,
                               capacity_used=0.9)).mode is Mode.AUTO


def test_the_issues_plant_makes_the_drink_in_campaigns_and_custom_work_one_off(make_plant):
    plant = load_plant(make_plant(drink_and_custom()))
    plan = plan_lots(plant)
    assert {c.product: c.label for c in plan.auto} == {
        "DRINK": "lots", "C1": "one-off", "C2": "one-off", "C3": "one-off", "C4": "one-off"}
    schedule = solve(plant, time_limit=10, workers=1)
    assert_valid(schedule)
    made = {p: k.mode for p, k in schedule.products.items()}
    assert made == {"DRINK": "mass", "C1": "one-off", "C2": "one-off", "C3": "one-off",
                    "C4": "one-off"}
    modes = schedule.info.details["modes"]
    why = modes["auto"]["why"]
    assert set(why) == set(made)
    assert why["DRINK"].startswith("in lots: stable demand (order sizes CV 0.00")
    assert "made as mass" in why["DRINK"]
    assert why["C1"].startswith("one-off: irregular demand")
    figures = modes["products"]["C1"]["auto"]["figures"]
    assert figures["overhead_share"] < SMALL_OVERHEAD and not figures["stable"]
    # every custom order is a lot of its own
    assert all(schedule.products[c].lots == schedule.products[c].orders
               for c in ("C1", "C2", "C3", "C4"))
