"""The plant-wide files: resources.csv (shared resources) and plant.csv (settings).

- Every resource a ``resources`` cell of routings.csv or setups.csv names is
  defined in resources.csv (each name once; capacity a whole number >= 1).
  A row that holds more of a resource than exists is not an input error:
  the plant is infeasible (:func:`prodsched.feasibility.preflight` says which
  rows).
- plant.csv has one data row; its ``now`` is the moment of planning, in
  whole time units rounded up (nothing new starts before it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction

from prodsched.errors import Problem
from prodsched.plant.checks import time_beyond_span
from prodsched.plant.csvfile import Row
from prodsched.plant.model import Resource
from prodsched.plant.rows import ResourceRow, SettingsRow, parse_resources
from prodsched.plant.values import TimeAxis


def unknown_resources(rows: Mapping[str, Sequence[Row]], defined: frozenset[str],
                      has_file: bool) -> list[Problem]:
    """A problem per resource named in a ``resources`` cell but not in resources.csv.

    Parameters
    ----------
    rows
        The rows of each file with a ``resources`` column, by file name.
    defined
        Every resource resources.csv names (parsed or not).
    has_file
        Whether the plant has a resources.csv (for the message).
    """
    where = "resources.csv has no such resource" if has_file else "there is no resources.csv"
    problems: list[Problem] = []
    for file_rows in rows.values():
        for row in file_rows:
            text = row.cells.get("resources", "")
            if not text:
                continue
            try:
                uses = parse_resources(text)
            except ValueError:
                continue  # reported by the row's schema
            problems.extend(row.problem("resources", f"unknown resource {use.resource!r} "
                                                     f"({where})")
                            for use in uses if use.resource not in defined)
    return problems


def resources_of(parsed: Sequence[tuple[Row, object]]) -> dict[str, Resource]:
    """The resources of resources.csv, by name, in file order."""
    out: dict[str, Resource] = {}
    for _row, v in parsed:
        assert isinstance(v, ResourceRow)
        out.setdefault(v.resource, Resource(v.resource, v.capacity))
    return out


def planning_moment(raw: Sequence[Row], parsed: Sequence[tuple[Row, object]], axis: TimeAxis,
                    problems: list[Problem]) -> int | None:
    """plant.csv's ``now`` in whole time units (rounded up), or ``None``.

    A second data row is a problem (at its line).
    """
    for row in raw[1:]:
        problems.append(row.problem(None, f"plant.csv has one data row; this is another (the "
                                          f"first is on line {raw[0].line})"))
    if not parsed or parsed[0][0] is not raw[0]:
        return None
    row, v = parsed[0]
    assert isinstance(v, SettingsRow)
    if v.now is None:
        return None
    units = _units(axis, v.now)
    if units is None:
        return None
    far = time_beyond_span(row, "now", units)
    if far is not None:
        problems.append(far)
        return None
    return math.ceil(units)


def _units(axis: TimeAxis, value: Fraction | datetime) -> Fraction | None:
    try:
        return axis.units(value)
    except ValueError:
        return None  # a mixed form, reported with the plant's time axis
