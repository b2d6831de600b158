"""Warm starts: every candidate comes from the one scheduler; fixed work is kept in each
and pinned lots continue after it; the best is the model's hint."""

from __future__ import annotations

import pytest

from prodsched.heuristics.warmstart import (
    WARM_RULES,
    choose_warm_start,
    dispatch_rules,
    run_rule,
)
from prodsched.lots.plan import plan_lots
from prodsched.lots.realize import realizations
from prodsched.objective import parse_objective
from prodsched.plant import load_plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.timeline.shop import option_of
from tests.conftest import assert_valid
from tests.jobshop.test_hints import INSTANCES
from tests.timeline.conftest import assert_v2
from tests.timeline.test_dispatch import V2_PLANTS, fixed_plant


def test_every_rule_of_the_warm_start_is_a_rule_of_the_scheduler():
    assert dispatch_rules(10) == list(WARM_RULES)
    assert dispatch_rules(10_000) == ["plain-edd", "active-edd"]


@pytest.mark.parametrize("name", ["bakery", "furniture"])
def test_every_candidate_is_valid_and_the_best_meets_the_deadlines(name):
    plant = load_plant(INSTANCES / name)
    warm = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                             parse_objective("weighted-tardiness>setup-time"))
    assert warm.meets_deadlines
    assert_valid(warm.best.schedule)
    assert len(warm.scores) == len(realizations(plan_lots(plant))) * len(WARM_RULES)


def test_a_start_that_could_not_be_timed_does_not_compete():
    """An empty start (a re-plan start whose sequences could not be timed) has no late
    order; it must not win over a real schedule."""
    plant = load_plant(INSTANCES / "bakery")
    objective = parse_objective("weighted-tardiness>setup-time")
    warm = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                             objective, [("could not be timed", [])])
    assert "could not be timed" not in warm.scores
    assert warm.best.ops and warm.best.values[0] > 0  # bakery has late orders at its best rule
    assert_valid(warm.best.schedule)


def test_fixed_work_is_in_every_candidate_and_pinned_lots_continue():
    plant = fixed_plant()
    plan = plan_lots(plant)
    options = realizations(plan)
    assert all(option.pinned is plan.pinned for option in options)
    warm = choose_warm_start(plant, options, SetupTable(plant),
                             parse_objective("weighted-tardiness>setup-time"), plan=plan,
                             merge_seconds=0.5)
    best = warm.best
    assert {lot.lot_id for lot in plan.pinned.lots} <= {lot.lot_id for lot in best.lots}
    assert sorted((op.lot.lot_id, op.start, op.end) for op in best.ops if op.fixed) == [
        ("a1", 10, 40), ("f2", 200, 230)]
    assert_v2(best.schedule)


@pytest.mark.parametrize("name", list(V2_PLANTS))
def test_warm_starts_keep_the_v2_rules(name):
    plant = V2_PLANTS[name]
    warm = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                             parse_objective("weighted-tardiness>setup-time"))
    for option_schedule in [warm.best.schedule, *(c.schedule for c in warm.evidence.values())]:
        assert_v2(option_schedule)


def test_a_pausing_plant_also_tries_its_best_rule_without_pauses():
    plant = load_plant(INSTANCES / "shifts")
    assert plant.uses_pauses and not plant.without_pauses().uses_pauses
    warm = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                             parse_objective("weighted-tardiness>setup-time"))
    straight = [name for name in warm.scores if name.endswith(" / no pauses")]
    assert len(straight) == 1
    assert warm.best.key <= (0, tuple(warm.scores[straight[0]]))
    # the schedule made without pauses is one of the pausing plant's: no run pauses in it
    options = realizations(plan_lots(plant))
    name = straight[0].removesuffix(" / no pauses")
    option = next(o for o in options if name.startswith(o.name + " / "))
    rule = name.rsplit(" / ", 1)[-1]
    ops = run_rule(plant.without_pauses(), option.lots, SetupTable(plant), rule,
                   option.pinned)
    schedule = Schedule(plant, option.all_lots, ops)
    assert_valid(schedule)
    assert all(op.end - op.start == option_of(plant, op).duration(op.lot.quantity)
               for op in ops if not op.fixed)


def test_counted_merge_trials_do_not_depend_on_the_clock(tmp_path):
    """Repeatable runs count the merge trials: with time to spare the count decides, not
    the budget; the clock stays a safety (three times the budget)."""
    from prodsched.generate import GeneratorConfig, write_plant

    config = GeneratorConfig(orders=40, products=6, families=3, machines=4, max_steps=2,
                             setup_ratio=0.5, seed=5)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    plan = plan_lots(plant)
    objective = parse_objective("weighted-tardiness>setup-time")

    def start(seconds: float, trials: int | None):  # type: ignore[no-untyped-def]
        return choose_warm_start(plant, realizations(plan), SetupTable(plant), objective,
                                 plan=plan, merge_seconds=seconds, merge_trials=trials).best

    def lots(candidate) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
        return sorted((lot.lot_id, lot.quantity) for lot in candidate.lots)

    unmerged = start(1e-9, None)
    counted = [start(seconds, 50) for seconds in (20.0, 60.0)]
    assert counted[0].values == counted[1].values and lots(counted[0]) == lots(counted[1])
    assert counted[0].name.startswith("merged") and len(counted[0].lots) < len(unmerged.lots)
    one = start(60.0, 1)  # one trial: at most one merge, whatever the budget
    assert len(one.lots) >= len(unmerged.lots) - 1 > len(counted[0].lots)
    assert lots(start(1e-9, 50)) == lots(unmerged)  # the safety: no time, no merge
    assert_valid(counted[0].schedule)


def test_merge_trials_stop_at_their_count_when_every_trial_is_kept(tmp_path):
    """A kept merge goes on to the next product: the count (and the clock) are checked
    after every trial, kept or not (a pass over the products used to run past both:
    a 1 s merge share took 2.5 s on a 250-order plant)."""
    from dataclasses import replace

    from prodsched.generate import GeneratorConfig, write_plant
    from prodsched.heuristics.warmstart import merge_descent

    config = GeneratorConfig(orders=40, products=6, families=3, machines=4, max_steps=2,
                             setup_ratio=0.5, seed=5)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    plan = plan_lots(plant)
    setups = SetupTable(plant)
    start = choose_warm_start(plant, realizations(plan), setups,
                              parse_objective("weighted-tardiness>setup-time"), plan=plan,
                              merge_seconds=0).best
    tried: list[str] = []

    def kept(name, lots, ops, hintable):  # type: ignore[no-untyped-def]
        tried.append(name)  # as good as the start: every trial is kept
        return replace(start, name=name, lots=lots, ops=ops)

    products = {lot.product for lot in start.lots}
    assert len(products) > 3
    merged = merge_descent(plant, plan, start, setups, kept, 60.0, trials=3)
    assert len(tried) == 3
    assert len(merged.lots) == len(start.lots) - 3
    assert_valid(Schedule(plant, merged.lots, merged.ops))


def test_no_candidate_is_tried_after_one_nothing_can_beat(tmp_path):
    """No changeover costs anything on this plant, so the first schedule has no setup
    time: the other candidates and the variants are left out (merging still runs: it
    keeps the objective at 0 with fewer lots)."""
    from prodsched.generate import GeneratorConfig, write_plant

    config = GeneratorConfig(orders=40, products=6, families=3, machines=4, max_steps=2,
                             setup_ratio=0.0, mode_mix="batch=1", seed=5)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    plan = plan_lots(plant)
    objective = parse_objective("setup-time")
    warm = choose_warm_start(plant, realizations(plan), SetupTable(plant), objective,
                             plan=plan, merge_seconds=60.0)
    assert warm.best.values == (0,) and warm.best.missed_deadlines == 0
    dispatched = [name for name in warm.scores if not name.startswith("merged")]
    assert warm.skipped and len(dispatched) == 1
    assert_valid(warm.best.schedule)
    # products in auto mode: the lots that tell the modes apart are dispatched until
    # each mode has its evidence
    auto_config = GeneratorConfig(orders=40, products=6, families=3, machines=4,
                                  max_steps=2, setup_ratio=0.0, mode_mix="auto=1", seed=5)
    auto = load_plant(write_plant(auto_config, tmp_path / "auto"))
    auto_plan = plan_lots(auto)
    auto_warm = choose_warm_start(auto, realizations(auto_plan), SetupTable(auto), objective,
                                  plan=auto_plan, merge_seconds=0)
    assert auto_warm.best.values == (0,) and len(auto_warm.evidence) > 1
    assert all(e.values == (0,) for e in auto_warm.evidence.values()) and auto_warm.skipped
    # with a criterion that is not 0, every candidate is tried
    other = choose_warm_start(plant, realizations(plan), SetupTable(plant),
                              parse_objective("makespan"), plan=plan, merge_seconds=0)
    assert not other.skipped and len(other.scores) > 1


@pytest.mark.parametrize("name", ["bakery", "bottling"])
def test_where_holding_counts_the_best_start_also_tries_its_runs_towards_due_dates(name):
    plant = load_plant(INSTANCES / name)
    objective = parse_objective("weighted-tardiness=1,holding-cost=1")
    warm = choose_warm_start(plant, realizations(plan_lots(plant)), SetupTable(plant),
                             objective)
    delayed = [n for n in warm.scores if n.endswith(" / towards due")]
    assert len(delayed) == 1
    # lower than the schedule it came from, and the start is no worse than it
    source = delayed[0].removesuffix(" / towards due")
    assert warm.scores[delayed[0]] < warm.scores[source]
    assert warm.best.missed_deadlines == 0
    assert [float(v) for v in warm.best.values] <= warm.scores[delayed[0]]
    assert_valid(warm.best.schedule)
