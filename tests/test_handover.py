"""Below the large-plant threshold: the full model for a share of the limit, then,
unless it proved its schedule optimal, the large-plant route from that schedule."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from prodsched.budget import HANDOVER_SHARE, ModelSize, is_large
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig
from prodsched.handover import Handover, handover_for, hands_over
from prodsched.lots.plan import plan_lots
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Mode
from prodsched.plant.setups import SetupTable
from tests.conftest import assert_valid, load_generated

OBJECTIVE = parse_objective("weighted-tardiness=1,setup-cost=1,holding-cost=1")
PLANTS = {
    # 50 batch/mass orders, 142 operations: the full model proves nothing in seconds
    "mid": GeneratorConfig(orders=50, products=8, families=3, machines=5, max_steps=3,
                           alternatives=2, setup_ratio=0.5, due_tightness=0.5,
                           mode_mix={Mode.BATCH: 0.5, Mode.MASS: 0.5}, seed=1),
    # 6 orders on 2 machines: proved optimal at once
    "small": GeneratorConfig(orders=6, machines=2, max_steps=1, seed=3),
}


@pytest.fixture(scope="module")
def plants(tmp_path_factory):  # type: ignore[no-untyped-def]
    return load_generated(tmp_path_factory.mktemp("handover"), PLANTS)


def _request(seconds: float, workers: int = 2) -> SolveRequest:
    return SolveRequest(objective=OBJECTIVE, time_limit=seconds,
                        settings=SolverSettings(workers=workers, seed=1))


class Phases:
    """A monitor that records the solve's phases."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def phase(self, name: str) -> None:
        self.seen.append(name)

    def fallback(self, make) -> None:  # type: ignore[no-untyped-def]
        pass


def test_a_mid_size_plant_goes_on_in_the_large_route_from_the_full_models_schedule(plants):
    plant = plants["mid"]
    size = ModelSize.of(plant, plan_lots(plant, None), SetupTable(plant))
    assert not is_large(size)
    phases = Phases()
    schedule = solve_request(plant, replace(_request(10), monitor=phases))
    assert_valid(schedule)
    info = schedule.info
    handed = info.details["handed_over"]
    assert handed["full_model_status"] == "feasible"
    assert handed["full_model_seconds"] >= 10 * HANDOVER_SHARE  # not before its share
    assert phases.seen.count("search") == 2  # the full model's, then the route's
    assert info.model.kind == "lns" and info.lns is not None and info.lns.windows > 0
    # the route starts from the best of its own starts and the full model's schedule
    assert info.objective <= handed["full_model_objective_values"][0]
    assert info.stages  # the full model's stages
    assert not info.interrupted
    assert info.budget.time_limit == 10
    assert info.solve_seconds > handed["full_model_seconds"]  # the whole solve's clock
    kpis = json.loads(schedule.render()["kpis.json"])
    assert kpis["handed_over"]["full_model_seconds"] == handed["full_model_seconds"]
    assert "stages" in kpis


def test_a_plant_proved_optimal_keeps_the_full_models_schedule(plants):
    schedule = solve_request(plants["small"], _request(10))
    assert_valid(schedule)
    assert schedule.info.stages and all(s.status == "optimal" for s in schedule.info.stages)
    assert "handed_over" not in schedule.info.details
    assert schedule.info.model.kind == "jobshop"


def test_requests_tied_to_one_model_do_not_hand_over(plants):
    plant = plants["mid"]
    request = _request(60)
    assert hands_over(request, plant)
    assert handover_for(request, plant, repeatable=False) is not None
    tied = [replace(request, warm_starts=[("heuristic", [])]),
            replace(request, relax_deadlines=True),
            replace(request, settings=SolverSettings(workers=1, deterministic_seconds=1.0)),
            replace(request, time_limit=5)]  # a share too short for CP-SAT
    assert not any(hands_over(r, plant) for r in tied)
    assert handover_for(replace(request, large=False), plant, repeatable=False) is None
    # a repeatable run may not let the clock decide
    assert handover_for(request, plant, repeatable=True) is None
    forced = solve_request(plant, replace(request, time_limit=3, large=False))
    assert_valid(forced)
    assert "handed_over" not in forced.info.details


def test_the_hand_over_waits_for_its_share_and_for_a_schedule_to_fall_back_on():
    waiting = Handover(lambda: False, seconds=100.0)
    waiting.started(fallback=True)
    assert not waiting() and not waiting.fired  # its share has not passed
    due = Handover(lambda: False, seconds=0.0)
    due.started(fallback=False)
    assert not due()  # no schedule yet: go on until the first solution
    due.seen(None)("stage", 1.0, 5.0, 0.0)
    assert due() and due.fired
    asked = Handover(lambda: True, seconds=100.0)
    asked.started(fallback=True)
    assert asked() and not asked.fired  # a stop asked for is no hand-over


@pytest.mark.parametrize("part", [1, 2], ids=["in-the-full-model", "in-the-route"])
def test_a_stop_in_either_search_returns_a_valid_schedule(plants, part):
    phases = Phases()
    request = replace(_request(20), monitor=phases,
                      stop=lambda: phases.seen.count("search") >= part)
    schedule = solve_request(plants["mid"], request)
    assert_valid(schedule)
    assert schedule.info.interrupted
    assert phases.seen.count("search") == part
    assert ("handed_over" in schedule.info.details) == (part == 2)
