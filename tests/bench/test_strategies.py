"""The strategy benchmark engine: rows, CSV, SMED scaling, the report."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from prodsched.bench.smed import scale_setups, smed_table
from prodsched.bench.strategies import (
    COLUMNS,
    PlantSpec,
    comparable,
    make_tasks,
    run_local,
    run_task,
    write_rows,
)
from prodsched.bench.strategy_report import ReportInput, plant_table, write_report
from prodsched.errors import UsageError
from prodsched.generate import GeneratorConfig
from prodsched.strategies import StrategySettings, run_strategy

SMALL = PlantSpec(name="small", generator=GeneratorConfig(
    orders=12, products=4, families=2, machines=2, setup_ratio=0.8,
    mode_mix="batch=1,one-off=1", seed=201))


def test_a_run_is_one_row_with_every_kpi_and_a_valid_schedule():
    task = make_tasks([SMALL], ["atcs"], [0], StrategySettings())[0]
    row = run_task(task)
    assert list(row) == list(COLUMNS)
    assert row["valid"] is True and row["violations"] == 0 and row["status"] == "feasible"
    assert row["kind"] == "heuristic"
    assert row["score"] == pytest.approx(
        row["weighted_tardiness"] + row["total_setup_cost"] + row["holding_cost"])
    assert row["objective"] == pytest.approx(row["score"])
    assert 0 < row["utilization_mean"] <= row["utilization_max"] <= 1
    assert row["lot_count"] > 0 and row["average_lot_size"] > 0
    assert row["wall_seconds"] > 0


def test_a_failed_run_is_a_row_with_its_reason(tmp_path):
    missing = PlantSpec(name="gone", folder=tmp_path / "no-such-plant")
    row = run_task(make_tasks([missing], ["edd"], [0], StrategySettings())[0])
    assert row["status"] == "error" and row["valid"] is False
    assert "PlantError" in row["note"]


def test_the_grid_is_plants_by_scales_by_strategies_by_seeds():
    other = PlantSpec(name="other", generator=SMALL.generator.model_copy(update={"seed": 7}))
    tasks = make_tasks([SMALL, other], ["edd", "fixed-lot:4"], [1, 2], StrategySettings(),
                       setup_scales=(1.0, 0.5))
    assert len(tasks) == 16
    assert [(t.plant.name, t.setup_scale, t.strategy, t.seed) for t in tasks[:4]] == [
        ("small", 1.0, "edd", 1), ("small", 1.0, "edd", 2),
        ("small", 1.0, "fixed-lot:4", 1), ("small", 1.0, "fixed-lot:4", 2)]
    assert all(t.settings.seed == t.seed for t in tasks)
    with pytest.raises(UsageError, match="unknown strategy"):
        make_tasks([SMALL], ["edd", "guess"], [0], StrategySettings())


def test_a_plant_needs_exactly_one_source(tmp_path):
    with pytest.raises(ValueError, match="exactly one"):
        PlantSpec(name="x")
    with pytest.raises(ValueError, match="exactly one"):
        PlantSpec(name="x", folder=tmp_path, generator=GeneratorConfig())


def test_the_csv_is_tidy_with_the_documented_columns(tmp_path):
    tasks = make_tasks([SMALL], ["edd", "eoq"], [0], StrategySettings())
    rows = run_local(tasks, jobs=1)
    path = write_rows(tmp_path / "runs.csv", rows)
    with path.open(newline="") as fh:
        read = list(csv.DictReader(fh))
    assert tuple(read[0]) == COLUMNS
    assert [r["strategy"] for r in read] == ["edd", "eoq"]
    frame = pd.read_csv(path)
    assert frame["valid"].tolist() == [True, True]
    assert frame["score"].tolist() == pytest.approx([r["score"] for r in rows])


def test_setups_scaled_by_a_factor(tmp_path):
    plant = SMALL.load()
    half, none = scale_setups(plant, 0.5), scale_setups(plant, 0)
    assert [r.time for r in half.setup_rules] == [r.time / 2 for r in plant.setup_rules]
    assert [r.cost for r in half.setup_rules] == [r.cost / 2 for r in plant.setup_rules]
    assert scale_setups(plant, 1) is plant
    free = run_strategy(none, "edd", StrategySettings())
    assert free.kpis.total_setup_time == 0 and free.kpis.total_setup_cost == 0
    with pytest.raises(ValueError):
        scale_setups(plant, -1)


def synthetic_rows() -> pd.DataFrame:
    rows = []
    for plant, scores in {"p1": {"edd": 100, "atcs": 80, "cpsat-full": 60},
                          "p2": {"edd": 50, "atcs": 70, "cpsat-full": 55}}.items():
        for strategy, score in scores.items():
            rows.append({"plant": plant, "seed": 0, "strategy": strategy, "score": score,
                         "valid": True, "setup_scale": 1.0})
    return pd.DataFrame(rows)


def test_the_plant_table_compares_the_best_heuristic_with_the_optimizer():
    kinds = {"edd": "heuristic", "atcs": "heuristic", "cpsat-full": "optimizer"}
    table = plant_table(synthetic_rows(), kinds)
    assert table["best heuristic"].tolist() == ["atcs", "edd"]
    assert table["cpsat-full gain %"].tolist() == pytest.approx([25.0, -10.0])


def test_the_smed_table_picks_the_best_fixed_lot_size_per_plant():
    rows = pd.DataFrame([
        {"plant": "p", "strategy": f"fixed-lot:{f}", "setup_scale": s, "score": score,
         "average_lot_size": 10 * f, "on_time_rate": 0.5, "total_setup_time": 1, "valid": True}
        for s, f, score in [(1.0, 1, 90), (1.0, 4, 70), (0.1, 1, 40), (0.1, 4, 60)]])
    table = smed_table(rows).set_index("setup_scale")
    assert table.loc[1.0, "lot_factor"] == 4 and table.loc[1.0, "score"] == 70
    assert table.loc[0.1, "lot_factor"] == 1 and table.loc[0.1, "average_lot_size"] == 10


def test_the_report_has_tables_and_charts(tmp_path: Path):
    strategies = ["edd", "atcs", "fixed-lot:1", "fixed-lot:4"]
    tasks = make_tasks([SMALL], strategies, [0], StrategySettings(), setup_scales=(1.0, 0.25))
    frame = pd.DataFrame(run_local(tasks, jobs=1))
    kinds = {s: "heuristic" for s in strategies}
    info = ReportInput("Test report", {"date": "d", "commit": "c", "python": "3",
                                       "ortools": "9", "prodsched": "0", "cores": 2,
                                       "cpu": "cpu", "platform": "linux"}, ["- a note"])
    paths = write_report(frame[frame["setup_scale"] == 1.0], frame, kinds, info, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["kpis.png", "report.html", "report.md", "smed.png", "tradeoff.png"]
    md = (tmp_path / "report.md").read_text()
    for part in ("## KPIs per strategy", "## Setup time against tardiness", "## SMED sweep",
                 "best fixed-lot", "atcs", "- a note", "![SMED sweep](smed.png)"):
        assert part in md
    page = (tmp_path / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "<table" in page


def test_local_processes_give_the_rows_of_one_process():
    tasks = make_tasks([SMALL], ["edd", "product-wheel"], [0], StrategySettings())
    assert comparable(run_local(tasks, jobs=2)) == comparable(run_local(tasks, jobs=1))
