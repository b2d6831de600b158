"""A loaded :class:`~prodsched.plant.model.Plant` written back as the tables of
the plant format: typed values, one table per plant file.

The tables hold plain Python values (text, whole numbers, floats, date-times,
``None`` for an empty cell) so that each writer (DataFrames, a workbook, CSV
text) can keep its own types. Loading them again gives the same plant:
times are written in the plant's own form (date-times in the plant's time
zone, or numbers), releases, deadlines and calendar periods as the whole
time units the plant holds, and a routing step with several machines as one
row per machine (the format's alternatives).

The columns and files of spec v2 (``can_pause``, ``resources``, ``max_wait``,
``cost_per_hour``, ``unit_value``; resources.csv, fixed.csv, plant.csv) are
written only when the plant uses them, so a v1 plant's tables are those of v1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from prodsched.plant.model import FixedRow, Plant, ResourceUse
from prodsched.plant.values import TimeAxis

Value = str | int | float | datetime | None


@dataclass(frozen=True)
class PlantTable:
    """One plant file as typed rows.

    Parameters
    ----------
    file
        The file's name (``orders.csv``).
    columns
        Column names, in the format's order.
    rows
        One tuple of values per data row.
    """

    file: str
    columns: tuple[str, ...]
    rows: list[tuple[Value, ...]]

    @property
    def name(self) -> str:
        """The sheet or frame name: the file name without ``.csv``."""
        return self.file.removesuffix(".csv")


TIME_COLUMNS = frozenset({"due", "release", "deadline", "start", "end", "now"})
"""Columns that hold times (numbers or date-times)."""


def number(value: Fraction | int) -> int | float:
    """A whole number as ``int``, anything else as ``float``."""
    frac = Fraction(value)
    return int(frac) if frac.denominator == 1 else float(frac)


def time_value(axis: TimeAxis, units: Fraction | int | None) -> int | float | datetime | None:
    """A time in the plant's own form: a number, or a date-time (in the plant's zone)."""
    if units is None:
        return None
    if axis.origin is None:
        return number(units)
    moment = axis.origin + timedelta(microseconds=round(Fraction(units) * 60 * 10**6))
    if axis.zone is not None:
        moment = moment.replace(tzinfo=UTC).astimezone(axis.zone)
    return moment


def resources_text(uses: tuple[ResourceUse, ...]) -> str | None:
    """A ``resources`` cell: ``name`` or ``name:amount`` joined by ``;`` (``None``: none)."""
    if not uses:
        return None
    return ";".join(u.resource if u.amount == 1 else f"{u.resource}:{u.amount}" for u in uses)


def _with(columns: tuple[str, ...], rows: list[tuple[Value, ...]],
          extra: list[tuple[str, list[Value]]]) -> tuple[tuple[str, ...], list[tuple[Value, ...]]]:
    """``columns`` and ``rows`` with each extra column added (values per row) when any
    of its values says more than the default (a v1 plant's tables stay as they were)."""
    for column, values in extra:
        if any(v is not None for v in values):
            columns += (column,)
            rows = [(*row, value) for row, value in zip(rows, values, strict=True)]
    return columns, rows


def _fixed_row(axis: TimeAxis, r: FixedRow) -> tuple[Value, ...]:
    orders = ";".join(f"{o}:{u}" for o, u in r.allocations) or None
    return (r.machine, r.kind, r.lot, r.product, None if r.mode is None else r.mode.value,
            r.step, r.quantity, orders, time_value(axis, r.start), time_value(axis, r.end))


FIXED_COLUMNS = ("machine", "kind", "lot", "product", "mode", "step", "quantity", "orders",
                 "start", "end")


def plant_tables(plant: Plant) -> dict[str, PlantTable]:
    """Every file of the plant as a typed table (file name → table).

    ``orders``, ``products``, ``routings`` and ``machines`` are always there;
    ``setups``, ``calendar``, ``resources``, ``fixed`` and ``plant`` only when
    the plant has setup rules, unavailable periods, shared resources, fixed
    rows or a planning moment.
    """
    axis = plant.time_axis
    options = [(product, step.number, opt) for product, steps in plant.routings.items()
               for step in steps for opt in step.options]
    products = list(plant.products.values())
    machines = list(plant.machines.values())
    pausing = any(opt.can_pause for *_, opt in options)
    tables = [
        PlantTable("orders.csv", ("order_id", "product", "quantity", "due", "release", "weight",
                                  "deadline"),
                   [(o.order_id, o.product, o.quantity, time_value(axis, o.due),
                     time_value(axis, o.release), number(o.weight),
                     time_value(axis, o.deadline)) for o in plant.orders]),
        PlantTable("products.csv", *_with(
            ("product", "family", "mode", "min_lot", "max_lot", "lot_multiple", "holding_cost"),
            [(p.name, p.family, p.mode.value, p.min_lot, p.max_lot, p.lot_multiple,
              number(p.holding_cost)) for p in products],
            [("unit_value", [None if p.unit_value is None else number(p.unit_value)
                             for p in products])])),
        PlantTable("routings.csv", *_with(
            ("product", "step", "machine", "time_per_unit", "fixed_time"),
            [(product, step_number, opt.machine, number(opt.time_per_unit), number(opt.fixed_time))
             for product, step_number, opt in options],
            [("can_pause", [("yes" if opt.can_pause else "no") if pausing else None
                            for *_, opt in options]),
             ("resources", [resources_text(opt.resources) for *_, opt in options]),
             ("max_wait", [opt.max_wait for *_, opt in options])])),
        PlantTable("machines.csv", *_with(
            ("machine", "initial_state"),
            [(m.name, m.initial_state) for m in machines],
            [("cost_per_hour", [number(m.cost_per_hour) if m.cost_per_hour else None
                                for m in machines])])),
    ]
    if plant.setup_rules:
        tables.append(PlantTable("setups.csv", *_with(
            ("machine", "from", "to", "time", "cost"),
            [(r.machine, r.from_, r.to, number(r.time), number(r.cost))
             for r in plant.setup_rules],
            [("resources", [resources_text(r.resources) for r in plant.setup_rules])])))
    if plant.downtimes:
        tables.append(PlantTable("calendar.csv", ("machine", "start", "end"),
                                 [(d.machine, time_value(axis, d.start),
                                   time_value(axis, d.end)) for d in plant.downtimes]))
    if plant.resources:
        tables.append(PlantTable("resources.csv", ("resource", "capacity"),
                                 [(r.name, r.capacity) for r in plant.resources.values()]))
    if plant.fixed:
        tables.append(PlantTable("fixed.csv", FIXED_COLUMNS,
                                 [_fixed_row(axis, r) for r in plant.fixed]))
    if plant.now is not None:
        tables.append(PlantTable("plant.csv", ("now",), [(time_value(axis, plant.now),)]))
    return {t.file: t for t in tables}


def plant_csv_files(plant: Plant) -> dict[str, str]:
    """The plant's files as CSV text (file name → text), ready to write as a folder."""
    import csv
    import io

    from prodsched.plant.workbook import cell_text

    files = {}
    for table in plant_tables(plant).values():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([cell_text(v) for v in row] for row in table.rows)
        files[table.file] = buffer.getvalue()
    return files
