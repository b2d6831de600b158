"""KPIs and the orders report, computed from schedule rows alone.

Definitions (also in docs/plant-format.md, "The schedule", and docs/decisions.md, "KPIs"):

- ``makespan``: the latest run end, in time units from time 0.
- completion of an order: the end of its last routing step (the latest end of
  the runs of that step that carry its units); tardiness ``max(0, completion - due)``.
- ``utilization`` per machine: run time (a pausing run's pauses excluded)
  divided by the time the machine is available in ``[0, makespan)`` (calendar
  downtime excluded).
- ``holding_cost``: for each lot and order it serves, units × the product's
  holding cost × the time from the lot's completion to the order's due date
  (when positive). Surplus units for ``STOCK`` carry no holding cost.
- ``runs_changed``: with a previous plan, the runs of it moved to another
  machine or re-sequenced (:mod:`prodsched.schedule.changes`); else 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from prodsched.lots.lot import STOCK
from prodsched.plant.model import Plant
from prodsched.schedule.changes import compute_changes
from prodsched.schedule.rows import ScheduleRow
from prodsched.timeline.calendar import Calendar


@dataclass(frozen=True)
class OrderOutcome:
    """One row of orders_report.csv."""

    order_id: str
    product: str
    quantity: int
    due: Fraction | None
    completion: int | None
    tardiness: Fraction
    lots: tuple[str, ...]


@dataclass
class Kpis:
    """What the schedule achieves (times in time units)."""

    makespan: int = 0
    total_setup_time: int = 0
    setup_count: int = 0
    total_setup_cost: Fraction = Fraction(0)
    total_tardiness: Fraction = Fraction(0)
    weighted_tardiness: Fraction = Fraction(0)
    late_orders: int = 0
    on_time_rate: float = 1.0
    holding_cost: Fraction = Fraction(0)
    lot_count: int = 0
    average_lot_size: float = 0.0
    units_to_stock: int = 0
    utilization: dict[str, float] = field(default_factory=dict)
    runs_changed: int = 0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready values (fractions as floats)."""
        out: dict[str, object] = {}
        for key, value in self.__dict__.items():
            out[key] = float(value) if isinstance(value, Fraction) else value
        return out


def order_outcomes(plant: Plant, rows: list[ScheduleRow]) -> list[OrderOutcome]:
    """Completion, tardiness and lots of every order, in plant order."""
    last_step = {p: steps[-1].number for p, steps in plant.routings.items()}
    completion: dict[str, int] = {}
    lots: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.kind != "run":
            continue
        for order_id, _units in row.orders:
            if row.lot not in lots[order_id]:
                lots[order_id].append(row.lot)
            if row.step == last_step.get(row.product):
                completion[order_id] = max(completion.get(order_id, row.end), row.end)
    out = []
    for order in plant.orders:
        done = completion.get(order.order_id)
        tardiness = Fraction(0)
        if order.due is not None and done is not None:
            tardiness = max(Fraction(0), done - order.due)
        out.append(OrderOutcome(order.order_id, order.product, order.quantity, order.due, done,
                                tardiness, tuple(lots[order.order_id])))
    return out


def compute_kpis(plant: Plant, rows: list[ScheduleRow],
                 outcomes: list[OrderOutcome] | None = None) -> Kpis:
    """Every KPI of a schedule from its rows."""
    outcomes = outcomes if outcomes is not None else order_outcomes(plant, rows)
    runs = [r for r in rows if r.kind == "run"]
    setups = [r for r in rows if r.kind == "setup"]
    k = Kpis()
    k.makespan = max((r.end for r in runs), default=0)
    k.total_setup_time = sum(r.end - r.start for r in setups)
    k.setup_count = len(setups)
    k.total_setup_cost = sum((r.cost for r in setups), Fraction(0))
    weights = {o.order_id: o.weight for o in plant.orders}
    k.total_tardiness = sum((o.tardiness for o in outcomes), Fraction(0))
    k.weighted_tardiness = sum((weights[o.order_id] * o.tardiness for o in outcomes), Fraction(0))
    k.late_orders = sum(1 for o in outcomes if o.tardiness > 0)
    k.on_time_rate = 1.0 if not outcomes else 1 - k.late_orders / len(outcomes)
    k.holding_cost = _holding_cost(plant, runs)
    first_step = {p: steps[0].number for p, steps in plant.routings.items()}
    lot_sizes = {r.lot: r.quantity or 0 for r in runs if r.step == first_step.get(r.product)}
    k.lot_count = len(lot_sizes)
    k.average_lot_size = sum(lot_sizes.values()) / len(lot_sizes) if lot_sizes else 0.0
    k.units_to_stock = sum(u for r in runs if r.step == first_step.get(r.product)
                           for o, u in r.orders if o == STOCK)
    k.utilization = _utilization(plant, rows, k.makespan)
    if plant.previous is not None:
        k.runs_changed = compute_changes(plant, rows).runs_changed
    return k


def _holding_cost(plant: Plant, runs: list[ScheduleRow]) -> Fraction:
    last_step = {p: steps[-1].number for p, steps in plant.routings.items()}
    total = Fraction(0)
    for row in runs:
        if row.step != last_step.get(row.product):
            continue
        rate = plant.products[row.product].holding_cost
        if rate == 0:
            continue
        for order_id, units in row.orders:
            order = plant.order_by_id.get(order_id)
            if order is None or order.due is None:
                continue
            total += units * rate * max(Fraction(0), order.due - row.end)
    return total


def _utilization(plant: Plant, rows: list[ScheduleRow], makespan: int) -> dict[str, float]:
    busy: dict[str, int] = defaultdict(int)
    down: dict[str, int] = defaultdict(int)
    periods: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        if r.kind == "down":
            down[r.machine] += max(0, min(r.end, makespan) - max(r.start, 0))
            periods[r.machine].append((r.start, r.end))
    # down rows are the plant's unavailable periods: sorted and disjoint per machine
    calendars = {machine: Calendar(sorted(p)) for machine, p in periods.items()}
    for r in rows:
        if r.kind == "run":  # a run that pauses works outside the down rows inside it
            calendar = calendars.get(r.machine)
            busy[r.machine] += r.end - r.start - (
                0 if calendar is None else calendar.down_within(r.start, r.end))
    out = {}
    for machine in plant.machines:
        available = makespan - down[machine]
        out[machine] = round(busy[machine] / available, 4) if available > 0 else 0.0
    return out
