"""A lot's steps: streaming, chains kept together by max_wait, and when no chain exists."""

from __future__ import annotations

import pytest

from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.timeline import RULES, dispatch, steps
from prodsched.timeline.shop import Shop
from prodsched.timeline.steps import LotState, PlacementError, Routes, place_chain
from tests.conftest import assert_valid
from tests.timeline.conftest import build_plant, opt, order, setup


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


def _never_keeps_its_wait(days: int = 40):  # type: ignore[no-untyped-def]
    # the mixer works only in [0, 100) of every 200, the oven only in [150, 200):
    # dough can never end within 10 of an oven start
    down = [("MIX", 200 * d + 100, 200 * d + 200) for d in range(days)]
    down += [("OVEN", 200 * d, 200 * d + 150) for d in range(days)]
    return build_plant({"D": [[opt("MIX")], [opt("OVEN", max_wait=10)]]},
                       [order("D-o", "D", 40)], down=down)


def test_a_chain_that_can_never_keep_its_wait_is_refused(monkeypatch):
    plant = _never_keeps_its_wait()
    monkeypatch.setattr(steps, "MAX_DELAYS", 20)
    with pytest.raises(PlacementError, match="max_wait"):
        _chain(plant, _lot(plant, "D", 40))


def _crew_plant():  # type: ignore[no-untyped-def]
    # both machines set up for X; every changeover takes 50 and the one setup crew
    return build_plant({"B": [[opt("MIX")], [opt("OVEN", max_wait=10)]], "X": [[opt("MIX")]]},
                       [order("B-o", "B", 10)],
                       setups=[setup("*", "*", 50, resources="setup_crew")],
                       resources={"setup_crew": 1}, initial={"MIX": "X", "OVEN": "X"})


def test_a_crew_busy_with_the_step_before_does_not_chase_the_chain():
    """With setups kept right before their runs, the oven's changeover can neither
    follow the mixer's (the mix takes 10, the dough may wait 10: the oven would start
    40 too late) nor come before it, and each delay of the mixer delays its changeover
    and the oven's with it. The chain is placed with its setups as late as they fit:
    the oven's changeover first, then the mixer's, and the dough goes straight in."""
    plant = _crew_plant()
    shop = Shop(plant, SetupTable(plant), adjacent_setups=True)
    routes = Routes(plant)
    lot = _lot(plant, "B", 10)
    (mix, _), (oven, _) = place_chain(shop, routes, lot, LotState(),
                                      routes.chain_end("B", 0))
    assert oven.start - mix.end <= 10
    assert oven.setup_begin + oven.setup.time <= mix.setup_begin   # one crew, in turn
    assert oven.setup_start is not None   # not right before its run: the only way
    # without the crew's contention the setups stay right before their runs
    free = build_plant({"B": [[opt("MIX")], [opt("OVEN", max_wait=10)]], "X": [[opt("MIX")]]},
                       [order("B-o", "B", 10)], setups=[setup("*", "*", 50)],
                       initial={"MIX": "X", "OVEN": "X"})
    shop = Shop(free, SetupTable(free), adjacent_setups=True)
    placed = place_chain(shop, Routes(free), lot, LotState(), Routes(free).chain_end("B", 0))
    assert all(p.setup_start is None for p, _ in placed)


def test_the_crew_chain_dispatches_to_a_valid_schedule():
    plant = _crew_plant()
    lots = [_lot(plant, "B", 10)]
    for rule in RULES.values():
        ops = dispatch(plant, SetupTable(plant), lots, rule, adjacent_setups=True)
        assert_valid(Schedule(plant, lots, ops))


def test_a_plant_no_rule_can_place_is_refused_with_a_clear_error(monkeypatch):
    """The dough can never keep its wait: every dispatch rule fails on it, and the
    solve says so (no traceback, nothing half-made)."""
    import time

    from prodsched.cpsat_runner import SolverSettings
    from prodsched.errors import NoScheduleError
    from prodsched.objective import parse_objective
    from prodsched.pipeline import solve_request
    from prodsched.request import SolveRequest

    plant = _never_keeps_its_wait()
    monkeypatch.setattr(steps, "MAX_DELAYS", 20)
    for large in (False, True):   # the large-plant route hands it to the full model
        request = SolveRequest(objective=parse_objective("makespan"), time_limit=5,
                               started_at=time.monotonic(), large=large,
                               settings=SolverSettings(workers=1))
        with pytest.raises(NoScheduleError, match="max_wait"):
            solve_request(plant, request)
