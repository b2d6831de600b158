"""Runs moved towards their due dates where holding cost counts: kept only when the
objective improves, always valid, and the search's start and rounds use it."""

from __future__ import annotations

from prodsched.cpsat_runner import SolverSettings
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import improve
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.lns.towards_due import towards_due
from prodsched.lots.placed import lots_in
from prodsched.objective import parse_objective
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.timeline.conftest import queue_schedule

HOLDING = parse_objective("weighted-tardiness=1,holding-cost=1")


def _start(plant, rule="atcs"):  # type: ignore[no-untyped-def]
    setups = SetupTable(plant)
    lots = aggregated_lots(plant)
    return setups, Indexed(plant, lots, queue_schedule(plant, lots, setups, RULES[rule]))


def test_moving_runs_towards_due_dates_lowers_the_objective_and_stays_valid(generated):
    moved = 0
    for name, plant in generated.items():
        setups, state = _start(plant)
        evaluator = Evaluator(plant, HOLDING)
        before = evaluator.values(state.ops)
        found = towards_due(plant, setups, evaluator, state, before)
        if found is None:
            continue
        moved += 1
        ops, values = found
        assert values < before, name
        assert values == evaluator.values(ops)
        assert all(new.end >= old.end for new, old in zip(ops, state.ops, strict=True))
        assert_valid(Schedule(plant, state.lots, ops))
    assert moved >= 3


def test_without_holding_cost_nothing_is_gained_so_nothing_is_kept(generated):
    plant = generated["all-modes"]
    setups, state = _start(plant)
    evaluator = Evaluator(plant, parse_objective("weighted-tardiness"))
    assert towards_due(plant, setups, evaluator, state, evaluator.values(state.ops)) is None


def test_the_search_moves_the_start_towards_due_dates_first(generated):
    plant = generated["mass-long"]
    setups, state = _start(plant)
    evaluator = Evaluator(plant, HOLDING)
    before = evaluator.values(state.ops)
    assert towards_due(plant, setups, evaluator, state, before) is not None
    ops, values, stats = improve(plant, setups, HOLDING, state.lots, state.ops,
                                 Stop.make(deterministic_seconds=0.3),
                                 SolverSettings(workers=1, seed=1))
    assert stats.delays_kept >= 1
    assert values < before and values == evaluator.values(ops)
    assert_valid(Schedule(plant, lots_in(ops), ops))
