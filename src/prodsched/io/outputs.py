"""Every file a solve can write, gathered so they are written together, atomically.

schedule.csv, orders_report.csv and kpis.json are always there; for a plant
with shared resources (resources.csv) also the resources view
(``resources.html``, ``resources.png``); on request ``schedule.xlsx``, the
Parquet files and the Gantt charts. All of them
are staged first and renamed into place only once every one is on disk, so
a folder never holds a chart of one schedule beside the CSV of another.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prodsched.atomic import write_files_atomically

if TYPE_CHECKING:
    from prodsched.schedule.schedule import Schedule

XLSX_FILE = "schedule.xlsx"


def output_files(schedule: Schedule, *, xlsx: bool = False, parquet: bool = False,
                 gantt: bool = False, color_by: str = "family",
                 resources: bool | None = None) -> dict[str, str | bytes]:
    """The files of a solve (name → content).

    Parameters
    ----------
    schedule
        The schedule.
    xlsx
        Add ``schedule.xlsx`` (sheets schedule, orders_report, kpis).
    parquet
        Add ``schedule.parquet`` and ``orders_report.parquet`` (needs pyarrow).
    gantt
        Add ``gantt.html``, ``gantt.png``, ``orders.html`` and ``orders.png``.
    color_by
        Colour of the Gantt bars: ``family`` or ``product``.
    resources
        Add ``resources.html`` and ``resources.png`` (each resource's load over
        time); default: when the plant has resources.

    Raises
    ------
    UsageError
        When Parquet is asked for and pyarrow is not installed.
    """
    files: dict[str, str | bytes] = dict(schedule.render())
    if xlsx:
        from prodsched.io.schedule_tables import schedule_workbook

        files[XLSX_FILE] = schedule_workbook(schedule)
    if parquet:
        from prodsched.io.schedule_tables import schedule_parquet

        files.update(schedule_parquet(schedule))
    if gantt:
        from prodsched.gantt.files import gantt_files

        files.update(gantt_files(schedule, color_by=color_by))
    if resources if resources is not None else bool(schedule.plant.resources):
        from prodsched.gantt.resources_chart import resources_files

        files.update(resources_files(schedule))
    return files


def write_outputs(schedule: Schedule, out_dir: str | Path, *, xlsx: bool = False,
                  parquet: bool = False, gantt: bool = False,
                  color_by: str = "family") -> list[Path]:
    """Write :func:`output_files` into ``out_dir`` atomically; return their paths."""
    files = output_files(schedule, xlsx=xlsx, parquet=parquet, gantt=gantt, color_by=color_by)
    return write_files_atomically(Path(out_dir), files)
