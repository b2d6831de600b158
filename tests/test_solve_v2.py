"""Spec v2 plants solved end to end: ``prodsched.solve``, ``solve_request`` on both
routes (the full job-shop model and the large-plant route) and ``prodsched solve``
must give schedules the project's validator accepts, with runs that pause,
longest waits, shared resources, fixed rows and ``now``.

The plants are folders written from CSV text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import prodsched
from prodsched import load_plant
from prodsched.cli import main
from prodsched.cpsat_runner import SolverSettings
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Plant
from prodsched.schedule.schedule import Schedule
from prodsched.validate import validate_texts
from tests.conftest import assert_valid

ROUTINGS = "product,step,machine,time_per_unit,can_pause,resources,max_wait\n"

# A may pause on M1 over the night [8, 12); B may not. A as one run from 0 ends at 14,
# in time; waiting for the morning it would end at 22.
PAUSE = {
    "orders.csv": "order_id,product,quantity,due\na,A,10,14\nb,B,3,30\n",
    "routings.csv": ROUTINGS + "A,1,M1,1,yes,,\nB,1,M1,1,no,,\n",
    "calendar.csv": "machine,start,end\nM1,8,12\n",
}

# A's second step must start within 1 of its first step's end; M2 is busy with B
# (due early) until 6, so A's first step cannot simply run at once.
WAIT = {
    "orders.csv": "order_id,product,quantity,due\na,A,2,100\nb,B,6,6\n",
    "routings.csv": ROUTINGS + "A,1,M1,1,,,\nA,2,M2,1,,,1\nB,1,M2,1,,,\n",
}

# One operator (op) for A's runs, B's first step and A's second; one setup crew for
# every changeover but M2's from A to B; M1 and M2 each have a night.
RESOURCES = {
    "orders.csv": "order_id,product,quantity,due\na,A,6,30\nb,B,4,30\nc,A,3,40\n",
    "products.csv": "product,mode\nA,batch\nB,batch\n",
    "routings.csv": ROUTINGS + "A,1,M1,1,yes,op,\nA,2,M2,1,no,op,3\nB,1,M1,1,,op,\n"
                               "B,2,M2,1,,,\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,crew\nM2,A,B,2,0,\n",
    "resources.csv": "resource,capacity\nop,1\ncrew,1\n",
    "calendar.csv": "machine,start,end\nM1,10,15\nM2,20,24\n",
}

# Lot F's first step ran on M1 (fixed, with its setup row); planning starts at 5.
FIXED = {
    "orders.csv": "order_id,product,quantity,due\nf,A,4,20\na,A,3,20\nb,B,2,20\n",
    "products.csv": "product,mode\nA,batch\nB,batch\n",
    "routings.csv": ROUTINGS + "A,1,M1,1,,,\nA,2,M2,1,,,\nB,1,M1,1,,,\nB,2,M2,1,,,\n",
    "setups.csv": "machine,from,to,time\n*,*,*,1\n",
    "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                 "M1,setup,F,A,,,,,0,1\nM1,run,F,A,batch,1,4,f:4,1,5\n",
    "plant.csv": "now\n5\n",
}

# Every v2 rule at once.
EVERYTHING = {
    "orders.csv": "order_id,product,quantity,due\nf,A,4,30\na1,A,3,12\nb1,B,4,14\n"
                  "c1,C,3,10\nb2,B,2,25\n",
    "products.csv": "product,mode\nA,one-off\nB,batch\nC,one-off\n",
    "routings.csv": ROUTINGS + "A,1,M1,1,yes,,\nA,2,M2,1,no,op,3\nB,1,M1,1,,,\n"
                               "B,1,M3,2,yes,,\nB,2,M2,1,,op,\nC,1,M3,1,,op,\nC,2,M2,1,,,\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,crew\n",
    "resources.csv": "resource,capacity\ncrew,1\nop,1\n",
    "calendar.csv": "machine,start,end\nM1,9,12\nM3,6,9\n",
    "fixed.csv": "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
                 "M1,setup,F,A,,,,,0,2\nM1,run,F,A,one-off,1,4,f:4,2,6\n",
    "plant.csv": "now\n3\n",
}

PLANTS = {"pause": PAUSE, "wait": WAIT, "resources": RESOURCES, "fixed": FIXED,
          "everything": EVERYTHING}


def _run_of(schedule: Schedule, lot_product: str, step: int) -> list[tuple[str, int, int]]:
    return sorted((op.machine, op.start, op.end) for op in schedule.ops
                  if op.lot.product == lot_product and op.step == step)


@pytest.mark.parametrize("name", list(PLANTS))
def test_the_full_model_route_gives_a_valid_schedule(make_plant, name):
    plant = load_plant(make_plant(PLANTS[name]))
    assert plant.uses_v2_rules
    schedule = prodsched.solve(plant, time_limit=20, workers=1)
    assert_valid(schedule)
    assert schedule.info.model.kind == "jobshop"


def test_a_run_that_may_pause_spans_the_night_to_be_in_time(make_plant):
    schedule = prodsched.solve(load_plant(make_plant(PAUSE)), time_limit=20, workers=1)
    assert_valid(schedule)
    assert _run_of(schedule, "A", 1) == [("M1", 0, 14)]
    assert schedule.kpis.weighted_tardiness == 0


def test_the_longest_wait_holds_where_it_costs_nothing_to_ignore_it(make_plant):
    schedule = prodsched.solve(load_plant(make_plant(WAIT)), time_limit=20, workers=1)
    assert_valid(schedule)
    ((_, _, end1),) = _run_of(schedule, "A", 1)
    ((_, start2, _),) = _run_of(schedule, "A", 2)
    assert 0 <= start2 - end1 <= 1
    assert _run_of(schedule, "B", 1) == [("M2", 0, 6)]


def test_fixed_rows_are_kept_and_nothing_new_starts_before_now(make_plant):
    schedule = prodsched.solve(load_plant(make_plant(FIXED)), time_limit=20, workers=1)
    assert_valid(schedule)
    rows = schedule.render()["schedule.csv"].splitlines()
    assert "M1,setup,F,A,,,,,0,1" in rows and "M1,run,F,A,batch,1,4,f:4,1,5" in rows
    for op in schedule.ops:
        if not op.fixed:
            assert op.start >= 5 and op.setup_begin >= 5
    # lot F goes on with its second step
    assert [op.step for op in schedule.ops if op.lot.lot_id == "F"] == [1, 2]


@pytest.mark.parametrize("name", ["resources", "everything"])
def test_the_large_plant_route_gives_a_valid_schedule(make_plant, name):
    """Forced onto the large-plant route: its dispatch start either follows every rule
    (then the window search improves it) or the full model takes over."""
    plant = load_plant(make_plant(PLANTS[name]))
    request = SolveRequest(objective=parse_objective("weighted-tardiness>setup-time"),
                           time_limit=4, settings=SolverSettings(workers=1), large=True)
    schedule = solve_request(plant, request)
    assert_valid(schedule)


def _written_violations(plant: Plant, out: Path) -> list[str]:
    texts = {n: (out / n).read_text(encoding="utf-8")
             for n in ("schedule.csv", "orders_report.csv", "kpis.json")}
    return [str(v) for v in validate_texts(plant, texts["schedule.csv"],
                                           texts["orders_report.csv"], texts["kpis.json"])]


@pytest.mark.parametrize("name", ["resources", "everything"])
def test_the_command_writes_a_schedule_the_validator_accepts(make_plant, tmp_path, name):
    folder = make_plant(PLANTS[name])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "20", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert _written_violations(load_plant(folder), out) == []
    check = CliRunner().invoke(main, ["validate", str(folder), str(out)])
    assert check.exit_code == 0, check.output


def test_the_large_plant_route_keeps_the_rules_in_its_windows(make_plant):
    """On the large-plant route (a dispatch start, then windows of the full model's
    constraint functions) A's run pauses over the night and is in time. (Makespan
    as a last stage: a start with every stage at 0 ends the search before any window.)"""
    plant = load_plant(make_plant(PAUSE))
    request = SolveRequest(
        objective=parse_objective("weighted-tardiness>setup-time>makespan"), time_limit=8,
        settings=SolverSettings(workers=1), large=True)
    schedule = solve_request(plant, request)
    assert_valid(schedule)
    assert schedule.info.model.kind == "lns"
    assert schedule.info.lns is not None and schedule.info.lns.windows >= 1
    assert _run_of(schedule, "A", 1) == [("M1", 0, 14)]
    assert schedule.kpis.weighted_tardiness == 0
