"""Per-product KPIs: exact on a hand-made schedule, and recomputed from a written
schedule.csv they agree with kpis.json and products_report.csv."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from fractions import Fraction

import pytest

from prodsched import load_plant, solve
from prodsched.schedule.kpis import order_outcomes
from prodsched.schedule.product_kpis import PRODUCT_COLUMNS, product_kpis
from prodsched.schedule.rows import ScheduleRow
from prodsched.validate import validate_texts
from tests.conftest import assert_valid
from tests.modes_plants import three_products

HAND = {
    "orders.csv": "order_id,product,quantity,due,release\na1,A,4,20,0\na2,A,6,40,5\n"
                  "b1,B,3,8,0\n",
    "products.csv": "product,unit_value,holding_cost,min_lot,lot_multiple\nA,10,0.5,12,\nB,,,,\n",
    "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,1\nA,2,M2,1\nB,1,M1,2\n",
    "machines.csv": "machine,cost_per_hour\nM1,60\nM2,120\n",
    "setups.csv": "machine,from,to,time,cost\n*,*,A,5,3\n",
}


def hand_rows() -> list[ScheduleRow]:
    """B on M1 first (no setup), then a changeover to A and one lot of 12 A (2 to STOCK)."""
    lot = (("a1", 4), ("a2", 6), ("STOCK", 2))
    return [
        ScheduleRow("M1", "run", 0, 6, "b1", "B", "batch", 1, 3, (("b1", 3),)),
        ScheduleRow("M1", "setup", 6, 11, "A#1", "A", cost=Fraction(3)),
        ScheduleRow("M1", "run", 11, 23, "A#1", "A", "batch", 1, 12, lot),
        ScheduleRow("M2", "run", 23, 35, "A#1", "A", "batch", 2, 12, lot),
    ]


def test_every_figure_of_a_hand_made_schedule(make_plant):
    plant = load_plant(make_plant(HAND))
    rows = hand_rows()
    assert validate_texts(plant, _schedule_csv(rows)) == []
    got = product_kpis(plant, rows, order_outcomes(plant, rows))
    a, b = got["A"], got["B"]
    # A: 12 units made (2 surplus), one lot, the 5-minute setup before it
    assert (a.units, a.units_to_stock, a.lots, a.setups, a.setup_time) == (12, 2, 1, 1, 5)
    assert a.run_time == 24 and a.setup_share == pytest.approx(5 / 29, abs=1e-6)
    # machine: 12 + 5 minutes on M1 at 1 a minute, 12 on M2 at 2 a minute
    assert a.machine_cost == 41 and a.setup_cost == 3
    # a2's 6 units wait from 35 to their due date 40; a1 is late, so nothing waits
    assert a.holding_cost == Fraction(6 * 5, 2)
    assert a.cost_per_unit == Fraction(41 + 3 + 15, 12)
    assert a.mean_lead_time == Fraction(35 + 30, 2) and a.on_time_rate == 0.5
    # horizon max(35, 40) = 40: a2's 6 units for 5, the 2 surplus units for 5
    assert a.mean_stock == Fraction(6 * 5 + 2 * 5, 40)
    # 12 units in the lot from 11 to 35
    assert a.mean_wip == Fraction(12 * 24, 40)
    assert (a.stock_value, a.wip_value, a.working_capital) == (10, 72, 82)
    assert a.mode == "batch"
    # B: no unit_value, so no values; on time, 3 units held 2 minutes
    assert (b.units, b.setups, b.machine_cost, b.mean_lead_time) == (3, 0, 6, 6)
    assert b.mean_stock == Fraction(6, 40) and b.working_capital is None
    assert b.on_time_rate == 1.0


def test_machine_cost_leaves_out_downtime_inside_a_run(make_plant):
    plant = load_plant(make_plant({**HAND, "calendar.csv": "machine,start,end\nM1,2,4\n"}))
    # a run that pauses over M1's downtime [2, 4): 8 minutes long, 6 worked
    rows = [ScheduleRow("M1", "run", 0, 8, "b1", "B", "batch", 1, 3, (("b1", 3),)),
            ScheduleRow("M1", "down", 2, 4)]
    b = product_kpis(plant, rows, order_outcomes(plant, rows))["B"]
    assert b.run_time == 6 and b.machine_cost == 6


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    from tests.conftest import write_plant

    folder = write_plant(tmp_path_factory.mktemp("three") / "plant", three_products())
    schedule = solve(load_plant(folder), time_limit=5, workers=1)
    assert_valid(schedule)
    out = tmp_path_factory.mktemp("out")
    schedule.write(out)
    return load_plant(folder), out


def test_figures_recomputed_from_schedule_csv_agree(solved):
    plant, out = solved
    kpis = json.loads((out / "kpis.json").read_text())
    report = {r["product"]: r for r in csv.DictReader((out / "products_report.csv").open())}
    again = recompute(plant, (out / "schedule.csv").read_text())
    assert set(again) == set(kpis["products"]) == set(report) == {"DRINK", "CUSTOM", "MIDDLE"}
    assert list(next(iter(report.values()))) == list(PRODUCT_COLUMNS)
    for name, figures in again.items():
        for key, value in figures.items():
            assert kpis["products"][name][key] == pytest.approx(float(value), rel=1e-9), key
            assert float(report[name][key]) == pytest.approx(float(value), rel=1e-5), key


def recompute(plant, text: str) -> dict[str, dict[str, Fraction]]:
    """The README's definitions, from schedule.csv and the plant's files alone."""
    rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        r["start"], r["end"] = Fraction(r["start"]), Fraction(r["end"])
    runs = [r for r in rows if r["kind"] == "run"]
    rate = {m: plant.machines[m].cost_per_hour / 60 for m in plant.machines}
    down = defaultdict(list)
    for r in rows:
        if r["kind"] == "down":
            down[r["machine"]].append((r["start"], r["end"]))
    horizon = max([max(r["end"] for r in runs)] + [o.due for o in plant.orders])
    done: dict[str, Fraction] = {}
    for r in runs:
        if int(r["step"]) == plant.routings[r["product"]][-1].number:
            for alloc in r["orders"].split(";"):
                order, _ = alloc.split(":")
                done[order] = max(done.get(order, r["end"]), r["end"])
    out = {}
    for name in plant.products:
        mine = [r for r in runs if r["product"] == name]
        setups = [r for r in rows if r["kind"] == "setup" and r["product"] == name]
        first = [r for r in mine if int(r["step"]) == 1]
        units = sum(int(r["quantity"]) for r in first)

        def worked(r):
            return r["end"] - r["start"] - sum(max(0, min(e, r["end"]) - max(s, r["start"]))
                                               for s, e in down[r["machine"]])

        wip = Fraction(0)
        for lot in {r["lot"] for r in mine}:
            spans = [r for r in mine if r["lot"] == lot]
            quantity = int(spans[0]["quantity"])
            wip += quantity * (max(r["end"] for r in spans) - min(r["start"] for r in spans))
        held = Fraction(0)
        for r in mine:
            if int(r["step"]) != plant.routings[name][-1].number:
                continue
            for alloc in r["orders"].split(";"):
                order, units_held = alloc.split(":")
                until = horizon if order == "STOCK" else plant.order_by_id[order].due
                held += int(units_held) * max(0, until - r["end"])
        orders = [o for o in plant.orders if o.product == name]
        cost = (sum(worked(r) * rate[r["machine"]] for r in mine)
                + sum((r["end"] - r["start"]) * rate[r["machine"]] for r in setups))
        out[name] = {
            "units": Fraction(units),
            "lots": Fraction(len(first)),
            "setups": Fraction(len(setups)),
            "setup_time": sum(r["end"] - r["start"] for r in setups),
            "machine_cost": cost,
            "machine_cost_per_unit": cost / units,
            "mean_lead_time": sum(done[o.order_id] - o.release for o in orders) / len(orders),
            "mean_stock": held / horizon,
            "mean_wip": wip / horizon,
            "on_time_rate": Fraction(sum(1 for o in orders if done[o.order_id] <= o.due),
                                     len(orders)),
        }
    return out


def _schedule_csv(rows: list[ScheduleRow]) -> str:
    lines = ["machine,kind,lot,product,mode,step,quantity,orders,start,end"]
    for r in rows:
        lines.append(",".join([r.machine, r.kind, r.lot, r.product, r.mode,
                               "" if r.step is None else str(r.step),
                               "" if r.quantity is None else str(r.quantity), r.orders_text,
                               str(r.start), str(r.end)]))
    return "\n".join(lines) + "\n"
