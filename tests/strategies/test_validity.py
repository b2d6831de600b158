"""Every strategy's schedule is valid and keeps each product's production mode."""

from __future__ import annotations

import pytest

from prodsched.lots.lot import STOCK
from prodsched.plant.model import Mode
from prodsched.strategies import REGISTRY, StrategySettings, run_strategy
from tests.conftest import assert_valid
from tests.strategies.conftest import GENERATED

HEURISTICS = [name for name, s in REGISTRY.items() if s.kind == "heuristic"]
OPTIMIZERS = [name for name, s in REGISTRY.items() if s.kind == "optimizer"]
# Short and repeatable: one worker, deterministic time.
QUICK = StrategySettings(time_limit=30, workers=1, deterministic_seconds=0.5)


def test_the_registry_holds_every_strategy_of_the_issue():
    assert set(HEURISTICS) == {"fifo", "edd", "spt", "atcs", "nearest-setup",
                               "family-campaigns", "fixed-lot", "eoq", "common-cycle",
                               "product-wheel"}
    assert set(OPTIMIZERS) == {"cpsat-lots", "cpsat-full"}


def assert_modes_kept(schedule) -> None:  # type: ignore[no-untyped-def]
    """Lots are made in the product's mode (auto resolved); one-off lots are one whole order."""
    plant = schedule.plant
    for lot in schedule.lots:
        product = plant.products[lot.product]
        assert lot.mode is not Mode.AUTO
        if product.mode is not Mode.AUTO:
            assert lot.mode is product.mode
        if lot.mode is Mode.ONE_OFF:
            (order_id, units), = lot.allocations
            assert units == plant.order_by_id[order_id].quantity
    stock_lots = [lot for lot in schedule.lots if any(o == STOCK for o, _ in lot.allocations)]
    assert len({lot.product for lot in stock_lots}) == len(stock_lots)  # only a last lot


@pytest.mark.parametrize("plant_name", list(GENERATED))
def test_every_heuristic_schedule_validates(generated, plant_name):
    plant = generated[plant_name]
    for name in HEURISTICS:
        schedule = run_strategy(plant, name, StrategySettings())
        assert_valid(schedule)
        assert_modes_kept(schedule)
        assert schedule.status == "feasible"
        score = schedule.kpis.weighted_tardiness + schedule.kpis.total_setup_cost \
            + schedule.kpis.holding_cost
        assert schedule.info.objective == pytest.approx(float(score))


@pytest.mark.parametrize("factor", [0.5, 8])
def test_fixed_lot_sizes_follow_the_parameter(generated, factor):
    plant = generated["batch-mass-heavy-setups"]
    schedule = run_strategy(plant, f"fixed-lot:{factor:g}", StrategySettings())
    assert_valid(schedule)
    per_order = run_strategy(plant, "edd", StrategySettings())
    if factor < 1:
        assert schedule.kpis.lot_count >= per_order.kpis.lot_count
    else:
        assert schedule.kpis.lot_count < per_order.kpis.lot_count


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_schedules_validate_and_are_no_worse_than_their_seed(generated, name):
    plant = generated["mixed-calendar"]
    schedule = run_strategy(plant, name, QUICK)
    assert_valid(schedule)
    assert_modes_kept(schedule)
    assert schedule.info.details["strategy"] == name
    if name == "cpsat-lots":
        seed = run_strategy(plant, schedule.info.details["lots_from"], StrategySettings())
        assert schedule.info.objective <= seed.info.objective + 1e-6
        assert sorted(lot.lot_id for lot in schedule.lots) == sorted(
            lot.lot_id for lot in seed.lots)
    else:  # the better of sequencing the best heuristic's lots and the full model
        phases = schedule.info.details["phases"]
        assert schedule.info.objective == min(phases["lots"][0], phases["full"][0])
        seed = run_strategy(plant, phases["lots_from"], StrategySettings())
        assert schedule.info.objective <= seed.info.objective + 1e-6


def test_unknown_strategy_is_a_usage_error(generated):
    from prodsched.errors import UsageError

    with pytest.raises(UsageError, match="unknown strategy"):
        run_strategy(generated["auto"], "random-walk", StrategySettings())
    with pytest.raises(UsageError, match="not a number"):
        run_strategy(generated["auto"], "fixed-lot:big", StrategySettings())
