"""A plant as one .xlsx workbook: one sheet per plant file, for planners.

From CSV files (a plant folder, or ``file name → text``), every cell keeps
exactly what the file says: a cell of a numeric or time column becomes a
number or date-time cell only when that reads back as the same text (so
``007`` or ``1e3`` stay text), and every other column is text. Loading the
workbook with :func:`prodsched.load_plant` therefore gives the same plant as
the folder. From a loaded :class:`~prodsched.plant.model.Plant`, the values
are those of :func:`~prodsched.io.plant_tables.plant_tables`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from prodsched.atomic import write_files_atomically
from prodsched.io.plant_tables import TIME_COLUMNS, plant_tables
from prodsched.io.xlsx import workbook_bytes
from prodsched.plant.build import PLANT_FILES
from prodsched.plant.model import Plant
from prodsched.plant.workbook import cell_text, sheet_name

NUMBER_COLUMNS = frozenset({"quantity", "weight", "min_lot", "max_lot", "lot_multiple",
                            "holding_cost", "step", "time_per_unit", "fixed_time", "time",
                            "cost", "max_wait", "cost_per_hour", "unit_value", "capacity"})
"""Columns of the plant format that hold numbers."""


def typed_cell(column: str, text: str) -> Any:
    """The cell to write for ``text`` in ``column``: a number, a date-time or the text.

    A conversion is made only when :func:`~prodsched.plant.workbook.cell_text`
    of the result gives back ``text`` exactly.
    """
    text = text.strip()
    if not text:
        return None
    if column in NUMBER_COLUMNS or column in TIME_COLUMNS:
        for kind in (int, float):
            try:
                value: Any = kind(text)
            except ValueError:
                continue
            if math.isfinite(value) and cell_text(value) == text:
                return value
    if column in TIME_COLUMNS:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is None and cell_text(moment) == text:
            return moment
    return text


def _csv_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))]


def workbook_from_csv_files(files: Mapping[str, str]) -> bytes:
    """An .xlsx workbook of a plant's CSV files (file name → CSV text).

    Sheets follow the plant format's file order and are named after the
    files without ``.csv``; files that are not plant files are left out.
    """
    sheets = []
    for file in PLANT_FILES:
        if file not in files:
            continue
        rows = _csv_rows(files[file])
        if not rows:
            continue
        header = [h.strip() for h in rows[0]]
        columns = [h.lower() for h in header]
        body = [[typed_cell(columns[i] if i < len(columns) else "", cell)
                 for i, cell in enumerate(row)] for row in rows[1:]]
        sheets.append((sheet_name(file), header, body))
    return workbook_bytes(sheets)


def workbook_from_plant(plant: Plant) -> bytes:
    """An .xlsx workbook of a loaded plant (see :mod:`prodsched.io.plant_tables`)."""
    return workbook_bytes((t.name, t.columns, t.rows) for t in plant_tables(plant).values())


def write_plant_workbook(source: str | Path | Mapping[str, str] | Plant,
                         path: str | Path) -> Path:
    """Write a plant as an .xlsx workbook, atomically.

    Parameters
    ----------
    source
        A plant folder, a mapping of file name → CSV text (such as
        :func:`prodsched.examples.example_files`), or a loaded plant.
    path
        The workbook to write (its folder is created if needed).

    Returns
    -------
    Path
        The workbook, ready for :func:`prodsched.load_plant`.
    """
    if isinstance(source, Plant):
        content = workbook_from_plant(source)
    elif isinstance(source, Mapping):
        content = workbook_from_csv_files(source)
    else:
        folder = Path(source)
        files = {name: (folder / name).read_text(encoding="utf-8-sig")
                 for name in PLANT_FILES if (folder / name).is_file()}
        content = workbook_from_csv_files(files)
    target = Path(path)
    return write_files_atomically(target.parent, {target.name: content})[0]
