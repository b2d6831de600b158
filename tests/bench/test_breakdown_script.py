"""benchmarks/bks_breakdown.py: the README's groups and the paired counts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from prodsched.bench.run import ResultRow

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bks_breakdown.py"
spec = importlib.util.spec_from_file_location("bks_breakdown", SCRIPT)
assert spec is not None and spec.loader is not None
bks_breakdown = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bks_breakdown)


def test_groups_follow_the_readme():
    group_of = bks_breakdown.group_of
    assert group_of("jssp", "la17") == "la01–la40"
    assert group_of("jssp", "ta20") == "ta01–ta20"
    assert group_of("jssp", "ta21") == "ta21–ta50"
    assert group_of("sdst_pfsp", "SDST10_ta030") == "setup ratio  10 %, 20 jobs"
    assert group_of("sdst_pfsp", "SDST125_ta031") == "setup ratio 125 %, 50 jobs"
    assert group_of("fjsp", "mk03") == "all"


def row(instance: str, model: str, objective: int, pct: float, status: str) -> ResultRow:
    return ResultRow(set="jssp", instance=instance, model=model, objective=objective,
                     bound=None, best_known=None, pct_above_bks=pct, pct_gap_to_bound=None,
                     seconds=1.0, status=status, feasible=True, time_limit=60, workers=2)


def test_breakdown_counts_each_model_and_the_pairs():
    rows = [row("la01", "prodsched", 666, 0.0, "optimal"),
            row("la01", "plain", 666, 0.0, "optimal"),
            row("ta21", "prodsched", 1700, 1.0, "feasible"),
            row("ta21", "plain", 1720, 2.2, "feasible"),
            row("ta22", "prodsched", 1800, 3.0, "feasible")]
    text = bks_breakdown.breakdown(rows)
    ta = text[text.index("## jssp, ta21–ta50"):]
    assert "| prodsched | 2 | 2 | 2 | 2.00 | 1.00 | 0 | – | 1.00 |" in ta
    assert "Worst % above BKS: plain 2.20, prodsched 3.00." in ta
    la = text[text.index("## jssp, la01–la40"):text.index("## jssp, ta21–ta50")]
    assert "| plain | 1 | 1 | 1 | 0.00 | 0.00 | 1 | – | 1.00 |" in la
    assert "on the 2 instances both solved: better on 1, worse on 0, equal on 1." in text
