"""Per-product KPIs: what making each product this way costs and ties up.

Computed from the schedule's rows alone (and the plant's rates, values and
orders), so that anyone can recompute them from schedule.csv. Definitions
(also in docs/modes.md, "Which mode fits?"); times are time units (minutes for
date-time plants), ``cost_per_hour`` is per 60 time units:

- ``units``: units made (the lots' quantities at the first step, surplus for
  ``STOCK`` included); ``units_to_stock``: of those, the surplus.
- ``lots``, ``average_lot_size``: its lots and ``units / lots``.
- ``setups``, ``setup_time``: the setup rows on its account — a setup row
  belongs to the product of the run it precedes ("a product's setup is the
  one before its lot") — and their total length.
- ``run_time``: the length of its run rows, less the machine's downtime
  inside a run that pauses (``can_pause``); ``setup_share``:
  ``setup_time / (setup_time + run_time)``.
- ``machine_cost``: ``(run time + setup time) × the machine's cost_per_hour / 60``,
  machine by machine; ``setup_cost``: the setups.csv cost of its setups;
  ``holding_cost``: as the plant-wide KPI (each order's units × the product's
  holding cost × the time from their lot's completion to the order's due
  date, when positive). Each ``*_per_unit`` figure divides by ``units``;
  ``cost_per_unit`` is their sum.
- ``mean_lead_time``: the mean over its orders of completion − release.
- ``mean_stock``: finished units held, time-weighted over the horizon
  ``[0, H)`` with ``H = max(makespan, latest due date)``: each order's units
  from their completion to the order's due date (none when late or without a
  due date), and ``STOCK`` surplus from its completion to ``H``.
- ``mean_wip``: work in progress, likewise: a lot's units from the start of
  its first step to the end of its last one (every unit of a streamed lot
  counts for the whole span).
- ``stock_value``, ``wip_value``, ``working_capital``: ``mean_stock`` and
  ``mean_wip`` times the product's ``unit_value``, and their sum (``None``
  without a ``unit_value``).
- ``on_time_rate``: the share of its orders completed by their due date
  (orders without one count as on time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from prodsched.lots.lot import STOCK
from prodsched.plant.model import Plant
from prodsched.schedule.rows import ScheduleRow
from prodsched.timeline.calendar import Calendar
from prodsched.timeline.shop import machine_calendars

if TYPE_CHECKING:
    from prodsched.schedule.kpis import OrderOutcome

MINUTES_PER_HOUR = 60
PRODUCTS_REPORT = "products_report.csv"


@dataclass(frozen=True)
class ProductKpis:
    """The KPIs of one product in one schedule (see the module docstring)."""

    product: str
    mode: str
    orders: int
    units: int
    units_to_stock: int
    lots: int
    average_lot_size: float
    setups: int
    setup_time: int
    run_time: Fraction
    setup_share: float
    machine_cost: Fraction
    setup_cost: Fraction
    holding_cost: Fraction
    machine_cost_per_unit: Fraction | None
    setup_cost_per_unit: Fraction | None
    holding_cost_per_unit: Fraction | None
    cost_per_unit: Fraction | None
    mean_lead_time: Fraction | None
    mean_stock: Fraction
    mean_wip: Fraction
    stock_value: Fraction | None
    wip_value: Fraction | None
    working_capital: Fraction | None
    on_time_rate: float

    @property
    def total_cost(self) -> Fraction:
        """Machine, setup and holding cost together."""
        return self.machine_cost + self.setup_cost + self.holding_cost

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values (fractions as floats), without the product's name."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "product":
                continue
            value = getattr(self, f.name)
            out[f.name] = float(value) if isinstance(value, Fraction) else value
        return out


PRODUCT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ProductKpis))
"""The columns of products_report.csv, in order."""


def kpi_horizon(plant: Plant, rows: Iterable[ScheduleRow]) -> Fraction:
    """``H = max(makespan, latest due date)``: the span the time-weighted means cover."""
    makespan = max((r.end for r in rows if r.kind == "run"), default=0)
    dues = [o.due for o in plant.orders if o.due is not None]
    return Fraction(max([Fraction(makespan), *dues]))


def product_kpis(plant: Plant, rows: list[ScheduleRow],
                 outcomes: list[OrderOutcome]) -> dict[str, ProductKpis]:
    """Every made product's KPIs, in plant product order.

    Parameters
    ----------
    plant
        The plant (rates, unit values, holding costs, orders, routings).
    rows
        The schedule's rows (as in schedule.csv; setup rows carry their cost).
    outcomes
        The orders report (completions and tardiness) of the same rows.
    """
    horizon = kpi_horizon(plant, rows)
    by_product: dict[str, list[ScheduleRow]] = defaultdict(list)
    for r in rows:
        if r.kind in ("run", "setup"):
            by_product[r.product].append(r)
    outcomes_of: dict[str, list[OrderOutcome]] = defaultdict(list)
    for o in outcomes:
        outcomes_of[o.product].append(o)
    down = machine_calendars(plant)
    return {name: _one(plant, name, by_product[name], outcomes_of[name], down, horizon)
            for name in plant.products if name in by_product}


def _one(plant: Plant, name: str, rows: list[ScheduleRow], outcomes: list[OrderOutcome],
         down: dict[str, Calendar], horizon: Fraction) -> ProductKpis:
    product = plant.products[name]
    steps = plant.routings[name]
    first, last = steps[0].number, steps[-1].number
    runs = [r for r in rows if r.kind == "run"]
    setups = [r for r in rows if r.kind == "setup"]
    lot_sizes = {r.lot: r.quantity or 0 for r in runs if r.step == first}
    units = sum(lot_sizes.values())
    to_stock = sum(u for r in runs if r.step == first for o, u in r.orders if o == STOCK)
    run_time = sum((_worked(r, down.get(r.machine)) for r in runs), Fraction(0))
    setup_time = sum(r.end - r.start for r in setups)
    rate = {m: plant.machines[m].cost_per_hour for m in {r.machine for r in rows}}
    machine_cost = sum((_worked(r, down.get(r.machine)) * rate[r.machine] for r in runs),
                       Fraction(0))
    machine_cost += sum((Fraction(r.end - r.start) * rate[r.machine] for r in setups),
                        Fraction(0))
    machine_cost /= MINUTES_PER_HOUR
    setup_cost = sum((r.cost for r in setups), Fraction(0))
    held_units_time, holding = Fraction(0), Fraction(0)
    for r in runs:
        if r.step != last:
            continue
        for order_id, count in r.orders:
            until = horizon if order_id == STOCK else _due(plant, order_id)
            if until is not None and until > r.end:
                held_units_time += count * (until - r.end)
                if order_id != STOCK:
                    holding += count * product.holding_cost * (until - r.end)
    spans: dict[str, tuple[int, int]] = {}
    for r in runs:
        low, high = spans.get(r.lot, (r.start, r.end))
        spans[r.lot] = (min(low, r.start), max(high, r.end))
    wip_units_time = sum((Fraction(lot_sizes.get(lot, 0) * (high - low))
                          for lot, (low, high) in spans.items()), Fraction(0))
    mean_stock = held_units_time / horizon if horizon > 0 else Fraction(0)
    mean_wip = wip_units_time / horizon if horizon > 0 else Fraction(0)
    leads = [o.completion - plant.order_by_id[o.order_id].release
             for o in outcomes if o.completion is not None]
    value = product.unit_value
    late = sum(1 for o in outcomes if o.tardiness > 0)

    def per_unit(total: Fraction) -> Fraction | None:
        return total / units if units else None

    return ProductKpis(
        product=name,
        mode="+".join(sorted({r.mode for r in runs})),
        orders=len(outcomes),
        units=units,
        units_to_stock=to_stock,
        lots=len(lot_sizes),
        average_lot_size=round(units / len(lot_sizes), 4) if lot_sizes else 0.0,
        setups=len(setups),
        setup_time=setup_time,
        run_time=run_time,
        setup_share=(round(float(setup_time / (setup_time + run_time)), 6)
                     if setup_time + run_time > 0 else 0.0),
        machine_cost=machine_cost,
        setup_cost=setup_cost,
        holding_cost=holding,
        machine_cost_per_unit=per_unit(machine_cost),
        setup_cost_per_unit=per_unit(setup_cost),
        holding_cost_per_unit=per_unit(holding),
        cost_per_unit=per_unit(machine_cost + setup_cost + holding),
        mean_lead_time=Fraction(sum(leads), len(leads)) if leads else None,
        mean_stock=mean_stock,
        mean_wip=mean_wip,
        stock_value=None if value is None else mean_stock * value,
        wip_value=None if value is None else mean_wip * value,
        working_capital=None if value is None else (mean_stock + mean_wip) * value,
        on_time_rate=round(1 - late / len(outcomes), 6) if outcomes else 1.0,
    )


def _due(plant: Plant, order_id: str) -> Fraction | None:
    order = plant.order_by_id.get(order_id)
    return None if order is None else order.due


def _worked(row: ScheduleRow, down: Calendar | None) -> Fraction:
    """The row's length less the machine's downtime inside it (a paused run)."""
    inside = 0 if down is None else down.down_within(row.start, row.end)
    return Fraction(row.end - row.start - inside)
