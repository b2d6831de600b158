"""The resources view of a schedule: each shared resource's load over time.

One row per resource of resources.csv: its load (how much of it the runs and
setups hold) as a step profile against its capacity (a dashed line), over the
schedule's span. ``resources.html`` is one self-contained page (inline SVG
drawn here, a few lines of script for the zoom, nothing loaded from any
host): hovering a step shows its time, its load and the runs and setups
holding the resource then; a table gives the figures of kpis.json
``resources``. ``resources.png`` draws the same profiles with matplotlib
(without pyplot). A load above the capacity (a schedule that breaks rule 10)
is drawn in red.

The resources a row holds follow from the plant
(:mod:`prodsched.schedule.resource_kpis`), as schedule.csv names none.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from prodsched.gantt.chart import Schedule
from prodsched.gantt.colors import LATE, PALETTE, SETUP_EDGE
from prodsched.plant.values import TimeAxis
from prodsched.schedule.resource_kpis import (
    LoadStep,
    ResourceHold,
    ResourceKpis,
    load_profile,
    resource_holds,
    resource_kpis,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RESOURCES_FILES = ("resources.html", "resources.png")
"""The files :func:`resources_files` makes."""

LOAD_FILL = PALETTE[0]
OVER_FILL = LATE
SHOWN_HOLDERS = 10  # rows named in one tooltip before "… and N more"


@dataclass(frozen=True)
class ResourceLane:
    """One row of the view: a resource, its figures and its load profile."""

    name: str
    kpis: ResourceKpis
    profile: tuple[LoadStep, ...]

    @property
    def top(self) -> int:
        """The load the lane's height stands for (at least the capacity)."""
        return max(self.kpis.capacity, self.kpis.peak, 1)


def resource_lanes(schedule: Schedule) -> list[ResourceLane]:
    """A lane per resource of the plant (resources.csv order)."""
    figures = resource_kpis(schedule.plant, schedule.rows)
    holds = resource_holds(schedule.plant, schedule.rows)
    return [ResourceLane(name, figures[name], tuple(load_profile(holds[name])))
            for name in figures]


def time_span(schedule: Schedule) -> tuple[int, int]:
    """``[first row start (at most 0), last row end]``: the span every lane shares."""
    rows = [r for r in schedule.rows if r.kind in ("run", "setup")]
    low = min([0, *(r.start for r in rows)])
    high = max([low + 1, *(r.end for r in rows)])
    return low, high


def holder_text(hold: ResourceHold) -> str:
    """``run of lot L step 2 on M1 (1)`` or ``setup of lot L on M1 (1)``."""
    row = hold.row
    step = f" step {row.step}" if row.kind == "run" else ""
    return f"{row.kind} of lot {row.lot}{step} on {row.machine} ({hold.amount})"


def step_text(axis: TimeAxis, lane: ResourceLane, step: LoadStep) -> str:
    """The tooltip of one step: when, how much of how much, and who holds it."""
    names = [holder_text(h) for h in step.holds]
    shown = names[:SHOWN_HOLDERS]
    if len(names) > SHOWN_HOLDERS:
        shown.append(f"… and {len(names) - SHOWN_HOLDERS} more")
    over = " (above capacity)" if step.load > lane.kpis.capacity else ""
    return (f"{lane.name}: {step.load} of {lane.kpis.capacity} held{over}, "
            f"{axis.format(step.start)} to {axis.format(step.end)}\n" + "\n".join(shown))


# -- HTML ----------------------------------------------------------------------
WIDTH, LANE_H, GAP, PAD_L, PAD_R, AXIS_H = 1200, 90, 16, 150, 16, 34


def _svg(schedule: Schedule, lanes: list[ResourceLane]) -> str:
    axis = schedule.plant.time_axis
    low, high = time_span(schedule)
    inner = WIDTH - PAD_L - PAD_R
    height = AXIS_H + len(lanes) * (LANE_H + GAP)

    def x(t: int) -> float:
        return PAD_L + inner * (t - low) / (high - low)

    parts = []
    for tick in range(7):
        t = low + (high - low) * tick // 6
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{AXIS_H - 6}" '
                     f'y2="{height}" class="grid"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{AXIS_H - 10}" text-anchor="middle">'
                     f'{html.escape(axis.format(t))}</text>')
    for i, lane in enumerate(lanes):
        top = AXIS_H + i * (LANE_H + GAP)
        base = top + LANE_H

        def y(load: int, lane: ResourceLane = lane, base: int = base) -> float:
            return base - LANE_H * load / lane.top

        k = lane.kpis
        parts.append(f'<text x="{PAD_L - 8}" y="{top + LANE_H / 2 - 4:.1f}" text-anchor="end" '
                     f'class="name">{html.escape(lane.name)}</text>')
        parts.append(f'<text x="{PAD_L - 8}" y="{top + LANE_H / 2 + 10:.1f}" '
                     f'text-anchor="end">capacity {k.capacity}, {k.utilization:.0%} used</text>')
        parts.append(f'<rect x="{PAD_L}" y="{top}" width="{inner}" height="{LANE_H}" '
                     'class="lane"/>')
        for step in lane.profile:
            if step.load <= 0:
                continue
            fill = OVER_FILL if step.load > k.capacity else LOAD_FILL
            parts.append(
                f'<rect x="{x(step.start):.2f}" y="{y(step.load):.1f}" '
                f'width="{max(x(step.end) - x(step.start), 0.5):.2f}" '
                f'height="{base - y(step.load):.1f}" fill="{fill}" class="load">'
                f'<title>{html.escape(step_text(axis, lane, step))}</title></rect>')
        cap = y(k.capacity)
        parts.append(f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{cap:.1f}" y2="{cap:.1f}" '
                     'class="capacity"/>')
        parts.append(f'<text x="{WIDTH - PAD_R - 2}" y="{cap - 3:.1f}" text-anchor="end" '
                     f'class="cap">capacity {k.capacity}</text>')
    return (f'<svg id="profiles" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="none" '
            'role="img" aria-label="load of each shared resource over time">'
            + "".join(parts) + "</svg>")


CSS = f"""
body {{ margin: 0; padding: 12px 16px; font: 13px system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; color: #222; }}
h1 {{ font-size: 18px; margin: 0 0 4px; }}
.scroll {{ overflow-x: auto; border: 1px solid #ddd; margin: 8px 0; }}
svg text {{ font-size: 10px; fill: #333; }}
svg text.name {{ font-size: 12px; font-weight: 600; }}
svg text.cap {{ fill: {OVER_FILL}; }}
rect.lane {{ fill: #fafafa; stroke: #e6e6e6; }}
rect.load:hover {{ stroke: #000; stroke-width: 1; }}
line.grid {{ stroke: #eee; }}
line.capacity {{ stroke: {OVER_FILL}; stroke-width: 1.5; stroke-dasharray: 6 3; }}
table {{ border-collapse: collapse; margin: 4px 0; }}
td, th {{ padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }}
th:first-child, td:first-child {{ text-align: left; }}
footer {{ color: #888; font-size: 11px; margin-top: 12px; }}
"""

SCRIPT = """
(function () {
  var svg = document.getElementById('profiles'), base = svg.width.baseVal.value, f = 1;
  function zoom(by) { f = by ? Math.max(1, f * by) : 1; svg.setAttribute('width', base * f); }
  document.getElementById('zoom-in').onclick = function () { zoom(2); };
  document.getElementById('zoom-out').onclick = function () { zoom(0.5); };
  document.getElementById('zoom-fit').onclick = function () { zoom(0); };
})();
"""


def resources_html(schedule: Schedule) -> str:
    """The whole self-contained page: one step profile per resource, and its figures."""
    plant, info = schedule.plant, schedule.info
    lanes = resource_lanes(schedule)
    rows = "".join(
        f"<tr><td>{html.escape(lane.name)}</td><td>{lane.kpis.capacity}</td>"
        f"<td>{lane.kpis.utilization:.1%}</td><td>{lane.kpis.peak}</td>"
        f"<td>{lane.kpis.time_at_peak}</td><td>{lane.kpis.runs}</td>"
        f"<td>{lane.kpis.setups}</td></tr>" for lane in lanes)
    table = ("<table><tr><th>resource</th><th>capacity</th><th>utilisation</th><th>peak</th>"
             "<th>time at peak</th><th>runs holding it</th><th>setups holding it</th></tr>"
             f"{rows}</table>")
    objective = "" if info.objective is None else f", objective {info.objective:g}"
    title = f"{plant.name}: shared resources"
    unit = "minutes" if plant.time_axis.is_datetime else "time units"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(info.status)}{html.escape(objective)}. Each row is one resource: the
height of the profile is how much of it the runs and setups hold, the dashed line its
capacity; hover a step to see which runs and setups hold it. Times in {unit};
utilisation is held amount × time over capacity × makespan.
<a href="gantt.html">machines view</a> (with --gantt)</p>
<div>zoom <button id="zoom-out" title="zoom out">&minus;</button>
<button id="zoom-in" title="zoom in">+</button>
<button id="zoom-fit" title="fit the whole schedule">fit</button></div>
<div class="scroll">{_svg(schedule, lanes)}</div>
{table}
<footer>prodsched · a self-contained page: it loads nothing from any host</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""


# -- PNG -------------------------------------------------------------------------
def resources_figure(schedule: Schedule) -> Figure:
    """One panel per resource, its load as a step profile against its capacity
    (matplotlib, no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lanes = resource_lanes(schedule)
    axis = schedule.plant.time_axis
    to_x = _to_x(axis)
    low, high = time_span(schedule)
    n = max(1, len(lanes))
    fig = Figure(figsize=(14, 0.9 + 1.5 * n), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    fig.suptitle(f"{schedule.plant.name}: load of each shared resource against its capacity",
                 fontsize=11)
    for ax, lane in zip(axes, lanes, strict=False):
        k = lane.kpis
        if lane.profile:  # contiguous steps: one stairs each for the load and its excess
            edges = [to_x(s.start) for s in lane.profile] + [to_x(lane.profile[-1].end)]
            loads = [s.load for s in lane.profile]
            if k.peak > k.capacity:
                ax.stairs(loads, edges, fill=True, color=OVER_FILL, linewidth=0)
            ax.stairs([min(v, k.capacity) for v in loads], edges, fill=True, color=LOAD_FILL,
                      linewidth=0)
        ax.axhline(k.capacity, color=OVER_FILL, linestyle="--", linewidth=1.2)
        ax.set_ylim(0, lane.top * 1.15)
        ax.set_ylabel(f"{lane.name}\ncap {k.capacity}, {k.utilization:.0%}", fontsize=8,
                      rotation=0, ha="right", va="center")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", color="#eee")
        ax.set_axisbelow(True)
        ax.set_xlim(to_x(low), to_x(high))
    _time_ticks(axes[-1], axis)
    if not lanes:
        axes[0].text(0.5, 0.5, "no shared resources", ha="center", va="center",
                     transform=axes[0].transAxes, color=SETUP_EDGE)
    return fig


def _to_x(axis: TimeAxis) -> Any:
    if axis.origin is None:
        return float
    from matplotlib import dates

    base = float(dates.date2num(axis.origin.replace(tzinfo=UTC)))
    return lambda units: base + float(units) / 1440.0


def _time_ticks(ax: Any, axis: TimeAxis) -> None:
    from matplotlib import dates

    if axis.origin is None:
        ax.set_xlabel("time units", fontsize=8)
        return
    zone = axis.zone or UTC
    locator = dates.AutoDateLocator(tz=zone, minticks=5, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone))


def resources_png(schedule: Schedule) -> bytes:
    """:func:`resources_figure` as PNG bytes."""
    buffer = io.BytesIO()
    fig = resources_figure(schedule)
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": "prodsched"})
    return buffer.getvalue()


def resources_files(schedule: Schedule, *, png: bool = True) -> dict[str, str | bytes]:
    """``resources.html`` and, with ``png``, ``resources.png``."""
    files: dict[str, str | bytes] = {"resources.html": resources_html(schedule)}
    if png:
        files["resources.png"] = resources_png(schedule)
    return files
