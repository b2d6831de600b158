"""Plants the project never tuned on, generated to the format: valid, in time,
and better on weighted tardiness than a plain earliest-due-date dispatch."""

from __future__ import annotations

import time

import pytest

from prodsched import solve
from prodsched.generate import GeneratorConfig
from prodsched.strategies import StrategySettings, run_strategy
from tests.conftest import assert_valid, load_generated

LIMIT = 6.0
UNSEEN = {
    # below 160 operations (the full model, handing over): 8 machines, routings
    # of up to 3 steps with alternatives, setups, calendars, date-times, every mode
    "full-model": GeneratorConfig(orders=25, machines=8, max_steps=3, alternatives=2,
                                  setup_ratio=0.5, due_tightness=0.6, calendar=True,
                                  datetimes=True, seed=7771),
    # above 160 operations: the large-plant route
    "large-route": GeneratorConfig(orders=200, products=10, families=4, machines=8,
                                   max_steps=3, alternatives=2, setup_ratio=0.5,
                                   due_tightness=0.6, calendar=True, datetimes=True,
                                   seed=7773),
}


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):  # type: ignore[no-untyped-def]
    return load_generated(tmp_path_factory.mktemp("unseen"), UNSEEN)


@pytest.mark.parametrize("name", list(UNSEEN))
def test_valid_in_time_and_better_than_plain_edd(unseen, name):
    plant = unseen[name]
    started = time.monotonic()
    schedule = solve(plant, time_limit=LIMIT, workers=2, started_at=started)
    wall = time.monotonic() - started
    assert_valid(schedule)
    assert wall <= LIMIT * 1.1 + 1
    info = schedule.info
    if name == "large-route":
        assert info.model.kind == "lns"
    else:  # the full model first; the large-plant route from its schedule unless proved
        assert info.stages
        assert (info.model.kind == "lns") == ("handed_over" in info.details)
    edd = run_strategy(plant, "edd", StrategySettings())
    assert_valid(edd)
    assert edd.kpis.weighted_tardiness > 0  # room to improve
    assert schedule.kpis.weighted_tardiness < edd.kpis.weighted_tardiness
