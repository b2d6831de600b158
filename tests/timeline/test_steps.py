"""A lot's steps: streaming, chains kept together by max_wait, and when no chain exists."""

from __future__ import annotations

import pytest

from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode
from prodsched.plant.setups import SetupTable
from prodsched.timeline import steps
from prodsched.timeline.shop import Shop
from prodsched.timeline.steps import LotState, PlacementError, Routes, place_chain
from tests.timeline.conftest import build_plant, opt, order


def _lot(plant, product: str, quantity: int, mode: Mode = Mode.ONE_OFF) -> Lot:  # type: ignore[no-untyped-def]
    return Lot(f"{product}-lot", product, mode, ((f"{product}-o", quantity),))


def _chain(plant, lot: Lot, shop: Shop | None = None):  # type: ignore[no-untyped-def]
    shop = shop or Shop(plant, SetupTable(plant))
    routes = Routes(plant)
    state = LotState()
    out = place_chain(shop, routes, lot, state, routes.chain_end(lot.product, 0))
    return [(p.machine, p.start, p.end) for p, _ in out], state


def bakery(oven_night: bool = True, mixer_night: bool = False, wait: int = 10):  # type: ignore[no-untyped-def]
    down = [("OVEN", 100, 200)] if oven_night else []
    if mixer_night:
        down.append(("MIX", 100, 200))
    return build_plant({"D": [[opt("MIX")], [opt("OVEN", max_wait=wait)]]},
                      [order("D-o", "D", 60)], down=down)


def test_dough_waits_for_the_oven_rather_than_wait_too_long_before_it():
    # mixing [0, 60) then the oven would wait until the morning (200): too long
    plant = bakery()
    placed, state = _chain(plant, _lot(plant, "D", 60))
    (_, s1, e1), (_, s2, e2) = placed
    assert (s2, e2) == (200, 260)
    assert s2 - e1 <= 10 and (s1, e1) == (130, 190)
    assert state.step == 2 and state.prev_end == 260


def test_a_lot_is_not_cut_by_the_night_when_its_next_step_may_not_wait():
    plant = bakery(mixer_night=True)
    placed, _ = _chain(plant, _lot(plant, "D", 60))
    # the mixer cannot end at 190 either (its night too): both run in the morning
    assert placed == [("MIX", 200, 260), ("OVEN", 260, 320)]


def test_a_busy_next_machine_delays_the_step_before_it():
    plant = bakery(oven_night=False, wait=10)
    shop = Shop(plant, SetupTable(plant))
    busy = shop.place("OVEN", "D", plant.routings["D"][1].option("OVEN"), 150, 0)
    shop.book(busy)                       # the oven is busy until 150
    placed, _ = _chain(plant, _lot(plant, "D", 60), shop)
    assert placed == [("MIX", 80, 140), ("OVEN", 150, 210)]


def test_a_machine_that_keeps_the_wait_is_preferred_to_one_that_ends_first():
    plant = build_plant({"D": [[opt("MIX")], [opt("OVEN1", max_wait=0), opt("OVEN2", 2)]]},
                       [order("D-o", "D", 60)], down=[("OVEN1", 60, 70)])
    placed, _ = _chain(plant, _lot(plant, "D", 60))
    # OVEN1 would end first (70 + 60) but only after a wait of 10: OVEN2 keeps it
    assert placed == [("MIX", 0, 60), ("OVEN2", 60, 180)]


def test_mass_lots_stream_and_their_wait_is_start_minus_end():
    plant = build_plant({"M": [[opt("A", 2)], [opt("B", 1, max_wait=0)]]},
                       [order("M-o", "M", 50)], modes={"M": Mode.MASS})
    placed, _ = _chain(plant, _lot(plant, "M", 50, Mode.MASS))
    (_, s1, e1), (_, s2, e2) = placed
    assert (s1, e1) == (0, 100)
    assert s2 >= s1 + 2 and e2 >= e1 + 1    # lot streaming
    assert (s2, e2) == (51, 101)


def test_a_chain_that_can_never_keep_its_wait_is_refused(monkeypatch):
    # the mixer works only in [0, 100) of every 200, the oven only in [150, 200):
    # dough can never end within 10 of an oven start
    days = 40
    down = [("MIX", 200 * d + 100, 200 * d + 200) for d in range(days)]
    down += [("OVEN", 200 * d, 200 * d + 150) for d in range(days)]
    plant = build_plant({"D": [[opt("MIX")], [opt("OVEN", max_wait=10)]]},
                       [order("D-o", "D", 40)], down=down)
    monkeypatch.setattr(steps, "MAX_DELAYS", 20)
    with pytest.raises(PlacementError, match="max_wait"):
        _chain(plant, _lot(plant, "D", 40))
