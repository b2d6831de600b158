"""The event-driven dispatch: valid schedules for every rule, campaigns when lazy."""

from __future__ import annotations

from collections import Counter

import pytest

from prodsched.lns.dispatch import QueueRule, queue_dispatch
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.start import RULES
from prodsched.plant import load_plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.validate import validate_texts
from tests.conftest import assert_valid


@pytest.mark.parametrize("plant_name", ["all-modes", "mass-long", "one-off-no-setups"])
@pytest.mark.parametrize("rule", list(RULES))
def test_every_rule_gives_a_valid_schedule_of_every_step(generated, plant_name, rule):
    plant = generated[plant_name]
    lots = aggregated_lots(plant)
    ops = queue_dispatch(plant, lots, SetupTable(plant), RULES[rule])
    placed = Counter((op.lot.lot_id, op.step) for op in ops)
    wanted = Counter((lot.lot_id, s.number) for lot in lots for s in plant.routings[lot.product])
    assert placed == wanted
    assert_valid(Schedule(plant, lots, ops))


def test_only_deadlines_can_be_missed(generated):
    plant = generated["deadlines"]
    lots = aggregated_lots(plant)
    for rule in RULES.values():
        files = Schedule(plant, lots, queue_dispatch(plant, lots, SetupTable(plant),
                                                     rule)).render()
        violations = validate_texts(plant, files["schedule.csv"], files["orders_report.csv"],
                                    files["kpis.json"])
        assert all(v.rule.startswith("8") for v in violations), violations


ALTERNATING = {
    # one machine; products of two families released by turns, due dates far away
    "orders.csv": "order_id,product,quantity,due,release\n" + "".join(
        f"o{k},{'A' if k % 2 == 0 else 'B'},5,2000,{5 * k}\n" for k in range(12)),
    "products.csv": "product,family,mode\nA,fa,one-off\nB,fb,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit\nA,1,M,1\nB,1,M,1\n",
    "setups.csv": "machine,from,to,time,cost\n*,fa,fb,10,10\n*,fb,fa,10,10\n",
}


def _setups(plant_files, make_plant, rule: QueueRule) -> tuple[int, float]:
    plant = load_plant(make_plant(plant_files))
    lots = aggregated_lots(plant)
    schedule = Schedule(plant, lots, queue_dispatch(plant, lots, SetupTable(plant), rule))
    assert_valid(schedule)
    return schedule.kpis.setup_count, float(schedule.kpis.weighted_tardiness)


def test_a_lazy_machine_waits_for_its_product_instead_of_changing_over(make_plant):
    eager = _setups(ALTERNATING, make_plant, QueueRule())
    lazy = _setups(ALTERNATING, make_plant, QueueRule(urgency=3, lookahead=True, lazy=True))
    assert eager[0] >= 3          # changes over to whatever is waiting
    assert lazy[0] == 1           # every A, then every B
    assert lazy[1] == eager[1] == 0


def test_urgent_work_goes_first_even_with_a_changeover(make_plant):
    files = dict(ALTERNATING)
    # B, released after the first A has started, is due soon after: urgent; the
    # other As can wait
    files["orders.csv"] = ("order_id,product,quantity,due,release\n"
                           "a1,A,5,2000,0\na2,A,5,2000,0\na3,A,5,2000,0\nb1,B,5,25,6\n")
    setups, tardiness = _setups(files, make_plant,
                                QueueRule(urgency=3, lookahead=True, lazy=True))
    assert tardiness == 0
    assert setups == 2            # A, then B in time, then back to A
