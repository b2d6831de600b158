"""The bundled example plants: they load cleanly, never change, and stay feasible."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from prodsched.errors import UsageError
from prodsched.examples import (
    EXAMPLES,
    example_files,
    readme_text,
    write_all_examples,
    write_example,
)
from prodsched.examples.__main__ import main
from prodsched.plant import Plant, load_plant
from prodsched.plant.model import Mode, ResourceUse

INSTANCES = Path(__file__).resolve().parents[1] / "instances"


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (not hidden), name → bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def longest_lot(plant: Plant, product: str) -> int:
    """Most units one lot of ``product`` can hold: max_lot, or the largest order."""
    spec = plant.products[product]
    largest_order = max((o.quantity for o in plant.orders if o.product == product), default=0)
    _, high = spec.lot_size_range()
    if spec.mode in (Mode.BATCH, Mode.MASS) and high is not None:
        return high
    return max(largest_order, high or 0)


def up_windows(plant: Plant, machine: str) -> list[int]:
    """Lengths of the periods before and between downtimes of ``machine``
    (one endless window when it has none)."""
    periods = plant.downtimes_of(machine)
    windows, free_from = [], 0
    for start, end in periods:
        if start > free_from:
            windows.append(start - free_from)
        free_from = max(free_from, end)
    return windows or [10**12]


def test_the_five_examples_are_there() -> None:
    assert {"tiny", "bakery", "furniture", "bottling", "crews", "shifts"} <= set(EXAMPLES)
    assert all(text and "\n" not in text for text in EXAMPLES.values())


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_loads_without_problems_or_warnings(name: str, tmp_path: Path) -> None:
    plant = load_plant(write_example(name, tmp_path / name))
    assert plant.warnings == ()
    assert plant.orders and plant.machines


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_is_the_same_every_time(name: str, tmp_path: Path) -> None:
    assert example_files(name) == example_files(name)
    first = read_folder(write_example(name, tmp_path / "a"))
    second = read_folder(write_example(name, tmp_path / "b"))
    assert first == second
    assert first == {k: v.encode("utf-8") for k, v in example_files(name).items()}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_instances_folder_matches_the_code(name: str) -> None:
    on_disk = read_folder(INSTANCES / name)
    fresh = {k: v.encode("utf-8") for k, v in example_files(name).items()}
    assert on_disk == fresh, (
        f"instances/{name} drifted from the code: run python -m prodsched.examples instances")


def test_instances_readme_matches_the_code() -> None:
    assert (INSTANCES / "README.md").read_text(encoding="utf-8") == readme_text()


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_lot_fits_between_downtimes(name: str, tmp_path: Path) -> None:
    plant = load_plant(write_example(name, tmp_path))
    longest_setup = max((math.ceil(r.time) for r in plant.setup_rules), default=0)
    for product in plant.products:
        units = longest_lot(plant, product)
        for _, option in plant.iter_options(product):
            if option.can_pause:
                continue  # a run that may pause goes on after the downtime
            windows = up_windows(plant, option.machine)
            assert option.duration(units) + longest_setup <= min(windows), (product, option)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_deadlines_are_generous(name: str, tmp_path: Path) -> None:
    plant = load_plant(write_example(name, tmp_path))
    all_setups = sum(math.ceil(r.time) for r in plant.setup_rules)
    for order in plant.orders:
        if order.deadline is None:
            continue
        slowest = sum(max(opt.duration(order.quantity) for opt in step.options)
                      for step in plant.steps(order.product))
        assert order.deadline >= order.release + 3 * slowest + all_setups
        assert order.due is not None and order.deadline >= order.due


def test_bakery_uses_datetimes_a_calendar_and_batches(tmp_path: Path) -> None:
    plant = load_plant(write_example("bakery", tmp_path))
    assert plant.time_axis.is_datetime
    assert plant.time_axis.format(0) == "2026-03-02T06:00"
    assert plant.downtimes
    assert {d.machine for d in plant.downtimes} >= {"MIX1", "MIX2", "PACK1", "*"}
    assert "OVEN1" not in {d.machine for d in plant.downtimes}
    assert {p.mode for p in plant.products.values()} == {Mode.BATCH}
    assert all(p.lot_multiple > 1 and p.max_lot for p in plant.products.values())
    assert any(p.holding_cost > 0 for p in plant.products.values())
    assert 25 <= len(plant.orders) <= 35
    rules = {(r.machine, r.from_, r.to) for r in plant.setup_rules}
    assert ("*", "*", "*") in rules and ("*", "cookie_nut", "*") in rules
    assert any(machine != "*" for machine, _, _ in rules)


def test_furniture_is_one_off_with_alternatives_and_deadlines(tmp_path: Path) -> None:
    plant = load_plant(write_example("furniture", tmp_path))
    assert not plant.time_axis.is_datetime
    assert {p.mode for p in plant.products.values()} == {Mode.ONE_OFF}
    assert 20 <= len(plant.orders) <= 30
    assert sum(o.deadline is not None for o in plant.orders) == 2
    cut = plant.steps("dining_table")[0]
    speeds = {opt.machine: opt.time_per_unit for opt in cut.options}
    assert speeds["SAW1"] == speeds["SAW2"] > speeds["CNC1"]
    assert any(o.release > 0 for o in plant.orders)


def test_bottling_is_high_volume_with_mass_mode(tmp_path: Path) -> None:
    plant = load_plant(write_example("bottling", tmp_path))
    assert len(plant.products) == 4 and len(plant.families) == 2
    assert Mode.MASS in {p.mode for p in plant.products.values()}
    assert 35 <= len(plant.orders) <= 45
    assert min(o.quantity for o in plant.orders) >= 1000
    assert any(m.initial_state for m in plant.machines.values())
    fill = plant.steps("cola")[1]
    assert min(opt.time_per_unit for opt in fill.options) < 1
    assert max(r.time for r in plant.setup_rules) >= 90


def test_bakery_has_longest_waits(tmp_path: Path) -> None:
    plant = load_plant(write_example("bakery", tmp_path))
    for steps in plant.routings.values():
        assert all(opt.max_wait is None for opt in steps[0].options)
        assert all(opt.max_wait == 60 for opt in steps[1].options)  # dough to oven
        assert all(opt.max_wait is not None and opt.max_wait <= 240
                   for opt in steps[2].options)  # packed the same morning or shift


def test_shifts_has_two_shifts_pausing_presses_and_an_oven_that_may_not(
        tmp_path: Path) -> None:
    plant = load_plant(write_example("shifts", tmp_path))
    assert plant.time_axis.is_datetime and plant.uses_v2_rules
    # every machine is down 22:00-06:00 on weeknights and over the weekend
    nights = plant.unavailable("OVEN")
    assert [end - start for start, end in nights] == [480] * 4 + [3360] + [480] * 4 + [3360]
    assert all(plant.unavailable(m) == nights for m in plant.machines)
    for steps in plant.routings.values():
        press, oven, pack = steps
        assert all(opt.can_pause for opt in press.options + pack.options)
        assert all(not opt.can_pause and opt.max_wait == 600 for opt in oven.options)
    assert {p.mode for p in plant.products.values()} == {Mode.MASS, Mode.BATCH}
    # long campaigns: some order takes the press more than a shift
    assert any(plant.steps(o.product)[0].options[0].duration(o.quantity) > 960
               for o in plant.orders)


def test_shifts_solves_to_a_valid_schedule_with_paused_runs(tmp_path: Path) -> None:
    from prodsched import solve
    from tests.conftest import assert_valid

    plant = load_plant(write_example("shifts", tmp_path))
    schedule = solve(plant, time_limit=6, workers=2)
    assert_valid(schedule)  # the validator checks pauses, the oven and max_wait
    runs = [r for r in schedule.rows if r.kind == "run"]
    down = {m: plant.unavailable(m) for m in plant.machines}

    def paused(row) -> bool:  # type: ignore[no-untyped-def]
        return any(row.start < start < row.end for start, _ in down[row.machine])

    assert not any(paused(r) for r in runs if r.machine == "OVEN")
    assert any(paused(r) for r in runs if r.machine.startswith("PRESS"))


def test_tiny_is_tiny(tmp_path: Path) -> None:
    plant = load_plant(write_example("tiny", tmp_path))
    assert len(plant.orders) == 5 and len(plant.machines) == 2
    assert any(len(step.options) > 1 for steps in plant.routings.values() for step in steps)


def test_unknown_example_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="bakery"):
        example_files("brewery")


def test_rewriting_a_folder_drops_stale_plant_files(tmp_path: Path) -> None:
    write_example("bakery", tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    write_example("tiny", tmp_path)
    assert not (tmp_path / "calendar.csv").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert len(load_plant(tmp_path).orders) == 5


def test_module_main_writes_every_example_and_a_readme(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*EXAMPLES, "README.md"])
    assert main([]) == 2
    assert [p.name for p in write_all_examples(tmp_path / "all")] == list(EXAMPLES)


def test_crews_shares_one_setup_crew_among_four_machines(tmp_path: Path) -> None:
    plant = load_plant(write_example("crews", tmp_path))
    assert not plant.time_axis.is_datetime
    assert sorted(plant.machines) == ["IM1", "IM2", "IM3", "IM4"]
    assert {name: r.capacity for name, r in plant.resources.items()} == {
        "setup_crew": 1, "operator": 3}
    assert all(rule.resources == (ResourceUse("setup_crew", 1),) for rule in plant.setup_rules)
    assert all(opt.resources == (ResourceUse("operator", 1),)
               for product in plant.products for _, opt in plant.iter_options(product))
    assert {p.mode for p in plant.products.values()} == {Mode.ONE_OFF}
    assert len(plant.orders) == 24 and len(plant.products) == 12 and len(plant.families) == 4
    # each machine serves two families: mould changes between them are frequent
    for machine in plant.machines:
        families = {plant.products[p].family for p in plant.products
                    for _, opt in plant.iter_options(p) if opt.machine == machine}
        assert len(families) == 2, machine
