"""Plants for the large-plant route's tests: small generated plants of every kind."""

from __future__ import annotations

import pytest

from prodsched.generate import GeneratorConfig
from prodsched.plant import Plant
from tests.conftest import load_generated

# Small, varied plants: every mode, streaming, calendars, date-times, initial
# states, deadlines, alternatives of different speeds.
GENERATED = {
    "all-modes": GeneratorConfig(
        orders=60, machines=6, products=10, families=3, max_steps=3, alternatives=3,
        mode_mix="one-off=1,batch=1,mass=1,auto=1", calendar=True, datetimes=True,
        initial_states=True, setup_ratio=0.8, seed=301),
    "deadlines": GeneratorConfig(orders=40, machines=4, products=6, families=3,
                                 deadline_share=0.3, calendar=True, seed=302),
    "mass-long": GeneratorConfig(orders=30, machines=4, products=5, mode_mix="mass",
                                 min_quantity=200, max_quantity=2000, max_steps=3, seed=303),
    "one-off-no-setups": GeneratorConfig(orders=30, machines=3, mode_mix="one-off",
                                         setup_ratio=0, seed=304),
}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plant]:
    """Every plant of :data:`GENERATED`, loaded."""
    return load_generated(tmp_path_factory.mktemp("lns-plants"), GENERATED)
