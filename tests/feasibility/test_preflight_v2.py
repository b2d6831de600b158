"""Preflight on spec v2 plants: rows that need more of a resource than exists,
and fixed work that alone makes the plant infeasible; end to end, exit 4."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import prodsched
from prodsched import load_plant
from prodsched.cli import main
from prodsched.errors import Conflict, InfeasibleError
from prodsched.feasibility import preflight
from prodsched.lots.plan import plan_lots

BASE = {
    "orders.csv": "order_id,product,quantity,deadline\na,P,2,100\nb,P,3,100\nc,Q,1,100\n",
    "routings.csv": "product,step,machine,time_per_unit,resources\nP,1,M1|M2,1,op:2\n"
                    "Q,1,M1,1,op\n",
    "setups.csv": "machine,from,to,time,resources\n*,P,Q,1,crew\nM2,*,*,1,crew:2;op\n",
    "resources.csv": "resource,capacity\nop,2\ncrew,1\n",
}


def conflicts(make_plant, files: dict[str, str]) -> list[Conflict]:
    plant = load_plant(make_plant(files))
    return preflight(plant, plan_lots(plant))


def test_amounts_within_capacity_are_no_conflict(make_plant):
    files = {**BASE, "setups.csv": "machine,from,to,time,resources\n*,P,Q,1,crew\n"}
    assert conflicts(make_plant, files) == []


def test_rows_needing_more_than_exists_are_named(make_plant):
    files = {**BASE, "resources.csv": "resource,capacity\nop,1\ncrew,1\n"}
    assert conflicts(make_plant, files) == [
        Conflict(("a", "b"), "resource", "the routing row of P step 1 on M1 holds 2 of op "
                                         "(capacity 1): no run can use it"),
        Conflict(("a", "b"), "resource", "the routing row of P step 1 on M2 holds 2 of op "
                                         "(capacity 1): no run can use it"),
        Conflict((), "resource", "the setup rule machine M2, from *, to * holds 2 of crew "
                                 "(capacity 1): no changeover can use it"),
    ]


def test_fixed_runs_over_capacity_together(make_plant):
    fixed = ("machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
             "M1,run,L1,P,batch,1,2,a:2,0,2\nM2,run,L2,P,batch,1,3,b:3,1,4\n")
    files = {**BASE, "setups.csv": "machine,from,to,time\n*,*,*,1\n",
             "resources.csv": "resource,capacity\nop,3\n", "fixed.csv": fixed}
    assert conflicts(make_plant, files) == [Conflict(
        ("a", "b"), "resource", "the fixed runs on fixed.csv lines 2, 3 hold 4 of op at 1; its "
                                "capacity is 3")]
    # one after the other, they fit
    files["fixed.csv"] = fixed.replace("M2,run,L2,P,batch,1,3,b:3,1,4",
                                       "M2,run,L2,P,batch,1,3,b:3,2,5")
    assert conflicts(make_plant, files) == []


def test_a_fixed_last_step_after_its_deadline(make_plant):
    fixed = ("machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
             "M1,run,L1,P,batch,1,2,a:2,0,2\n")
    files = {"orders.csv": "order_id,product,quantity,deadline\na,P,2,1\n",
             "routings.csv": "product,step,machine,time_per_unit\nP,1,M1,1\n",
             "fixed.csv": fixed}
    assert conflicts(make_plant, files) == [Conflict(
        ("a",), "deadline", "the fixed run of lot L1 (fixed.csv line 2) makes its last step "
                            "until 2; its deadline is 1")]


def test_work_still_to_plan_for_a_deadline_before_now(make_plant):
    fixed = ("machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
             "M1,run,L1,P,batch,1,2,a:2,0,2\n")
    files = {"orders.csv": "order_id,product,quantity,deadline\na,P,2,5\nb,P,3,5\n"
                           "c,P,1,20\nd,Q,1,5\n",
             "routings.csv": "product,step,machine,time_per_unit\nP,1,M1,1\nP,2,M2,1\n"
                             "Q,1,M1,1\n",
             "fixed.csv": fixed, "plant.csv": "now\n10\n"}
    assert conflicts(make_plant, files) == [
        Conflict(("a",), "deadline", "lot L1 has steps still to plan, and new work starts at "
                                     "now (10), after its deadline 5"),
        Conflict(("b",), "deadline", "3 of its units are in no fixed lot, and new work starts "
                                     "at now (10), after its deadline 5"),
        Conflict(("d",), "deadline", "1 of its units are in no fixed lot, and new work starts "
                                     "at now (10), after its deadline 5"),
    ]
    # an order done by fixed work before now is no conflict
    files["fixed.csv"] = fixed + "M2,run,L1,P,batch,2,2,a:2,2,4\n"
    files["orders.csv"] = "order_id,product,quantity,deadline\na,P,2,5\nc,P,1,20\n"
    assert conflicts(make_plant, files) == []


def test_solve_raises_infeasible_for_a_resource_conflict(make_plant):
    files = {**BASE, "resources.csv": "resource,capacity\nop,1\ncrew,2\n"}
    plant = load_plant(make_plant(files))
    with pytest.raises(InfeasibleError) as info:
        prodsched.solve(plant, time_limit=5, workers=1)
    assert [c.constraint for c in info.value.conflicts] == ["resource", "resource"]


def test_cli_exits_4_and_writes_nothing(make_plant, tmp_path: Path):
    files = {**BASE, "resources.csv": "resource,capacity\nop,1\ncrew,1\n"}
    folder = make_plant(files)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "5", "--workers", "1"])
    assert result.exit_code == 4, result.output
    assert not out.exists()
    assert ("a, b: resource: the routing row of P step 1 on M1 holds 2 of op (capacity 1): no "
            "run can use it") in result.output
    assert ("plant: resource: the setup rule machine M2, from *, to * holds 2 of crew "
            "(capacity 1): no changeover can use it") in result.output
    assert "Nothing was written; fix the data." in result.output
    assert "--relax-deadlines" not in result.output
