"""Schedules to draw: bundled plants solved once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import prodsched
from prodsched.schedule import Schedule

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


@pytest.fixture(scope="session")
def tiny_schedule() -> Schedule:
    """instances/tiny, solved (to optimality, in well under a second)."""
    plant = prodsched.load_plant(INSTANCES / "tiny")
    return prodsched.solve(plant, time_limit=5, workers=1, seed=0)


@pytest.fixture(scope="session")
def bakery_schedule() -> Schedule:
    """instances/bakery (date-times, calendars, setups, a late order or not), solved briefly."""
    plant = prodsched.load_plant(INSTANCES / "bakery")
    return prodsched.solve(plant, time_limit=1.5, workers=1, seed=0)
