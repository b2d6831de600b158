"""benchmarks/shifts.py: idle time, and one tiny run written to CSV and Markdown."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from prodsched import load_plant, solve
from tests.conftest import assert_valid

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "shifts.py"
spec = importlib.util.spec_from_file_location("shifts_bench", SCRIPT)
assert spec is not None and spec.loader is not None
shifts_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(shifts_bench)


def test_periods_merge_and_overlap():
    assert shifts_bench.merged([(5, 8), (0, 3), (2, 4), (8, 9), (7, 7)]) == [(0, 4), (5, 9)]
    assert shifts_bench.overlap([(0, 4), (5, 9)], [(3, 6)]) == 2


def test_idle_time_counts_available_time_neither_running_nor_setting_up(make_plant):
    # M: runs [0, 5), down [5, 10), runs [10, 15); makespan 15, so no idle time
    # N: runs [0, 3) of a 15-unit span, never down: 12 idle
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due\na,P,5,0\nb,P,5,0\nc,Q,3,0\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\nQ,1,N,1\n",
        "products.csv": "product,mode\nP,one-off\nQ,one-off\n",
        "calendar.csv": "machine,start,end\nM,5,10\n",
    })
    plant = load_plant(folder)
    schedule = solve(plant, objective="makespan", time_limit=10, workers=1)
    assert_valid(schedule)
    assert schedule.kpis.makespan == 15
    assert shifts_bench.idle_time(plant, schedule) == 12


def test_a_smoke_run_writes_csv_and_markdown(tmp_path):
    out = tmp_path / "results"
    assert shifts_bench.main(["--orders", "8", "--shifts", "2", "--time-limit", "3",
                              "--workers", "1", "--label", "smoke", "--out", str(out)]) == 0
    rows = list(csv.DictReader((out / "shifts.csv").open()))
    assert [(r["shifts"], r["pausing"]) for r in rows] == [("2", "yes"), ("2", "no")]
    assert all(r["label"] == "smoke" and r["status"] in ("optimal", "feasible", "invalid",
                                                          "no schedule") for r in rows)
    text = (out / "shifts.md").read_text()
    assert "Smoke run" in text and "commit" in text
