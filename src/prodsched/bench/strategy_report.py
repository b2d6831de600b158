"""The strategy benchmark's report: tables and charts, as markdown and HTML.

From the rows of :mod:`prodsched.bench.strategies` (one per plant, strategy,
seed and setup scale):

- KPIs per strategy (means over plants and seeds at the plants' own setups);
- per plant, the best heuristic against the optimizers, and the mean
  improvement of the full optimizer;
- a trade-off chart of setup time against weighted tardiness per strategy;
- the SMED sweep (:func:`~prodsched.bench.smed.smed_table`) with its chart.

Charts are PNG files beside the report; the HTML page embeds them, so it
opens offline as one file.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from prodsched.bench.environment import markdown_header
from prodsched.bench.smed import smed_table

KPI_TABLE = {
    "score": "score", "weighted_tardiness": "weighted tardiness",
    "total_setup_time": "setup time", "total_setup_cost": "setup cost",
    "holding_cost": "holding cost", "on_time_rate": "on-time rate",
    "average_lot_size": "avg lot size", "lot_count": "lots", "relative": "score / best",
    "wall_seconds": "wall s",
}


@dataclass
class ReportInput:
    """What the report is about, besides the rows.

    Parameters
    ----------
    title
        The report's heading.
    meta
        :func:`~prodsched.bench.environment.run_metadata` of the run.
    notes
        Markdown lines describing the run (objective, plants, limits, seeds).
    """

    title: str
    meta: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _valid(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["valid"].astype(str).str.lower().isin(["true", "1"])]


def with_relative(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``relative``: score over the best valid score on the same plant and seed."""
    out = rows.copy()
    best = _valid(rows).groupby(["plant", "seed"])["score"].min().rename("best")
    out = out.join(best, on=["plant", "seed"])
    out["relative"] = out["score"] / out["best"].where(out["best"] > 0)
    out.loc[(out["best"] == 0) & (out["score"] == 0), "relative"] = 1.0
    return out.drop(columns="best")


def kpi_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Mean KPIs per strategy (valid runs), best mean score first."""
    rel = with_relative(rows)
    valid = _valid(rel)
    table = valid.groupby("strategy")[list(KPI_TABLE)].mean()
    table.insert(0, "runs", valid.groupby("strategy").size())
    table.insert(1, "valid", rel.groupby("strategy")["valid"].apply(
        lambda s: int(s.astype(str).str.lower().isin(["true", "1"]).sum())))
    return table.sort_values("relative").rename(columns=KPI_TABLE)


def plant_table(rows: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Per plant and seed: the best heuristic, each optimizer and its gain over it.

    ``<optimizer> gain %`` is ``(best heuristic − optimizer) / best heuristic``
    in percent (positive: the optimizer is better).
    """
    valid = _valid(rows)
    out = []
    for (plant, seed), group in valid.groupby(["plant", "seed"], sort=False):
        heur = group[group["strategy"].map(kinds) == "heuristic"]
        if heur.empty:
            continue
        best = heur.loc[heur["score"].idxmin()]
        base = float(best["score"])
        rec: dict[str, Any] = {"plant": plant, "seed": seed,
                               "best heuristic": best["strategy"], "its score": base}
        optimizers = sorted(set(group["strategy"][group["strategy"].map(kinds) == "optimizer"]))
        for name in optimizers:
            rec[name] = float(group.loc[group["strategy"] == name, "score"].iloc[0])
        for name in optimizers:
            rec[f"{name} gain %"] = round(gain_pct(base, rec[name]), 1)
        out.append(rec)
    return pd.DataFrame(out)


def gain_pct(base: float, value: float) -> float:
    """How much lower ``value`` is than ``base``, in percent of ``base``."""
    if base > 0:
        return 100 * (base - value) / base
    return 0.0 if value == 0 else -100.0


def tradeoff_chart(rows: pd.DataFrame, path: Path) -> Path:
    """Setup time against weighted tardiness: each run faint, each strategy's mean bold."""
    valid = _valid(rows)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    cmap = plt.get_cmap("tab20")
    for k, (name, group) in enumerate(valid.groupby("strategy")):
        color = cmap(k % 20)
        ax.scatter(group["total_setup_time"], group["weighted_tardiness"], color=color,
                   alpha=0.25, s=14)
        ax.scatter(group["total_setup_time"].mean(), group["weighted_tardiness"].mean(),
                   color=color, s=80, edgecolor="black", label=name, zorder=3)
    ax.set_xlabel("total setup time (time units)")
    ax.set_ylabel("weighted tardiness")
    ax.set_title("Setup time against tardiness (large marks: mean per strategy)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def kpi_chart(rows: pd.DataFrame, path: Path) -> Path:
    """Mean score relative to the best strategy on each plant, per strategy."""
    table = kpi_table(rows)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(table.index[::-1], table["score / best"][::-1], color="#4c78a8")
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xlabel("score / best score on the plant (mean; 1 = best)")
    ax.set_title("Score per strategy")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def smed_chart(table: pd.DataFrame, path: Path) -> Path:
    """Best lot size, score and on-time rate against the setup scale."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    panels = (("average_lot_size", "average lot size (units)"), ("score", "score (mean)"),
              ("on_time_rate", "on-time rate (mean)"))
    for name, group in table.groupby("strategy"):
        for ax, (column, label) in zip(axes, panels, strict=True):
            ax.plot(group["setup_scale"], group[column], marker="o", label=name)
            ax.set_ylabel(label)
    for ax in axes:
        ax.set_xlabel("setup time scale (1 = as planned)")
        ax.invert_xaxis()
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("SMED sweep: all changeovers scaled from 1.0 down to 0.1")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _md_table(frame: pd.DataFrame, index: bool = True) -> str:
    shown = frame.reset_index() if index else frame
    head = "| " + " | ".join(str(c) for c in shown.columns) + " |"
    rule = "|" + "---|" * len(shown.columns)
    body = ["| " + " | ".join(_fmt(v) for v in rec) + " |"
            for rec in shown.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        if abs(value) < 10:
            return f"{value:.3g}"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


@dataclass
class Report:
    """The report's parts, before they are written."""

    markdown: str
    html: str
    images: list[Path]


def build_report(runs: pd.DataFrame, smed: pd.DataFrame | None, kinds: dict[str, str],
                 info: ReportInput, out: Path) -> Report:
    """Write the charts into ``out`` and compose the markdown and HTML texts."""
    out.mkdir(parents=True, exist_ok=True)
    images = [kpi_chart(runs, out / "kpis.png"), tradeoff_chart(runs, out / "tradeoff.png")]
    kpis, plants = kpi_table(runs), plant_table(runs, kinds)
    sections: list[tuple[str, str, pd.DataFrame | None, Path | None]] = [
        ("KPIs per strategy", "Means over every plant and seed (valid runs only); "
         "`score / best` is a run's score over the best score on its plant.", kpis, images[0]),
        ("Best heuristic against the optimizers", _plant_summary(plants), plants, None),
        ("Setup time against tardiness", "Each run is a faint dot, each strategy's mean a "
         "large mark: left means fewer changeovers, low means less weighted tardiness.",
         None, images[1]),
    ]
    if smed is not None and not smed.empty:
        table = smed_table(smed)
        images.append(smed_chart(table, out / "smed.png"))
        sections.append(("SMED sweep", "Every changeover's time and cost scaled by the factor; "
                         "`best fixed-lot` is, per plant, the fixed lot size (as a multiple of "
                         "the mean order) that scored best.", table, images[-1]))
    header = markdown_header(info.title, info.meta)
    md = [header, *info.notes, ""]
    body = [f"<h1>{html.escape(info.title)}</h1>", _html_meta(header),
            "<ul>" + "".join(f"<li>{html.escape(n.lstrip('- '))}</li>" for n in info.notes)
            + "</ul>"]
    for title, text, frame, image in sections:
        md += [f"## {title}", "", text, ""]
        body += [f"<h2>{html.escape(title)}</h2>", f"<p>{html.escape(text)}</p>"]
        if frame is not None:
            md += [_md_table(frame, index=frame is kpis), ""]
            body.append(frame.to_html(float_format=lambda v: _fmt(float(v)), border=0,
                                      index=frame is kpis))
        if image is not None:
            md += [f"![{title}]({image.name})", ""]
            data = base64.b64encode(image.read_bytes()).decode("ascii")
            body.append(f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">')
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(info.title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
    return Report("\n".join(md).rstrip() + "\n", page, images)


def write_report(runs: pd.DataFrame, smed: pd.DataFrame | None, kinds: dict[str, str],
                 info: ReportInput, out: Path) -> list[Path]:
    """Write report.md, report.html and the charts into ``out``; return their paths."""
    report = build_report(runs, smed, kinds, info, out)
    (out / "report.md").write_text(report.markdown, encoding="utf-8")
    (out / "report.html").write_text(report.html, encoding="utf-8")
    return [out / "report.md", out / "report.html", *report.images]


def _plant_summary(plants: pd.DataFrame) -> str:
    gains = [c for c in plants.columns if c.endswith(" gain %")]
    if plants.empty or not gains:
        return "No plant has both a heuristic and an optimizer."
    parts = []
    for column in gains:
        name, values = column.removesuffix(" gain %"), plants[column]
        worse = plants.loc[values < 0, "plant"].tolist()
        parts.append(
            f"{name} scores on average {values.mean():.1f} % below the best heuristic "
            f"(from {values.min():.1f} % to {values.max():.1f} % over {len(values)} plant "
            f"runs; negative: worse) and is "
            + (f"worse on {', '.join(map(str, worse))}." if worse else "never worse."))
    return " ".join(parts)


def _html_meta(header: str) -> str:
    items = [line[2:] for line in header.splitlines() if line.startswith("- ")]
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}"
        "table{border-collapse:collapse;font-size:13px;margin:1em 0}"
        "td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}"
        "img{max-width:100%}")
