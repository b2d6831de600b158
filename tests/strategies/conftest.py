"""Plants for the strategy tests: small generated plants and one-machine hand cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodsched.generate import GeneratorConfig
from prodsched.plant import Plant, load_plant
from prodsched.schedule.schedule import Schedule
from tests.conftest import load_generated

# Small, varied plants: every mode mix, calendars, date-times, initial states, setups.
GENERATED = {
    "auto": GeneratorConfig(orders=25, machines=3, products=5, seed=101),
    "mixed-calendar": GeneratorConfig(
        orders=30, machines=4, products=8, families=3,
        mode_mix="one-off=1,batch=1,mass=1,auto=1", calendar=True, datetimes=True,
        initial_states=True, seed=102),
    "batch-mass-heavy-setups": GeneratorConfig(
        orders=30, machines=3, products=6, mode_mix="batch=0.5,mass=0.5", setup_ratio=1.5,
        min_quantity=50, max_quantity=400, seed=103),
    "one-off-no-setups": GeneratorConfig(orders=20, machines=3, mode_mix="one-off",
                                         setup_ratio=0, seed=104),
}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plant]:
    """Every plant of :data:`GENERATED`, loaded."""
    return load_generated(tmp_path_factory.mktemp("generated"), GENERATED)


def machine_sequence(schedule: Schedule, machine: str, step: int | None = None) -> list[str]:
    """Lot ids of the runs on ``machine``, in start order."""
    return [r.lot for r in schedule.rows
            if r.kind == "run" and r.machine == machine and (step is None or r.step == step)]


def product_sequence(schedule: Schedule, machine: str) -> list[str]:
    """Products of the runs on ``machine``, in start order."""
    return [r.product for r in schedule.rows if r.kind == "run" and r.machine == machine]


def one_machine(make_plant, orders: str, products: str, setups: str | None = None,
                tpu: str = "1") -> Plant:  # type: ignore[no-untyped-def]
    """A one-machine, one-step plant from inline orders and products tables."""
    names = [line.split(",")[0] for line in products.strip().splitlines()[1:]]
    files = {
        "orders.csv": orders,
        "products.csv": products,
        "routings.csv": "product,step,machine,time_per_unit\n"
                        + "".join(f"{p},1,M1,{tpu}\n" for p in names),
    }
    if setups is not None:
        files["setups.csv"] = setups
    path: Path = make_plant(files)
    return load_plant(path)
