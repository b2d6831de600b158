"""Per-group breakdown of a best-known-solution benchmark's results.csv: the numbers
behind the README's rows (JSSP la / ta01–ta20 / ta21–ta50, SDST-PFSP per setup ratio
and job count), both models side by side, and how often prodsched beats the plain model.

Run:  python benchmarks/bks_breakdown.py [benchmarks/results/bks-full/results.csv]
Prints markdown; reads only the CSV (nothing is solved or written). Each group's table
is the harness's own summary table (prodsched.bench.report.set_table).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from prodsched.bench.report import read_rows, set_table
from prodsched.bench.run import ResultRow

DEFAULT = Path(__file__).resolve().parent / "results" / "bks-full" / "results.csv"


def group_of(set_name: str, instance: str) -> str:
    """The README group of an instance."""
    if set_name == "jssp":
        if instance.startswith("la"):
            return "la01–la40"
        number = int(re.sub(r"\D", "", instance) or 0)
        return "ta01–ta20" if number <= 20 else "ta21–ta50" if number <= 50 else "ta51–ta80"
    if set_name == "sdst_pfsp":
        match = re.fullmatch(r"SDST(\d+)_ta(\d+)", instance)
        if match is None:
            return "other"
        ratio, number = int(match[1]), int(match[2])
        jobs = 20 if number <= 30 else 50 if number <= 60 else 100
        return f"setup ratio {ratio:>3} %, {jobs} jobs"
    return "all"


def _comparison(rows: list[ResultRow]) -> str:
    """Worst % above best known per model, and prodsched against the plain model."""
    worst: dict[str, float] = {}
    objective: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r.pct_above_bks is not None:
            worst[r.model] = max(worst.get(r.model, r.pct_above_bks), r.pct_above_bks)
        if r.objective is not None:
            objective[r.model][r.instance] = r.objective
    text = "Worst % above BKS: " + ", ".join(f"{m} {v:.2f}" for m, v in sorted(worst.items()))
    ours, plain = objective.get("prodsched", {}), objective.get("plain", {})
    both = sorted(set(ours) & set(plain))
    if both:
        text += (f". prodsched against plain on the {len(both)} instances both solved: "
                 f"better on {sum(ours[i] < plain[i] for i in both)}, "
                 f"worse on {sum(ours[i] > plain[i] for i in both)}, "
                 f"equal on {sum(ours[i] == plain[i] for i in both)}")
    return text + "."


def breakdown(rows: list[ResultRow]) -> str:
    """Markdown: per set, the whole set and then each group, as the harness summarises a set."""
    by_set: dict[str, list[ResultRow]] = defaultdict(list)
    for r in rows:
        by_set[r.set].append(r)
    out = []
    for set_name, in_set in sorted(by_set.items()):
        models = sorted({r.model for r in in_set})
        groups: dict[str, list[ResultRow]] = defaultdict(list)
        for r in in_set:
            groups[group_of(set_name, r.instance)].append(r)
        parts = [(f"{set_name}, all", in_set)] if len(groups) > 1 else []
        parts += [(f"{set_name}, {g}", groups[g]) for g in sorted(groups)]
        for title, part in parts:
            out += [f"## {title}", "", *set_table(part, models), "", _comparison(part), ""]
    return "\n".join(out)


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT
    print(breakdown(read_rows(path)))


if __name__ == "__main__":
    main(sys.argv[1:])
