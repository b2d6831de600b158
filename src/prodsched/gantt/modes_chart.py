"""Charts of ``compare-modes --by-product``: cost per unit by mode, and cost per
unit against lead time, for every product.

One row per product: on the left its cost per unit in each run (one-off,
batch, mass, auto, hybrid), the advised mode outlined; on the right the same
runs as points, cost per unit against mean lead time, so the trade-off between
economies of scale and flexibility is seen at a glance. Products get their own
scales (a drink's cost per unit and a custom part's differ a hundredfold).

``modes.html`` is one self-contained page (inline SVG drawn here, no script,
nothing loaded from any host) with the advice and the plant-level comparison;
``modes.png`` the same charts drawn by matplotlib (without pyplot).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prodsched.gantt.colors import PALETTE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from prodsched.modes_advice import ByProduct

MODES_FILES = ("modes.html", "modes.png")
"""The files :func:`modes_files` makes."""

RUN_COLORS = {"one-off": PALETTE[0], "batch": PALETTE[1], "mass": PALETTE[2],
              "auto": PALETTE[4], "hybrid": PALETTE[3]}


@dataclass(frozen=True)
class Point:
    """One run of one product: its cost per unit and mean lead time (hours)."""

    run: str
    made_as: str
    cost_per_unit: float
    lead_hours: float | None
    advised: bool


def product_points(result: ByProduct) -> dict[str, list[Point]]:
    """Per product, a point per run that made it (runs in the result's order)."""
    out: dict[str, list[Point]] = {}
    for name in result.profiles:
        advice = result.advice.get(name)
        points = []
        for label, k in result.figures(name).items():
            if k.cost_per_unit is None:
                continue
            lead = None if k.mean_lead_time is None else float(k.mean_lead_time) / 60
            points.append(Point(label, k.mode, float(k.cost_per_unit), lead,
                                advice is not None and advice.mode.value == label))
        if points:
            out[name] = points
    return out


def labelled(points: list[Point]) -> list[tuple[Point, str]]:
    """The points with a lead time, each with its label; points that fall close
    together (within 8 % of the longest lead time and 4 % of the highest cost)
    share one label, on the last drawn."""
    known = sorted((p for p in points if p.lead_hours is not None), key=lambda p: p.advised)
    if not known:
        return []
    x_span = max(p.lead_hours or 0 for p in known) or 1.0
    y_span = max(p.cost_per_unit for p in known) or 1.0
    groups: list[list[Point]] = []
    for p in known:
        for group in groups:
            q = group[0]
            if (abs((p.lead_hours or 0) - (q.lead_hours or 0)) <= 0.08 * x_span
                    and abs(p.cost_per_unit - q.cost_per_unit) <= 0.04 * y_span):
                group.append(p)
                break
        else:
            groups.append([p])
    out: list[tuple[Point, str]] = []
    for group in groups:
        names = ", ".join(q.run for q in group)
        advised = " (advised)" if any(q.advised for q in group) else ""
        out += [(q, "") for q in group[:-1]] + [(group[-1], names + advised)]
    return out


def _color(run: str) -> str:
    return RUN_COLORS.get(run, PALETTE[5])


# -- PNG ---------------------------------------------------------------------
def modes_figure(result: ByProduct) -> Figure:
    """Both charts for every product, one row per product (matplotlib)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    points = product_points(result)
    rows = max(1, len(points))
    fig = Figure(figsize=(12, 1.2 + 2.4 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(f"{result.plant.name}: which mode fits each product "
                 f"(objective {result.objective})", fontsize=11)
    axes = fig.subplots(rows, 2, squeeze=False)
    for (left, right), (name, pts) in zip(axes, points.items(), strict=False):
        runs = [p.run for p in pts]
        bars = left.bar(runs, [p.cost_per_unit for p in pts],
                        color=[_color(r) for r in runs], edgecolor="#333", linewidth=0.5)
        for bar, p in zip(bars, pts, strict=True):
            if p.advised:
                bar.set_linewidth(2.5)
                bar.set_edgecolor("#000")
                left.annotate("advised", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                              ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                              textcoords="offset points")
        left.set_title(f"{name}: cost per unit by mode", fontsize=9, loc="left")
        left.set_ylabel("cost per unit", fontsize=8)
        left.tick_params(labelsize=8)
        left.margins(y=0.15)
        for p, label in labelled(pts):
            right.scatter([p.lead_hours], [p.cost_per_unit], color=_color(p.run), s=60,
                          edgecolors="#000" if p.advised else "#333",
                          linewidths=2.5 if p.advised else 0.5, zorder=4 if p.advised else 3)
            if label:
                right.annotate(label, (p.lead_hours or 0, p.cost_per_unit), fontsize=8,
                               xytext=(5, 3), textcoords="offset points")
        right.set_title(f"{name}: cost per unit against lead time", fontsize=9, loc="left")
        right.set_xlabel("mean lead time (hours)", fontsize=8)
        right.tick_params(labelsize=8)
        right.margins(x=0.2, y=0.2)
    for left, right in axes[len(points):]:
        left.set_visible(False)
        right.set_visible(False)
    return fig


def modes_png(result: ByProduct) -> bytes:
    """:func:`modes_figure` as PNG bytes."""
    buffer = io.BytesIO()
    fig = modes_figure(result)
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": "prodsched"})
    return buffer.getvalue()


# -- HTML ----------------------------------------------------------------------
W, H, PAD_L, PAD_B, PAD_T = 380, 210, 56, 34, 14


def _nice_max(value: float) -> float:
    return value * 1.15 if value > 0 else 1.0


def _bar_svg(name: str, pts: list[Point]) -> str:
    top = _nice_max(max(p.cost_per_unit for p in pts))
    inner_w, inner_h = W - PAD_L - 10, H - PAD_B - PAD_T
    step = inner_w / len(pts)
    parts = [_axes_svg(top, inner_h, "cost per unit")]
    for i, p in enumerate(pts):
        h = inner_h * p.cost_per_unit / top
        x = PAD_L + i * step + step * 0.15
        y = PAD_T + inner_h - h
        edge = f' {_edge(p.advised)}'
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{_color(p.run)}"{edge}><title>{html.escape(p.run)}: '
                     f'{p.cost_per_unit:.4g} per unit (made as {html.escape(p.made_as)})'
                     f'</title></rect>')
        label = p.run + (" ✓" if p.advised else "")
        parts.append(f'<text x="{x + step * 0.35:.1f}" y="{H - PAD_B + 14}" '
                     f'text-anchor="middle">{html.escape(label)}</text>')
        parts.append(f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                     f'class="value">{p.cost_per_unit:.3g}</text>')
    return _svg(f"{name}: cost per unit by mode", parts)


def _scatter_svg(name: str, pts: list[Point]) -> str:
    known = [p for p in pts if p.lead_hours is not None]
    if not known:
        return ""
    top = _nice_max(max(p.cost_per_unit for p in known))
    right = _nice_max(max(p.lead_hours or 0 for p in known))
    inner_w, inner_h = W - PAD_L - 10, H - PAD_B - PAD_T
    parts = [_axes_svg(top, inner_h, "cost per unit")]
    for frac in (0.0, 0.5, 1.0):
        x = PAD_L + inner_w * frac
        parts.append(f'<text x="{x:.1f}" y="{H - PAD_B + 14}" text-anchor="middle">'
                     f'{right * frac:.3g}</text>')
    parts.append(f'<text x="{PAD_L + inner_w / 2:.1f}" y="{H - 4}" text-anchor="middle">'
                 'mean lead time (hours)</text>')
    for p, label in labelled(known):
        x = PAD_L + inner_w * (p.lead_hours or 0) / right
        y = PAD_T + inner_h - inner_h * p.cost_per_unit / top
        edge = _edge(p.advised)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{_color(p.run)}" {edge}>'
                     f'<title>{html.escape(p.run)}: {p.cost_per_unit:.4g} per unit, lead time '
                     f'{p.lead_hours:.3g} h</title></circle>')
        if label:
            parts.append(f'<text x="{x + 8:.1f}" y="{y - 6:.1f}">'
                         f'{html.escape(label.replace(" (advised)", " ✓"))}</text>')
    return _svg(f"{name}: cost per unit against lead time", parts)


def _edge(advised: bool) -> str:
    return ('stroke="#000" stroke-width="2.5"' if advised
            else 'stroke="#333" stroke-width="0.5"')


def _axes_svg(top: float, inner_h: float, label: str) -> str:
    ticks = []
    for frac in (0.0, 0.5, 1.0):
        y = PAD_T + inner_h * (1 - frac)
        ticks.append(f'<line x1="{PAD_L}" x2="{W - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="grid"/>')
        ticks.append(f'<text x="{PAD_L - 4}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{top * frac:.3g}</text>')
    ticks.append(f'<text x="12" y="{PAD_T + inner_h / 2:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {PAD_T + inner_h / 2:.1f})">{label}</text>')
    return "".join(ticks)


def _svg(title: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" '
            f'aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
            + "".join(parts) + "</svg>")


CSS = """
body { margin: 0; padding: 12px 16px; font: 13px system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 18px 0 4px; }
p.advice { margin: 4px 0; max-width: 1100px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg { background: #fff; border: 1px solid #ddd; }
svg text { font-size: 10px; fill: #333; }
svg text.value { font-size: 9px; }
line.grid { stroke: #e6e6e6; }
table { border-collapse: collapse; margin: 4px 0; }
td, th { padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }
th:first-child, td:first-child { text-align: left; }
tr.advised td { font-weight: 600; }
ul.notes li { margin: 3px 0; max-width: 1100px; }
footer { color: #888; font-size: 11px; margin-top: 12px; }
"""


def modes_html(result: ByProduct) -> str:
    """The whole self-contained page: charts, figures and advice per product, then
    the plant-level comparison."""
    from prodsched.modes_advice import duration_text, money_text

    sections = []
    for name, pts in product_points(result).items():
        advice = result.advice.get(name)
        figures = result.figures(name)
        rows = []
        for p in pts:
            k = figures[p.run]
            capital = "-" if k.working_capital is None else money_text(k.working_capital)
            lead = "-" if k.mean_lead_time is None else duration_text(k.mean_lead_time)
            mark = ' class="advised"' if p.advised else ""
            rows.append(f'<tr{mark}><td>'
                        f'{html.escape(p.run)}</td><td>{html.escape(k.mode)}</td>'
                        f'<td>{k.lots}</td><td>{k.setups}</td><td>{k.setup_share:.0%}</td>'
                        f'<td>{money_text(p.cost_per_unit)}</td><td>{lead}</td>'
                        f'<td>{float(k.mean_stock):.3g}</td><td>{float(k.mean_wip):.3g}</td>'
                        f'<td>{capital}</td><td>{k.on_time_rate:.0%}</td></tr>')
        table = ("<table><tr><th>run</th><th>made as</th><th>lots</th><th>setups</th>"
                 "<th>setup share</th><th>cost per unit</th><th>lead time</th>"
                 "<th>stock (units)</th><th>WIP (units)</th><th>working capital</th>"
                 "<th>on time</th></tr>" + "".join(rows) + "</table>")
        text = "" if advice is None else f'<p class="advice">{html.escape(advice.reason)}</p>'
        sections.append(f"<section><h2>{html.escape(name)}</h2>{text}<div class=\"charts\">"
                        f"{_bar_svg(name, pts)}{_scatter_svg(name, pts)}</div>{table}"
                        "</section>")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    title = f"{result.plant.name}: which mode fits each product"
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
<p>Every product solved one-off, in batches, in mass and in auto, and the advised mix
(hybrid) as one plant; objective {html.escape(result.objective)}. The advised mode is
outlined and ticked (✓). Times are read as minutes.</p>
<h2>The plant</h2>
<ul class="notes">{notes}</ul>
{"".join(sections)}
<footer>prodsched · a self-contained page: it loads nothing from any host</footer>
</body>
</html>
"""


def modes_files(result: ByProduct, *, png: bool = True) -> dict[str, str | bytes]:
    """``modes.html`` and, with ``png``, ``modes.png``."""
    files: dict[str, str | bytes] = {"modes.html": modes_html(result)}
    if png:
        files["modes.png"] = modes_png(result)
    return files
