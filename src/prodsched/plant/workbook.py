"""Reading a plant from one .xlsx workbook: one sheet per plant file.

Sheet names are the file names without ``.csv`` (``orders``, ``products``,
``routings``, ``machines``, ``setups``, ``calendar``, ``resources``, ``fixed``,
``plant``), matched
case-insensitively with surrounding spaces stripped (``orders.csv`` is
accepted too). Every sheet is read exactly as the CSV file would be: each
cell becomes the text a planner typed (numbers without a spurious ``.0``,
dates and date-times as ISO 8601 text), and the rows go through the same
:func:`~prodsched.plant.csvfile.parse_table` and
:func:`~prodsched.plant.build.build_plant` as a plant folder, so every rule of
the plant format holds for workbooks alike. A problem names the sheet as
``plant.xlsx[orders]``, the spreadsheet's row number and the column number
(A = 1).

Formulas are read as the values the spreadsheet last computed (a workbook
never opened in a spreadsheet program has none: such a cell is empty).
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodsched.errors import PlantError, Problem
from prodsched.plant.build import PLANT_FILES, Limits, build_plant
from prodsched.plant.csvfile import Table, parse_table
from prodsched.plant.limits import size_text
from prodsched.plant.rows import columns_of

if TYPE_CHECKING:
    from prodsched.plant.model import Plant

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def sheet_name(file: str) -> str:
    """The sheet that holds a plant file: ``orders.csv`` → ``orders``."""
    return file.removesuffix(".csv")


def cell_text(value: Any) -> str:
    """A cell's value as the text a planner typed.

    ``None``, NaN and missing values are empty; whole numbers have no
    ``.0``; other numbers are written with at most 15 significant digits
    (what a spreadsheet shows, without binary noise such as
    ``0.30000000000000004``); dates and date-times are ISO 8601 text, to the
    minute when there are no seconds; text is stripped.
    """
    if value is None or _missing(value):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return format(number, ".15g")
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else cell_text(float(value))
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, timedelta):
        return cell_text(value.total_seconds() / 60)
    return _other_text(value)


def _missing(value: Any) -> bool:
    """NaN, NaT and pandas' NA (which are not equal to themselves)."""
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses to be a bool
        return True


def _datetime_text(value: datetime) -> str:
    whole_minute = value.second == 0 and value.microsecond == 0
    return value.isoformat(timespec="minutes" if whole_minute else "seconds")


def _other_text(value: Any) -> str:
    """pandas and numpy scalars (Timestamp, NaT, NA, numpy numbers) without importing them."""
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        try:
            return _datetime_text(value.to_pydatetime())
        except ValueError:  # NaT
            return ""
    if hasattr(value, "item"):  # numpy scalar
        return cell_text(value.item())
    text = str(value)
    return "" if text in ("<NA>", "NaT", "nan") else text.strip()


def table_from_values(
    display: str,
    rows: Iterable[Sequence[Any]],
    required: Iterable[str],
    optional: Iterable[str],
    problems: list[Problem],
    warnings: list[str],
    *,
    max_rows: int,
) -> Table | None:
    """A :class:`Table` from rows of cell values (the first non-empty row is the header).

    Row ``k`` of ``rows`` (1-based) is reported as line ``k``, and a cell's
    1-based position as its column, exactly as for a CSV file with one line
    per row. A line break inside a cell becomes a space (so that row
    numbers stay exact).
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for count, values in enumerate(rows, start=1):
        if count > max_rows + 1_000:
            break  # parse_table reports the excess; no need to read on
        texts = [cell_text(v).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
                 for v in values]
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            writer.writerow(texts)
        else:
            buffer.write("\n")
    return parse_table(buffer.getvalue(), display, required, optional, problems, warnings,
                       max_rows=max_rows)


def read_workbook_tables(
    path: Path,
    problems: list[Problem],
    warnings: list[str],
    limits: Limits,
) -> dict[str, Table]:
    """Read every plant sheet of a workbook into tables (file name → table).

    Problems (a missing required sheet, an unreadable file, bad headers) are
    appended to ``problems``; unknown sheets are reported in ``warnings``.
    """

    display = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        problems.append(Problem(display, None, None, None, "the workbook does not exist"))
        return {}
    if size > limits.max_file_bytes:
        problems.append(Problem(display, None, None, None,
                                f"the file is {size_text(size)}; the limit is "
                                f"{size_text(limits.max_file_bytes)}"))
        return {}
    book = _open(path, display, problems)
    if book is None:
        return {}
    tables: dict[str, Table] = {}
    try:
        sheets = {_key(name): name for name in book.sheetnames}
        wanted = {sheet_name(file): file for file in PLANT_FILES}
        for key, name in sheets.items():
            if key.removesuffix(".csv") not in wanted:
                warnings.append(f"{display}[{name}]: unknown sheet {name!r} is ignored "
                                f"(the plant sheets are {', '.join(wanted)})")
        for sheet, file in wanted.items():
            found = sheets.get(sheet) or sheets.get(f"{sheet}.csv")
            where = f"{path.name}[{found or sheet}]"
            if found is None:
                if PLANT_FILES[file][1]:
                    problems.append(Problem(where, None, None, None,
                                            f"the workbook has no sheet {sheet!r} (its sheets: "
                                            f"{', '.join(book.sheetnames) or 'none'})"))
                continue
            required, optional = columns_of(PLANT_FILES[file][0])
            rows = book[found].iter_rows(values_only=True)
            table = table_from_values(where, rows, required, optional, problems, warnings,
                                      max_rows=limits.max_rows)
            if table is not None:
                tables[file] = table
    finally:
        book.close()
    return tables


def _key(name: str) -> str:
    return name.strip().lower()


def _open(path: Path, display: str, problems: list[Problem]) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as err:
        hint = ("save it as an Excel workbook (.xlsx)"
                if path.suffix.lower() not in WORKBOOK_SUFFIXES else str(err) or type(err).__name__)
        problems.append(Problem(display, None, None, None,
                                f"cannot read the workbook: {hint}"))
    except OSError as err:
        problems.append(Problem(display, None, None, None,
                                f"cannot read the workbook: {err.strerror or err}"))
    return None


def load_workbook_plant(
    path: str | Path,
    *,
    start: str | datetime | None = None,
    limits: Limits | None = None,
) -> Plant:
    """Load a plant from an .xlsx workbook (one sheet per plant file).

    Parameters
    ----------
    path
        The workbook.
    start
        Time 0 for a plant whose times are date-times; default: the earliest
        release or due date.
    limits
        Caps on input size.

    Returns
    -------
    Plant
        Named after the workbook's file name without its suffix.

    Raises
    ------
    PlantError
        Carrying every problem found, each as ``plant.xlsx[sheet]:row:column: message``.
    """

    book = Path(path)
    limits = limits or Limits()
    problems: list[Problem] = []
    warnings: list[str] = []
    tables = read_workbook_tables(book, problems, warnings, limits)
    if problems:
        raise PlantError(problems)
    return build_plant(tables, name=book.stem, source=book, start=start, limits=limits,
                       warnings=warnings)
