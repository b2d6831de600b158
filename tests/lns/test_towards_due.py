"""Runs moved towards their due dates where holding cost counts: kept only when the
objective improves, always valid, and the search's start and rounds use it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from prodsched.cpsat_runner import SolverSettings
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.search import improve
from prodsched.lns.start import RULES
from prodsched.lns.state import Indexed
from prodsched.lns.towards_due import towards_due
from prodsched.lots.cutting import make_lots
from prodsched.lots.placed import lots_in
from prodsched.objective import parse_objective
from prodsched.plant.model import Mode
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from prodsched.timeline import dispatch
from tests.conftest import assert_valid
from tests.timeline.conftest import build_plant, opt, order, queue_schedule

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


def test_a_lot_ends_by_its_earliest_due_date_even_when_most_of_it_is_for_a_later_order():
    # one lot of 101 units on M1 (101 time units): 1 unit due at 120, 100 due at 400;
    # it moves to end at 120, not later: lateness for the early order is not traded
    # for holding (a split of the lot gains both)
    base = build_plant({"A": [[opt("M1")]]},
                       [order("early", "A", 1, due=120), order("late", "A", 100, due=400)],
                       modes={"A": Mode.BATCH})
    plant = replace(base, products={"A": replace(base.products["A"], holding_cost=Fraction(1))})
    setups = SetupTable(plant)
    lots = make_lots(plant.products["A"], Mode.BATCH, list(plant.orders), [101], "L")
    state = Indexed(plant, lots, dispatch(plant, setups, lots, "edd"))
    assert [(op.start, op.end) for op in state.ops] == [(0, 101)]
    evaluator = Evaluator(plant, HOLDING)
    found = towards_due(plant, setups, evaluator, state, evaluator.values(state.ops))
    assert found is not None
    assert [(op.start, op.end) for op in found[0]] == [(19, 120)]
    assert found[1] == (Fraction(100 * 280),)   # the late order's units held 280
    assert_valid(Schedule(plant, lots, found[0]))
