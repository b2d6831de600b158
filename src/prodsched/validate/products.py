"""kpis.json ``products``: each product's figures agree with schedule.csv.

Re-derived here from the bars and the plant alone (the definitions in
docs/modes.md, "Which mode fits?"): units, lots, setups and setup time on the product's
account (a setup row belongs to the run it precedes), setup cost from the
setup rules of each run sequence, machine cost (run time less downtime inside
a paused run, plus setup time, times ``cost_per_hour`` / 60), holding cost,
mean lead time (completion − release), on-time rate, and the time-weighted
mean stock and work in progress over ``[0, max(makespan, latest due date))``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from prodsched.plant.model import Plant
from prodsched.validate.read import STOCK, Bar, Time
from prodsched.validate.rules import Downtime, by_machine, merged_downtime
from prodsched.validate.setups import required_setup

CHECKED = ("units", "units_to_stock", "lots", "setups", "setup_time", "run_time",
           "machine_cost", "setup_cost", "holding_cost", "mean_lead_time", "mean_stock",
           "mean_wip", "on_time_rate")


def expected_products(plant: Plant, bars: list[Bar],
                      done: dict[str, Bar]) -> tuple[Time, dict[str, dict[str, Any]]]:
    """The horizon and, per product with runs, the figures kpis.json must give."""
    runs = [b for b in bars if b.kind == "run" and b.product in plant.products]
    dues = [o.due for o in plant.orders if o.due is not None]
    horizon = max([max((b.end for b in runs), default=Fraction(0)), *dues])
    setup_cost: dict[str, Fraction] = defaultdict(Fraction)
    for machine, on_machine in by_machine(plant, bars, "run").items():
        previous: str | None = None
        for run in on_machine:
            setup_cost[run.product] += required_setup(plant, machine, previous, run.product)[1]
            previous = run.product
    down = {m: Downtime(merged_downtime(plant, m)) for m in plant.machines}
    runs_of: dict[str, list[Bar]] = defaultdict(list)
    setups_of: dict[str, list[Bar]] = defaultdict(list)
    for b in bars:
        if b.kind == "run" and b.product in plant.products:
            runs_of[b.product].append(b)
        elif b.kind == "setup":
            setups_of[b.product].append(b)
    orders_of = defaultdict(list)
    for o in plant.orders:
        orders_of[o.product].append(o)
    out: dict[str, dict[str, Any]] = {}
    for name, product in plant.products.items():
        mine = runs_of.get(name)
        if not mine:
            continue
        steps = plant.routings[name]
        first, last = steps[0].number, steps[-1].number
        sizes = {b.lot: b.quantity for b in mine if b.step == first}
        setups = setups_of.get(name, [])
        run_time = sum((_worked(b, down.get(b.machine)) for b in mine), Fraction(0))
        cost = sum((_worked(b, down.get(b.machine)) * _rate(plant, b) for b in mine),
                   Fraction(0)) + sum((b.length * _rate(plant, b) for b in setups), Fraction(0))
        held, holding = Fraction(0), Fraction(0)
        for b in mine:
            if b.step != last:
                continue
            for order_id, units in b.orders:
                order = plant.order_by_id.get(order_id)
                until = horizon if order_id == STOCK else (None if order is None else order.due)
                if until is not None and until > b.end:
                    held += units * (until - b.end)
                    if order_id != STOCK:
                        holding += units * product.holding_cost * (until - b.end)
        spans: dict[str, tuple[Time, Time]] = {}
        for b in mine:
            low, high = spans.get(b.lot, (b.start, b.end))
            spans[b.lot] = (min(low, b.start), max(high, b.end))
        wip = sum((sizes.get(lot, 0) * (high - low) for lot, (low, high) in spans.items()),
                  Fraction(0))
        orders = orders_of[name]
        leads = [done[o.order_id].end - o.release for o in orders if o.order_id in done]
        late = sum(1 for o in orders if o.due is not None and o.order_id in done
                   and done[o.order_id].end > o.due)
        out[name] = {
            "units": sum(sizes.values()),
            "units_to_stock": sum(u for b in mine if b.step == first
                                  for o, u in b.orders if o == STOCK),
            "lots": len(sizes),
            "setups": len(setups),
            "setup_time": sum((b.length for b in setups), Fraction(0)),
            "run_time": run_time,
            "machine_cost": cost / 60,
            "setup_cost": setup_cost[name],
            "holding_cost": holding,
            "mean_lead_time": sum(leads, Fraction(0)) / len(leads) if leads else None,
            "mean_stock": held / horizon if horizon > 0 else Fraction(0),
            "mean_wip": wip / horizon if horizon > 0 else Fraction(0),
            "on_time_rate": 1 - Fraction(late, len(orders)) if orders else Fraction(1),
        }
    return horizon, out


def check_products(plant: Plant, kpis: dict[str, Any], bars: list[Bar], done: dict[str, Bar],
                   close: Callable[[float | Fraction, float | Fraction], bool],
                   bad: Callable[[str], None]) -> None:
    """kpis.json ``products`` (when given): one entry per product made, whose figures
    agree with schedule.csv."""
    given = kpis.get("products")
    if given is None:
        return
    if not isinstance(given, dict):
        bad("products is not an object of product: figures")
        return
    horizon, expected = expected_products(plant, bars, done)
    stated = kpis.get("products_horizon")
    if stated is not None and not (isinstance(stated, int | float) and close(stated, horizon)):
        bad(f"products_horizon is {stated!r}; schedule.csv and the due dates give "
            f"{float(horizon):g}")
    for name in given:
        if name not in expected:
            bad(f"products lists {name!r}, which schedule.csv does not make")
    for name, want in expected.items():
        figures = given.get(name)
        if not isinstance(figures, dict):
            bad(f"products has no figures for {name}, which schedule.csv makes")
            continue
        for key in CHECKED:
            if key not in figures:
                continue
            got, target = figures[key], want[key]
            if target is None or got is None:
                if target is not got:
                    bad(f"products[{name}].{key} is {got!r}; schedule.csv gives "
                        f"{'none' if target is None else f'{float(target):g}'}")
                continue
            if isinstance(got, bool) or not isinstance(got, int | float) or not close(got,
                                                                                       target):
                bad(f"products[{name}].{key} is {got!r}; schedule.csv gives {float(target):g}")


def _rate(plant: Plant, bar: Bar) -> Fraction:
    machine = plant.machines.get(bar.machine)
    return Fraction(0) if machine is None else machine.cost_per_hour


def _worked(bar: Bar, down: Downtime | None) -> Time:
    return bar.length - (down.inside(bar.start, bar.end) if down is not None else 0)
