"""The status never overstates (issue 20 item 3): ``optimal`` only when no valid
schedule of the plant is better; a proof for a restricted model is
``feasible``, without a bound, and kpis.json says what was restricted."""

from __future__ import annotations

import json

from prodsched import load_plant, solve
from prodsched.cpsat_runner import SolverSettings
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.request import SolveRequest
from tests.conftest import assert_valid

TWO_DUES = {
    # one lot of both orders: 10 + 10 = 20 > 15, a is 5 late; two lots: both on time
    "orders.csv": "order_id,product,quantity,due\na,P,5,15\nb,P,5,100\n",
    "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,1,10\n",
    "products.csv": "product,mode\nP,batch\n",
}


def _request(**kwargs):  # type: ignore[no-untyped-def]
    return SolveRequest(objective=parse_objective("weighted-tardiness"), time_limit=20,
                        settings=SolverSettings(workers=1), **kwargs)


def test_a_proof_for_too_few_lot_slots_is_reported_feasible(make_plant):
    plant = load_plant(make_plant(TWO_DUES))
    # no extra slots: the model may make one lot only, and proves 5 optimal for that
    restricted = solve_request(plant, _request(extra_slots=0))
    assert_valid(restricted)
    assert restricted.info.objective == 5
    assert restricted.info.stages[0].status == "optimal"
    assert restricted.status == "feasible" and restricted.info.bound is None
    assert restricted.info.restricted == ["lot slots: P 1 of up to 10 lots"]
    assert restricted.info.restricted_model_bound == 5
    kpis = json.loads(restricted.render()["kpis.json"])
    assert kpis["status"] == "feasible" and kpis["restricted"] == restricted.info.restricted
    # ... and a better schedule of the same plant exists
    better = solve_request(plant, _request())
    assert_valid(better)
    assert better.info.objective == 0


def test_zero_is_optimal_whatever_the_model_left_out(make_plant):
    schedule = solve_request(load_plant(make_plant(TWO_DUES)), _request())
    assert_valid(schedule)
    assert schedule.info.restricted  # two slots of ten possible lots
    assert (schedule.status, schedule.info.objective, schedule.info.bound) == ("optimal", 0, 0)


def test_one_product_on_one_machine_is_rightly_optimal(make_plant):
    # one step, one machine that never stops, one due date: one lot loses nothing
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,due\na,P,5,10\nb,P,3,10\nc,Q,4,10\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time\nP,1,M,1,2\n"
                        "Q,1,M,1,2\n",
        "products.csv": "product,mode\nP,batch\nQ,batch\n",
    })
    schedule = solve(load_plant(folder), objective="makespan", time_limit=20, workers=1)
    assert_valid(schedule)
    assert schedule.info.restricted == []
    assert (schedule.status, schedule.kpis.makespan, schedule.info.bound) == ("optimal", 16, 16)


def test_a_given_lot_plan_is_a_restriction(make_plant):
    from prodsched.lots.plan import plan_lots

    # both orders due early: no schedule reaches the floor of their earliest completions
    # (3 + 1), which would prove any schedule at it optimal for the plant
    folder = make_plant({**TWO_DUES, "orders.csv":
                         "order_id,product,quantity,due\na,P,5,12\nb,P,5,14\n"})
    plant = load_plant(folder)
    schedule = solve_request(plant, _request(lot_plan=plan_lots(plant)))
    assert_valid(schedule)
    assert schedule.status == "feasible"
    assert schedule.info.restricted[0] == "lot plan: given to the solve"


def test_a_restricted_schedule_at_the_plant_floor_is_optimal(make_plant):
    """Order a cannot be done before 10 + 5 = 15, 3 after its due date, in any
    schedule: a given lot plan that reaches 3 is optimal for the plant."""
    from prodsched.lots.plan import plan_lots

    folder = make_plant({**TWO_DUES, "orders.csv":
                         "order_id,product,quantity,due\na,P,5,12\nb,P,5,100\n"})
    plant = load_plant(folder)
    schedule = solve_request(plant, _request(lot_plan=plan_lots(plant)))
    assert_valid(schedule)
    assert schedule.info.restricted[0] == "lot plan: given to the solve"
    assert (schedule.status, schedule.info.objective, schedule.info.bound) == ("optimal", 3, 3)


def test_lot_sizing_buckets_are_a_restriction_of_a_plant(make_plant):
    folder = make_plant({**TWO_DUES, "orders.csv":
                         "order_id,product,quantity,due\na,P,5,100\nb,P,30,200\n"})
    schedule = solve(load_plant(folder), objective="weighted-tardiness", time_limit=20,
                     workers=1, model="lotsizing", bucket_length=50)
    assert_valid(schedule)
    assert schedule.status == "feasible" and schedule.info.bound is None
    assert schedule.info.restricted[0].startswith("lot-sizing buckets of ")
