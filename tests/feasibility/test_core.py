"""Conflicting deadlines found by CP-SAT under assumptions; exit 4; --relax-deadlines."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest
from click.testing import CliRunner

from prodsched import InfeasibleError, load_plant, solve
from prodsched.cli import main
from prodsched.feasibility import explain, preflight, relax_deadlines
from prodsched.lots.plan import plan_lots
from prodsched.plant.setups import SetupTable
from prodsched.stop import Stop
from tests.conftest import assert_valid

# Two one-off orders, each fine alone: both need K for 3 after M or N for 3, by 6.
SUBTLE = {
    "orders.csv": "order_id,product,quantity,release,deadline\n"
                  "a,P,3,0,6\nb,Q,3,0,6\nc,P,1,0,100\n",
    "products.csv": "product,mode\nP,one-off\nQ,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit\nP,1,M|N,1\nP,2,K,1\n"
                    "Q,1,M|N,1\nQ,2,K,1\n",
}


def explained(plant):
    plan = plan_lots(plant)
    return explain(plant, plan, SetupTable(plant), Stop(time.monotonic() + 20), workers=1)


def test_preflight_misses_it_and_the_solver_names_both_orders(make_plant):
    plant = load_plant(make_plant(SUBTLE))
    assert preflight(plant, plan_lots(plant)) == []
    (c,) = explained(plant)
    assert (c.orders, c.constraint) == (("a", "b"), "deadlines")
    assert c.detail == ("these deadlines cannot all be met: a (3 × P, release 0, deadline 6); "
                        "b (3 × Q, release 0, deadline 6), on K, M, N")


def test_a_downtime_in_the_conflict_is_named(make_plant):
    files = dict(SUBTLE)
    files["orders.csv"] = "order_id,product,quantity,release,deadline\na,P,3,0,9\nb,Q,3,0,9\n"
    files["calendar.csv"] = "machine,start,end\nK,6,7\n"
    plant = load_plant(make_plant(files))
    assert preflight(plant, plan_lots(plant)) == []
    (c,) = explained(plant)
    assert (c.orders, c.constraint) == (("a", "b"), "deadlines and calendar")
    assert c.detail.endswith("on K, M, N, with the calendar (K down 6–7)")


def test_independent_conflicts_are_reported_together(make_plant):
    files = dict(SUBTLE)
    files["orders.csv"] = ("order_id,product,quantity,release,deadline\n"
                           "a,P,3,0,6\nb,Q,3,0,6\nc,P,3,20,26\nd,Q,3,20,26\n")
    plant = load_plant(make_plant(files))
    found = explained(plant)
    assert sorted(c.orders for c in found) == [("a", "b"), ("c", "d")]


def test_a_feasible_plant_has_nothing_to_explain(make_plant):
    files = dict(SUBTLE)
    files["orders.csv"] = "order_id,product,quantity,release,deadline\na,P,3,0,9\nb,Q,3,0,9\n"
    assert explained(load_plant(make_plant(files))) == []


def test_solve_raises_with_the_conflicts(make_plant):
    with pytest.raises(InfeasibleError) as info:
        solve(load_plant(make_plant(SUBTLE)), time_limit=10, workers=1)
    assert [(c.orders, c.constraint) for c in info.value.conflicts] == [(("a", "b"),
                                                                          "deadlines")]


def test_cli_exits_4_lists_the_conflict_and_writes_nothing(make_plant, tmp_path):
    folder = make_plant(SUBTLE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "10", "--workers", "1"])
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        "prodsched: the plant is infeasible: no schedule meets every hard constraint.",
        "  a, b: deadlines: these deadlines cannot all be met: a (3 × P, release 0, deadline "
        "6); b (3 × Q, release 0, deadline 6), on K, M, N",
        "Nothing was written; fix the data, or solve with --relax-deadlines to treat "
        "deadlines as due dates."]
    assert not out.exists()


def test_relax_deadlines_turns_them_into_due_dates(make_plant):
    plant = load_plant(make_plant({
        "orders.csv": "order_id,product,quantity,due,deadline\na,P,1,10,5\nb,P,1,3,8\nc,P,1,,\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
    }))
    relaxed = relax_deadlines(plant)
    assert [(o.due, o.deadline) for o in relaxed.orders] == [(5, None), (3, None), (None, None)]
    assert all(isinstance(o.due, Fraction) for o in relaxed.orders[:2])


def test_cli_relax_deadlines_schedules_and_lists_the_missed_ones(make_plant, tmp_path):
    folder = make_plant(SUBTLE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "10", "--workers", "1",
                                       "--relax-deadlines"])
    assert result.exit_code == 0, result.stderr
    kpis = json.loads((out / "kpis.json").read_text())
    missed = kpis["relaxed_deadlines"]["missed"]
    assert len(missed) == 1 and missed[0]["order_id"] in ("a", "b")
    assert missed[0]["late_by"] > 0
    assert f"warning: 1 order(s) miss their deadline: {missed[0]['order_id']}" in result.stderr
    schedule = solve(relax_deadlines(load_plant(folder)), time_limit=10, workers=1)
    assert_valid(schedule)


def test_overlapping_calendar_rows_are_no_conflict(make_plant):
    # a '*' holiday overlapping a machine's maintenance, and a row given twice
    files = {
        "orders.csv": "order_id,product,quantity,deadline\na,P,5,40\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
        "calendar.csv": "machine,start,end\n*,0,10\nM,5,20\nM,5,20\n",
    }
    plant = load_plant(make_plant(files))
    assert explained(plant) == []
    schedule = solve(plant, objective="makespan", time_limit=10, workers=1)
    assert_valid(schedule)
    assert schedule.kpis.makespan == 25  # proven for the model's lots only (restricted)
    assert schedule.status == "feasible" and schedule.info.restricted
    files["orders.csv"] = "order_id,product,quantity,deadline\na,P,5,24\n"
    (c,) = explained(load_plant(make_plant(files)))
    assert c.constraint == "deadlines and calendar" and c.orders == ("a",)
