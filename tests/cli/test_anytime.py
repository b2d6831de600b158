"""``prodsched solve`` on a large plant: provisional schedules written while it runs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from prodsched import budget
from prodsched.cli import main
from prodsched.cli.anytime import Checkpoints, extra_names
from prodsched.generate import GeneratorConfig, write_plant


def test_provisional_schedules_are_replaced_by_the_final_one(tmp_path, monkeypatch):
    plant = write_plant(GeneratorConfig(orders=40, machines=4, calendar=True, seed=5),
                        tmp_path / "plant")
    written: list[dict] = []
    original = Checkpoints.write

    def spy(self, schedule, files):  # type: ignore[no-untyped-def]
        original(self, schedule, files)
        written.append(json.loads((self.out_dir / "kpis.json").read_text()))

    monkeypatch.setattr(budget, "LARGE_OPERATIONS", 0)   # every plant is large
    monkeypatch.setattr(Checkpoints, "write", spy)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(plant), "--out", str(out),
                                       "--time-limit", "5", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert written and all(k["provisional"] is True for k in written)
    final = json.loads((out / "kpis.json").read_text())
    assert "provisional" not in final and final["model"]["kind"] == "lns"
    assert {p.name for p in out.iterdir()} == {"schedule.csv", "orders_report.csv", "kpis.json",
                                               "products_report.csv"}
    assert CliRunner().invoke(main, ["validate", str(plant), str(out)]).exit_code == 0


def test_extras_of_an_earlier_run_go_before_the_first_provisional_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("gantt.html", "gantt.png", "schedule.xlsx", "notes.txt"):
        (out / name).write_text("old")
    checkpoints = Checkpoints(out, extra_names(gantt=True, xlsx=True, parquet=False))
    checkpoints.write(None, {"schedule.csv": "new"})  # type: ignore[arg-type]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "schedule.csv"]
    checkpoints.close()
    checkpoints.write(None, {"schedule.csv": "newer"})  # type: ignore[arg-type]
    assert (out / "schedule.csv").read_text() == "new"
