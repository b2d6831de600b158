"""``prodsched compare-modes``: one table, a valid schedule per mode, and the
trade-off a planner expects (lots mean fewer changeovers)."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from prodsched.cli import main
from prodsched.examples import write_example
from prodsched.modes_compare import with_mode
from prodsched.plant import load_plant
from prodsched.plant.model import Mode
from prodsched.validate import validate_dir


def test_bottling_in_every_mode(tmp_path: Path) -> None:
    plant_dir = tmp_path / "plant"
    write_example("bottling", plant_dir)
    out = tmp_path / "modes"
    result = CliRunner().invoke(main, ["compare-modes", str(plant_dir), "--time-limit", "4",
                                       "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["mode", "one-off", "batch", "mass", "auto"]
    rows = {r["mode"]: r for r in csv.DictReader((out / "modes.csv").open())}
    assert set(rows) == {"one-off", "batch", "mass", "auto"}
    setups = {mode: int(r["setups"]) for mode, r in rows.items()}
    lots = {mode: int(r["lots"]) for mode, r in rows.items()}
    assert setups["batch"] < setups["one-off"]
    assert lots["batch"] < lots["one-off"]
    plant = load_plant(plant_dir)
    for mode in rows:
        # each schedule is valid for the plant with every product in that mode
        assert validate_dir(with_mode(plant, Mode(mode)), out / mode) == []
