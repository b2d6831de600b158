"""The plant generator: clean, deterministic plants of the requested shape."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from prodsched.generate import (
    GeneratorConfig,
    generate_plant_files,
    parse_mode_mix,
    write_plant,
)
from prodsched.plant import Plant, load_plant
from prodsched.plant.model import Mode

CONFIGS: dict[str, GeneratorConfig] = {
    "default": GeneratorConfig(),
    "tiny": GeneratorConfig(orders=1, products=1, families=1, machines=1, max_steps=1,
                            alternatives=1),
    "datetimes": GeneratorConfig(orders=60, datetimes=True, seed=2),
    "calendar": GeneratorConfig(orders=80, machines=6, calendar=True, seed=3),
    "calendar-datetimes": GeneratorConfig(orders=80, machines=6, calendar=True, datetimes=True,
                                          max_quantity=2000, seed=4),
    "deadlines": GeneratorConfig(orders=100, deadline_share=0.3, calendar=True, seed=5),
    "all-deadlines": GeneratorConfig(orders=40, deadline_share=1.0, seed=6),
    "one-off": GeneratorConfig(mode_mix={Mode.ONE_OFF: 1}, seed=7),
    "batch": GeneratorConfig(mode_mix={Mode.BATCH: 1}, seed=8),
    "mass": GeneratorConfig(mode_mix={Mode.MASS: 1}, min_quantity=500, max_quantity=5000,
                            seed=9),
    "mixed": GeneratorConfig(products=12, mode_mix=parse_mode_mix("one-off,batch,mass,auto"),
                             initial_states=True, seed=10),
    "no-setups": GeneratorConfig(setup_ratio=0, seed=11),
    "wide": GeneratorConfig(orders=500, products=30, families=6, machines=12, max_steps=5,
                            alternatives=4, setup_ratio=1.0, initial_states=True,
                            calendar=True, datetimes=True, deadline_share=0.1, seed=12),
}


def rows(text: str) -> list[dict[str, str]]:
    """A CSV text as dict rows."""
    return list(csv.DictReader(io.StringIO(text)))


def load(config: GeneratorConfig, folder: Path) -> Plant:
    return load_plant(write_plant(config, folder))


def lot_units(plant: Plant, product: str) -> int:
    """Most units one lot of ``product`` can hold."""
    spec = plant.products[product]
    largest_order = max((o.quantity for o in plant.orders if o.product == product), default=0)
    _, high = spec.lot_size_range()
    if spec.mode in (Mode.BATCH, Mode.MASS) and high is not None:
        return high
    return max(largest_order, high or 0)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_generated_plant_loads_cleanly_with_the_requested_counts(name: str,
                                                                 tmp_path: Path) -> None:
    config = CONFIGS[name]
    plant = load(config, tmp_path)
    assert plant.warnings == ()
    assert len(plant.orders) == config.orders
    assert len(plant.machines) == config.machines
    assert len(plant.products) == config.products
    assert len(plant.families) == config.families
    assert max(len(steps) for steps in plant.routings.values()) == config.max_steps
    for steps in plant.routings.values():
        for step in steps:
            assert 1 <= len(step.options) <= config.alternatives
    assert plant.time_axis.is_datetime == config.datetimes
    assert bool(plant.downtimes) == config.calendar
    assert bool(plant.setup_rules) == (config.setup_ratio > 0)
    assert sum(o.deadline is not None for o in plant.orders) == round(
        config.deadline_share * config.orders)
    if config.datetimes:
        assert plant.time_axis.format(0) == config.start.isoformat(timespec="minutes")


@pytest.mark.parametrize("name", ["default", "mixed", "calendar-datetimes"])
def test_same_seed_same_bytes_other_seed_other_bytes(name: str) -> None:
    config = CONFIGS[name]
    assert generate_plant_files(config) == generate_plant_files(config)
    other = config.model_copy(update={"seed": config.seed + 100})
    assert generate_plant_files(other) != generate_plant_files(config)


def test_output_does_not_depend_on_the_hash_seed() -> None:
    code = ("import hashlib; from prodsched.generate import *; "
            "f = generate_plant_files(GeneratorConfig(orders=200, products=20, families=5, "
            "machines=8, calendar=True, initial_states=True, deadline_share=0.2, "
            "mode_mix='batch=1,mass=1,auto=1', seed=42)); "
            "print(hashlib.sha256(repr(sorted(f.items())).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("mode", list(Mode))
def test_a_single_mode_mix_gives_that_mode_everywhere(mode: Mode, tmp_path: Path) -> None:
    plant = load(GeneratorConfig(mode_mix={mode: 1}, seed=1), tmp_path)
    assert {p.mode for p in plant.products.values()} == {mode}
    for product in plant.products.values():
        low, high = product.lot_size_range()
        assert high is None or low <= high


def test_mode_mix_shares_are_respected(tmp_path: Path) -> None:
    plant = load(GeneratorConfig(products=20, families=4,
                                 mode_mix={Mode.BATCH: 3, Mode.MASS: 1}), tmp_path)
    modes = [p.mode for p in plant.products.values()]
    assert modes.count(Mode.BATCH) == 15 and modes.count(Mode.MASS) == 5


@pytest.mark.parametrize("name", ["calendar", "calendar-datetimes", "deadlines", "wide"])
def test_calendars_leave_capacity_and_room_for_every_lot(name: str, tmp_path: Path) -> None:
    plant = load(CONFIGS[name], tmp_path)
    longest_setup = max((math.ceil(r.time) for r in plant.setup_rules), default=0)
    with_downtime = {d.machine for d in plant.downtimes}
    assert "*" not in with_downtime and len(with_downtime) >= 1
    for machine in with_downtime:
        periods = plant.downtimes_of(machine)
        horizon = periods[-1][1]
        down = sum(end - start for start, end in periods)
        assert down / horizon <= 0.30
        windows = [b[0] - a[1] for a, b in itertools.pairwise(periods)]
        windows.append(periods[0][0])
        for product in plant.products:
            units = lot_units(plant, product)
            for _, option in plant.iter_options(product):
                if option.machine == machine:
                    assert option.duration(units) + longest_setup <= min(windows)
        last_due = max(float(o.deadline or o.due or 0) for o in plant.orders)
        assert horizon >= last_due


@pytest.mark.parametrize("name", ["deadlines", "all-deadlines", "wide"])
def test_deadlines_are_far_after_release(name: str, tmp_path: Path) -> None:
    plant = load(CONFIGS[name], tmp_path)
    total_work = sum(
        min(opt.duration(o.quantity) for opt in step.options)
        for o in plant.orders for step in plant.steps(o.product))
    per_machine = total_work / len(plant.machines)
    deadlines = [o for o in plant.orders if o.deadline is not None]
    assert deadlines
    for order in deadlines:
        assert order.due is not None and order.deadline is not None
        assert order.deadline >= order.due
        assert order.deadline >= order.release + 4 * per_machine


def test_tighter_due_dates_leave_less_slack() -> None:
    def mean_slack(tightness: float) -> float:
        config = GeneratorConfig(orders=300, due_tightness=tightness, seed=3)
        orders = rows(generate_plant_files(config)["orders.csv"])
        return sum(int(o["due"]) - int(o["release"]) for o in orders) / len(orders)

    loose, middle, tight = mean_slack(0.0), mean_slack(0.5), mean_slack(1.0)
    assert loose > 1.5 * middle > 1.5 * tight


def test_releases_spread_over_the_first_part_of_the_horizon() -> None:
    orders = rows(generate_plant_files(GeneratorConfig(orders=400, seed=1))["orders.csv"])
    releases = [int(o["release"]) for o in orders]
    dues = [int(o["due"]) for o in orders]
    assert releases[0] == 0 and releases.count(0) >= 40
    assert 0 < max(releases) < max(dues)


def test_setup_rules_use_families_a_default_and_exact_pairs() -> None:
    config = GeneratorConfig(products=30, families=6, machines=8, setup_ratio=0.5, seed=4)
    setups = rows(generate_plant_files(config)["setups.csv"])
    products = {p["product"]: p["family"] for p in
                rows(generate_plant_files(config)["products.csv"])}
    families = set(products.values())
    keys = {(s["machine"], s["from"], s["to"]): float(s["time"]) for s in setups}
    assert keys[("*", "*", "*")] > 0
    assert all(keys[("*", f, f)] == 0 for f in families)
    assert any(m == "*" and a in families and b in families and a != b for m, a, b in keys)
    assert any(m == "*" and a in products and b in products for m, a, b in keys)
    assert any(m != "*" for m, _, _ in keys)


def test_initial_states_name_families() -> None:
    config = GeneratorConfig(machines=10, initial_states=True, seed=2)
    families = {p["family"] for p in rows(generate_plant_files(config)["products.csv"])}
    states = [m["initial_state"] for m in rows(generate_plant_files(config)["machines.csv"])]
    assert any(states)
    assert all(s in families for s in states if s)


def test_write_plant_replaces_an_earlier_plant(tmp_path: Path) -> None:
    write_plant(CONFIGS["calendar"], tmp_path)
    plant = load(CONFIGS["default"], tmp_path)
    assert not (tmp_path / "calendar.csv").exists()
    assert plant.downtimes == ()


def test_ten_thousand_orders_on_fifty_machines(tmp_path: Path) -> None:
    config = GeneratorConfig(orders=10_000, machines=50, products=100, families=10,
                             max_steps=5, alternatives=3, calendar=True, datetimes=True,
                             deadline_share=0.05, initial_states=True, seed=1)
    files = generate_plant_files(config)
    assert len(rows(files["orders.csv"])) == 10_000
    assert len(rows(files["machines.csv"])) == 50
    products = rows(files["products.csv"])
    assert len(products) == 100 and len({p["family"] for p in products}) == 10
    digest = hashlib.sha256(files["orders.csv"].encode()).hexdigest()
    assert digest == hashlib.sha256(generate_plant_files(config)["orders.csv"].encode()).hexdigest()
    plant = load(config, tmp_path)
    assert len(plant.orders) == 10_000 and len(plant.machines) == 50
    assert len(plant.products) == 100 and plant.warnings == ()


@pytest.mark.parametrize("changes", [
    {"families": 9, "products": 3},
    {"alternatives": 4, "machines": 3},
    {"min_quantity": 10, "max_quantity": 5},
    {"orders": 0},
    {"due_tightness": 1.5},
    {"deadline_share": -0.1},
    {"setup_ratio": float("nan")},
    {"mode_mix": {}},
    {"mode_mix": {Mode.BATCH: -1}},
    {"mode_mix": "batch=1,weekly=1"},
    {"unknown_field": 1},
])
def test_bad_configs_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GeneratorConfig.model_validate(changes)


def test_mode_mix_text() -> None:
    assert parse_mode_mix("batch=0.6, mass=0.4") == {Mode.BATCH: 0.6, Mode.MASS: 0.4}
    assert parse_mode_mix("One-Off") == {Mode.ONE_OFF: 1.0}
    config = GeneratorConfig.model_validate({"mode_mix": "mass=2,batch=2"})
    assert config.mode_shares() == [(Mode.BATCH, 0.5), (Mode.MASS, 0.5)]
    for bad in ("", "batch=x", "batch=1,batch=2", "lean=1"):
        with pytest.raises(ValueError):
            parse_mode_mix(bad)
