"""Per-group breakdown of a best-known-solution benchmark's results.csv: the numbers
behind the README's rows (JSSP la / ta01–ta20 / ta21–ta50, SDST-PFSP per setup ratio
and job count), both models side by side, and how often prodsched beats the plain model.

Run:  python benchmarks/bks_breakdown.py [benchmarks/results/bks-full/results.csv]
Prints markdown; reads only the CSV (nothing is solved or written).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

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


def breakdown(rows: pd.DataFrame) -> str:
    """Markdown: per set and group, each model's count, mean and worst % above best
    known and proven optima, and prodsched against the plain model where both ran."""
    rows = rows.assign(group=[group_of(s, i) for s, i in zip(rows["set"], rows["instance"],
                                                                 strict=True)])
    out = []
    for set_name, in_set in rows.groupby("set", sort=True):
        out += [f"## {set_name}", "",
                "| group | model | instances | mean % above BKS | worst % | proven optimal |",
                "|---|---|---:|---:|---:|---:|"]
        for (group, model), g in in_set.groupby(["group", "model"], sort=True):
            out.append(f"| {group} | {model} | {len(g)} | {g['pct_above_bks'].mean():.2f} | "
                       f"{g['pct_above_bks'].max():.2f} | {(g['status'] == 'optimal').sum()} |")
        paired = in_set.pivot_table(index="instance", columns="model", values="objective")
        if {"prodsched", "plain"} <= set(paired.columns):
            both = paired.dropna()
            out += ["", f"prodsched against plain on the {len(both)} instances both solved: "
                    f"better on {(both['prodsched'] < both['plain']).sum()}, "
                    f"worse on {(both['prodsched'] > both['plain']).sum()}, "
                    f"equal on {(both['prodsched'] == both['plain']).sum()}."]
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT
    print(breakdown(pd.read_csv(path)))


if __name__ == "__main__":
    main(sys.argv[1:])
