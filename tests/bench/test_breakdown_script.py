"""benchmarks/bks_breakdown.py: the README's groups and the paired counts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

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


def test_breakdown_counts_each_model_and_the_pairs():
    rows = pd.DataFrame({
        "set": ["jssp"] * 5,
        "instance": ["la01", "la01", "ta21", "ta21", "ta22"],
        "model": ["prodsched", "plain", "prodsched", "plain", "prodsched"],
        "objective": [666, 666, 1700, 1720, 1800],
        "pct_above_bks": [0.0, 0.0, 1.0, 2.2, 3.0],
        "status": ["optimal", "optimal", "feasible", "feasible", "feasible"],
    })
    text = bks_breakdown.breakdown(rows)
    assert "| ta21–ta50 | prodsched | 2 | 2.00 | 3.00 | 0 |" in text
    assert "| la01–la40 | plain | 1 | 0.00 | 0.00 | 1 |" in text
    assert "on the 2 instances both solved: better on 1, worse on 0, equal on 1." in text
