"""Reading schedule.csv into bars, with the format checks of the plant format."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Plant
from prodsched.plant.values import parse_number
from prodsched.validate.violation import Violation

SCHEDULE = "schedule.csv"
SCHEDULE_COLUMNS = ("machine", "kind", "lot", "product", "mode", "step", "quantity", "orders",
                    "start", "end")
KINDS = ("setup", "run", "down")
MODES = ("one-off", "batch", "mass")
STOCK = "STOCK"


# A time read from a file: whole time units as int, others exactly as Fraction.
Time = int | Fraction


@dataclass(frozen=True)
class Bar:
    """One row of schedule.csv, times in time units from the plant's time 0."""

    line: int
    machine: str
    kind: str
    start: Time
    end: Time
    lot: str = ""
    product: str = ""
    mode: str = ""
    step: int | None = None
    quantity: int = 0
    orders: tuple[tuple[str, int], ...] = ()

    @property
    def length(self) -> Time:
        """``end - start``."""
        return self.end - self.start


def csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records with the 1-based line each starts on."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    line = 1
    for record in reader:
        if any(cell.strip() for cell in record):
            yield line, [cell.strip() for cell in record]
        line = reader.line_num + 1


def read_header(records: Iterator[tuple[int, list[str]]], expected: tuple[str, ...], file: str,
                out: list[Violation]) -> dict[str, int] | None:
    """Column positions by name; ``None`` when a column is missing (nothing else is read)."""
    first = next(records, None)
    if first is None:
        out.append(Violation("format", "the file is empty (no header)", file, None))
        return None
    line, header = first
    if tuple(header) != expected:
        out.append(Violation("format", f"the header is {','.join(header)!r}; expected "
                             f"{','.join(expected)!r}", file, line))
    positions = {name: i for i, name in enumerate(header)}
    if any(name not in positions for name in expected):
        return None
    return positions


def whole(text: str) -> int | None:
    """A whole number, or ``None`` when the text is not one."""
    try:
        value = parse_number(text)
    except ValueError:
        return None
    return int(value) if value.denominator == 1 else None


def read_schedule(plant: Plant, text: str, out: list[Violation]) -> list[Bar] | None:
    """The rows of schedule.csv that could be read, checking their format.

    A row whose kind, times, product, mode, step, quantity or orders cannot
    be read is reported and left out of the other checks. Returns ``None``
    when the header lacks a column (nothing else can be checked).
    """
    records = csv_records(text)
    positions = read_header(records, SCHEDULE_COLUMNS, SCHEDULE, out)
    if positions is None:
        return None
    bars: list[Bar] = []
    previous: tuple[str, Time, int] | None = None
    for line, record in records:
        problems: list[str] = []
        if len(record) != len(positions):
            out.append(Violation("format", f"{len(record)} cells; the header has "
                                 f"{len(positions)}", SCHEDULE, line))
            continue
        bar = _read_bar(plant, line, {k: record[i] for k, i in positions.items()}, problems)
        out.extend(Violation("format", p, SCHEDULE, line) for p in problems)
        if bar is None:
            continue
        if previous is not None and (bar.machine, bar.start) < previous[:2]:
            out.append(Violation("format", f"rows are not sorted by machine then start: this "
                                 f"row comes after line {previous[2]}", SCHEDULE, line))
        previous = (bar.machine, bar.start, line)
        bars.append(bar)
    return bars


def _read_bar(plant: Plant, line: int, cell: dict[str, str], problems: list[str]) -> Bar | None:
    machine, kind = cell["machine"], cell["kind"]
    if machine not in plant.machines:
        problems.append(f"unknown machine {machine!r}")
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        return None
    times = []
    for column in ("start", "end"):
        try:
            value = plant.time_axis.parse(cell[column])
        except ValueError as err:
            problems.append(f"{column} {cell[column]!r}: {err}")
            return None
        if value.denominator != 1:
            unit = "minute" if plant.time_axis.is_datetime else "time unit"
            problems.append(f"{column} {cell[column]!r} is not a whole {unit}")
        # whole times as int: exact, and int arithmetic is many times faster than Fraction's
        times.append(int(value) if value.denominator == 1 else value)
    start, end = times
    if end < start:
        problems.append(f"end {cell['end']} is before start {cell['start']}")
        return None
    if kind == "down":
        if cell["lot"] or cell["product"]:
            problems.append("a down row names a lot or product")
        return Bar(line, machine, kind, start, end)
    if kind == "setup":
        return Bar(line, machine, kind, start, end, lot=cell["lot"], product=cell["product"])
    return _read_run(plant, line, cell, start, end, problems)


def _read_run(plant: Plant, line: int, cell: dict[str, str], start: Time, end: Time,
              problems: list[str]) -> Bar | None:
    lot, product, mode = cell["lot"], cell["product"], cell["mode"]
    step, quantity = whole(cell["step"]), whole(cell["quantity"])
    n = len(problems)
    if not lot:
        problems.append("a run row without a lot id")
    if product not in plant.routings:
        problems.append(f"product {product!r} has no routing")
    if mode not in MODES:
        problems.append(f"mode {mode!r} is not one of {', '.join(MODES)}")
    if step is None:
        problems.append(f"step {cell['step']!r} is not a whole number")
    if quantity is None or quantity < 1:
        problems.append(f"quantity {cell['quantity']!r} is not a whole number >= 1")
    unreadable = len(problems) > n
    orders = _read_orders(plant, cell["orders"], problems)
    if unreadable or orders is None or quantity is None:
        return None
    total = sum(units for _, units in orders)
    if total != quantity:
        problems.append(f"lot {lot}: allocations {cell['orders']!r} add up to {total}, "
                        f"not the quantity {quantity}")
    return Bar(line, cell["machine"], "run", start, end, lot, product, mode, step, quantity,
               orders)


def _read_orders(plant: Plant, text: str,
                 problems: list[str]) -> tuple[tuple[str, int], ...] | None:
    """Allocations ``id:units;id:units``; ``None`` when they cannot be read.

    An unknown order id is reported but kept (the row is still checked).
    """
    allocations: list[tuple[str, int]] = []
    for part in text.split(";"):
        order_id, colon, units_text = part.strip().rpartition(":")
        units = whole(units_text)
        if not colon or not order_id.strip() or units is None or units < 1:
            problems.append(f"allocation {part!r} in {text!r} is not order_id:units "
                            "with whole units >= 1")
            return None
        order_id = order_id.strip()
        if order_id != STOCK and order_id not in plant.order_by_id:
            problems.append(f"allocation to unknown order {order_id!r}")
        if any(order_id == seen for seen, _ in allocations):
            problems.append(f"order {order_id!r} is allocated twice in {text!r}")
            return None
        allocations.append((order_id, units))
    return tuple(allocations)
