"""The output side of the command line: --gantt, --xlsx, --parquet, `prodsched gantt`,
and plants as workbooks (`prodsched example NAME plant.xlsx`, `solve plant.xlsx`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import prodsched
from prodsched.cli import main
from prodsched.io.read_schedule import read_schedule
from tests.conftest import assert_valid

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def page_data(page: Path) -> dict[str, object]:
    """The chart data a Gantt page draws."""
    data = re.search(r'id="gantt-data">(.*?)</script>', page.read_text(), re.S)
    assert data is not None
    found: dict[str, object] = json.loads(data.group(1))
    return found


def test_solve_writes_every_format_together(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run("solve", str(INSTANCES / "tiny"), "--out", str(out),
                               "--time-limit", "10", "--workers", "1", "--gantt", "--xlsx",
                               "--parquet")
    assert code == 0, stderr
    assert {p.name for p in out.iterdir()} == {
        "schedule.csv", "orders_report.csv", "kpis.json", "products_report.csv", "schedule.xlsx",
        "schedule.parquet", "orders_report.parquet", "gantt.html", "gantt.png", "orders.html",
        "orders.png"}
    assert "gantt.html" in stdout and "\r" not in stdout + stderr  # no progress into a pipe
    plant = prodsched.load_plant(INSTANCES / "tiny")
    schedule = read_schedule(plant, out)
    assert_valid(schedule)
    bars = page_data(out / "gantt.html")["bars"]
    assert isinstance(bars, list) and len(bars) == len(schedule.rows)
    assert (out / "gantt.png").read_bytes().startswith(b"\x89PNG")
    assert load_workbook(out / "schedule.xlsx").sheetnames == ["schedule", "orders_report",
                                                               "kpis"]
    code, stdout, _ = run("validate", str(INSTANCES / "tiny"), str(out))
    assert code == 0, stdout


def test_gantt_command_draws_a_written_schedule(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run("solve", str(INSTANCES / "tiny"), "--out", str(out), "--quiet",
                          "--time-limit", "10", "--workers", "1")
    assert code == 0, stderr
    code, stdout, stderr = run("gantt", str(INSTANCES / "tiny"), str(out), "--no-png",
                               "--color-by", "product")
    assert code == 0, stderr
    assert "gantt.html" in stdout
    assert (out / "gantt.html").is_file() and (out / "orders.html").is_file()
    assert not (out / "gantt.png").exists()
    assert page_data(out / "gantt.html")["colorBy"] == "product"
    code, _, stderr = run("gantt", str(INSTANCES / "tiny"), str(out))
    assert code == 0 and (out / "gantt.png").is_file() and (out / "orders.png").is_file()


def test_gantt_command_refuses_a_schedule_of_another_plant(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("solve", str(INSTANCES / "tiny"), "--out", str(out), "--quiet", "--time-limit", "10",
        "--workers", "1")
    code, _, stderr = run("gantt", str(INSTANCES / "bakery"), str(out))
    assert code == 2
    assert "unknown machine" in stderr and "nothing was written" in stderr
    assert not (out / "gantt.html").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, stderr = run("gantt", str(INSTANCES / "tiny"), str(empty))
    assert code == 2 and "run prodsched solve first" in stderr


def test_example_as_a_workbook_solves_like_the_folder(tmp_path: Path) -> None:
    book = tmp_path / "tiny.xlsx"
    for _ in range(2):  # writing again replaces the workbook
        code, stdout, stderr = run("example", "tiny", str(book))
        assert code == 0, stderr
    assert load_workbook(book).sheetnames == ["orders", "products", "routings", "setups"]
    out = tmp_path / "out"
    code, _, stderr = run("solve", str(book), "--out", str(out), "--time-limit", "10",
                          "--workers", "1", "--quiet")
    assert code == 0, stderr
    code, stdout, _ = run("validate", str(INSTANCES / "tiny"), str(out))
    assert code == 0, stdout
    code, _, stderr = run("example", "tiny", str(out / "schedule.csv"))
    assert code == 2 and "is a file" in stderr


def test_solve_reports_workbook_problems_by_sheet_row_and_column(tmp_path: Path) -> None:
    book = tmp_path / "plant.xlsx"
    run("example", "tiny", str(book))
    workbook = load_workbook(book)
    workbook["orders"]["C3"] = "lots"
    workbook.save(book)
    out = tmp_path / "out"
    code, _, stderr = run("solve", str(book), "--out", str(out), "--time-limit", "10")
    assert code == 2
    assert "plant.xlsx[orders]:3:3: quantity:" in stderr and "nothing was written" in stderr
    assert not out.exists()


def test_time_is_kept_for_the_extra_files_but_never_most_of_it() -> None:
    from prodsched.cli.solve import output_reserve

    assert output_reserve(30, gantt=False, xlsx=False, parquet=False) == 0
    assert output_reserve(30, gantt=True, xlsx=True, parquet=True) == 2.1
    assert output_reserve(1.5, gantt=True, xlsx=False, parquet=False) == 0.5
