"""pandas DataFrames both ways, for notebooks and data pipelines.

- :func:`plant_to_frames` / :func:`plant_from_frames`: a plant as one
  DataFrame per plant file (``orders``, ``products``, ``routings``,
  ``machines``, ``setups``, ``calendar``, ``resources``, ``fixed``,
  ``plant``). Frames are read through the same
  tables and checks as a plant folder, so a problem names the frame, the row
  and the column: ``frames[orders]:3:3: quantity: ...`` is the frame's
  second data row (line 1 is the header, as in the CSV file
  ``frame.to_csv(index=False)`` would write) and its third column.
- :func:`schedule_frame` / :func:`schedule_from_frame`: a schedule as a
  typed DataFrame (the columns of schedule.csv; times as numbers or
  Timestamps) and back, for plotting and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from prodsched.errors import PlantError, Problem
from prodsched.io.plant_tables import TIME_COLUMNS, plant_tables
from prodsched.plant.build import PLANT_FILES, Limits, build_plant
from prodsched.plant.rows import columns_of
from prodsched.plant.workbook import cell_text, table_from_values
from prodsched.schedule.schedule import SCHEDULE_COLUMNS

if TYPE_CHECKING:
    from prodsched.plant.model import Plant
    from prodsched.schedule.schedule import Schedule, SolveInfo


WHOLE_COLUMNS = frozenset({("products", "max_lot"), ("routings", "max_wait"),
                           ("fixed", "step"), ("fixed", "quantity")})
"""(frame, column) of whole numbers that may be empty: nullable integers in a frame."""


def plant_to_frames(plant: Plant) -> dict[str, pd.DataFrame]:
    """The plant as one DataFrame per plant file.

    Parameters
    ----------
    plant
        A loaded plant.

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``orders``, ``products``, ``routings``, ``machines`` and, when the
        plant has them, ``setups``, ``calendar``, ``resources``, ``fixed``
        and ``plant``; columns as in the plant format (the columns of spec v2
        only when the plant uses them). Times are numbers, or Timestamps for
        a plant with date-times; empty cells are missing values.
        :func:`plant_from_frames` turns them back into the same plant.
    """
    frames = {}
    datetimes = plant.time_axis.is_datetime
    for table in plant_tables(plant).values():
        frame = pd.DataFrame.from_records(table.rows, columns=list(table.columns))
        for column in table.columns:
            if column in TIME_COLUMNS:
                frame[column] = (pd.to_datetime(frame[column]) if datetimes
                                 else pd.to_numeric(frame[column]))
            elif (table.name, column) in WHOLE_COLUMNS:
                frame[column] = frame[column].astype("Int64")
        frames[table.name] = frame
    return frames


def _frame_rows(frame: pd.DataFrame) -> list[list[Any]]:
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    rows: list[list[Any]] = [[str(c) for c in frame.columns]]
    rows += [list(record) for record in frame.itertuples(index=False, name=None)]
    return rows


def plant_from_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    name: str = "plant",
    start: str | datetime | None = None,
    limits: Limits | None = None,
) -> Plant:
    """Build a plant from DataFrames, with every check of a plant folder.

    Parameters
    ----------
    frames
        Frame name → DataFrame: ``orders`` and ``routings`` are required,
        ``products``, ``machines``, ``setups``, ``calendar``, ``resources``,
        ``fixed`` and ``plant`` optional
        (``orders.csv`` and so on are accepted as names too). Cells may be
        text, numbers, Timestamps or missing values; a named index is read
        as a column.
    name
        The plant's name.
    start
        Time 0 for a plant with date-times; default: the earliest release or due date.
    limits
        Caps on input size.

    Returns
    -------
    Plant

    Raises
    ------
    PlantError
        Carrying every problem, each as ``frames[orders]:line:column: message``
        (line 1 is the header, line 2 the first row).
    """
    limits = limits or Limits()
    problems: list[Problem] = []
    warnings: list[str] = []
    tables = {}
    given = {key.strip().lower().removesuffix(".csv"): key for key in frames}
    for key in given:
        if f"{key}.csv" not in PLANT_FILES:
            warnings.append(f"frames[{given[key]}]: unknown frame {given[key]!r} is ignored")
    for file, (schema, required_file) in PLANT_FILES.items():
        sheet = file.removesuffix(".csv")
        display = f"frames[{sheet}]"
        if sheet not in given:
            if required_file:
                problems.append(Problem(display, None, None, None, "the frame is missing"))
            continue
        frame = frames[given[sheet]]
        if not isinstance(frame, pd.DataFrame):
            problems.append(Problem(display, None, None, None,
                                    f"expected a DataFrame, got {type(frame).__name__}"))
            continue
        required, optional = columns_of(schema)
        table = table_from_values(display, _frame_rows(frame), required, optional, problems,
                                  warnings, max_rows=limits.max_rows)
        if table is not None:
            tables[file] = table
    if problems:
        raise PlantError(problems)
    return build_plant(tables, name=name, start=start, limits=limits, warnings=warnings)


def schedule_frame(schedule: Schedule) -> pd.DataFrame:
    """The schedule's rows as a typed DataFrame (the columns of schedule.csv).

    Unlike :meth:`Schedule.to_dataframe` (the CSV's text), ``step`` and
    ``quantity`` are nullable integers, text columns are strings with missing
    values where the CSV cell is empty, and ``start``/``end`` are numbers, or
    Timestamps (in the plant's time zone, if it has one) for a plant with
    date-times.
    """
    from prodsched.io.schedule_tables import schedule_table_frame

    return schedule_table_frame(schedule)


def schedule_from_frame(plant: Plant, frame: pd.DataFrame,
                        info: SolveInfo | None = None) -> Schedule:
    """A schedule from a DataFrame with the columns of schedule.csv.

    Accepts :meth:`Schedule.to_dataframe`, :func:`schedule_frame` or any frame
    with those columns, rows in any order (they are sorted by machine, then
    start, as schedule.csv is). The rows are checked by the validator's
    reader, so the result can be drawn (:meth:`Schedule.plot`) and validated.

    Parameters
    ----------
    plant
        The plant the schedule is for.
    frame
        The rows.
    info
        Status, objective and bound to attach.

    Raises
    ------
    ScheduleFileError
        When a row cannot be read; each problem names ``frame`` and the row's
        line as given (the header being line 1, the first row line 2).
    """
    import csv
    import io

    from prodsched.io.read_schedule import ScheduleFileError, schedule_from_csv

    missing = [c for c in SCHEDULE_COLUMNS if c not in frame.columns]
    if missing:
        raise ScheduleFileError([Problem("frame", 1, None, None,
                                         f"missing column(s): {', '.join(missing)}")])
    texts = [[cell_text(v) for v in record] for record in
             frame[list(SCHEDULE_COLUMNS)].itertuples(index=False, name=None)]

    def key(cells: list[str]) -> tuple[str, float]:
        try:
            return (cells[0], float(plant.time_axis.parse(cells[8])))
        except ValueError:
            return (cells[0], float("-inf"))

    order = sorted(range(len(texts)), key=lambda i: key(texts[i]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCHEDULE_COLUMNS)
    writer.writerows(texts[i] for i in order)
    try:
        return schedule_from_csv(plant, buffer.getvalue(), info, file="frame")
    except ScheduleFileError as err:
        # lines of the sorted text → lines of the frame as given (header = line 1)
        raise ScheduleFileError([
            replace(p, line=order[p.line - 2] + 2) if p.line and p.line >= 2 else p
            for p in err.problems]) from None
