"""A loaded :class:`~prodsched.plant.model.Plant` written back as the tables of
the plant format: typed values, one table per plant file.

The tables hold plain Python values (text, whole numbers, floats, date-times,
``None`` for an empty cell) so that each writer (DataFrames, a workbook, CSV
text) can keep its own types. Loading them again gives the same plant:
times are written in the plant's own form (date-times in the plant's time
zone, or numbers), releases, deadlines and calendar periods as the whole
time units the plant holds, and a routing step with several machines as one
row per machine (the format's alternatives).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from prodsched.plant.model import Plant
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


TIME_COLUMNS = frozenset({"due", "release", "deadline", "start", "end"})
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


def plant_tables(plant: Plant) -> dict[str, PlantTable]:
    """Every file of the plant as a typed table (file name → table).

    ``orders``, ``products``, ``routings`` and ``machines`` are always there;
    ``setups`` and ``calendar`` only when the plant has setup rules or
    unavailable periods.
    """
    axis = plant.time_axis
    tables = [
        PlantTable("orders.csv", ("order_id", "product", "quantity", "due", "release", "weight",
                                  "deadline"),
                   [(o.order_id, o.product, o.quantity, time_value(axis, o.due),
                     time_value(axis, o.release), number(o.weight),
                     time_value(axis, o.deadline)) for o in plant.orders]),
        PlantTable("products.csv", ("product", "family", "mode", "min_lot", "max_lot",
                                    "lot_multiple", "holding_cost", "unit_value"),
                   [(p.name, p.family, p.mode.value, p.min_lot, p.max_lot, p.lot_multiple,
                     number(p.holding_cost),
                     None if p.unit_value is None else number(p.unit_value))
                    for p in plant.products.values()]),
        PlantTable("routings.csv", ("product", "step", "machine", "time_per_unit", "fixed_time"),
                   [(product, step.number, opt.machine, number(opt.time_per_unit),
                     number(opt.fixed_time))
                    for product, steps in plant.routings.items() for step in steps
                    for opt in step.options]),
        PlantTable("machines.csv", ("machine", "initial_state", "cost_per_hour"),
                   [(m.name, m.initial_state, number(m.cost_per_hour))
                    for m in plant.machines.values()]),
    ]
    if plant.setup_rules:
        tables.append(PlantTable("setups.csv", ("machine", "from", "to", "time", "cost"),
                                 [(r.machine, r.from_, r.to, number(r.time), number(r.cost))
                                  for r in plant.setup_rules]))
    if plant.downtimes:
        tables.append(PlantTable("calendar.csv", ("machine", "start", "end"),
                                 [(d.machine, time_value(axis, d.start),
                                   time_value(axis, d.end)) for d in plant.downtimes]))
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
