"""``prodsched solve`` on a large plant: every new best schedule written as it comes.

The solve hands each new best schedule, validated, to :meth:`Checkpoints.write`
(``SolveRequest.checkpoint``) from a background thread; it is written like the
final one — schedule.csv, orders_report.csv and kpis.json, atomically — with
``"provisional": true`` in kpis.json, so a valid schedule is on disk seconds
after the start and a reader always finds a whole one. The final write
(:meth:`Checkpoints.close` first) replaces it with everything asked for.

The extra files of ``--gantt``, ``--xlsx`` and ``--parquet`` (and the resources
view of a plant with shared resources) are drawn only for
the final schedule; those left by an earlier run are removed before the first
provisional schedule is written, so the folder never holds a chart of one
schedule beside the CSV of another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from prodsched.atomic import write_files_atomically

if TYPE_CHECKING:
    from prodsched.schedule.schedule import Schedule


class Checkpoints:
    """Writes provisional schedules into ``out_dir`` until closed.

    Parameters
    ----------
    out_dir
        The output folder.
    extras
        Names of the extra files the final write will add (removed before
        the first provisional schedule is written).
    """

    def __init__(self, out_dir: str | Path, extras: Iterable[str] = ()):
        self.out_dir = Path(out_dir)
        self.extras = tuple(extras)
        self.written = 0
        self._lock = threading.Lock()
        self._closed = False

    def write(self, schedule: Schedule, files: dict[str, str]) -> None:
        """Write a validated schedule's files (the solve's ``checkpoint``), unless closed."""
        with self._lock:
            if self._closed:
                return
            if not self.written:
                for name in self.extras:
                    (self.out_dir / name).unlink(missing_ok=True)
            write_files_atomically(self.out_dir, files)
            self.written += 1

    def close(self) -> None:
        """No more provisional writes; returns once one under way is on disk."""
        with self._lock:
            self._closed = True


def extra_names(*, gantt: bool, xlsx: bool, parquet: bool,
                resources: bool = False) -> list[str]:
    """The names of the extra files a final write adds (``resources``: the plant has
    shared resources, so the resources view is drawn)."""
    from prodsched.io.outputs import XLSX_FILE

    names = []
    if gantt:
        names += ["gantt.html", "gantt.png", "orders.html", "orders.png"]
    if xlsx:
        names.append(XLSX_FILE)
    if parquet:
        names += ["schedule.parquet", "orders_report.parquet"]
    if resources:
        names += ["resources.html", "resources.png"]
    return names
