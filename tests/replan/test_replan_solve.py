"""Re-planning from a previous schedule through the API: what is kept, what changed."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

import prodsched
from prodsched.generate import GeneratorConfig
from prodsched.generate import write_plant as generate_plant
from prodsched.schedule.schedule import Schedule
from prodsched.validate import validate_texts
from tests.conftest import assert_valid

SOLVE = {"time_limit": 8, "workers": 1}
# Products A and B: cut on M1 or M2, then finished on M3; 10 minutes to change over.
TWO_STAGES = {
    "routings.csv": """
        product,step,machine,time_per_unit
        A,1,M1|M2,3
        A,2,M3,1
        B,1,M1|M2,3
        B,2,M3,1
        """,
    "setups.csv": """
        machine,from,to,time
        *,A,B,10
        *,B,A,10
        """,
}


def _sequences(schedule: Schedule, now: int) -> dict[str, list[tuple[str, int]]]:
    """Per machine, the (lot, step) of the runs starting at or after ``now``, in order."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in schedule.rows:
        if row.kind == "run" and row.start >= now:
            out[row.machine].append((row.lot, row.step or 1))
    return dict(out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # tight due dates: the plan has late orders, so tardiness could pull lots around
    config = GeneratorConfig(orders=10, products=3, families=2, machines=3, max_steps=2,
                             setup_ratio=0.4, due_tightness=0.9, seed=3)
    return generate_plant(config, tmp_path_factory.mktemp("gen") / "plant")


@pytest.mark.parametrize("name", ["tiny", "generated"])
def test_nothing_changed_keeps_every_lot_on_its_machine_and_place(
        name: str, generated: Path) -> None:
    plant = prodsched.load_plant(generated if name == "generated" else "instances/tiny")
    first = prodsched.solve(plant, **SOLVE)
    if name == "generated":
        assert first.kpis.weighted_tardiness > 0
    now = sorted(r.start for r in first.rows if r.kind == "run")[len(first.rows) // 4]
    again = prodsched.solve(plant, previous=first, now=now, **SOLVE)
    assert_valid(again)
    assert again.info.objective_name == "weighted-tardiness>changes>setup-time"
    assert again.kpis.runs_changed == 0
    changes = again.kpis_dict()["changes"]
    assert changes["new_lots"] == changes["dropped_lots"] == 0
    assert changes["runs_compared"] == sum(1 for r in first.rows
                                           if r.kind == "run" and r.start >= now)
    before = {(r.lot, r.step): r.machine for r in first.rows if r.kind == "run"}
    after = {(r.lot, r.step): r.machine for r in again.rows if r.kind == "run"}
    assert after == before  # same lots (ids), steps and machines
    new_order = _sequences(again, now)
    for machine, runs in _sequences(first, now).items():
        assert [k for k in new_order.get(machine, []) if k in set(runs)] == runs
    # what started before now is kept exactly
    kept = [r for r in first.rows if r.kind != "down" and r.start < now]
    assert all(r in again.rows for r in kept)
    assert float(again.kpis.weighted_tardiness) <= float(first.kpis.weighted_tardiness) + 1e-9


def test_rush_order_and_breakdown(make_plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = Path(make_plant({
        "orders.csv": """
            order_id,product,quantity,due,release,weight
            O1,A,10,100,0,1
            O2,B,10,120,0,1
            O3,A,10,200,0,1
            O4,B,10,220,0,1
            """,
        "products.csv": """
            product,mode
            A,batch
            B,batch
            """,
        **TWO_STAGES,
    }))
    first = prodsched.solve(prodsched.load_plant(folder), **SOLVE)
    first.write(tmp_path / "day1")
    with (folder / "orders.csv").open("a", encoding="utf-8") as f:
        f.write("R1,B,5,60,20,5\n")
    (folder / "calendar.csv").write_text("machine,start,end\nM2,60,120\n", encoding="utf-8")
    plant = prodsched.load_plant(folder)
    again = prodsched.solve(plant, previous=tmp_path / "day1", now=20, **SOLVE)
    assert_valid(again)
    changes = again.kpis_dict()["changes"]
    assert changes["new_lots"] == 1 and changes["dropped_lots"] == 0
    assert {lot.lot_id for lot in again.lots} >= {lot.lot_id for lot in first.lots}
    report = again.render()["orders_report.csv"].splitlines()
    assert report[0].endswith(",completion_moved")
    moved = {line.split(",")[0]: line.split(",")[-1] for line in report[1:]}
    assert moved["R1"] == ""  # a new order has no previous completion
    done_before = {o.order_id: o.completion for o in first.outcomes}
    for o in again.outcomes:
        if o.order_id != "R1":
            assert o.completion is not None and done_before[o.order_id] is not None
            assert int(moved[o.order_id]) == o.completion - done_before[o.order_id]
    assert all(r.start >= 20 for r in again.rows
               if r.kind != "down" and r not in first.rows)


def test_validator_checks_changes_and_completion_moved() -> None:
    plant = prodsched.load_plant("instances/tiny")
    first = prodsched.solve(plant, **SOLVE)
    again = prodsched.solve(plant, previous=first, now=30, **SOLVE)
    files = again.render()
    kpis = json.loads(files["kpis.json"])
    kpis["changes"]["resequenced"] += 1
    bad = validate_texts(again.plant, files["schedule.csv"], files["orders_report.csv"],
                         json.dumps(kpis))
    assert any("changes.resequenced" in v.message for v in bad)
    lines = files["orders_report.csv"].splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",7"
    bad = validate_texts(again.plant, files["schedule.csv"], "\n".join(lines) + "\n",
                         files["kpis.json"])
    assert any("completion_moved" in v.message for v in bad)


def test_changes_criterion_counts_what_the_kpi_counts() -> None:
    """Solving for ``changes`` alone after swapping due dates: the model's count is the
    KPI's (the objective reported is the KPI), and 0 is reachable."""
    plant = prodsched.load_plant("instances/tiny")
    first = prodsched.solve(plant, **SOLVE)
    again = prodsched.solve(plant, previous=first, now=0, objective="changes", **SOLVE)
    assert_valid(again)
    assert again.status == "optimal"
    assert again.kpis.runs_changed == 0 == again.info.objective


def test_replan_needs_a_moment() -> None:
    plant = prodsched.load_plant("instances/tiny")
    first = prodsched.solve(plant, **SOLVE)
    with pytest.raises(prodsched.UsageError, match="moment of planning"):
        prodsched.solve(plant, previous=first, **SOLVE)


def test_gantt_shows_the_previous_plan_behind(tmp_path: Path) -> None:
    from prodsched.gantt.chart import machine_chart
    from prodsched.io.outputs import write_outputs

    plant = prodsched.load_plant("instances/tiny")
    first = prodsched.solve(plant, **SOLVE)
    again = prodsched.solve(plant, previous=first, now=30, **SOLVE)
    chart = machine_chart(again)
    behind = [b for b in chart.bars if b.kind == "previous"]
    assert len(behind) == again.kpis_dict()["changes"]["runs_compared"]
    assert chart.bars[:len(behind)] == tuple(behind)  # drawn first, so behind
    assert not [b for b in machine_chart(first).bars if b.kind == "previous"]
    write_outputs(again, tmp_path, gantt=True)
    assert '"previous"' in (tmp_path / "gantt.html").read_text(encoding="utf-8")
    assert (tmp_path / "gantt.png").stat().st_size > 0


@pytest.mark.parametrize("large", [False, True], ids=["full-model", "large-plant-route"])
def test_morning_example_plans_around_its_fixed_rows(tmp_path: Path, large: bool) -> None:
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.examples import write_example
    from prodsched.objective import parse_objective
    from prodsched.pipeline import solve_request
    from prodsched.request import SolveRequest

    plant = prodsched.load_plant(write_example("morning", tmp_path / "morning"))
    assert plant.now == 480 and len(plant.fixed) == 4
    if large:  # the window search's own dispatch start keeps the fixed lots' ids apart too
        request = SolveRequest(objective=parse_objective("weighted-tardiness>setup-time"),
                               time_limit=8, settings=SolverSettings(workers=1), large=True)
        schedule = solve_request(plant, request)
    else:
        schedule = prodsched.solve(plant, **SOLVE)
    assert_valid(schedule)
    fixed = {(r.machine, r.kind, r.lot, r.start, r.end) for r in plant.fixed}
    rows = {(r.machine, r.kind, r.lot, r.start, r.end) for r in schedule.rows}
    assert fixed <= rows
    assert all(r.start >= 480 for r in schedule.rows
               if r.kind != "down" and (r.machine, r.kind, r.lot, r.start, r.end) not in fixed)
    lots = {lot.lot_id for lot in schedule.lots}
    assert len(lots) == len(schedule.lots)  # new lots do not take a fixed lot's id
    rush = next(o for o in schedule.outcomes if o.order_id == "O6")
    assert rush.tardiness == 0


def test_changes_without_a_previous_plan_is_a_usage_error() -> None:
    plant = prodsched.load_plant("instances/tiny")
    with pytest.raises(prodsched.UsageError, match="previous plan"):
        prodsched.solve(plant, objective="weighted-tardiness>changes", **SOLVE)
