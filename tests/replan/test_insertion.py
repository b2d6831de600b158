"""The re-plan start that inserts new lots into the previous plan (cheapest insertion)."""

from __future__ import annotations

from pathlib import Path

import pytest

import prodsched
from prodsched.lots.previous import plan_with_previous
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.replan import attach_previous, inserted_order, previous_order
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.replan.test_replan_solve import TWO_STAGES

FILES = {
    **TWO_STAGES,
    "orders.csv": """
        order_id,product,quantity,due,release,weight
        O1,A,10,25,0,1
        O2,B,10,120,0,1
        O3,A,10,200,0,1
        O4,B,10,220,0,1
        O5,A,10,300,0,1
        """,
    "products.csv": """
        product,mode
        A,one-off
        B,one-off
        """,
}


def _schedule(plant: Plant, ops: list[PlacedOp]) -> Schedule:
    lots = list({op.lot.lot_id: op.lot for op in ops}.values())
    return Schedule(plant, lots, ops)


@pytest.fixture(scope="module")
def yesterday(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Schedule]:
    """Yesterday's plan of five orders; then a rush order (due 80, weight 5) and an
    order due late arrive (released at 20)."""
    from tests.conftest import write_plant

    folder = write_plant(tmp_path_factory.mktemp("insert") / "plant", FILES)
    first = prodsched.solve(prodsched.load_plant(folder), time_limit=5, workers=1)
    assert_valid(first)
    with (folder / "orders.csv").open("a", encoding="utf-8") as f:
        f.write("R1,B,5,80,20,5\nL1,A,5,900,20,1\n")
    return folder, first


def _morning(yesterday: tuple[Path, Schedule], now: int) -> Plant:
    folder, first = yesterday
    return attach_previous(prodsched.load_plant(folder), first, now)


def test_new_lots_go_where_they_delay_least_and_the_previous_plan_stays(
        yesterday: tuple[Path, Schedule]) -> None:
    morning = _morning(yesterday, 20)
    plan = plan_with_previous(morning)
    setups = SetupTable(morning)
    inserted = _schedule(morning, inserted_order(morning, plan, setups))
    assert_valid(inserted)
    assert inserted.kpis.runs_changed == 0  # every previous run on its machine, in its order
    assert {lot.lot_id for lot in inserted.lots} >= set(morning.previous.lots)  # type: ignore[union-attr]
    rush = next(o for o in inserted.outcomes if o.order_id == "R1")
    assert rush.tardiness == 0
    # appended after the previous lots, the rush order is late: the place matters
    after = _schedule(morning, previous_order(morning, plan, setups))
    assert_valid(after)
    assert next(o for o in after.outcomes if o.order_id == "R1").tardiness > 0
    assert inserted.kpis.weighted_tardiness < after.kpis.weighted_tardiness


@pytest.mark.parametrize("now", [20, 70])
def test_out_of_time_it_still_keeps_the_previous_plan(yesterday: tuple[Path, Schedule],
                                                     now: int) -> None:
    """Also later in the morning, when whole lots were made before ``now`` (O1, late:
    its lateness is counted but no longer changes)."""
    plant = _morning(yesterday, now)
    plan = plan_with_previous(plant)
    if now == 70:
        assert any(lot not in plan.pinned.open_lots for lot in plan.pinned.lots)
    for stop in (Stop(0.0), Stop()):
        ops = inserted_order(plant, plan, SetupTable(plant), stop)
        schedule = _schedule(plant, ops)
        assert_valid(schedule)
        assert schedule.kpis.runs_changed == 0
        assert {op.lot.lot_id for op in ops} == (
            {lot.lot_id for lot in plan.fixed} | {lot.lot_id for lot in plan.pinned.lots})
