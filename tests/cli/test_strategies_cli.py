"""``prodsched bench-strategies``: a grid from the command line, CSV and report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from prodsched.bench.strategies import COLUMNS
from prodsched.cli import main
from prodsched.cli.strategies import parse_generator
from prodsched.generate import GeneratorConfig, write_plant


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_grid_of_generated_plants_and_a_folder(tmp_path: Path):
    folder = write_plant(GeneratorConfig(orders=8, machines=2, seed=5), tmp_path / "mine")
    out = tmp_path / "out"
    code, stdout, stderr = run(
        "bench-strategies", "--generate", "orders=8 machines=2 mode_mix=batch=1,mass=1",
        "--plant-seeds", "1,2", "--plant", str(folder), "--strategies", "edd,fixed-lot:3",
        "--setup-scales", "1,0.5", "--jobs", "1", "--out", str(out), "-q")
    assert code == 0, stderr
    frame = pd.read_csv(out / "runs.csv")
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 3 * 2 * 2  # plants x scales x strategies
    assert set(frame["plant"]) == {"gen1-s1", "gen1-s2", "mine"}
    assert frame["valid"].all()
    assert {"report.md", "report.html", "kpis.png", "tradeoff.png", "smed.png"} <= {
        p.name for p in out.iterdir()}
    assert stdout == ""


def test_list_and_bad_input():
    code, stdout, _ = run("bench-strategies", "--list")
    assert code == 0 and "cpsat-full" in stdout and "product-wheel" in stdout
    code, _, stderr = run("bench-strategies", "--generate", "orders=5", "--strategies", "magic")
    assert code == 2 and "unknown strategy 'magic'" in stderr
    code, _, stderr = run("bench-strategies", "--generate", "orders=-5")
    assert code == 2 and "--generate" in stderr
    code, _, stderr = run("bench-strategies")
    assert code == 2 and "at least one" in stderr


def test_generator_fields_are_parsed_from_one_string():
    name, fields = parse_generator("name=big orders=80 setup-ratio=0.5 mode_mix=batch=1", 0)
    assert name == "big"
    assert fields == {"orders": "80", "setup_ratio": "0.5", "mode_mix": "batch=1"}
    assert GeneratorConfig.model_validate(fields).orders == 80
