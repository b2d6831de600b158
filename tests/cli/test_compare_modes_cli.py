"""``prodsched compare-modes``: one table, a valid schedule per mode, and the
trade-off a planner expects (lots mean fewer changeovers)."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from prodsched.cli import main
from prodsched.examples import write_example
from prodsched.modes_compare import with_mode, with_modes
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


def test_by_product_writes_the_table_the_charts_and_every_run(tmp_path: Path) -> None:
    from tests.conftest import write_plant
    from tests.modes_plants import three_products

    plant_dir = write_plant(tmp_path / "plant", three_products())
    out = tmp_path / "modes"
    result = CliRunner().invoke(main, ["compare-modes", str(plant_dir), "--by-product",
                                       "--time-limit", "3", "--workers", "1", "--out",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert "advice: DRINK: mass" in result.output and "plant:" in result.output
    table = list(csv.DictReader((out / "modes_by_product.csv").open()))
    runs = ["one-off", "batch", "mass", "auto", "hybrid"]
    assert [r["run"] for r in table if r["product"] == "CUSTOM"] == runs
    assert [r["run"] for r in table if r["product"] == "(plant)"] == runs
    advised = {r["product"]: r["run"] for r in table if r["recommended"] == "yes"}
    assert advised == {"DRINK": "mass", "CUSTOM": "one-off", "MIDDLE": "batch"}
    page = (out / "modes.html").read_text()
    assert "<svg" in page and "src=" not in page and "href=" not in page
    assert (out / "modes.png").read_bytes().startswith(b"\x89PNG")
    assert {r["mode"] for r in csv.DictReader((out / "modes.csv").open())} == set(runs)
    plant = load_plant(plant_dir)
    for mode in ("one-off", "batch", "mass", "auto"):
        assert validate_dir(with_mode(plant, Mode(mode)), out / mode) == []
    assert validate_dir(with_modes(plant, {p: Mode(m) for p, m in advised.items()}),
                        out / "hybrid") == []
    assert (out / "hybrid" / "products_report.csv").exists()
