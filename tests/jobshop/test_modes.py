"""Production modes in the model: lots sized and sequenced together."""

from __future__ import annotations

import pytest

from prodsched import load_plant, solve
from prodsched.cpsat_runner import SolverSettings
from prodsched.lots.lot import STOCK
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.request import SolveRequest
from tests.conftest import assert_valid


def solved(folder, objective, **kwargs):
    schedule = solve(load_plant(folder), objective=objective, time_limit=20, workers=2, **kwargs)
    assert_valid(schedule)
    return schedule


def lots(schedule):
    first = {p: steps[0].number for p, steps in schedule.plant.routings.items()}
    return {r.lot: r for r in schedule.rows if r.kind == "run" and r.step == first[r.product]}


BATCH = {
    # lot time: 10 per lot + 1 per unit
    "orders.csv": "order_id,product,quantity,due\na,P,5,15\nb,P,5,100\n",
    "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,1,10\n",
}


def test_batch_merges_orders_when_it_pays(make_plant):
    folder = make_plant({**BATCH, "products.csv": "product,mode\nP,batch\n"})
    s = solved(folder, "makespan")
    # one lot of 10: 10 + 10 = 20; two lots would take 30. The model proves it for at
    # most two lots only (ten are possible); the machine's load proves it for the
    # plant: 10 units at 1 plus one lot's 10 (criteria.machine_load_floor)
    assert s.status == "optimal" and s.kpis.makespan == 20 and s.info.bound == 20
    assert s.info.restricted == ["lot slots: P 2 of up to 10 lots"]
    assert [r.orders for r in lots(s).values()] == [(("a", 5), ("b", 5))]


def test_batch_splits_lots_when_due_dates_ask_for_it(make_plant):
    folder = make_plant({**BATCH, "products.csv": "product,mode\nP,batch\n"})
    s = solved(folder, "weighted-tardiness")
    # a alone (15, on time), then b (30, on time); one lot would make a late by 5
    assert s.status == "optimal" and s.kpis.weighted_tardiness == 0
    assert sorted(r.quantity for r in lots(s).values()) == [5, 5]


def test_min_lot_and_multiple_send_surplus_to_stock_in_the_last_lot(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,5\nb,P,5\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,1,10\n",
        "products.csv": "product,mode,min_lot,lot_multiple\nP,batch,4,4\n",
    })
    s = solved(folder, "makespan")
    # one lot of 12 (the smallest multiple of 4 holding 10 units): 10 + 12 = 22
    assert s.kpis.makespan == 22 and s.kpis.units_to_stock == 2
    (lot,) = lots(s).values()
    assert lot.orders == (("a", 5), ("b", 5), (STOCK, 2))


def test_max_lot_forces_several_lots(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,25\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,1,10\n",
        "products.csv": "product,mode,max_lot,lot_multiple\nP,batch,10,5\n",
    })
    s = solved(folder, "makespan")
    sizes = sorted(r.quantity for r in lots(s).values())
    assert sizes == [5, 10, 10] and s.kpis.makespan == 25 + 30
    assert s.kpis.units_to_stock == 0


def test_mass_streams_a_campaign_through_its_steps(make_plant):
    files = {
        "orders.csv": "order_id,product,quantity\na,P,10\nb,P,10\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M1,1\nP,2,M2,1\n",
    }
    batch = solved(make_plant({**files, "products.csv": "product,mode\nP,batch\n"}), "makespan")
    mass = solved(make_plant({**files, "products.csv": "product,mode\nP,mass\n"}), "makespan")
    # batch: split in two lots to overlap steps: 10 + 10 + 10 = 30 (one lot: 40)
    assert batch.kpis.makespan == 30
    # mass: one campaign of 20 units streamed: 20 + 1
    assert mass.kpis.makespan == 21
    assert {r.mode for r in mass.rows if r.kind == "run"} == {"mass"}


def test_auto_picks_a_mode_per_product_and_says_why(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,10\nb,P,10\nc,Q,4\nd,Q,4\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                        "P,1,M1,1,0\nP,2,M2,1,0\nQ,1,M3,1,5\n",
    })
    s = solved(folder, "makespan")
    modes = s.info.details["modes"]
    # P streams through its two steps (mass); Q has one step, so its lot is batch
    assert modes["products"]["P"]["mode"] == "mass"
    assert modes["products"]["Q"]["mode"] == "batch"
    assert modes["products"]["Q"]["lots"] == 1
    auto = modes["auto"]
    assert set(auto["dispatch_estimate_by_mode"]) == {"one-off", "batch", "mass"}
    assert "why" in auto and auto["optimized"] == [21.0]
    assert auto["dispatch_estimate_by_mode"]["one-off"][0] > 21


def test_auto_may_choose_one_off_when_lot_rules_would_force_stock(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\na,P,3\nb,P,3\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M1,10,0\n",
        # lots must be multiples of 5: one lot of 10 wastes 4 units (40 time units)
        "products.csv": "product,lot_multiple\nP,5\n",
    })
    s = solved(folder, "makespan")
    assert s.kpis.makespan == 60
    assert s.info.details["modes"]["products"]["P"]["mode"] == "one-off"


def test_hybrid_plant_in_one_solve(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due\n"
                      "c1,CUSTOM,1,300\nc2,CUSTOM,2,320\n"
                      "b1,BREAD,40,200\nb2,BREAD,60,400\nb3,BREAD,20,500\n"
                      "m1,COLA,500,600\nm2,COLA,700,900\n"
                      "x1,MIX,10,250\nx2,MIX,10,260\n",
        "products.csv": "product,family,mode,min_lot,max_lot,lot_multiple,holding_cost\n"
                        "CUSTOM,craft,one-off,,,,\nBREAD,bakery,batch,20,80,10,0.1\n"
                        "COLA,drinks,mass,100,,100,0\nMIX,bakery,auto,,,,\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                        "CUSTOM,1,SAW,30,10\nCUSTOM,2,PAINT,20,\n"
                        "BREAD,1,MIXER,0.5,15\nBREAD,2,OVEN,1,20\n"
                        "COLA,1,FILL,0.1,30\nCOLA,2,PACK,0.1,\n"
                        "MIX,1,MIXER,1,10\nMIX,2,PAINT|OVEN,2,\n",
        "setups.csv": "machine,from,to,time,cost\n*,*,*,15,5\n*,bakery,bakery,5,1\n",
        "calendar.csv": "machine,start,end\n*,480,540\n",
    })
    s = solved(folder, "weighted-tardiness>setup-time")
    modes = {r.product: r.mode for r in s.rows if r.kind == "run"}
    assert modes["CUSTOM"] == "one-off" and modes["BREAD"] == "batch"
    assert modes["COLA"] == "mass" and modes["MIX"] in ("one-off", "batch", "mass")
    bread = [r for r in lots(s).values() if r.product == "BREAD"]
    assert all(20 <= r.quantity <= 80 and r.quantity % 10 == 0 for r in bread)


def _probe(n: int) -> dict[str, str]:
    import random

    rng = random.Random(n)
    products = [f"p{i}" for i in range(25)]
    return {
        "products.csv": "product,family\n" + "".join(f"{p},F{i // 5}\n"
                                                     for i, p in enumerate(products)),
        "routings.csv": "product,step,machine,time_per_unit\n" + "".join(
            f"{p},1,M,1\n" for p in products),
        "setups.csv": "machine,from,to,time\n" + "".join(
            f"M,F{a},F{b},{10 + 5 * abs(a - b)}\n" for a in range(5) for b in range(5) if a != b),
        "orders.csv": "order_id,product,quantity\n" + "".join(
            f"o{i},{rng.choice(products)},1\n" for i in range(n)),
    }


@pytest.mark.parametrize("mode", ["auto", "batch"])
def test_family_changeover_probe_is_proven_optimal(make_plant, mode):
    files = _probe(150)
    if mode == "batch":
        files["products.csv"] = files["products.csv"].replace("product,family\n",
                                                              "product,family,mode\n")
        files["products.csv"] = "".join(
            line + (",batch" if i else "") + "\n"
            for i, line in enumerate(files["products.csv"].splitlines()))
    # the full model alone (no hand-over after 15 % of the limit): on a busy machine
    # its proof may come later than that share
    s = solve_request(load_plant(make_plant(files)), SolveRequest(
        objective=parse_objective("setup-time"), time_limit=20, large=False,
        settings=SolverSettings(workers=2)))
    assert_valid(s)
    # families visited in order: 4 changeovers of 10 + 5 = 60
    assert (s.status, s.info.objective, s.info.bound) == ("optimal", 60, 60)
    assert s.kpis.setup_count == 4 and s.kpis.makespan == 150 + 60


def test_holding_cost_makes_lots_just_in_time(make_plant):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due\na,P,5,50\nb,P,5,100\nc,P,2,100\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
        "products.csv": "product,mode,holding_cost\nP,batch,1\n",
    })
    s = solved(folder, "holding-cost,weighted-tardiness=100")
    # a in [45, 50), b and c together in [93, 100): nothing waits for its due date
    assert s.status == "optimal" and s.info.objective == 0 and s.kpis.holding_cost == 0
    assert sorted((r.start, r.end) for r in lots(s).values()) == [(45, 50), (93, 100)]


def test_holding_cost_is_counted_per_unit_and_time(make_plant):
    folder = make_plant({
        # both orders need the machine in [90, 100): one must finish early
        "orders.csv": "order_id,product,quantity,due\na,P,10,100\nb,Q,10,100\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\nQ,1,M,1\n",
        "products.csv": "product,mode,holding_cost\nP,batch,2\nQ,batch,3\n",
    })
    s = solved(folder, "holding-cost,weighted-tardiness=100")
    # P (cheaper to hold) first, done at 90: 10 units x 2 x 10 = 200
    assert s.info.objective == 200 and s.kpis.holding_cost == 200
    # without a price on lateness, Q is simply made late
    assert solved(folder, "holding-cost").kpis.holding_cost == 0
