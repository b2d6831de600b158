"""Writing plants as workbooks: cells typed only where that keeps the text exact."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from prodsched.examples import example_files
from prodsched.io.plant_workbook import typed_cell, write_plant_workbook
from prodsched.schedule import Schedule


@pytest.mark.parametrize(("column", "text", "cell"), [
    ("quantity", "10", 10), ("time_per_unit", "0.05", 0.05), ("quantity", "007", "007"),
    ("weight", "1e3", "1e3"), ("due", "2026-03-02T06:00", datetime(2026, 3, 2, 6, 0)),
    ("due", "2026-03-02T06:00+01:00", "2026-03-02T06:00+01:00"), ("due", "90", 90),
    ("order_id", "12", "12"), ("product", "1.5", "1.5"), ("fixed_time", "", None),
    ("cost", "inf", "inf"),
])
def test_typed_cell(column: str, text: str, cell: object) -> None:
    assert typed_cell(column, text) == cell
    assert type(typed_cell(column, text)) is type(cell)


def test_workbook_sheets_follow_the_plant_files(tmp_path: Path) -> None:
    path = write_plant_workbook(example_files("bakery"), tmp_path / "out" / "bakery.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["orders", "products", "routings", "machines", "setups",
                               "calendar"]
    orders = book["orders"]
    assert [c.value for c in orders[1]][:3] == ["order_id", "product", "quantity"]
    assert isinstance(orders["D2"].value, datetime) and orders.freeze_panes == "A2"


def test_a_loaded_plant_is_written_too(tiny_solved: Schedule, tmp_path: Path) -> None:
    import prodsched

    path = write_plant_workbook(tiny_solved.plant, tmp_path / "tiny.xlsx")
    again = prodsched.load_plant(path)
    assert again.orders == tiny_solved.plant.orders
    assert again.routings == tiny_solved.plant.routings
