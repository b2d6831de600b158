"""The interactive HTML Gantt page: one self-contained file.

The page holds its style sheet, its script and the chart's data (a JSON
block); it loads nothing from anywhere, so it opens offline, from a file or an
e-mail attachment. One lane per machine (or order); runs coloured by family
or product (switchable on the page); setups hatched grey and downtime
cross-hatched dark grey; hovering a bar shows its lot, orders, quantity,
start and end; the buttons (or Ctrl + wheel) zoom the time axis; clicking a
legend entry dims every other colour.
"""

from __future__ import annotations

import html
import json
from datetime import UTC
from typing import Any

from prodsched.gantt.assets import CSS, SCRIPT
from prodsched.gantt.chart import COLOR_BY, Chart
from prodsched.gantt.colors import (
    DOWN_EDGE,
    DOWN_FILL,
    SETUP_EDGE,
    SETUP_FILL,
    color_map,
    text_color,
)


def chart_data(chart: Chart, color_by: str = "family") -> dict[str, Any]:
    """The JSON the page's script draws (compact: bars and lanes as arrays).

    Parameters
    ----------
    chart
        The chart to draw.
    color_by
        ``family`` or ``product``: the colouring the page opens with.

    Returns
    -------
    dict
        ``lanes`` as ``[label, note, late]``; ``bars`` as ``[lane, kind, start,
        end, product, family, label, details]``; ``markers`` as ``[lane, time,
        label, late]``; ``colors`` by family and by product as ``[fill, ink]``;
        ``time`` (date-time origin in epoch milliseconds and zone offset in
        minutes); ``span`` of the time axis.
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    axis = chart.time_axis
    time: dict[str, Any] = {"datetime": axis.is_datetime, "originMs": 0, "offsetMin": 0}
    if axis.origin is not None:
        time["originMs"] = round(axis.origin.replace(tzinfo=UTC).timestamp() * 1000)
        offset = axis.zone.utcoffset(axis.origin) if axis.zone is not None else None
        time["offsetMin"] = round(offset.total_seconds() / 60) if offset is not None else 0
    colors = {}
    for mode in COLOR_BY:
        colors[mode] = {key: [c, text_color(c)]
                        for key, c in color_map(chart.color_keys(mode)).items()}
    return {
        "view": chart.view,
        "colorBy": color_by,
        "span": list(chart.span),
        "time": time,
        "lanes": [[lane.label, lane.note, lane.late] for lane in chart.lanes],
        "bars": [[b.lane, b.kind, b.start, b.end, b.product, b.family, b.label,
                  [list(pair) for pair in b.details]] for b in chart.bars],
        "markers": [[m.lane, float(m.time), m.label, m.late] for m in chart.markers],
        "colors": colors,
        "look": {"setupFill": SETUP_FILL, "setupEdge": SETUP_EDGE, "downFill": DOWN_FILL,
                 "downEdge": DOWN_EDGE},
    }


def _script_json(data: dict[str, Any]) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def chart_html(chart: Chart, *, color_by: str = "family",
               links: dict[str, str] | None = None) -> str:
    """The whole HTML page of a chart.

    Parameters
    ----------
    chart
        The chart to draw (see :mod:`prodsched.gantt.chart`).
    color_by
        ``family`` or ``product``: the colouring the page opens with.
    links
        Text → relative address of pages to link to (the other view).

    Returns
    -------
    str
        A complete, self-contained HTML document.
    """
    data = _script_json(chart_data(chart, color_by))
    nav = " ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
                   for text, href in (links or {}).items())
    options = "".join(f'<option value="{c}">{c}</option>' for c in COLOR_BY)
    unit = " (minutes)" if chart.unit == "min" else " (time units)"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(chart.title)}</title>
<style>{CSS}</style>
</head>
<body data-view="{html.escape(chart.view)}">
<header>
<h1>{html.escape(chart.title)}</h1>
<p>{html.escape(chart.subtitle)}</p>
<nav>{nav}</nav>
</header>
<div class="controls">
<label>colour by <select id="color-by">{options}</select></label>
<span>zoom <button id="zoom-out" title="zoom out">&minus;</button>
<button id="zoom-in" title="zoom in (or Ctrl + wheel)">+</button>
<button id="zoom-fit" title="fit the whole schedule">fit</button></span>
<span>{len(chart.lanes)} {"machines" if chart.view == "machines" else "orders"},
{len(chart.bars)} bars; hover a bar for details</span>
</div>
<div id="legend" class="legend"></div>
<div id="scroll" class="scroll">
<div class="grid">
<div id="corner" class="corner"></div>
<svg id="axis" class="axis" xmlns="http://www.w3.org/2000/svg" role="img"
 aria-label="time axis{unit}"></svg>
<div id="names" class="names"></div>
<svg id="body" xmlns="http://www.w3.org/2000/svg" role="img"
 aria-label="{html.escape(chart.title)}"></svg>
</div>
</div>
<div id="tip" hidden></div>
<noscript><p>This chart is drawn by the page's own script; allow JavaScript to see it.</p>
</noscript>
<footer>prodsched · a self-contained page: it loads nothing from any host</footer>
<script type="application/json" id="gantt-data">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
