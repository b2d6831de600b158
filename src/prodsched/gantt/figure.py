"""The static Gantt chart (matplotlib), for reports and notebooks.

Legible at any size: a bar is labelled (with its lot id) only when the label
fits inside it, measured with the figure's own renderer once the layout is
fixed, so labels never overlap; the legend lists one colour per family (or
product) beside the chart, with the hatched setup and downtime swatches. The
figure is made without pyplot (no GUI backend, no global state), so it works
in scripts, servers and notebooks alike.
"""

from __future__ import annotations

import io
import math
from datetime import UTC
from typing import TYPE_CHECKING, Any

from prodsched.gantt.chart import COLOR_BY, Chart, Schedule, build_chart
from prodsched.gantt.colors import (
    DOWN_EDGE,
    DOWN_FILL,
    LATE,
    SETUP_EDGE,
    SETUP_FILL,
    color_map,
    text_color,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 110
WIDTH_INCHES = 14.0
LABEL_POINTS = 7.0
BAR_HEIGHT = 0.72


def _lane_inches(lanes: int) -> float:
    return 0.42 if lanes <= 30 else 0.2


def _to_x(chart: Chart) -> Any:
    """Time units → x values: the units themselves, or matplotlib date numbers."""
    axis = chart.time_axis
    if axis.origin is None:
        return lambda units: float(units)
    from matplotlib import dates

    base = float(dates.date2num(axis.origin.replace(tzinfo=UTC)))
    return lambda units: base + float(units) / 1440.0


def _time_ticks(ax: Axes, chart: Chart) -> None:
    from matplotlib import dates, ticker

    axis = chart.time_axis
    if axis.origin is None:
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=14, integer=True))
        ax.set_xlabel("time units")
        return
    zone = axis.zone or UTC
    locator = dates.AutoDateLocator(tz=zone, minticks=5, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(
        locator, tz=zone, formats=["%Y", "%b", "%a %d", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%b", "%a %d", "%H:%M", "%H:%M"]))


def chart_figure(chart: Chart, *, color_by: str = "family", ax: Axes | None = None,
                 width: float = WIDTH_INCHES) -> Figure:
    """Draw a chart with matplotlib.

    Parameters
    ----------
    chart
        The chart (see :mod:`prodsched.gantt.chart`).
    color_by
        ``family`` or ``product``.
    ax
        Draw into these axes (their figure's layout is kept); default: a new
        figure sized for the chart.
    width
        Width in inches of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (with an Agg canvas, ready for ``savefig``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    n = max(1, len(chart.lanes))
    if ax is None:
        height = max(2.8, 1.6 + n * _lane_inches(n))
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        own = True
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
        if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
            FigureCanvasAgg(fig)
        own = False
    x = _to_x(chart)
    colors = color_map(chart.color_keys(color_by))
    _draw_bars(ax, chart, color_by, colors, x)
    low, high = chart.span
    margin = (high - low) * 0.005
    ax.set_xlim(x(low - margin), x(high + margin))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(len(chart.lanes)))
    ax.set_yticklabels([f"{lane.label}  {lane.note}".strip() for lane in chart.lanes],
                       fontsize=8 if n <= 30 else 6)
    for label, lane in zip(ax.get_yticklabels(), chart.lanes, strict=True):
        if lane.late:
            label.set_color(LATE)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _time_ticks(ax, chart)
    ax.tick_params(axis="x", labelsize=8)
    if own:
        fig.suptitle(chart.title, x=0.01, ha="left", fontsize=12, fontweight="bold")
        ax.set_title(chart.subtitle, loc="left", fontsize=8.5, color="#444444")
        _legend(fig, chart, colors, height_inches=fig.get_figheight())
    fig.draw_without_rendering()
    if own:
        fig.set_layout_engine("none")
    _label_bars(ax, chart, x, color_by, colors)
    return fig


def _draw_bars(ax: Axes, chart: Chart, color_by: str, colors: dict[str, str], x: Any) -> None:
    groups: dict[str, list[tuple[float, float, int, str]]] = {
        "run": [], "setup": [], "down": [], "previous": []}
    for bar in chart.bars:
        left, right = x(bar.start), x(bar.end)
        color = colors.get(chart.key_of(bar, color_by), "#999999")
        groups[bar.kind].append((left, right - left, bar.lane, color))
    before = groups["previous"]  # a re-plan's previous runs: dashed outlines behind
    if before:
        ax.barh([b[2] for b in before], [b[1] for b in before], left=[b[0] for b in before],
                height=BAR_HEIGHT + 0.15, color="none", edgecolor="#66666699",
                linestyle="--", linewidth=0.6, zorder=0)
    runs = groups["run"]
    if runs:
        ax.barh([r[2] for r in runs], [r[1] for r in runs], left=[r[0] for r in runs],
                height=BAR_HEIGHT, color=[r[3] for r in runs], edgecolor="#00000066",
                linewidth=0.4)
    for kind, fill, edge, hatch in (("setup", SETUP_FILL, SETUP_EDGE, "////"),
                                    ("down", DOWN_FILL, DOWN_EDGE, "xx")):
        bars = groups[kind]
        if bars:
            ax.barh([b[2] for b in bars], [b[1] for b in bars], left=[b[0] for b in bars],
                    height=BAR_HEIGHT, color=fill, edgecolor=edge, hatch=hatch, linewidth=0.4)
    if chart.markers:
        for late in (False, True):
            marks = [m for m in chart.markers if m.late == late]
            if marks:
                ax.vlines([x(m.time) for m in marks], [m.lane - 0.45 for m in marks],
                          [m.lane + 0.45 for m in marks], colors=LATE if late else "#222222",
                          linewidth=1.6)


def _legend(fig: Figure, chart: Chart, colors: dict[str, str], height_inches: float) -> None:
    from matplotlib.patches import Patch

    handles: list[Artist] = [Patch(facecolor=c, edgecolor="#00000066", label=key)
                             for key, c in colors.items()]
    kinds = {b.kind for b in chart.bars}
    if "setup" in kinds:
        handles.append(Patch(facecolor=SETUP_FILL, edgecolor=SETUP_EDGE, hatch="////",
                             label="setup"))
    if "down" in kinds:
        handles.append(Patch(facecolor=DOWN_FILL, edgecolor=DOWN_EDGE, hatch="xx",
                             label="unavailable"))
    if chart.markers:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="#222222", linewidth=1.6, label="due date"))
        if any(m.late for m in chart.markers):
            handles.append(Line2D([], [], color=LATE, linewidth=1.6, label="due (late)"))
    rows = max(4, int((height_inches - 0.8) * 72 / (8 * 1.9)))
    fig.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False,
               ncols=max(1, math.ceil(len(handles) / rows)))


def _label_bars(ax: Axes, chart: Chart, x: Any, color_by: str, colors: dict[str, str]) -> None:
    """Put each run's label on it where the label fits (measured in pixels)."""
    from matplotlib.font_manager import FontProperties

    fig = ax.get_figure()
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    font = FontProperties(size=LABEL_POINTS)
    to_px = ax.transData.transform
    last_end: dict[int, float] = {}
    widths: dict[str, tuple[float, float]] = {}
    pad = 2.0 * fig.dpi / 72
    for bar in chart.bars:
        if bar.kind != "run" or not bar.label:
            continue
        (x0, y0), (x1, y1) = to_px([(x(bar.start), bar.lane - BAR_HEIGHT / 2),
                                    (x(bar.end), bar.lane + BAR_HEIGHT / 2)])
        left, right = min(x0, x1), max(x0, x1)
        if bar.label not in widths:
            w, h, _ = renderer.get_text_width_height_descent(bar.label, font, ismath=False)
            widths[bar.label] = (w, h)
        w, h = widths[bar.label]
        if w + 2 * pad > right - left or h + pad > abs(y1 - y0):
            continue
        if left < last_end.get(bar.lane, -math.inf):
            continue
        last_end[bar.lane] = right
        background = colors.get(chart.key_of(bar, color_by), "#999999")
        text = ax.text((x(bar.start) + x(bar.end)) / 2, bar.lane, bar.label, ha="center",
                       va="center", fontsize=LABEL_POINTS, color=text_color(background),
                       clip_on=True)
        text.set_in_layout(False)
        text.set_gid("bar-label")


def gantt_figure(schedule: Schedule, *, view: str = "machines", color_by: str = "family",
                 ax: Axes | None = None) -> Figure:
    """The Gantt chart of a schedule as a matplotlib figure.

    Parameters
    ----------
    schedule
        The schedule to draw.
    view
        ``machines`` (one row per machine) or ``orders`` (one row per order,
        late orders in red).
    color_by
        ``family`` or ``product``.
    ax
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return chart_figure(build_chart(schedule, view), color_by=color_by, ax=ax)


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (at the figure's own resolution)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": "prodsched"})
    return buffer.getvalue()
