"""Generated plants with shop-floor rules (spec v2): shifts, pauses, waits, crews."""

from __future__ import annotations

import csv
import io

from prodsched.generate import GeneratorConfig, generate_plant_files
from prodsched.generate.shopfloor import shift_downtime

DAY, WEEK = 1440, 10080


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_two_shifts_stop_every_night_and_the_weekend() -> None:
    down = shift_downtime(2, WEEK)
    first_week = [d for d in down if d[0] < WEEK]
    # Monday..Thursday nights 22:00-06:00, then Friday 22:00 to Monday 06:00
    assert first_week == [(960, 1440), (2400, 2880), (3840, 4320), (5280, 5760), (6720, WEEK)]
    assert down[-1][1] >= 2 * WEEK


def test_three_shifts_stop_only_at_the_weekend() -> None:
    assert shift_downtime(3, 1)[:1] == [(5 * DAY, WEEK)]


def test_one_shift_works_eight_hours_a_weekday() -> None:
    down = [d for d in shift_downtime(1, WEEK) if d[0] < WEEK]
    worked = WEEK - sum(b - a for a, b in down)
    assert worked == 5 * 480


def test_shift_plant_writes_star_calendar_rows() -> None:
    files = generate_plant_files(GeneratorConfig(orders=20, shifts=2, seed=4))
    rows = _rows(files["calendar.csv"])
    assert rows and {r["machine"] for r in rows} == {"*"}


def test_pause_share_changes_only_the_can_pause_column() -> None:
    base = dict(orders=30, shifts=2, max_wait_share=0.5, seed=7)
    never = generate_plant_files(GeneratorConfig(pause_share=0.0, **base))
    always = generate_plant_files(GeneratorConfig(pause_share=1.0, **base))
    assert set(never) == set(always)
    for name in never:
        if name != "routings.csv":
            assert never[name] == always[name], name
    rows_always = _rows(always["routings.csv"])
    assert {r["can_pause"] for r in rows_always} == {"yes"}
    assert "can_pause" not in _rows(never["routings.csv"])[0]  # column left out when unused
    strip = [{k: v for k, v in r.items() if k != "can_pause"} for r in rows_always]
    assert strip == _rows(never["routings.csv"])


def test_max_wait_only_after_the_first_step() -> None:
    files = generate_plant_files(GeneratorConfig(orders=30, max_steps=3, max_wait_share=1.0,
                                                 seed=2))
    rows = _rows(files["routings.csv"])
    assert any(r["max_wait"] for r in rows)
    assert all(not r["max_wait"] for r in rows if r["step"] == "1")
    assert all(int(r["max_wait"]) >= 1 for r in rows if r["max_wait"])


def test_crews_and_operators_become_resources() -> None:
    files = generate_plant_files(GeneratorConfig(orders=20, setup_crews=2, operators=3, seed=5))
    assert _rows(files["resources.csv"]) == [{"resource": "setup_crew", "capacity": "2"},
                                             {"resource": "operator", "capacity": "3"}]
    setups = _rows(files["setups.csv"])
    assert all((r["resources"] == "setup_crew") == (r["time"] != "0") for r in setups)
    assert {r["resources"] for r in _rows(files["routings.csv"])} == {"operator"}


def test_a_plant_without_shop_floor_rules_is_unchanged() -> None:
    files = generate_plant_files(GeneratorConfig(orders=25, calendar=True, seed=11))
    assert "resources.csv" not in files
    assert _rows(files["routings.csv"])[0].keys() == {
        "product", "step", "machine", "time_per_unit", "fixed_time"}
