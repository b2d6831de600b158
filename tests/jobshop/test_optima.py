"""The job-shop model proves known optima on instances small enough to check by
hand or by enumerating every sequence."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest

from prodsched import load_plant, solve
from prodsched.plant import SetupTable
from tests.conftest import assert_valid


def solved(folder, objective, **kwargs):
    schedule = solve(load_plant(folder), objective=objective, time_limit=20, workers=2, **kwargs)
    assert_valid(schedule)
    return schedule


def one_off(*products: str) -> str:
    """products.csv making every order of these products on its own."""
    return "product,mode\n" + "".join(f"{p},one-off\n" for p in products)


def runs(schedule, machine=None):
    return [r for r in schedule.rows if r.kind == "run" and (machine is None or
                                                              r.machine == machine)]


def test_single_machine_makespan_is_the_sum_of_durations(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,3\nb,P,4\nc,Q,1\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,2,1\nQ,1,M,5,0\n",
        "products.csv": one_off("P", "Q"),
    })
    s = solved(folder, "makespan")
    # (1 + 6) + (1 + 8) + 5 = 21, no setups
    assert (s.status, s.kpis.makespan, s.info.objective, s.info.bound) == ("optimal", 21, 21, 21)


def test_two_machine_flow_shop_matches_johnsons_rule(make_plant):
    # jobs (p1, p2): A(3,6) B(5,2) C(1,2) D(6,6) E(7,5); Johnson: C A D E B.
    # M1: C 0-1, A 1-4, D 4-10, E 10-17, B 17-22; M2: C 1-3, A 4-10, D 10-16, E 17-22, B 22-24
    times = {"A": (3, 6), "B": (5, 2), "C": (1, 2), "D": (6, 6), "E": (7, 5)}
    orders = "order_id,product,quantity\n" + "".join(f"{j},{j},1\n" for j in times)
    routings = "product,step,machine,time_per_unit\n" + "".join(
        f"{j},1,M1,{a}\n{j},2,M2,{b}\n" for j, (a, b) in times.items())
    s = solved(make_plant({"orders.csv": orders, "routings.csv": routings}), "makespan")
    assert s.status == "optimal" and s.kpis.makespan == 24


def test_alternative_machines_split_the_work(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,10\nb,P,10\nc,P,10\n",
        # M1 takes 10 per order, M2 (slower) 20
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M1,1\nP,1,M2,2\n",
        "products.csv": one_off("P"),
    })
    s = solved(folder, "makespan")
    assert s.kpis.makespan == 20
    assert sorted(r.machine for r in runs(s)) == ["M1", "M1", "M2"]


def test_lot_streaming_overlaps_steps_of_mass_lots(make_plant):
    files = {
        "orders.csv": "order_id,product,quantity\na,P,10\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M1,1\nP,2,M2,1\n",
    }
    batch = solved(make_plant({**files, "products.csv": "product,mode\nP,batch\n"}), "makespan")
    mass = solved(make_plant({**files, "products.csv": "product,mode\nP,mass\n"}), "makespan")
    assert batch.kpis.makespan == 20   # whole lot moves after step 1
    assert mass.kpis.makespan == 11    # first unit moves on after 1 time unit


def test_calendar_blocks_runs_and_setups(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,1\nb,Q,1\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,4\nQ,1,M,4\n",
        "setups.csv": "machine,from,to,time\n*,*,*,3\n",
        "calendar.csv": "machine,start,end\nM,6,10\n",
        "products.csv": one_off("P", "Q"),
    })
    s = solved(folder, "makespan")
    # P [0,4); the setup (3) + Q (4) = 7 cannot fit in [4,6): setup [10,13), Q [13,17)
    assert s.kpis.makespan == 17
    setup = [r for r in s.rows if r.kind == "setup"]
    assert [(r.start, r.end) for r in setup] == [(10, 13)]


def test_initial_state_and_release(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,release\na,P,1,0\nb,Q,1,5\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,2\nQ,1,M,2\n",
        "machines.csv": "machine,initial_state\nM,Q\n",
        "setups.csv": "machine,from,to,time\n*,Q,P,10\n*,P,Q,1\n",
    })
    s = solved(folder, "makespan")
    # Q first would wait for release 5: Q [5,7), P needs 10 setup -> [17,19): 19
    # P first: setup 10 [0,10), P [10,12), setup 1, Q [13,15): 15
    assert s.kpis.makespan == 15
    assert s.kpis.total_setup_time == 11


def test_deadline_overrides_weighted_tardiness(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due,weight,deadline\n"
                      "a,P,1,5,10,\nb,P,1,100,1,6\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,5\n",
        "products.csv": one_off("P"),
    })
    s = solved(folder, "weighted-tardiness")
    # b must finish by 6, so it goes first; a ends at 10: tardiness 5 x weight 10
    assert s.status == "optimal" and s.info.objective == 50


def test_lexicographic_keeps_the_first_criterion_at_its_optimum(make_plant):
    # two products, setup 10 between them; all due dates loose: tardiness 0 either way,
    # then setups are minimised: one changeover (orders grouped by product)
    orders = "order_id,product,quantity,due\n" + "".join(
        f"o{i},{'PQ'[i % 2]},1,1000\n" for i in range(6))
    folder = make_plant({
        "orders.csv": orders,
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,3\nQ,1,M,3\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,*,10,2\n",
        "products.csv": one_off("P", "Q"),
    })
    s = solved(folder, "weighted-tardiness>setup-time")
    assert s.status == "optimal"
    assert s.kpis.weighted_tardiness == 0
    assert (s.kpis.setup_count, s.kpis.total_setup_time) == (1, 10)
    assert s.info.objective_values == [0.0, 10.0]


def test_weighted_sum_with_fractional_weights(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due,weight\na,P,1,3,1.5\nb,Q,1,3,0.5\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,3\nQ,1,M,3\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,*,1,0.25\n",
        "products.csv": one_off("P", "Q"),
    })
    s = solved(folder, "weighted-tardiness=1,setup-cost=2")
    # a first: a ends 3 (on time), setup 1, b ends 7: 0.5*4 + 2*0.25 = 2.5
    assert s.status == "optimal" and s.info.objective == pytest.approx(2.5)
    assert s.info.bound == pytest.approx(2.5)


def _single_machine_instance(rng: random.Random, n: int) -> dict[str, str]:
    products = ["P", "Q", "R"]
    orders = "order_id,product,quantity,due,weight,release\n" + "".join(
        f"o{i},{rng.choice(products)},{rng.randint(1, 4)},{rng.randint(5, 40)},"
        f"{rng.randint(1, 3)},{rng.choice([0, 0, rng.randint(0, 10)])}\n" for i in range(n))
    routings = "product,step,machine,time_per_unit,fixed_time\n" + "".join(
        f"{p},1,M,{rng.randint(1, 3)},{rng.randint(0, 2)}\n" for p in products)
    setups = "machine,from,to,time,cost\n" + "".join(
        f"M,{a},{b},{rng.randint(1, 9)},{rng.randint(0, 5)}\n"
        for a in products for b in products if a != b)
    return {"orders.csv": orders, "routings.csv": routings, "setups.csv": setups,
            "machines.csv": f"machine,initial_state\nM,{rng.choice(products)}\n",
            "products.csv": one_off(*products)}


def _enumerate_best(plant, objective: str) -> Fraction:
    """Best value over every sequence of the orders on the single machine M."""
    setups = SetupTable(plant)
    options = {p: steps[0].options[0] for p, steps in plant.routings.items()}
    best = None
    for perm in itertools.permutations(plant.orders):
        t, state = 0, plant.machines["M"].initial_state
        wt, st, sc = Fraction(0), 0, Fraction(0)
        for o in perm:
            change = setups.between("M", state, o.product)
            start = max(t + change.time, o.release)
            t = start + options[o.product].duration(o.quantity)
            wt += o.weight * max(0, t - o.due)
            st, sc, state = st + change.time, sc + change.cost, o.product
        value = {"weighted-tardiness": wt, "setup-time": Fraction(st),
                 "weighted-tardiness=1,setup-cost=1": wt + sc}[objective]
        best = value if best is None else min(best, value)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("objective", ["weighted-tardiness", "setup-time",
                                       "weighted-tardiness=1,setup-cost=1"])
def test_single_machine_optimum_equals_enumeration(make_plant, seed, objective):
    rng = random.Random(seed)
    folder = make_plant(_single_machine_instance(rng, 6))
    plant = load_plant(folder)
    s = solved(folder, objective)
    expected = _enumerate_best(plant, objective)
    assert s.status == "optimal"
    assert math.isclose(s.info.objective, float(expected)), (s.info.objective, expected)
