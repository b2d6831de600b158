"""The pipeline's large-plant route: validated checkpoints early, a better final schedule."""

from __future__ import annotations

import json
import time

from prodsched.budget import LARGE_OPERATIONS, ModelSize, is_large
from prodsched.cpsat_runner import SolverSettings
from prodsched.lns import route
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.schedule.schedule import Schedule
from tests.conftest import assert_valid

OBJECTIVE = parse_objective("weighted-tardiness=1,setup-cost=1")


def _solve(plant, seconds, **extra) -> tuple[Schedule, list[tuple[float, Schedule, dict]]]:
    seen: list[tuple[float, Schedule, dict]] = []
    request = SolveRequest(objective=extra.pop("objective", OBJECTIVE), time_limit=seconds,
                           settings=SolverSettings(workers=extra.pop("workers", 2)),
                           large=True,
                           checkpoint=lambda s, files: seen.append((time.monotonic(), s,
                                                                     files)),
                           **extra)
    return solve_request(plant, request), seen


def test_the_first_schedule_is_handed_on_early_and_the_final_one_is_no_worse(generated):
    plant = generated["all-modes"]
    started = time.monotonic()
    schedule, seen = _solve(plant, 8)
    assert seen and seen[0][0] - started < 4
    for _, provisional, files in seen:
        assert_valid(provisional)
        assert json.loads(files["kpis.json"])["provisional"] is True
    assert_valid(schedule)
    details = schedule.info.details
    assert "provisional" not in details and json.loads(schedule.render()["kpis.json"])
    assert schedule.info.model.kind == "lns"
    assert schedule.info.lns is not None and schedule.info.lns.windows > 0
    assert schedule.info.objective <= seen[0][1].info.objective
    assert schedule.info.objective == schedule.info.lns.trajectory[-1][1]
    assert schedule.info.solve_seconds <= 8 * 1.1


def test_deadlines_hold(generated):
    schedule, _ = _solve(generated["deadlines"], 5, objective=parse_objective("setup-time"))
    assert_valid(schedule)


def _stopped(plant) -> tuple[Schedule, list[Schedule], float]:
    """Solve, stopping as soon as the first schedule is handed on."""
    seen: list[Schedule] = []
    request = SolveRequest(objective=OBJECTIVE, time_limit=60, large=True,
                           settings=SolverSettings(workers=2),
                           checkpoint=lambda s, files: seen.append(s), stop=lambda: bool(seen))
    started = time.monotonic()
    schedule = solve_request(plant, request)
    return schedule, seen, time.monotonic() - started


def test_a_stop_returns_the_best_schedule_validated_when_that_is_quick(generated):
    schedule, seen, seconds = _stopped(generated["all-modes"])
    assert seconds < 10
    assert schedule.info.interrupted is True
    assert schedule.info.objective <= seen[-1].info.objective
    assert_valid(schedule)


def test_a_stop_returns_the_newest_validated_schedule_when_validating_is_slow(
        generated, monkeypatch):
    monkeypatch.setattr(route, "STOP_VALIDATE", 0.0)
    schedule, seen, seconds = _stopped(generated["all-modes"])
    assert seconds < 10
    assert schedule is seen[-1]
    assert schedule.info.interrupted is True
    assert_valid(schedule)


def test_one_worker_repeats_exactly(generated):
    plant = generated["mass-long"]
    first, _ = _solve(plant, 4, workers=1)
    again, _ = _solve(plant, 4, workers=1)
    assert first.render()["schedule.csv"] == again.render()["schedule.csv"]


def test_only_large_models_take_the_route():
    small = ModelSize(ops=LARGE_OPERATIONS, covers=0, nodes={})
    assert not is_large(small)
    assert is_large(ModelSize(ops=LARGE_OPERATIONS + 1, covers=0, nodes={}))


def test_a_schedule_nothing_can_beat_ends_the_route_at_once(tmp_path):
    """Every stage of the objective at 0 (no changeover costs anything on this plant):
    the start stops after its first candidates and no window is searched."""
    from prodsched.generate import GeneratorConfig, write_plant
    from prodsched.plant import load_plant

    config = GeneratorConfig(orders=60, products=6, families=3, machines=4, max_steps=2,
                             setup_ratio=0.0, seed=5)
    plant = load_plant(write_plant(config, tmp_path / "plant"))
    schedule, _ = _solve(plant, 30, objective=parse_objective("setup-time"))
    assert_valid(schedule)
    info = schedule.info
    assert info.objective_values == [0.0]
    assert info.lns is not None and info.lns.windows == 0
    assert info.budget.warm_start_skipped
