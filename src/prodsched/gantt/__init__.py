"""Gantt charts of schedules: interactive HTML pages and static PNG figures.

Two views of any schedule: machines (one row per machine, one bar per row of
schedule.csv: runs coloured by family or product, setups hatched grey,
downtime cross-hatched dark grey) and orders (one row per order, its due date
marked, late orders in red). ``compare-modes --by-product`` adds the modes
charts (:mod:`prodsched.gantt.modes_chart`); a plant with shared resources
gets the resources view (:mod:`prodsched.gantt.resources_chart`). The HTML
pages are single self-contained files
(no request to any host); the PNG figures label only the bars their labels
fit in, so they stay legible at hundreds of lots.

Examples
--------
>>> import prodsched
>>> plant = prodsched.load_plant("instances/tiny")            # doctest: +SKIP
>>> schedule = prodsched.solve(plant, time_limit=5)           # doctest: +SKIP
>>> write_gantt(schedule, "out/")                             # doctest: +SKIP
>>> fig = gantt_figure(schedule, view="orders")               # doctest: +SKIP
"""

from prodsched.gantt.chart import Bar, Chart, Lane, Marker, build_chart, machine_chart, order_chart
from prodsched.gantt.figure import chart_figure, figure_png, gantt_figure
from prodsched.gantt.files import GANTT_FILES, gantt_files, write_gantt
from prodsched.gantt.html import chart_data, chart_html
from prodsched.gantt.modes_chart import MODES_FILES, modes_figure, modes_files, modes_html
from prodsched.gantt.resources_chart import (
    RESOURCES_FILES,
    resources_figure,
    resources_files,
    resources_html,
)

__all__ = [
    "GANTT_FILES",
    "MODES_FILES",
    "RESOURCES_FILES",
    "Bar",
    "Chart",
    "Lane",
    "Marker",
    "build_chart",
    "chart_data",
    "chart_figure",
    "chart_html",
    "figure_png",
    "gantt_figure",
    "gantt_files",
    "machine_chart",
    "modes_figure",
    "modes_files",
    "modes_html",
    "order_chart",
    "resources_figure",
    "resources_files",
    "resources_html",
    "write_gantt",
]
