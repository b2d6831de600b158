"""The Gantt files of a schedule: two HTML pages and two PNG images."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prodsched.gantt.chart import machine_chart, order_chart
from prodsched.gantt.figure import chart_figure, figure_png
from prodsched.gantt.html import chart_html

if TYPE_CHECKING:
    from prodsched.schedule.schedule import Schedule

GANTT_FILES = ("gantt.html", "gantt.png", "orders.html", "orders.png")
"""The files :func:`gantt_files` makes."""


def gantt_files(schedule: Schedule, *, color_by: str = "family",
                png: bool = True) -> dict[str, str | bytes]:
    """The machine and order views of a schedule as files (name → content).

    Parameters
    ----------
    schedule
        The schedule to draw.
    color_by
        ``family`` or ``product``.
    png
        Also draw the PNG images (``gantt.png``, ``orders.png``).

    Returns
    -------
    dict[str, str | bytes]
        ``gantt.html`` (one row per machine), ``orders.html`` (one row per
        order, late orders marked) and, with ``png``, their images.
    """
    machines, orders = machine_chart(schedule), order_chart(schedule)
    files: dict[str, str | bytes] = {
        "gantt.html": chart_html(machines, color_by=color_by,
                                 links={"orders view": "orders.html"}),
        "orders.html": chart_html(orders, color_by=color_by,
                                  links={"machines view": "gantt.html"}),
    }
    if png:
        files["gantt.png"] = figure_png(chart_figure(machines, color_by=color_by))
        files["orders.png"] = figure_png(chart_figure(orders, color_by=color_by))
    return files


def write_gantt(schedule: Schedule, out_dir: str | Path, *, color_by: str = "family",
                png: bool = True) -> list[Path]:
    """Write :func:`gantt_files` into ``out_dir`` atomically; return their paths."""
    from prodsched.atomic import write_files_atomically

    return write_files_atomically(Path(out_dir), gantt_files(schedule, color_by=color_by,
                                                             png=png))
