"""Every heuristic strategy keeps fixed work and the v2 rules."""

from __future__ import annotations

import pytest

from prodsched.strategies import REGISTRY, StrategySettings, run_strategy
from tests.timeline.conftest import assert_v2
from tests.timeline.test_dispatch import V2_PLANTS, fixed_plant

HEURISTICS = [name for name, s in REGISTRY.items() if s.kind == "heuristic"]


@pytest.mark.parametrize("name", HEURISTICS)
def test_fixed_work_is_kept_and_pinned_lots_continue(name):
    schedule = run_strategy(fixed_plant(), name, StrategySettings())
    assert sorted((op.lot.lot_id, op.start, op.end) for op in schedule.ops if op.fixed) == [
        ("a1", 10, 40), ("f2", 200, 230)]
    assert_v2(schedule)


@pytest.mark.parametrize("plant", list(V2_PLANTS))
@pytest.mark.parametrize("name", HEURISTICS)
def test_every_strategy_keeps_the_v2_rules(plant, name):
    assert_v2(run_strategy(V2_PLANTS[plant], name, StrategySettings()))
