"""Loading a plant folder: files → rows → checked, immutable :class:`Plant`.

Every problem in every file is collected (file, line, column, message) and
raised at the end as one :class:`~prodsched.errors.PlantError`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prodsched.errors import PlantError, Problem
from prodsched.plant.build import PLANT_FILES, build_plant
from prodsched.plant.csvfile import Table, read_table
from prodsched.plant.limits import Limits
from prodsched.plant.model import Plant
from prodsched.plant.rows import columns_of
from prodsched.plant.workbook import WORKBOOK_SUFFIXES, load_workbook_plant

__all__ = ["PLANT_FILES", "Limits", "build_plant", "load_plant"]


def load_plant(
    path: str | Path,
    *,
    start: str | datetime | None = None,
    limits: Limits | None = None,
) -> Plant:
    """Load a plant folder, or a plant workbook (.xlsx, one sheet per file).

    Parameters
    ----------
    path
        The plant folder (holding at least orders.csv and routings.csv), or
        an .xlsx workbook with those sheets (see :mod:`prodsched.plant.workbook`).
    start
        Time 0 for a plant whose times are date-times (ISO 8601); default:
        the earliest release or due date.
    limits
        Caps on input size.

    Raises
    ------
    PlantError
        Carrying every problem found, each as ``file:line:column: message``.
    """
    folder = Path(path)
    limits = limits or Limits()
    if folder.suffix.lower() in WORKBOOK_SUFFIXES and not folder.is_dir():
        return load_workbook_plant(folder, start=start, limits=limits)
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise PlantError([Problem(str(folder), None, None, None, f"the plant folder {what}")])
    problems: list[Problem] = []
    warnings: list[str] = []
    tables: dict[str, Table] = {}
    for name, (schema, required) in PLANT_FILES.items():
        file = folder / name
        if not required and not file.exists():
            continue
        req, opt = columns_of(schema)
        table = read_table(file, str(file), req, opt, problems, warnings,
                           max_bytes=limits.max_file_bytes, max_rows=limits.max_rows)
        if table is not None:
            tables[name] = table
    if problems:
        raise PlantError(problems)
    return build_plant(tables, name=folder.name, source=folder, start=start, limits=limits,
                       warnings=warnings)
