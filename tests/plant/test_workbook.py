"""A plant as one .xlsx workbook: the same plant and schedule as the CSV folder, and
errors that name the sheet, the row and the column."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook

import prodsched
from prodsched.cpsat_runner import SolverSettings
from prodsched.examples import EXAMPLES, example_files, write_example
from prodsched.io.plant_workbook import write_plant_workbook
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Plant
from prodsched.plant.workbook import cell_text
from tests.conftest import assert_valid


def content(plant: Plant) -> tuple[object, ...]:
    return (plant.orders, plant.products, plant.routings, plant.machines, plant.setup_rules,
            plant.downtimes, plant.time_axis)


def save(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook written the way a spreadsheet program would, typed cells and all."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_example_loads_the_same_from_a_workbook(name: str, tmp_path: Path) -> None:
    folder = write_example(name, tmp_path / name)
    book = write_plant_workbook(folder, tmp_path / f"{name}.xlsx")
    from_csv, from_xlsx = prodsched.load_plant(folder), prodsched.load_plant(book)
    assert content(from_xlsx) == content(from_csv)
    assert from_xlsx.name == name and from_xlsx.warnings == ()


def solve_deterministically(plant: Plant) -> prodsched.Schedule:
    request = SolveRequest(objective=parse_objective(prodsched.DEFAULT_OBJECTIVE),
                           time_limit=20,
                           settings=SolverSettings(workers=1, seed=7, deterministic_seconds=2))
    return solve_request(plant, request)


def test_folder_to_workbook_to_schedule_gives_the_csv_plants_schedule(tmp_path: Path) -> None:
    folder = write_example("tiny", tmp_path / "tiny")
    book = write_plant_workbook(example_files("tiny"), tmp_path / "tiny.xlsx")
    from_csv = solve_deterministically(prodsched.load_plant(folder))
    from_xlsx = solve_deterministically(prodsched.load_plant(book))
    assert_valid(from_xlsx)
    assert from_xlsx.render()["schedule.csv"] == from_csv.render()["schedule.csv"]
    assert from_xlsx.render()["orders_report.csv"] == from_csv.render()["orders_report.csv"]


def test_typed_cells_read_as_the_planner_typed_them(tmp_path: Path) -> None:
    book = save(tmp_path / "typed.xlsx", {
        "Orders ": [["Order_ID", "product", "quantity", "due", "release"],
                    ["007", "A", 10.0, datetime(2026, 3, 2, 14, 0), datetime(2026, 3, 2, 6)],
                    [], [12, "A", 5, datetime(2026, 3, 3, 9, 30), None]],
        "routings": [["product", "step", "machine", "time_per_unit"],
                     ["A", 1.0, "M1", 0.1 + 0.2]],
        "Notes": [["anything"]],
    })
    plant = prodsched.load_plant(book)
    assert [o.order_id for o in plant.orders] == ["007", "12"]
    assert plant.orders[0].quantity == 10 and plant.orders[1].release == 0
    assert plant.time_axis.format(0) == "2026-03-02T06:00"
    assert plant.orders[1].due == 27 * 60 + 30
    assert plant.routings["A"][0].options[0].time_per_unit == Fraction(3, 10)
    assert any("unknown sheet 'Notes'" in w for w in plant.warnings)


def test_errors_name_the_sheet_row_and_column(tmp_path: Path) -> None:
    book = save(tmp_path / "plant.xlsx", {
        "orders": [["order_id", "product", "quantity"],
                   ["O1", "A", 5], ["O2", "A", "five"], [], ["O3", "B", 2]],
        "routings": [["product", "step", "machine", "time_per_unit", "bogus"],
                     ["A", 1, "M1", -1, "x"]],
    })
    with pytest.raises(prodsched.PlantError) as caught:
        prodsched.load_plant(book)
    places = {(p.file, p.line, p.column, p.column_name) for p in caught.value.problems}
    assert ("plant.xlsx[orders]", 3, 3, "quantity") in places
    assert ("plant.xlsx[orders]", 5, 2, "product") in places      # row 4 is blank
    assert ("plant.xlsx[routings]", 2, 4, "time_per_unit") in places
    assert "plant.xlsx[orders]:3:3: quantity:" in str(caught.value)


def test_missing_sheets_and_broken_files_are_reported(tmp_path: Path) -> None:
    book = save(tmp_path / "half.xlsx", {"orders": [["order_id", "product", "quantity"]]})
    with pytest.raises(prodsched.PlantError, match=r"half\.xlsx\[routings\].*no sheet 'routings'"):
        prodsched.load_plant(book)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("order_id,product\n")
    with pytest.raises(prodsched.PlantError, match="cannot read the workbook"):
        prodsched.load_plant(broken)
    with pytest.raises(prodsched.PlantError, match="does not exist"):
        prodsched.load_plant(tmp_path / "nowhere.xlsx")


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (float("nan"), ""), (5, "5"), (5.0, "5"), (2.5, "2.5"), (0.1 + 0.2, "0.3"),
    (1e-7, "1e-07"), ("  x ", "x"), (datetime(2026, 3, 2, 8, 0), "2026-03-02T08:00"),
    (datetime(2026, 3, 2, 8, 0, 30), "2026-03-02T08:00:30"), (True, "TRUE"),
])
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
