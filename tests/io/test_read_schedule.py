"""Reading written schedules back: the same rows, reports and KPIs; bad files named."""

from __future__ import annotations

from pathlib import Path

import pytest

import prodsched
from prodsched.io.read_schedule import ScheduleFileError, read_schedule, schedule_from_csv
from prodsched.schedule import Schedule
from tests.conftest import assert_valid

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


@pytest.mark.parametrize("name", ["tiny_solved", "bakery_solved"])
def test_written_schedule_reads_back_identically(name: str, request: pytest.FixtureRequest,
                                                 tmp_path: Path) -> None:
    schedule: Schedule = request.getfixturevalue(name)
    schedule.write(tmp_path)
    back = read_schedule(schedule.plant, tmp_path)
    assert_valid(back)
    assert back.rows == schedule.rows
    assert back.outcomes == schedule.outcomes
    assert back.kpis == schedule.kpis
    files, again = schedule.render(), back.render()
    assert again["schedule.csv"] == files["schedule.csv"]
    assert again["orders_report.csv"] == files["orders_report.csv"]
    assert (back.info.status, back.info.objective, back.info.bound) == (
        schedule.info.status, schedule.info.objective, schedule.info.bound)
    # lots and operations are rebuilt too: one op per run row, same lots
    assert len(back.ops) == sum(r.kind == "run" for r in schedule.rows)
    assert {lot.lot_id: lot.allocations for lot in back.lots} == {
        r.lot: r.orders for r in schedule.rows if r.kind == "run"}


def test_rows_are_kept_as_written_even_a_setup_with_a_gap(tiny_solved: Schedule) -> None:
    text = tiny_solved.render()["schedule.csv"]
    lines = text.splitlines()
    setup = next(i for i, line in enumerate(lines) if ",setup," in line)
    cells = lines[setup].split(",")
    cells[-2] = str(int(cells[-2]) - 2)  # starts earlier and ends 2 units before its run
    cells[-1] = str(int(cells[-1]) - 2)
    lines[setup] = ",".join(cells)
    back = schedule_from_csv(tiny_solved.plant, "\n".join(lines) + "\n")
    assert back.render()["schedule.csv"] == "\n".join(lines) + "\n"


def test_unreadable_rows_are_reported_with_their_lines(tiny_solved: Schedule) -> None:
    lines = tiny_solved.render()["schedule.csv"].splitlines()
    walk = next(i for i, line in enumerate(lines) if ",run," in line)
    lines[walk] = lines[walk].replace(",run,", ",walk,")
    lines[-1] = "M9" + lines[-1][lines[-1].index(","):]
    with pytest.raises(ScheduleFileError) as caught:
        schedule_from_csv(tiny_solved.plant, "\n".join(lines) + "\n", file="out/schedule.csv")
    places = {(p.file, p.line) for p in caught.value.problems}
    assert {("out/schedule.csv", walk + 1), ("out/schedule.csv", len(lines))} <= places
    assert "kind 'walk'" in str(caught.value) and "unknown machine 'M9'" in str(caught.value)


def test_missing_or_foreign_schedules_are_errors(tmp_path: Path,
                                                 tiny_solved: Schedule) -> None:
    with pytest.raises(ScheduleFileError, match="file not found"):
        read_schedule(tiny_solved.plant, tmp_path)
    tiny_solved.write(tmp_path)
    bakery = prodsched.load_plant(INSTANCES / "bakery")
    with pytest.raises(ScheduleFileError, match="unknown machine"):
        read_schedule(bakery, tmp_path)
    (tmp_path / "kpis.json").write_text("{not json")
    with pytest.raises(ScheduleFileError, match=r"kpis\.json"):
        read_schedule(tiny_solved.plant, tmp_path)
