"""benchmarks/resources.py: the plant without resources is the same plant, and a run
writes one row per crew count with the free plant's figures beside it."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from prodsched import load_plant
from prodsched.generate import write_plant

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "resources.py"
spec = importlib.util.spec_from_file_location("resources_benchmark", SCRIPT)
assert spec is not None and spec.loader is not None
resources_benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(resources_benchmark)


def test_without_resources_keeps_everything_else(tmp_path):
    plant = load_plant(write_plant(resources_benchmark.config(12, 2, 3, seed=1), tmp_path))
    assert plant.uses_resources and set(plant.resources) == {"setup_crew", "operator"}
    free = resources_benchmark.without_resources(plant)
    assert not free.uses_resources and free.resources == {}
    assert free.orders == plant.orders and free.machines == plant.machines
    assert [(r.machine, r.from_, r.to, r.time) for r in free.setup_rules] == [
        (r.machine, r.from_, r.to, r.time) for r in plant.setup_rules]
    for product, steps in plant.routings.items():
        for mine, theirs in zip(free.routings[product], steps, strict=True):
            assert [(o.machine, o.time_per_unit) for o in mine.options] == [
                (o.machine, o.time_per_unit) for o in theirs.options]


def test_a_run_writes_a_row_per_crew_count(tmp_path):
    assert resources_benchmark.main(["--orders", "8", "--crews", "1,2", "--operators", "2",
                                     "--time-limit", "3", "--workers", "1", "--out",
                                     str(tmp_path), "--label", "test run"]) == 0
    rows = list(csv.DictReader((tmp_path / "resources.csv").open()))
    assert [(r["orders"], r["crews"], r["operators"]) for r in rows] == [("8", "1", "2"),
                                                                         ("8", "2", "2")]
    assert all(r["free_status"] in ("optimal", "feasible") for r in rows)
    assert rows[0]["free_weighted_tardiness"] == rows[1]["free_weighted_tardiness"]
    for r in rows:   # a solve that fails (resources not in the model yet) is a row with why
        assert r["status"] in ("optimal", "feasible") or r["note"]
    text = (tmp_path / "resources.md").read_text()
    assert "**test run**" in text and "- commit: " in text
