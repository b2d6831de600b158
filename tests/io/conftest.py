"""Solved plants shared by the io tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import prodsched
from prodsched.schedule import Schedule

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


@pytest.fixture(scope="session")
def tiny_solved() -> Schedule:
    """instances/tiny solved to optimality."""
    return prodsched.solve(prodsched.load_plant(INSTANCES / "tiny"), time_limit=5, workers=1)


@pytest.fixture(scope="session")
def bakery_solved() -> Schedule:
    """instances/bakery (date-times, calendar, setups) solved briefly."""
    return prodsched.solve(prodsched.load_plant(INSTANCES / "bakery"), time_limit=1,
                           workers=1)
