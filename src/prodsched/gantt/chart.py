"""What a Gantt chart shows, independent of how it is drawn.

A :class:`Chart` is a list of lanes (machines, or orders) and the bars on
them, each bar with its kind (run, setup, down), its colour keys (product and
family), a short label and the details a tooltip shows. The HTML page and the
PNG figure both draw a chart; neither looks at the schedule itself.

Two views are built from any schedule (an object with ``plant``, ``rows``,
``outcomes``, ``kpis`` and ``info``, such as :class:`prodsched.Schedule`):

- :func:`machine_chart`: one lane per machine, one bar per row of schedule.csv;
- :func:`order_chart`: one lane per order, one bar per run carrying its units,
  with the order's due date marked and late orders flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

from prodsched.lots.lot import STOCK
from prodsched.plant.model import Plant
from prodsched.plant.values import TimeAxis, format_number
from prodsched.schedule.kpis import Kpis, OrderOutcome
from prodsched.schedule.rows import ScheduleRow


class SolveSummary(Protocol):
    """How the schedule was found, as far as a chart's subtitle tells it."""

    @property
    def status(self) -> str: ...
    @property
    def objective(self) -> float | None: ...
    @property
    def bound(self) -> float | None: ...
    @property
    def objective_name(self) -> str: ...


class Schedule(Protocol):
    """What a chart is drawn from (:class:`prodsched.Schedule` is one).

    The charts depend on this shape only, not on the schedule module, which
    draws itself with them (``Schedule.plot``).
    """

    @property
    def plant(self) -> Plant: ...
    @property
    def rows(self) -> list[ScheduleRow]: ...
    @property
    def outcomes(self) -> list[OrderOutcome]: ...
    @property
    def kpis(self) -> Kpis: ...
    @property
    def info(self) -> SolveSummary: ...


KINDS = ("run", "setup", "down")
VIEWS = ("machines", "orders")
COLOR_BY = ("family", "product")


@dataclass(frozen=True)
class Lane:
    """One row of the chart.

    Parameters
    ----------
    key
        The machine name or order id.
    label
        What the row is called on the chart.
    note
        A short remark shown beside the label (``late by 35``).
    late
        True for an order that completes after its due date.
    """

    key: str
    label: str
    note: str = ""
    late: bool = False


@dataclass(frozen=True)
class Bar:
    """One bar: a run, a setup or an unavailable period.

    Parameters
    ----------
    lane
        Index of its lane in :attr:`Chart.lanes`.
    kind
        ``run``, ``setup``, ``down``, or ``previous`` (a run of the plan a
        re-plan started from, drawn faintly behind).
    start, end
        Time units from time 0; ``end`` exclusive.
    product, family
        Colour keys (empty for ``down``).
    label
        Text drawn on the bar when it fits (the lot id of a run).
    details
        ``(name, value)`` pairs for the tooltip, in display order.
    """

    lane: int
    kind: str
    start: int
    end: int
    product: str = ""
    family: str = ""
    label: str = ""
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Marker:
    """A point in time on one lane: an order's due date."""

    lane: int
    time: Fraction
    label: str
    late: bool = False


@dataclass(frozen=True)
class Chart:
    """Everything a drawing of one view needs.

    Parameters
    ----------
    view
        ``machines`` or ``orders``.
    title, subtitle
        Heading lines (plant and view; status and KPIs).
    lanes, bars, markers
        The rows, the bars on them, and due-date marks.
    time_axis
        The plant's time axis, to write times in the plant's own form.
    families
        Product → family, for colouring by family.
    unit
        The time unit's name (``min`` for date-time plants, else empty).
    """

    view: str
    title: str
    subtitle: str
    lanes: tuple[Lane, ...]
    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...] = ()
    time_axis: TimeAxis = field(default_factory=TimeAxis)
    families: dict[str, str] = field(default_factory=dict)
    unit: str = ""

    @property
    def span(self) -> tuple[int, int]:
        """The time range shown: from time 0 (or an earlier bar) to the last run,
        setup or due date (``(0, 1)`` if none).

        Unavailable periods do not stretch it: a calendar that runs on past
        the last lot is cut at the edge of the chart.
        """
        work = [b for b in self.bars if b.kind != "down"] or list(self.bars)
        starts = [b.start for b in work] + [math.floor(m.time) for m in self.markers]
        ends = [b.end for b in work] + [math.ceil(m.time) for m in self.markers]
        if not starts:
            return (0, 1)
        low, high = min(0, *starts), max(ends)
        return (low, max(high, low + 1))

    def key_of(self, bar: Bar, color_by: str) -> str:
        """The colour key of a bar: its family or its product (empty for downtime)."""
        return bar.family if color_by == "family" else bar.product

    def color_keys(self, color_by: str) -> list[str]:
        """Every colour key of the runs, in first-seen order of the plant's products."""
        if color_by not in COLOR_BY:
            raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
        keys = [self.families[p] if color_by == "family" else p for p in self.families]
        return list(dict.fromkeys(keys))


def _duration(axis: TimeAxis, units: int | Fraction) -> str:
    text = format_number(units)
    return f"{text} min" if axis.is_datetime else text


def _subtitle(schedule: Schedule) -> str:
    info, k = schedule.info, schedule.kpis
    parts = [info.status]
    if info.objective is not None:
        objective = f"objective {info.objective:g}"
        if info.bound is not None and info.status != "optimal":
            objective += f" (bound {info.bound:g})"
        if info.objective_name:
            objective += f" {info.objective_name}"
        parts.append(objective)
    axis = schedule.plant.time_axis
    parts += [f"makespan {axis.format(k.makespan)}", f"{k.setup_count} setups",
              f"{k.late_orders} late of {len(schedule.outcomes)} orders"]
    return " · ".join(parts)


def machine_chart(schedule: Schedule) -> Chart:
    """One lane per machine and one bar per row of the schedule.

    Parameters
    ----------
    schedule
        The schedule to draw.

    Returns
    -------
    Chart
        Lanes in the plant's machine order; ``len(chart.bars) == len(schedule.rows)``.
    """
    plant = schedule.plant
    axis = plant.time_axis
    lane_of = {name: i for i, name in enumerate(plant.machines)}
    lanes = [Lane(name, name) for name in plant.machines]
    for row in schedule.rows:
        if row.machine not in lane_of:
            lane_of[row.machine] = len(lanes)
            lanes.append(Lane(row.machine, row.machine))
    families = {name: p.family for name, p in plant.products.items()}
    bars = _previous_bars(plant, lane_of, lanes)
    for row in schedule.rows:
        family = families.get(row.product, row.product)
        times = (("start", axis.format(row.start)), ("end", axis.format(row.end)),
                 ("duration", _duration(axis, row.end - row.start)))
        if row.kind == "run":
            details: tuple[tuple[str, str], ...] = (
                ("lot", row.lot), ("product", row.product), ("family", family),
                ("mode", row.mode), ("step", str(row.step)),
                ("quantity", str(row.quantity)), ("orders", row.orders_text.replace(";", ", ")),
                ("machine", row.machine), *times)
            label = row.lot
        elif row.kind == "setup":
            details = (("setup for", f"lot {row.lot} ({row.product})"), ("family", family),
                       ("machine", row.machine), *times)
            if row.cost:
                details += (("cost", format_number(row.cost)),)
            label = ""
        else:
            details = (("unavailable", row.machine), *times)
            family, label = "", ""
        bars.append(Bar(lane_of[row.machine], row.kind, row.start, row.end, row.product,
                        family, label, details))
    return Chart("machines", f"{plant.name}: machines", _subtitle(schedule), tuple(lanes),
                 tuple(bars), (), axis, families, "min" if axis.is_datetime else "")


def _previous_bars(plant: Plant, lane_of: dict[str, int], lanes: list[Lane]) -> list[Bar]:
    """A re-plan's previous runs after ``now`` (kind ``previous``, drawn faintly behind)."""
    if plant.previous is None:
        return []
    axis = plant.time_axis
    out = []
    for run in plant.previous.replanned(plant.now):
        if run.machine not in lane_of:
            lane_of[run.machine] = len(lanes)
            lanes.append(Lane(run.machine, run.machine))
        details = (("previous plan", f"lot {run.lot}, step {run.step}"),
                   ("start", axis.format(run.start)), ("end", axis.format(run.end)))
        out.append(Bar(lane_of[run.machine], "previous", run.start, run.end, run.product,
                       "", "", details))
    return out


def order_chart(schedule: Schedule) -> Chart:
    """One lane per order: the runs that carry its units, its due date, late or not.

    Parameters
    ----------
    schedule
        The schedule to draw.

    Returns
    -------
    Chart
        Lanes in the plant's order order (``STOCK`` is not shown); a late
        order's lane has ``late=True`` and a note saying by how much.
    """
    plant = schedule.plant
    axis = plant.time_axis
    families = {name: p.family for name, p in plant.products.items()}
    outcomes = {o.order_id: o for o in schedule.outcomes}
    lanes: list[Lane] = []
    markers: list[Marker] = []
    lane_of: dict[str, int] = {}
    for order in plant.orders:
        outcome = outcomes.get(order.order_id)
        late = outcome is not None and outcome.tardiness > 0
        note = f"late by {_duration(axis, outcome.tardiness)}" if outcome and late else ""
        lane_of[order.order_id] = len(lanes)
        lanes.append(Lane(order.order_id, f"{order.order_id} ({order.product})", note, late))
        if order.due is not None:
            markers.append(Marker(len(lanes) - 1, order.due, f"due {axis.format(order.due)}",
                                  late))
    bars = []
    for row in sorted(schedule.rows, key=lambda r: (r.start, r.end, r.machine)):
        if row.kind != "run":
            continue
        for order_id, units in row.orders:
            if order_id == STOCK or order_id not in lane_of:
                continue
            family = families.get(row.product, row.product)
            details = (
                ("order", order_id), ("lot", row.lot), ("product", row.product),
                ("family", family), ("step", str(row.step)), ("machine", row.machine),
                ("units", f"{units} of the lot's {row.quantity}"),
                ("start", axis.format(row.start)), ("end", axis.format(row.end)),
                ("duration", _duration(axis, row.end - row.start)))
            bars.append(Bar(lane_of[order_id], "run", row.start, row.end, row.product, family,
                            row.lot, details))
    return Chart("orders", f"{plant.name}: orders", _subtitle(schedule), tuple(lanes),
                 tuple(bars), tuple(markers), axis, families, "min" if axis.is_datetime else "")


def build_chart(schedule: Schedule, view: str = "machines") -> Chart:
    """The chart of one view (``machines`` or ``orders``) of a schedule."""
    if view == "machines":
        return machine_chart(schedule)
    if view == "orders":
        return order_chart(schedule)
    raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
