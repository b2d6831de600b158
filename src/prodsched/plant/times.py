"""A plant's time form (numbers or date-times) and its time 0, decided from every time cell.

All times of one plant are numbers of time units, or all are ISO 8601
date-times (all with a time zone offset, or none). With date-times, time 0 is
the user's ``start`` or else the earliest release, due date, fixed row start
or planning moment (``now``), to the minute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from fractions import Fraction

from prodsched.errors import Problem
from prodsched.plant.csvfile import Row
from prodsched.plant.values import TimeAxis, parse_time_cell

TIME_COLUMNS = {
    "orders.csv": ("due", "release", "deadline"),
    "calendar.csv": ("start", "end"),
    "fixed.csv": ("start", "end"),
    "plant.csv": ("now",),
}
"""The time cells of each plant file: together they decide the plant's time form."""

ORIGIN_COLUMNS = {
    "orders.csv": ("due", "release"),
    "fixed.csv": ("start",),
    "plant.csv": ("now",),
}
"""The cells whose earliest date-time is time 0 when no start is given (a v1
plant: its releases and due dates; with fixed work or a planning moment, those
too, so that no time of the plant lies before time 0)."""


def decide_time_axis(rows: Mapping[str, Sequence[Row]], start: str | datetime | None,
                     problems: list[Problem]) -> TimeAxis:
    """Decide the plant's time form and time 0 from every time cell.

    Parameters
    ----------
    rows
        The rows of each plant file, by file name (the files of :data:`TIME_COLUMNS`).
    start
        Time 0 given by the user (``--start``), if any.
    problems
        Where a mixed form, a mix of time zones or a bad ``start`` is reported.
    """
    cells: list[tuple[Row, str, Fraction | datetime]] = []
    origin_cells: set[int] = set()  # indices in ``cells`` of ORIGIN_COLUMNS cells
    for name, columns in TIME_COLUMNS.items():
        for row in rows.get(name, ()):
            for column in columns:
                text = row.cells.get(column, "")
                try:
                    cells.append((row, column, parse_time_cell(text)))
                    if column in ORIGIN_COLUMNS.get(name, ()):
                        origin_cells.add(len(cells) - 1)
                except ValueError:
                    continue  # empty, or already reported by the row's schema
    if not cells:
        if start is not None:
            problems.append(Problem("--start", None, None, None,
                                      "the plant has no date-times, so --start does not apply"))
        return TimeAxis()
    first_row, first_col, first = cells[0]
    first_is_dt = isinstance(first, datetime)
    first_place = f"{first_row.file}:{first_row.line}:{first_row.positions[first_col]}"
    aware: bool | None = None
    stamps: list[datetime] = []
    for index, (row, column, value) in enumerate(cells):
        if isinstance(value, datetime) != first_is_dt:
            kind = "a date-time" if isinstance(value, datetime) else "a number"
            other = "date-times" if first_is_dt else "numbers"
            problems.append(row.problem(
                column, f"{kind}, but the plant's times are {other} (as at {first_place}); "
                "use one form for every time"))
            continue
        if isinstance(value, datetime):
            is_aware = value.utcoffset() is not None
            if aware is None:
                aware = is_aware
            elif aware != is_aware:
                problems.append(row.problem(
                    column, "date-times with and without a time zone are mixed"))
                continue
            if index in origin_cells:
                stamps.append(value)
    if not first_is_dt:
        if start is not None:
            problems.append(Problem("--start", None, None, None,
                                      "the plant's times are numbers, so --start does not apply"))
        return TimeAxis()
    zone = first.tzinfo if aware and isinstance(first, datetime) else None
    origin: datetime | None = None
    if start is not None:
        try:
            origin = start if isinstance(start, datetime) else _as_datetime(start)
        except ValueError as err:
            problems.append(Problem("--start", None, None, None, str(err)))
        else:
            if (origin.utcoffset() is not None) != bool(aware):
                problems.append(Problem("--start", None, None, None,
                                          "give --start with a time zone exactly when the "
                                          "plant's date-times have one"))
    if origin is None:
        candidates = stamps or [v for _, _, v in cells if isinstance(v, datetime)]
        origin = min(candidates, key=_utc_naive)
    naive = _utc_naive(origin)
    naive = naive - timedelta(seconds=naive.second, microseconds=naive.microsecond)
    return TimeAxis(origin=naive, zone=zone)


def _as_datetime(text: str) -> datetime:
    value = parse_time_cell(text)
    if not isinstance(value, datetime):
        raise ValueError(f"{text!r} is not an ISO 8601 date-time")
    return value


def _utc_naive(dt: datetime) -> datetime:
    offset = dt.utcoffset()
    return dt if offset is None else (dt - offset).replace(tzinfo=None)
