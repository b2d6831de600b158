"""Freezing a schedule: which rows become fixed, the files freeze writes, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import prodsched
from prodsched.cli import main
from prodsched.errors import PlantError
from prodsched.lots.previous import plan_with_previous
from prodsched.plant.model import Mode
from prodsched.plant.previous import frozen_rows, read_previous, with_previous
from prodsched.plant.values import TimeAxis
from tests.conftest import assert_valid

SCHEDULE = """\
machine,kind,lot,product,mode,step,quantity,orders,start,end
M1,run,A#1,A,batch,1,10,O1:10,0,30
M1,setup,B#1,B,,,,,30,40
M1,run,B#1,B,batch,1,10,O2:10,45,75
M1,run,A#2,A,batch,1,10,O3:10,75,105
M2,run,A#1,A,batch,2,10,O1:10,30,40
M2,run,B#1,B,batch,2,10,O2:10,75,85
M2,run,A#2,A,batch,2,10,O3:10,105,115
"""

PLANT = {
    "orders.csv": """
        order_id,product,quantity,due
        O1,A,10,50
        O2,B,10,100
        O3,A,10,150
        """,
    "products.csv": """
        product,mode
        A,batch
        B,batch
        """,
    "routings.csv": """
        product,step,machine,time_per_unit
        A,1,M1,3
        A,2,M2,1
        B,1,M1,3
        B,2,M2,1
        """,
    "setups.csv": """
        machine,from,to,time
        M1,A,B,10
        M1,B,A,0
        """,
}


def test_frozen_rows_take_started_setups_runs_and_earlier_steps() -> None:
    previous = read_previous(SCHEDULE, TimeAxis())
    keys = {(r.kind, r.lot, r.step) for r in frozen_rows(previous, 35)}
    # the setup of B#1 began at 30: its run (starting at 45) is committed too
    assert keys == {("run", "A#1", 1), ("run", "A#1", 2), ("setup", "B#1", None),
                    ("run", "B#1", 1)}
    assert frozen_rows(previous, 0) == []
    assert len(frozen_rows(previous, 1000)) == 7


def test_freeze_cli_writes_fixed_and_now_then_solve_previous(make_plant,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    folder = Path(make_plant(PLANT))
    runner = CliRunner()
    day1 = tmp_path / "day1"
    result = runner.invoke(main, ["solve", str(folder), "--out", str(day1), "--time-limit", "5",
                                  "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["freeze", str(day1), "--until", "20", "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "plant.csv").read_text() == "now\n20\n"
    fixed = (folder / "fixed.csv").read_text().splitlines()
    assert fixed[0] == "machine,kind,lot,product,mode,step,quantity,orders,start,end"
    day1_rows = (day1 / "schedule.csv").read_text().splitlines()
    assert fixed[1:] and all(line in day1_rows for line in fixed[1:])
    plant = prodsched.load_plant(folder)
    assert plant.now == 20 and plant.fixed
    day2 = tmp_path / "day2"
    result = runner.invoke(main, ["solve", str(folder), "--previous", str(day1), "--out",
                                  str(day2), "--time-limit", "5", "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    kpis = json.loads((day2 / "kpis.json").read_text())
    assert kpis["objective_name"] == "weighted-tardiness>changes>setup-time"
    assert kpis["changes"]["runs_changed"] == 0 and kpis["changes"]["new_lots"] == 0
    result = runner.invoke(main, ["validate", str(folder), str(day2), "--previous", str(day1)])
    assert result.exit_code == 0, result.output
    kpis["changes"]["started_later"] += 1
    (day2 / "kpis.json").write_text(json.dumps(kpis))
    result = runner.invoke(main, ["validate", str(folder), str(day2), "--previous", str(day1)])
    assert result.exit_code == 1 and "changes.started_later" in result.output


def test_solve_previous_without_a_moment_is_a_usage_error(make_plant,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    folder = Path(make_plant(PLANT))
    (tmp_path / "day1").mkdir()
    (tmp_path / "day1" / "schedule.csv").write_text(SCHEDULE)
    result = CliRunner().invoke(main, ["solve", str(folder), "--previous",
                                       str(tmp_path / "day1"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "moment of planning" in result.output


def test_a_breakdown_over_running_work_is_an_error_at_its_row(make_plant) -> None:  # type: ignore[no-untyped-def]
    folder = Path(make_plant({**PLANT, "calendar.csv": "machine,start,end\nM1,10,20\n"}))
    plant = prodsched.load_plant(folder)
    with pytest.raises(PlantError) as err:
        with_previous(plant, read_previous(SCHEDULE, TimeAxis(), "day1/schedule.csv"), 35)
    assert err.value.problems[0].file == "day1/schedule.csv"
    assert err.value.problems[0].line == 2
    assert "unavailable" in str(err.value)


def test_lots_keep_their_ids_new_units_get_new_ones(make_plant) -> None:  # type: ignore[no-untyped-def]
    files = dict(PLANT)
    files["orders.csv"] = """
        order_id,product,quantity,due
        O1,A,10,50
        O2,B,10,100
        O3,A,8,150
        O4,A,5,90
        """
    plant = prodsched.load_plant(make_plant(files))
    replanning = with_previous(plant, read_previous(SCHEDULE, TimeAxis()), 20)
    plan = plan_with_previous(replanning)
    assert [lot.lot_id for lot in plan.pinned.lots] == ["A#1"]
    ids = {lot.lot_id: lot for lot in plan.fixed}
    assert "B#1" in ids and ids["B#1"].allocations == (("O2", 10),)
    # O3 shrank: A#2 is dropped, O3 and the new O4 get lots numbered after A#2
    assert "A#2" not in ids
    assert {ids[k].allocations for k in ("A#3", "A#4")} == {(("O3", 8),), (("O4", 5),)}
    assert all(lot.mode is Mode.BATCH for lot in plan.fixed)
    schedule = prodsched.solve(plant, previous=read_previous(SCHEDULE, TimeAxis()), now=20,
                               time_limit=5, workers=1)
    assert_valid(schedule)
    assert schedule.kpis_dict()["changes"]["dropped_lots"] == 1


def test_solving_from_scratch_around_fixed_lots_gives_new_lots_new_ids(make_plant) -> None:  # type: ignore[no-untyped-def]
    """fixed.csv holds A#1; the open orders of A are cut into new slot lots, which are
    numbered after it (the warm starts, the merge descent and the model's lots alike)."""
    files = dict(PLANT)
    files["orders.csv"] = """
        order_id,product,quantity,due
        O1,A,10,50
        O2,B,10,100
        O3,A,10,150
        O4,A,6,160
        O5,A,4,400
        """
    plant = prodsched.load_plant(make_plant(files))
    frozen = with_previous(plant, read_previous(SCHEDULE, TimeAxis()), 35)
    from dataclasses import replace

    schedule = prodsched.solve(replace(frozen, previous=None), time_limit=5, workers=1)
    assert_valid(schedule)
    ids = [lot.lot_id for lot in schedule.lots]
    assert len(ids) == len(set(ids)) and "A#1" in ids
    a1 = next(lot for lot in schedule.lots if lot.lot_id == "A#1")
    assert a1.allocations == (("O1", 10),)
