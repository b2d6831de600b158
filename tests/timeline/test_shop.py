"""The shop, rule by rule: where a setup plus a run fits, and what booking it holds."""

from __future__ import annotations

from fractions import Fraction

from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Mode
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.timeline.shop import Shop
from tests.timeline.conftest import build_plant, opt, order, setup


def _shop(plant, **kwargs) -> Shop:  # type: ignore[no-untyped-def]
    return Shop(plant, SetupTable(plant), **kwargs)


def _book(shop: Shop, machine: str, product: str, work: int, ready: int = 0, **kw):  # type: ignore[no-untyped-def]
    option = shop.plant.routings[product][0].option(machine)
    placement = shop.place(machine, product, option, work, ready, **kw)
    shop.book(placement)
    return placement


# one machine, down at night [100, 200); changing from A to B takes 30
NIGHT = build_plant({"A": [[opt("M")]], "B": [[opt("M")]], "P": [[opt("M", pause=True)]]},
                   [order("a", "A", 60), order("b", "B", 50), order("p", "P", 100)],
                   setups=[setup("A", "B", 30), setup("A", "P", 30)], down=[("M", 100, 200)])


def test_a_setup_goes_before_the_night_so_the_run_starts_in_the_morning():
    shop = _shop(NIGHT)
    _book(shop, "M", "A", 60)                        # [0, 60)
    b = _book(shop, "M", "B", 50)
    # 60 + 30 + 50 > 100: the run waits for the morning; its setup goes before the night
    assert (b.start, b.end, b.setup.time, b.setup_begin) == (200, 250, 30, 70)
    assert b.setup_start == 70
    assert shop.state("M") == "B" and shop.free("M") == 250


def test_without_room_before_the_night_the_setup_is_right_before_the_run():
    shop = _shop(NIGHT)
    _book(shop, "M", "A", 90)                        # [0, 90): no 30 left before the night
    b = _book(shop, "M", "B", 50)
    assert (b.setup_begin, b.start, b.end) == (200, 230, 280)
    assert b.setup_start is None


def test_adjacent_setups_keep_the_v1_placement():
    shop = _shop(NIGHT, adjacent_setups=True)
    _book(shop, "M", "A", 60)
    b = _book(shop, "M", "B", 50)
    assert (b.setup_begin, b.start, b.end) == (200, 230, 280)


def test_a_run_that_may_pause_works_around_the_night():
    shop = _shop(NIGHT)
    p = _book(shop, "M", "P", 100, ready=50)
    # no changeover from nothing; 50 units before the night, 50 after
    assert (p.start, p.end) == (50, 250)
    later = _shop(NIGHT)
    q = _book(later, "M", "P", 100, ready=120)       # may not start inside the night
    assert (q.start, q.end) == (200, 300)
    plain = _shop(NIGHT)
    b = _book(plain, "M", "B", 100, ready=50)        # a run that may not pause waits
    assert (b.start, b.end) == (200, 300)


def test_a_pausing_run_never_ends_inside_the_night():
    shop = _shop(NIGHT)
    p = _book(shop, "M", "P", 50, ready=50)          # ends exactly as the night begins
    assert (p.start, p.end) == (50, 100)


SHARED = build_plant(
    {"A": [[opt("M1", resources="operator")], [opt("M2", resources="operator")]],
     "B": [[opt("M2", resources="operator")]], "C": [[opt("M1")], [opt("M2")]]},
    [order("a", "A", 10), order("b", "B", 10)],
    setups=[setup("C", "A", 20, resources="crew"), setup("C", "B", 20, resources="crew")],
    resources={"operator": 1, "crew": 1}, initial={"M1": "C", "M2": "C"})


def test_a_resource_shared_by_two_machines_is_held_by_one_at_a_time():
    shop = _shop(SHARED)
    a = _book(shop, "M1", "A", 50, ready=20)       # operator over [20, 70)
    b = _book(shop, "M2", "B", 30, ready=0)        # wants the operator from 20 on
    assert (a.start, a.end) == (20, 70)
    assert (b.start, b.end) == (70, 100)
    # the setups (crew) must not overlap either: M1's is [0, 20), so M2's is later
    assert (a.setup_begin, a.setup_begin + a.setup.time) == (0, 20)
    assert b.setup_begin >= 20 and b.setup_begin + 20 <= b.start


def test_bookings_out_of_time_order_see_each_other():
    shop = _shop(SHARED)
    late = _book(shop, "M2", "B", 30, ready=100)   # operator over [100, 130) first
    early = _book(shop, "M1", "A", 90, ready=20)   # [20, 110) would overlap it
    assert (late.start, late.end) == (100, 130)
    assert early.start >= 130 or early.end <= 100
    assert (early.start, early.end) == (130, 220)


def test_a_setup_takes_the_latest_slot_its_crew_allows():
    crew = SHARED.setup_rules[0].resources
    shop = _shop(SHARED)
    shop.pool.book(crew, 40, 80)                 # the crew is busy [40, 80)
    b = _book(shop, "M2", "B", 10, ready=90)
    # [70, 90) would need the crew: the setup goes before its busy stretch
    assert (b.setup_begin, b.start, b.end) == (20, 90, 100)
    shop = _shop(SHARED)
    shop.pool.book(crew, 0, 80)                  # no slot before the run: it waits
    b = _book(shop, "M2", "B", 10, ready=90)
    assert (b.setup_begin, b.start, b.end) == (80, 100, 110)


def _fixed(lot_id: str, product: str, machine: str, start: int, end: int,
           setup_from: int | None = None) -> PlacedOp:
    lot = Lot(lot_id, product, Mode.ONE_OFF, ((lot_id, 1),))
    change = Changeover(0, Fraction(0))
    if setup_from is not None:
        change = Changeover(start - setup_from, Fraction(0))
    return PlacedOp(lot, 1, machine, start, end, change, setup_from, fixed=True)


FIXED = build_plant({"A": [[opt("M")]], "F": [[opt("M")]], "G": [[opt("M")]]},
                   [order("a", "A", 30), order("f", "F", 50), order("g", "G", 30)],
                   setups=[setup("A", "F", 20), setup("G", "F", 40), setup("F", "A", 10)],
                   now=40)


def test_new_work_starts_at_now_and_goes_before_a_fixed_run_only_when_its_changeover_fits():
    fixed = _fixed("f", "F", "M", 100, 150, setup_from=80)   # fixed setup [80, 100)
    shop = _shop(FIXED, fixed=[fixed])
    a = _book(shop, "M", "A", 30)
    assert (a.start, a.end) == (40, 70)          # at now; A -> F takes 20: fits the row
    shop = _shop(FIXED, fixed=[fixed])
    g = _book(shop, "M", "G", 30)                # G -> F takes 40 > 20: after the fixed run
    assert (g.start, g.end) == (150, 180) and g.state == "F"
    shop = _shop(FIXED, fixed=[fixed])
    long = _book(shop, "M", "A", 50)             # ends after the fixed setup begins
    assert long.start >= 150
    assert long.setup.time == 10                 # from F, the fixed run's product


def test_fixed_runs_report_the_changeover_cost_from_what_ran_before():
    fixed = _fixed("f", "F", "M", 100, 150, setup_from=80)
    plant = build_plant({"A": [[opt("M")]], "F": [[opt("M")]]},
                       [order("a", "A", 30), order("f", "F", 50)],
                       setups=[setup("A", "F", 20, cost=7)], now=0)
    shop = _shop(plant, fixed=[fixed])
    _book(shop, "M", "A", 30)
    (kept,) = shop.fixed_ops()
    assert (kept.start, kept.end, kept.setup.time, kept.setup_begin) == (100, 150, 20, 80)
    assert kept.setup.cost == 7 and kept.fixed


def test_a_lower_bound_on_the_end_holds_for_pausing_runs_too():
    shop = _shop(NIGHT)
    option = NIGHT.routings["P"][0].option("M")
    placement = shop.place("M", "P", option, 40, 0, min_end=220)
    # the earliest start that ends at 220 or later works 20 before the night
    assert (placement.start, placement.end) == (80, 220)
    plain = NIGHT.routings["B"][0].option("M")
    placement = shop.place("M", "B", plain, 40, 0, min_end=70)
    assert (placement.start, placement.end) == (30, 70)


def test_unbook_restores_the_machine_and_the_resources():
    shop = _shop(SHARED)
    option = SHARED.routings["A"][0].option("M1")
    placement = shop.place("M1", "A", option, 50, 20)
    booking = shop.book(placement)
    shop.unbook(booking)
    assert shop.free("M1") == 0 and shop.state("M1") == "C"
    assert shop.place("M1", "A", option, 50, 20) == placement
