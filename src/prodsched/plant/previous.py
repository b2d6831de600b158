"""Re-planning from a previous schedule: reading it, freezing it, attaching it to a plant.

- :func:`read_previous` reads a schedule.csv written for an earlier version of
  the plant (orders may have been added or removed since) into a
  :class:`~prodsched.plant.model.PreviousPlan`, times in this plant's units.
- :func:`frozen_rows` says which rows of it become fixed at a moment ``until``:
  every run and setup that starts before it, the run a started setup leads to
  (once a changeover has begun its run is committed), and the earlier steps of
  every lot with a frozen step (fixed steps are the first ones of a lot).
- :func:`with_previous` gives the plant to solve: its fixed rows (the plant's
  own fixed.csv when it has one, else the frozen rows, checked as fixed.csv
  rows are), its ``now`` and the previous plan.
- :func:`fixed_csv_text` and :func:`plant_csv_text` write what ``prodsched
  freeze`` puts into a plant folder.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace
from fractions import Fraction

from prodsched.errors import PlantError, Problem, UsageError
from prodsched.plant.csvfile import Row
from prodsched.plant.fixed import PlantParts, joined_periods, parse_allocations, read_fixed
from prodsched.plant.model import FixedRow, Mode, Plant, PreviousPlan
from prodsched.plant.rows import FixedFileRow, parse_row
from prodsched.plant.values import TimeAxis, parse_integer

COLUMNS = ("machine", "kind", "lot", "product", "mode", "step", "quantity", "orders",
           "start", "end")

__all__ = ["COLUMNS", "fixed_csv_text", "frozen_rows", "parse_moment", "plant_csv_text",
           "read_previous", "with_previous"]


def read_previous(text: str, axis: TimeAxis, source: str = "schedule.csv") -> PreviousPlan:
    """The run and setup rows of a schedule.csv text (``down`` rows are left out).

    Product, machine and order names are not checked against the plant (the
    plant may have changed since); times must be in the plant's form.

    Raises
    ------
    PlantError
        Naming the line and column of every cell that cannot be read.
    """
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = [c.strip().lower() for c in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PlantError([Problem(source, 1, None, None,
                                  f"not a schedule.csv: no column {', '.join(missing)}")])
    rows: list[FixedRow] = []
    line = 1
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: (record[i].strip() if i < len(record) else "")
                 for i, name in enumerate(header)}
        row = _row(cells, axis, source, line, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise PlantError(problems)
    return PreviousPlan(tuple(rows), source)


def _row(cells: dict[str, str], axis: TimeAxis, source: str, line: int,
         problems: list[Problem]) -> FixedRow | None:
    kind = cells["kind"].lower()
    if kind == "down":
        return None

    def bad(column: str, message: str) -> None:
        problems.append(Problem(source, line, COLUMNS.index(column) + 1, column, message))

    times: list[int] = []
    for column in ("start", "end"):
        try:
            value = axis.parse(cells[column])
        except ValueError as err:
            bad(column, f"{cells[column]!r}: {err}")
            return None
        if value.denominator != 1:
            bad(column, f"{cells[column]!r} is not a whole time unit")
            return None
        times.append(int(value))
    start, end = times
    if kind == "setup":
        return FixedRow(cells["machine"], "setup", cells["lot"], cells["product"], start, end,
                        line=line)
    if kind != "run":
        bad("kind", f"kind {cells['kind']!r} is not run, setup or down")
        return None
    try:
        mode = Mode(cells["mode"].lower())
        step = parse_integer(cells["step"])
        quantity = parse_integer(cells["quantity"])
        allocations = parse_allocations(cells["orders"])
    except ValueError as err:
        bad("orders", f"a run row that cannot be read: {err}")
        return None
    return FixedRow(cells["machine"], "run", cells["lot"], cells["product"], start, end, mode,
                    step, quantity, allocations, line=line)


def frozen_rows(previous: PreviousPlan, until: int) -> list[FixedRow]:
    """The rows of ``previous`` that are decided at ``until`` (see the module).

    Rows keep their order in ``previous`` (machine, then start).
    """
    upto: dict[str, int] = {}  # per lot, its last frozen step

    def freeze(run: FixedRow | None) -> None:
        if run is not None:
            upto[run.lot] = max(upto.get(run.lot, 0), run.step or 1)

    for row in previous.rows:
        if row.start < until:
            freeze(row if row.kind == "run" else _next_run_of(previous, row))
    kept = {key for key in previous.runs if key[1] <= upto.get(key[0], 0)}
    out = []
    for row in previous.rows:
        run = row if row.kind == "run" else _next_run_of(previous, row)
        if run is not None and (run.lot, run.step or 1) in kept:
            out.append(row)
    return out


def _next_run_of(previous: PreviousPlan, setup: FixedRow) -> FixedRow | None:
    """The run a setup row leads to: its lot's first run on its machine after it."""
    after = [r for r in previous.runs.values() if r.lot == setup.lot
             and r.machine == setup.machine and r.start >= setup.end]
    return min(after, key=lambda r: r.start) if after else None


def _cells(row: FixedRow, axis: TimeAxis) -> dict[str, str]:
    run = row.kind == "run"
    return {
        "machine": row.machine, "kind": row.kind, "lot": row.lot, "product": row.product,
        "mode": row.mode.value if run and row.mode is not None else "",
        "step": str(row.step) if run and row.step is not None else "",
        "quantity": str(row.quantity) if run and row.quantity is not None else "",
        "orders": ";".join(f"{o}:{u}" for o, u in row.allocations) if run else "",
        "start": axis.format(row.start), "end": axis.format(row.end),
    }


def fixed_csv_text(rows: list[FixedRow], axis: TimeAxis) -> str:
    """fixed.csv for ``rows`` (the columns of schedule.csv, times in the plant's form)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = _cells(row, axis)
        writer.writerow([cells[c] for c in COLUMNS])
    return out.getvalue()


def plant_csv_text(now: int, axis: TimeAxis) -> str:
    """plant.csv with the planning moment ``now``."""
    return f"now\n{axis.format(now)}\n"


def parse_moment(text: str, axis: TimeAxis) -> int:
    """A moment written in the plant's form, in whole time units (rounded up).

    Raises
    ------
    UsageError
        When the text is not a time of the plant's form.
    """
    try:
        value: Fraction = axis.parse(text)
    except ValueError as err:
        form = "a date-time" if axis.is_datetime else "a number"
        raise UsageError(f"{text!r} is not a time of this plant ({form}): {err}") from None
    return math.ceil(value)


def with_previous(plant: Plant, previous: PreviousPlan, now: int | None = None) -> Plant:
    """The plant to re-plan: fixed rows, ``now`` and the previous plan set.

    Parameters
    ----------
    plant
        The plant as it is now (new orders, breakdowns).
    previous
        The previous plan, in this plant's time units.
    now
        The moment of planning; default: the plant's ``now``.

    Raises
    ------
    UsageError
        When there is no moment of planning.
    PlantError
        When a frozen row cannot be kept (it overlaps a new breakdown, its
        order was removed or shrank, ...), at its line of the previous schedule.
    """
    moment = now if now is not None else plant.now
    if moment is None:
        raise UsageError("re-planning needs the moment of planning: give --now (now=...) "
                         "or plant.csv's now")
    fixed = plant.fixed
    if not fixed:
        fixed = tuple(_checked(plant, frozen_rows(previous, moment), previous.source))
    return replace(plant, fixed=fixed, now=moment, previous=previous)


def _checked(plant: Plant, rows: list[FixedRow], source: str) -> list[FixedRow]:
    """The rows checked as rows of fixed.csv would be (problems at their lines)."""
    if not rows:
        return []
    problems: list[Problem] = []
    positions = {c: i + 1 for i, c in enumerate(COLUMNS)}
    parsed: list[tuple[Row, object]] = []
    for fixed in rows:
        row = Row(source, fixed.line or 0, _cells(fixed, plant.time_axis), positions)
        value = parse_row(FixedFileRow, row, problems)
        if value is not None:
            parsed.append((row, value))
    machines = frozenset(plant.machines)
    parts = PlantParts(plant.products, plant.routings, plant.order_by_id,
                       frozenset(plant.order_by_id), frozenset(plant.routings), machines,
                       {m: joined_periods(plant.downtimes, m) for m in machines})
    out = read_fixed(parsed, plant.time_axis, parts, problems)
    if problems:
        raise PlantError(problems)
    return out
