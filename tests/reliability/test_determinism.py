"""One worker, one seed: the same plant gives the same schedule.csv, byte for byte.

With one worker the search is limited by CP-SAT's deterministic time, not by
the clock (see :mod:`prodsched.budget`), so where it stops does not depend on
how busy the machine is.
"""

from __future__ import annotations

import json

import pytest

from prodsched import load_plant
from prodsched.budget import DETERMINISTIC_PER_SECOND, DETERMINISTIC_SEARCH_SHARE
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.schedule import SolveInfo
from tests.reliability.conftest import cli


@pytest.fixture(scope="module")
def plant_folder(tmp_path_factory):
    """A plant whose search is cut short by the deterministic budget (not proved optimal)."""
    config = GeneratorConfig(orders=60, machines=4, max_steps=2, alternatives=2,
                             setup_ratio=0.5, calendar=True, seed=5)
    return write_plant(config, tmp_path_factory.mktemp("det") / "plant")


def schedule_text(folder, seed: int) -> tuple[str, SolveInfo]:
    request = SolveRequest(objective=parse_objective("weighted-tardiness>setup-time"),
                           time_limit=120, settings=SolverSettings(
                               workers=1, seed=seed, deterministic_seconds=0.3))
    schedule = solve_request(load_plant(folder), request)
    return schedule.render()["schedule.csv"], schedule.info


def test_same_seed_same_schedule_byte_for_byte(plant_folder):
    first, info = schedule_text(plant_folder, seed=3)
    second, _ = schedule_text(plant_folder, seed=3)
    assert first == second
    assert info.budget.repeatable is True
    limits = [s.limit for s in info.stages]
    assert "deterministic" in limits and "wall" not in limits, limits


def test_one_worker_on_the_command_line_gets_a_deterministic_budget(plant_folder, tmp_path):
    out = tmp_path / "out"
    run = cli("solve", str(plant_folder), "--out", str(out), "--workers", "1", "--seed", "3",
              "--time-limit", "6")
    assert run.code == 0, run.stderr
    kpis = json.loads((out / "kpis.json").read_text())
    budget = kpis["budget"]
    assert budget["repeatable"] is True
    assert 0 < budget["deterministic_seconds"] <= DETERMINISTIC_PER_SECOND * \
        DETERMINISTIC_SEARCH_SHARE * 6
    assert all(s["deterministic_seconds"] <= budget["deterministic_seconds"] + 0.05
               for s in kpis["stages"])


def test_several_workers_are_not_limited_by_deterministic_time(plant_folder, tmp_path):
    out = tmp_path / "out"
    run = cli("solve", str(plant_folder), "--out", str(out), "--workers", "2",
              "--time-limit", "8")
    assert run.code == 0, run.stderr
    kpis = json.loads((out / "kpis.json").read_text())
    assert kpis["budget"]["repeatable"] is False
    assert kpis["budget"]["deterministic_seconds"] is None
    assert "deterministic" not in [s["limit"] for s in kpis["stages"]]
