"""What the charts show: one bar per schedule row, lanes, late orders, due dates."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

import prodsched
from prodsched.gantt import build_chart, machine_chart, order_chart
from prodsched.lots.lot import STOCK
from prodsched.schedule import Schedule
from tests.conftest import assert_valid


def test_machine_chart_has_one_bar_per_row_on_its_machine_lane(bakery_schedule: Schedule) -> None:
    assert_valid(bakery_schedule)
    chart = machine_chart(bakery_schedule)
    plant = bakery_schedule.plant
    assert [lane.key for lane in chart.lanes] == list(plant.machines)
    assert len(chart.bars) == len(bakery_schedule.rows)
    for bar, row in zip(chart.bars, bakery_schedule.rows, strict=True):
        assert chart.lanes[bar.lane].key == row.machine
        assert (bar.kind, bar.start, bar.end) == (row.kind, row.start, row.end)
        if row.kind == "run":
            assert bar.label == row.lot
            assert bar.family == plant.products[row.product].family
            details = dict(bar.details)
            assert details["lot"] == row.lot
            assert details["quantity"] == str(row.quantity)
            assert details["start"] == plant.time_axis.format(row.start)
            assert details["end"] == plant.time_axis.format(row.end)
        else:
            assert bar.label == ""
    assert {b.kind for b in chart.bars} == {"run", "setup", "down"}


def test_span_ends_at_the_last_run_not_at_the_last_downtime(bakery_schedule: Schedule) -> None:
    rows = bakery_schedule.rows
    work_end = max(r.end for r in rows if r.kind != "down")
    assert max(r.end for r in rows if r.kind == "down") > work_end  # the calendar runs on
    assert machine_chart(bakery_schedule).span == (0, work_end)
    dues = [o.due for o in bakery_schedule.plant.orders if o.due is not None]
    assert order_chart(bakery_schedule).span[1] == max(work_end, *(math.ceil(d) for d in dues))


def test_order_chart_marks_late_orders_and_due_dates(make_plant: Callable[..., Path]) -> None:
    plant = prodsched.load_plant(make_plant({
        "orders.csv": """
            order_id,product,quantity,due
            O1,A,10,10
            O2,A,10,10
            O3,B,4,
            """,
        "products.csv": """
            product,mode
            A,one-off
            B,one-off
            """,
        "routings.csv": """
            product,step,machine,time_per_unit
            A,1,M1,1
            B,1,M1,1
            """,
    }))
    schedule = prodsched.solve(plant, objective="weighted-tardiness", time_limit=5, workers=1)
    assert_valid(schedule)
    chart = order_chart(schedule)
    assert [lane.key for lane in chart.lanes] == ["O1", "O2", "O3"]
    late = [lane for lane in chart.lanes if lane.late]
    assert len(late) == 1 and late[0].note == "late by 10"
    assert [(m.lane, m.time, m.late) for m in chart.markers] == [
        (0, 10, chart.lanes[0].late), (1, 10, chart.lanes[1].late)]
    expected = sum(1 for r in schedule.rows if r.kind == "run" for o, _ in r.orders if o != STOCK)
    assert len(chart.bars) == expected == 3
    for bar in chart.bars:
        assert dict(bar.details)["order"] == chart.lanes[bar.lane].key


def test_unknown_view_and_colouring_are_refused(tiny_schedule: Schedule) -> None:
    with pytest.raises(ValueError, match="view"):
        build_chart(tiny_schedule, "lots")
    with pytest.raises(ValueError, match="color_by"):
        machine_chart(tiny_schedule).color_keys("machine")
