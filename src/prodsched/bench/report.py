"""Benchmark results on disk: the CSV of rows and the markdown summary.

The CSV accumulates: writing a row replaces an earlier row of the same set,
instance and model, so a long run can be resumed or extended and the
summary is always rebuilt from every row in the file.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from prodsched.bench.run import ResultRow

COLUMNS = tuple(f.name for f in fields(ResultRow))
Key = tuple[str, str, str]


def row_key(row: ResultRow) -> Key:
    """What identifies a row: set, instance, model."""
    return (row.set, row.instance, row.model)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:g}"
    return str(value)


def _optional(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_rows(path: Path) -> list[ResultRow]:
    """The rows of a results CSV (none when the file does not exist)."""
    if not path.exists():
        return []
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(ResultRow(
                set=r["set"], instance=r["instance"], model=r["model"],
                objective=_optional(r["objective"]), bound=_optional(r["bound"]),
                best_known=_optional(r["best_known"]),
                pct_above_bks=_optional(r["pct_above_bks"]),
                pct_gap_to_bound=_optional(r["pct_gap_to_bound"]),
                seconds=float(r["seconds"]), status=r["status"], feasible=r["feasible"] == "yes",
                time_limit=float(r["time_limit"]), workers=int(r["workers"]),
                note=r.get("note", ""), commit=r.get("commit", "")))
    return rows


def merge_rows(old: Iterable[ResultRow], new: Iterable[ResultRow]) -> list[ResultRow]:
    """``old`` with ``new`` added, a new row replacing an old one with the same key."""
    merged = {row_key(r): r for r in old}
    for r in new:
        merged[row_key(r)] = r
    return sorted(merged.values(), key=row_key)


def rows_csv(rows: Sequence[ResultRow]) -> str:
    """The results CSV text of ``rows``, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([_cell(v) for v in r.as_dict().values()])
    return buffer.getvalue()


def _mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.2f}" if values else "–"


def set_table(rows: Sequence[ResultRow], models: Sequence[str]) -> list[str]:
    """The summary table of one set: one line per model."""
    instances = sorted({r.instance for r in rows})
    by_model: dict[str, dict[str, ResultRow]] = defaultdict(dict)
    for r in rows:
        by_model[r.model][r.instance] = r
    common = [i for i in instances
              if all(by_model[m].get(i) is not None and by_model[m][i].objective is not None
                     for m in models)]
    lines = [
        "| model | instances | solved | feasible (checked) | mean % above BKS | "
        f"mean % above BKS on the {len(common)} solved by all | proven optimal | "
        "mean % gap to own bound | mean seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for model in models:
        mine = list(by_model[model].values())
        solved = [r for r in mine if r.objective is not None]
        above = [r.pct_above_bks for r in solved if r.pct_above_bks is not None]
        above_common = [v for v in (by_model[model][i].pct_above_bks for i in common)
                        if v is not None]
        gaps = [r.pct_gap_to_bound for r in solved if r.pct_gap_to_bound is not None]
        lines.append(
            f"| {model} | {len(mine)} | {len(solved)} | {sum(r.feasible for r in mine)} | "
            f"{_mean(above)} | {_mean(above_common)} | "
            f"{sum(r.status == 'optimal' for r in mine)} | {_mean(gaps)} | "
            f"{_mean([r.seconds for r in mine])} |")
    return lines


def instance_table(rows: Sequence[ResultRow], models: Sequence[str]) -> list[str]:
    """Per instance: best known, then each model's makespan, % above it and status."""
    by_instance: dict[str, dict[str, ResultRow]] = defaultdict(dict)
    for r in rows:
        by_instance[r.instance][r.model] = r
    head = "| instance | BKS | " + " | ".join(f"{m} | % | status" for m in models) + " |"
    lines = [head, "|---|---:|" + "---:|---:|---|" * len(models)]
    for name in sorted(by_instance):
        cells = by_instance[name]
        best = next((r.best_known for r in cells.values() if r.best_known is not None), None)
        parts = [name, _cell(best)]
        for m in models:
            found = cells.get(m)
            if found is None:
                parts += ["", "", "not run"]
                continue
            r = found
            status = r.status if r.feasible or r.objective is None else f"{r.status}, INFEASIBLE"
            parts += [_cell(r.objective), "" if r.pct_above_bks is None else
                      f"{r.pct_above_bks:.2f}", status]
        lines.append("| " + " | ".join(parts) + " |")
    return lines


def summary_markdown(rows: Sequence[ResultRow], header: str, label: str = "") -> str:
    """The markdown summary: run metadata, then per set a model table and an instance table.

    Parameters
    ----------
    header
        The heading with date, commit, versions and machine.
    label
        A line saying what the run is (for example that it is a sample).
    """
    models = [m for m in ("prodsched", "plain") if any(r.model == m for r in rows)]
    models += sorted({r.model for r in rows} - set(models))
    out = [header.rstrip("\n"), ""]
    if label:
        out += [f"**{label}**", ""]
    limits = sorted({(r.time_limit, r.workers) for r in rows})
    budget = ", ".join(f"{t:g} s with {w} worker(s)" for t, w in limits)
    out += [f"Budget per instance and model: {budget}. % above BKS = 100·(makespan − best "
            "known)/best known; proven optimal = the model proved its own makespan optimal; "
            "feasible = the solution passed the independent check against the instance file.",
            ""]
    per_commit = Counter(r.commit for r in rows)
    if len(per_commit) > 1:
        listing = ", ".join(f"{c or 'unrecorded'} ({n})" for c, n in sorted(per_commit.items()))
        out += [f"Rows were run at more than one commit (rows per commit): {listing}; "
                "the `commit` column of results.csv says which.", ""]
    for set_name in sorted({r.set for r in rows}):
        mine = [r for r in rows if r.set == set_name]
        out += [f"## {set_name}", "", *set_table(mine, models), "",
                "<details><summary>per instance</summary>", "",
                *instance_table(mine, models), "", "</details>", ""]
    return "\n".join(out)
