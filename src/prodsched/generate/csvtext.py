"""CSV text of plant files, written the same way every time.

Plants made from code (the bundled examples, the generator) are returned as
``file name → text`` so that they can be compared byte for byte, written
atomically or put in a workbook. Lines end in ``\\n``; numbers are written as a
spreadsheet user reads them (``5``, ``2.5``, ``0.02``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

from prodsched.atomic import write_files_atomically
from prodsched.plant.build import PLANT_FILES

Cell = str | int | float | Fraction | None


def cell_text(value: Cell) -> str:
    """One cell: ``None`` is empty; numbers in plain decimal, at most 6 decimals.

    ``5``, ``2.5``, ``0.02`` — never an exponent (``1e-05``), so that every
    reader, spreadsheet or human, takes the value as written.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a plant cell is never a bool")
    if isinstance(value, int):
        return str(value)
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV file: the header, then one line per row, ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row {row!r} has {len(row)} cells for {len(header)} columns")
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue()


def iso_minutes(start: datetime, minutes: int) -> str:
    """The ISO 8601 date-time ``minutes`` after ``start``, to the minute."""
    return (start + timedelta(minutes=minutes)).isoformat(timespec="minutes")


def write_plant_folder(folder: str | Path, files: dict[str, str]) -> Path:
    """Write a plant's files into ``folder`` so that it holds exactly this plant.

    The files are written atomically; any other plant file already there
    (say a calendar.csv left by an earlier plant) is removed, since it would
    silently become part of the new plant. Other files are left alone.

    Returns
    -------
    Path
        The folder.
    """
    target = Path(folder)
    write_files_atomically(target, dict(files))
    for name in PLANT_FILES:
        stale = target / name
        if name not in files and stale.is_file():
            stale.unlink()
    return target
