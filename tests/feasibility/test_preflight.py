"""Preflight: deadline conflicts proved by lower bounds, before any model is built."""

from __future__ import annotations

import pytest

from prodsched import load_plant
from prodsched.errors import Conflict
from prodsched.feasibility import preflight
from prodsched.feasibility.bounds import fit
from prodsched.lots.plan import plan_lots

ONE_OFF = "product,mode\nP,one-off\nQ,one-off\n"


def conflicts(make_plant, files: dict[str, str]) -> list[Conflict]:
    plant = load_plant(make_plant(files))
    return preflight(plant, plan_lots(plant))


def test_fit_skips_every_downtime_the_run_would_overlap():
    down = [(10, 20), (25, 30), (40, 50)]
    assert fit(down, 0, 10) == 0
    assert fit(down, 0, 11) == 50          # no gap of 11 before the last downtime
    assert fit(down, 5, 5) == 5            # [5, 10) ends as the downtime starts
    assert fit(down, 6, 5) == 20           # [6, 11) overlaps [10, 20); [20, 25) fits
    assert fit(down, 6, 6) == 30           # [20, 26) overlaps [25, 30)
    assert fit(down, 12, 0) == 12          # zero-length runs fit anywhere


def test_a_feasible_plant_has_no_conflict(make_plant):
    assert conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,deadline\na,P,2,10\nb,P,2,20\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,2\n",
    }) == []


def test_deadline_before_time_zero(make_plant):
    (c,) = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,deadline\na,P,1,-5\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
    })
    assert (c.orders, c.constraint) == (("a",), "deadline before time 0")
    assert c.detail == "the deadline -5 is before time 0 (0), where every schedule starts"


def test_release_plus_routing_beyond_the_deadline(make_plant):
    (c,) = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,release,deadline\na,P,10,2,15\n",
        "products.csv": ONE_OFF,
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M|N,1\nP,2,K,1\nQ,1,M,1\n",
    })
    assert (c.orders, c.constraint) == (("a",), "deadline")
    assert c.detail == ("released at 2, its 10 × P need at least 20 time units on the fastest "
                        "machines of its 2-step routing, so it cannot be complete before 22; its "
                        "deadline is 15")


def test_streamed_lots_overlap_their_steps(make_plant):
    # mass: 10 units, one per time unit on each step: done at 11, not 20
    files = {
        "orders.csv": "order_id,product,quantity,deadline\na,P,10,11\n",
        "products.csv": "product,mode\nP,mass\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\nP,2,K,1\n",
    }
    assert conflicts(make_plant, files) == []
    files["orders.csv"] = "order_id,product,quantity,deadline\na,P,10,10\n"
    (c,) = conflicts(make_plant, files)
    assert "cannot be complete before 11" in c.detail


def test_calendar_in_the_way(make_plant):
    (c,) = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,deadline\na,P,5,20\n",
        "products.csv": ONE_OFF,
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M|N,1\n",
        "calendar.csv": "machine,start,end\nM,3,100\nN,2,50\n",
    })
    assert (c.orders, c.constraint) == (("a",), "calendar")
    assert c.detail == ("without downtime it could be complete at 5, but step 1 cannot start on "
                        "M, N before 50 (down: M 3–100; N 2–50), so it cannot be complete before "
                        "55; its deadline is 20")


def test_machine_down_for_good(make_plant):
    (c,) = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,due,deadline\n"
                      "a,P,5,2026-03-02T08:00,2026-03-03T08:00\n",
        "products.csv": ONE_OFF,
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
        "calendar.csv": "machine,start,end\nM,2026-03-02T00:00,2099-12-31T00:00\n",
    })
    assert c.constraint == "calendar"
    assert "cannot start on M before 2099-12-31T00:00 (down: M 2026-03-02T00:00–2099-12-31T00:00)" \
        in c.detail


def test_capacity_of_the_only_machine(make_plant):
    (c,) = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,deadline\na,P,3,10\nb,Q,3,10\nc,Q,3,12\n",
        "products.csv": ONE_OFF,
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\nQ,1,M,1\n",
        "calendar.csv": "machine,start,end\nM,0,4\n",
    })
    assert (c.orders, c.constraint) == (("a", "b", "c"), "capacity")
    assert c.detail == ("M is the only machine for a step of each of these orders; released from "
                        "0 and due by 12, they need at least 9 time units on M in between, and "
                        "only 8 of its 12 time units then are not downtime")


@pytest.mark.parametrize("mode", ["one-off", "batch", "mass", "auto"])
def test_an_order_that_alone_misses_its_deadline_is_not_counted_twice(make_plant, mode):
    found = conflicts(make_plant, {
        "orders.csv": "order_id,product,quantity,deadline\na,P,30,10\nb,P,1,100\n",
        "products.csv": f"product,mode\nP,{mode}\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,1\n",
    })
    assert [(c.orders, c.constraint) for c in found] == [(("a",), "deadline")]
