"""Schedules as .xlsx and Parquet: the same rows, typed."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pyarrow.parquet as pq
from openpyxl import load_workbook

from prodsched.io.outputs import output_files
from prodsched.io.schedule_tables import schedule_parquet, schedule_workbook
from prodsched.schedule import Schedule


def test_workbook_has_schedule_report_and_kpis(bakery_solved: Schedule) -> None:
    book = load_workbook(io.BytesIO(schedule_workbook(bakery_solved)))
    assert book.sheetnames == ["schedule", "orders_report", "kpis"]
    rows = list(book["schedule"].iter_rows(values_only=True))
    assert rows[0] == ("machine", "kind", "lot", "product", "mode", "step", "quantity",
                       "orders", "start", "end")
    assert len(rows) == 1 + len(bakery_solved.rows)
    axis = bakery_solved.plant.time_axis
    for cells, row in zip(rows[1:], bakery_solved.rows, strict=True):
        assert cells[:2] == (row.machine, row.kind)
        assert isinstance(cells[8], datetime)
        assert cells[8].isoformat(timespec="minutes") == axis.format(row.start)
        if row.kind == "run":
            assert (cells[5], cells[6], cells[7]) == (row.step, row.quantity, row.orders_text)
    report = list(book["orders_report"].iter_rows(values_only=True))
    assert len(report) == 1 + len(bakery_solved.plant.orders)
    kpis = dict(book["kpis"].iter_rows(min_row=2, values_only=True))
    assert kpis["makespan"] == bakery_solved.kpis.makespan
    assert kpis["status"] == bakery_solved.status
    assert {k for k in kpis if str(k).startswith("utilization[")} == {
        f"utilization[{m}]" for m in bakery_solved.plant.machines}


def test_parquet_files_are_typed_and_carry_the_kpis(tiny_solved: Schedule,
                                                    bakery_solved: Schedule) -> None:
    files = schedule_parquet(tiny_solved)
    table = pq.read_table(io.BytesIO(files["schedule.parquet"]))
    frame = table.to_pandas()
    assert list(frame.columns) == list(tiny_solved.to_dataframe().columns)
    assert list(frame["start"]) == [r.start for r in tiny_solved.rows]
    runs = frame[frame["kind"] == "run"]
    assert list(runs["quantity"]) == [r.quantity for r in tiny_solved.rows if r.kind == "run"]
    kpis = json.loads(table.schema.metadata[b"prodsched.kpis"])
    assert kpis["makespan"] == tiny_solved.kpis.makespan
    report = pq.read_table(io.BytesIO(files["orders_report.parquet"])).to_pandas()
    assert list(report["order_id"]) == [o.order_id for o in tiny_solved.plant.orders]

    dated = pq.read_table(io.BytesIO(schedule_parquet(bakery_solved)["schedule.parquet"]))
    assert str(dated.schema.field("start").type).startswith("timestamp")


def test_output_files_bundle(tiny_solved: Schedule) -> None:
    plain = output_files(tiny_solved)
    assert set(plain) == {"schedule.csv", "orders_report.csv", "kpis.json",
                          "products_report.csv"}
    everything = output_files(tiny_solved, xlsx=True, parquet=True, gantt=True)
    assert set(everything) - set(plain) == {
        "schedule.xlsx", "schedule.parquet", "orders_report.parquet", "gantt.html",
        "gantt.png", "orders.html", "orders.png"}
    assert everything["schedule.csv"] == plain["schedule.csv"]
