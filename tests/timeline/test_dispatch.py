"""The constructive scheduler: every rule valid on every kind of plant (v1 and v2 rules),
campaigns when lazy, urgent work first, fixed work kept and pinned lots continued."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace

import pytest

from prodsched.lns.lots import aggregated_lots
from prodsched.lns.start import RULES as START_RULES
from prodsched.lots.fixed import lots_per_order
from prodsched.lots.pinned import open_orders, pinned_work
from prodsched.plant import load_plant
from prodsched.plant.model import FixedRow, Mode
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.timeline import RULES, QueueRule, dispatch
from prodsched.timeline.dispatch import exact_work
from prodsched.timeline.rules import campaign_rule, rank_rule, serial
from prodsched.timeline.steps import LotState, Routes
from prodsched.validate import validate_texts
from tests.conftest import assert_valid
from tests.timeline.conftest import assert_v2, build_plant, opt, order, setup

dispatch_module = sys.modules["prodsched.timeline.dispatch"]  # the package re-exports the function


def _every_step(plant, lots, ops) -> None:  # type: ignore[no-untyped-def]
    placed = Counter((op.lot.lot_id, op.step) for op in ops)
    wanted = Counter((lot.lot_id, s.number) for lot in lots for s in plant.routings[lot.product])
    assert placed == wanted


@pytest.mark.parametrize("plant_name", ["all-modes", "mass-long", "one-off-no-setups"])
@pytest.mark.parametrize("rule", list(START_RULES))
def test_every_rule_gives_a_valid_schedule_of_every_step(generated, plant_name, rule):
    plant = generated[plant_name]
    lots = aggregated_lots(plant)
    ops = dispatch(plant, SetupTable(plant), lots, START_RULES[rule], exact=False)
    _every_step(plant, lots, ops)
    assert_valid(Schedule(plant, lots, ops))


@pytest.mark.parametrize("plant_name", ["all-modes", "mass-long"])
@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("exact", [True, False])
def test_every_named_rule_by_events_and_exactly(generated, plant_name, rule, exact):
    plant = generated[plant_name]
    lots = aggregated_lots(plant)
    ops = dispatch(plant, SetupTable(plant), lots, rule, exact=exact)
    _every_step(plant, lots, ops)
    assert_valid(Schedule(plant, lots, ops))


def test_only_deadlines_can_be_missed(generated):
    plant = generated["deadlines"]
    lots = aggregated_lots(plant)
    for rule in [*START_RULES.values(), *RULES]:
        files = Schedule(plant, lots, dispatch(plant, SetupTable(plant), lots, rule)).render()
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
    schedule = Schedule(plant, lots, dispatch(plant, SetupTable(plant), lots, rule))
    assert_valid(schedule)
    return schedule.kpis.setup_count, float(schedule.kpis.weighted_tardiness)


def test_a_lazy_machine_waits_for_its_product_instead_of_changing_over(make_plant):
    eager = _setups(ALTERNATING, make_plant, QueueRule())
    lazy = _setups(ALTERNATING, make_plant, QueueRule(urgency=3, lookahead=True, lazy=True))
    assert eager[0] >= 3          # changes over to whatever is waiting
    assert lazy[0] == 1           # every A, then every B
    assert lazy[1] == eager[1] == 0


def test_a_lazy_machine_with_nothing_due_still_does_all_its_work(make_plant):
    # no due dates: a lazy rule's wait has no end, so the machine must not idle for ever
    # (it did: only the first product's lots were placed)
    files = dict(ALTERNATING)
    files["orders.csv"] = "order_id,product,quantity\n" + "".join(
        f"o{k},{'A' if k % 2 == 0 else 'B'},5\n" for k in range(12))
    setups, tardiness = _setups(files, make_plant,
                                QueueRule(urgency=30, lookahead=True, lazy=True))
    assert setups == 1 and tardiness == 0   # every A, then every B


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


def _sequence(ops, machine: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [op.lot.lot_id for op in sorted(ops, key=lambda op: op.start)
            if op.machine == machine]


def test_mwkr_starts_the_lot_with_the_most_work_left():
    plant = build_plant({"S": [[opt("M")]], "L": [[opt("M")], [opt("N")], [opt("N")]]},
                        [order("s", "S", 10), order("l", "L", 10)])
    lots = lots_per_order(plant)
    assert _sequence(dispatch(plant, SetupTable(plant), lots, "mwkr"), "M") == ["l", "s"]
    assert _sequence(dispatch(plant, SetupTable(plant), lots, "fifo"), "M") == ["s", "l"]


def test_sequences_and_campaigns_are_rules():
    plant = build_plant({"A": [[opt("M")]], "B": [[opt("M")]]},
                        [order("a1", "A", 5), order("b1", "B", 5), order("a2", "A", 5)],
                        families={"A": "F1", "B": "F2"}, setups=[setup("F1", "F2", 10),
                                                                setup("F2", "F1", 10)])
    lots = lots_per_order(plant)   # a1, b1, a2
    setups = SetupTable(plant)
    assert _sequence(dispatch(plant, setups, lots, rank_rule([2, 1, 0])), "M") == [
        "a2", "b1", "a1"]
    assert _sequence(dispatch(plant, setups, lots, campaign_rule([0, 1, 2])), "M") == [
        "a1", "a2", "b1"]


def test_serial_edd_places_a_lot_whole_before_the_next():
    plant = build_plant({"P": [[opt("M1")], [opt("M2")]]},
                        [order("late", "P", 10, due=100), order("soon", "P", 30, due=50)])
    ops = dispatch(plant, SetupTable(plant), lots_per_order(plant), serial("edd"))
    assert _sequence(ops, "M1") == ["soon", "late"] and _sequence(ops, "M2") == ["soon", "late"]


# v2 plants, each rule: every schedule passes the validator and the direct v2 check

NIGHTS = [(m, 480 + 1440 * d, 1440 * (d + 1)) for m in ("M1", "M2", "OVEN") for d in range(4)]
V2_PLANTS = {
    "pauses": build_plant(
        {"A": [[opt("M1", pause=True)], [opt("M2", 2, pause=True)]],
         "B": [[opt("M1", 3)], [opt("M2")]]},
        [order(f"o{k}", "AB"[k % 2], 40 + 10 * k, due=600 + 100 * k) for k in range(8)],
        setups=[setup("A", "B", 30), setup("B", "A", 45)], down=NIGHTS),
    "resources": build_plant(
        {"A": [[opt("M1", resources="operator")], [opt("M2", resources="operator;tool:2")]],
         "B": [[opt("M2", resources="operator"), opt("M1", 2, resources="operator")]]},
        [order(f"o{k}", "AB"[k % 2], 20 + 5 * k, due=300 + 50 * k) for k in range(8)],
        setups=[setup("A", "B", 20, resources="crew"), setup("B", "A", 20, resources="crew")],
        resources={"operator": 2, "tool": 2, "crew": 1}, down=NIGHTS[:4]),
    "max-wait": build_plant(
        {"D": [[opt("M1")], [opt("OVEN", max_wait=15)], [opt("M2", max_wait=60)]],
         "E": [[opt("M1", 2)], [opt("M2")]]},
        [order(f"o{k}", "DE"[k % 2], 30 + 7 * k, due=500 + 200 * k) for k in range(10)],
        setups=[setup("D", "E", 25), setup("E", "D", 25)], down=NIGHTS),
    "mass-max-wait": build_plant(
        {"S": [[opt("M1", 2)], [opt("M2", 1, max_wait=0, pause=True)]]},
        [order(f"o{k}", "S", 100 + 10 * k, due=1000 * (k + 1)) for k in range(4)],
        modes={"S": Mode.MASS}, down=NIGHTS),
}


@pytest.mark.parametrize("name", list(V2_PLANTS))
@pytest.mark.parametrize("rule", [*RULES, "lazy"])
@pytest.mark.parametrize("exact", [True, False])
def test_every_rule_keeps_the_v2_rules(name, rule, exact):
    plant = V2_PLANTS[name]
    lots = aggregated_lots(plant)
    factory = QueueRule(urgency=30, lookahead=True, lazy=True) if rule == "lazy" else rule
    ops = dispatch(plant, SetupTable(plant), lots, factory, exact=exact)
    _every_step(plant, lots, ops)
    assert_v2(Schedule(plant, lots, ops))


def test_pauses_and_setups_before_the_night_are_used():
    plant = V2_PLANTS["pauses"]
    lots = aggregated_lots(plant)
    ops = dispatch(plant, SetupTable(plant), lots, "edd")
    paused = [op for op in ops if op.lot.product == "A" and any(
        m == op.machine and op.start < s < op.end for m, s, _ in NIGHTS)]
    assert paused, "some run pauses over a night"
    assert any(op.setup_start is not None and op.setup_end < op.start for op in ops), \
        "some setup goes before the night"
    adjacent = dispatch(plant, SetupTable(plant), lots, "edd", adjacent_setups=True)
    assert all(op.setup_start is None for op in adjacent)


FIXED_ROWS = (
    FixedRow("M1", "setup", "a1", "A", 0, 10),
    FixedRow("M1", "run", "a1", "A", 10, 40, Mode.ONE_OFF, 1, 30, (("a1", 30),)),
    FixedRow("M1", "setup", "f2", "F", 190, 200),
    FixedRow("M1", "run", "f2", "F", 200, 230, Mode.ONE_OFF, 1, 30, (("f2", 30),)),
)


def fixed_plant(now: int = 20):  # type: ignore[no-untyped-def]
    """M1 runs a1 (step 1 of 2) and, later, f2 with a fixed setup of 10; B -> F takes
    60, A -> F 5; a1's step 2 and f2 hold the operator."""
    return build_plant(
        {"A": [[opt("M1")], [opt("M2", resources="operator")]], "B": [[opt("M1")]],
         "F": [[opt("M1", resources="operator")]]},
        [order("a1", "A", 30), order("a2", "A", 20), order("b1", "B", 50), order("f2", "F", 30)],
        setups=[setup("B", "F", 60), setup("A", "F", 5), setup("*", "A", 10)],
        resources={"operator": 1}, fixed=FIXED_ROWS, now=now, initial={"M1": "B"})


def _fixed_schedule(rule):  # type: ignore[no-untyped-def]
    plant = fixed_plant()
    setups = SetupTable(plant)
    pinned = pinned_work(plant, setups)
    lots = lots_per_order(replace(plant, orders=open_orders(plant, pinned)))
    assert sorted(lot.lot_id for lot in lots) == ["a2", "b1"]   # a1 and f2 are pinned
    ops = dispatch(plant, setups, lots, rule, pinned=pinned)
    return Schedule(plant, [*pinned.lots, *lots], ops)


@pytest.mark.parametrize("rule", [*RULES, START_RULES["lazy-30"]])
def test_fixed_work_is_kept_and_pinned_lots_continue_after_it(rule):
    schedule = _fixed_schedule(rule)
    ops = schedule.ops
    fixed = sorted((op for op in ops if op.fixed), key=lambda op: op.start)
    assert [(op.lot.lot_id, op.setup_begin, op.start, op.end) for op in fixed] == [
        ("a1", 0, 10, 40), ("f2", 190, 200, 230)]
    a1 = next(op for op in ops if op.lot.lot_id == "a1" and op.step == 2)
    assert a1.start >= 40 and a1.machine == "M2"         # continues from step 2
    assert all(op.start >= 20 and op.setup_begin >= 20 for op in ops if not op.fixed)
    assert_v2(schedule)


def test_new_work_goes_before_a_fixed_run_only_when_its_changeover_fits_the_fixed_row():
    # b1 comes first by the rule, but B -> F needs 60 and f2's fixed setup is 10:
    # b1 runs after f2, and a2 (A -> F takes 5) before it
    schedule = _fixed_schedule(rank_rule([1, 0]))
    on_m1 = [op.lot.lot_id for op in sorted(schedule.ops, key=lambda op: op.start)
             if op.machine == "M1"]
    assert on_m1 == ["a1", "a2", "f2", "b1"]
    f2 = next(op for op in schedule.ops if op.lot.lot_id == "f2")
    assert f2.setup.cost == 0 and f2.setup.time == 10
    assert_v2(schedule)


def test_exact_work_counts_the_steps_each_machine_may_run(generated):
    plant = generated["all-modes"]
    lots = aggregated_lots(plant)
    routes = Routes.of(plant)
    per_machine: Counter[str] = Counter()
    for lot in lots:
        for step in plant.routings[lot.product]:
            per_machine.update(o.machine for o in step.options)
    states = [LotState() for _ in lots]
    assert exact_work(routes, lots, states) == sum(n * n for n in per_machine.values())


def test_above_the_work_limit_the_events_decide(generated, monkeypatch):
    plant = generated["all-modes"]
    lots = aggregated_lots(plant)
    chosen: list[str] = []
    for name in ("_Exact", "_Events"):
        cls = getattr(dispatch_module, name)
        monkeypatch.setattr(cls, "run", _recording(cls.run, name, chosen))
    dispatch(plant, SetupTable(plant), lots, "edd")
    monkeypatch.setattr(dispatch_module, "EXACT_MAX_WORK", 1)
    ops = dispatch(plant, SetupTable(plant), lots, "edd")
    assert chosen == ["_Exact", "_Events"]
    _every_step(plant, lots, ops)
    assert_valid(Schedule(plant, lots, ops))


def _recording(run, name, chosen):  # type: ignore[no-untyped-def]
    def recorded(self):  # type: ignore[no-untyped-def]
        chosen.append(name)
        return run(self)
    return recorded
