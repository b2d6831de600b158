"""The large-plant start: every candidate from the one scheduler; fixed work kept."""

from __future__ import annotations

import itertools

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.start import (
    CANDIDATES,
    FIRST_PORTFOLIO,
    HOLDING_CANDIDATES,
    candidates,
    choose_start,
    mean_run,
)
from prodsched.lots.release import planned_releases
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from tests.conftest import assert_valid
from tests.timeline.conftest import assert_v2
from tests.timeline.test_dispatch import V2_PLANTS, fixed_plant

OBJECTIVE = parse_objective("weighted-tardiness=1,setup-cost=1")


def test_every_candidate_runs_and_the_best_is_valid(generated):
    plant = generated["all-modes"]
    start = choose_start(plant, SetupTable(plant), Evaluator(plant, OBJECTIVE),
                         count=len(CANDIDATES))
    assert len(start.scores) == len(CANDIDATES) and not start.skipped
    assert_valid(Schedule(plant, start.best.lots, start.best.ops))


def test_fixed_work_is_kept_and_pinned_lots_continue():
    plant = fixed_plant()
    start = choose_start(plant, SetupTable(plant), Evaluator(plant, OBJECTIVE), count=3)
    best = start.best
    assert sorted((op.lot.lot_id, op.start, op.end) for op in best.ops if op.fixed) == [
        ("a1", 10, 40), ("f2", 200, 230)]
    assert sorted(lot.lot_id for lot in best.lots) == ["a1", "a2", "b1", "f2"]
    assert_v2(Schedule(plant, best.lots, best.ops))


def test_the_start_keeps_the_v2_rules():
    for plant in V2_PLANTS.values():
        start = choose_start(plant, SetupTable(plant), Evaluator(plant, OBJECTIVE), count=2)
        assert_v2(Schedule(plant, start.best.lots, start.best.ops))


def test_the_first_schedule_handed_on_is_the_better_of_the_first_two(generated):
    plant = generated["all-modes"]
    shown = []
    start = choose_start(plant, SetupTable(plant), Evaluator(plant, OBJECTIVE),
                         count=len(CANDIDATES), on_best=shown.append)
    first_two = [start.scores[f"{rule} / lots {window:g}"]
                 for rule, window in CANDIDATES[:FIRST_PORTFOLIO]]
    assert [float(v) for v in shown[0].key[1]] == min(first_two)
    assert shown[-1] is start.best
    assert all(b.key < a.key for a, b in itertools.pairwise(shown))  # each one better


def test_a_single_candidate_is_still_handed_on(generated):
    plant = generated["all-modes"]
    shown = []
    choose_start(plant, SetupTable(plant), Evaluator(plant, OBJECTIVE), count=1,
                 on_best=shown.append)
    assert len(shown) == 1
    assert_valid(Schedule(plant, shown[0].lots, shown[0].ops))


def test_with_holding_cost_lots_released_towards_their_due_dates_compete(generated):
    plant = generated["all-modes"]
    holding = parse_objective("weighted-tardiness=1,setup-cost=1,holding-cost=1")
    evaluator = Evaluator(plant, holding)
    assert evaluator.counts_holding and not Evaluator(plant, OBJECTIVE).counts_holding
    names = candidates(plant, evaluator)
    assert names[FIRST_PORTFOLIO:FIRST_PORTFOLIO + len(HOLDING_CANDIDATES)] == list(
        HOLDING_CANDIDATES)
    assert len(candidates(plant, Evaluator(plant, OBJECTIVE))) == len(CANDIDATES)
    start = choose_start(plant, SetupTable(plant), evaluator, count=len(names))
    assert len(start.scores) == len(names)
    # a lead-time candidate is a schedule of the plant's own lots (their own releases)
    for _rule, window, lead in HOLDING_CANDIDATES[:2]:
        lots = aggregated_lots(plant, window * mean_run(plant))
        released = planned_releases(plant, lots, lead)
        assert any(a.release > b.release for a, b in zip(released, lots, strict=True))
        assert all(a.release >= b.release for a, b in zip(released, lots, strict=True))
    best = start.best
    own = {lot.lot_id: lot for lot in best.lots}
    assert all(op.lot is own[op.lot.lot_id] or op.fixed for op in best.ops)
    assert_valid(Schedule(plant, best.lots, best.ops))
