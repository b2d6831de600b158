"""Lots that fit the shifts (issue 20 item 2): the slot count of a product
whose non-pausing steps must run inside one shift."""

from __future__ import annotations

from prodsched import load_plant, solve
from prodsched.lots.fit import shift_fit, up_windows
from prodsched.lots.plan import plan_lots
from tests.conftest import assert_valid

NIGHTS = "machine,start,end\n" + "".join(
    f"*,2026-03-{d:02d}T22:00,2026-03-{d + 1:02d}T06:00\n" for d in range(2, 8))

ISSUE_PLANT = {
    "orders.csv": "order_id,product,quantity,due,release\n"
                  "O1,widget,1500,2026-03-06T22:00,2026-03-02T06:00\n"
                  "O2,widget,900,2026-03-05T22:00,2026-03-02T06:00\n"
                  "O3,gadget,600,2026-03-04T22:00,2026-03-02T06:00\n",
    "products.csv": "product,mode,min_lot,lot_multiple\nwidget,mass,100,100\n"
                    "gadget,mass,100,100\n",
    "routings.csv": "product,step,machine,time_per_unit,fixed_time\n"
                    "widget,1,PRESS,1,30\nwidget,2,PACK,0.5,10\n"
                    "gadget,1,PRESS,1.2,30\ngadget,2,PACK,0.5,10\n",
    "setups.csv": "machine,from,to,time,cost\n*,widget,gadget,90,100\n"
                  "*,gadget,widget,90,100\n",
    "calendar.csv": NIGHTS,
}


def test_windows_are_clipped_to_the_span():
    from types import SimpleNamespace

    plant = SimpleNamespace(unavailable=lambda m: [(10, 20), (30, 35)])
    assert up_windows(plant, "M", 0, 100) == [10, 10, 65]  # type: ignore[arg-type]
    assert up_windows(plant, "M", 15, 32) == [10]  # type: ignore[arg-type]


def test_a_press_lot_holds_what_one_shift_makes(make_plant):
    plant = load_plant(make_plant(ISSUE_PLANT))
    widget = plant.products["widget"]
    # 16 h = 960 min a day: 30 + 900 units; lots are multiples of 100
    assert shift_fit(plant, widget, [o for o in plant.orders if o.product == "widget"]) == 900
    slots = {g.product.name: g.slots for g in plan_lots(plant).groups}
    assert slots["widget"] == 3  # 2,400 units in lots of at most 900


def test_the_issue_plant_is_solved_without_tardiness(make_plant):
    schedule = solve(load_plant(make_plant(ISSUE_PLANT)), time_limit=30, workers=2)
    assert_valid(schedule)
    assert schedule.kpis.weighted_tardiness == 0  # was 3541 with two widget slots


def test_a_pausing_step_or_a_plant_without_calendar_sets_no_limit(make_plant):
    pausing = dict(ISSUE_PLANT)
    pausing["routings.csv"] = ("product,step,machine,time_per_unit,fixed_time,can_pause\n"
                               "widget,1,PRESS,1,30,yes\nwidget,2,PACK,0.5,10,yes\n"
                               "gadget,1,PRESS,1.2,30,yes\ngadget,2,PACK,0.5,10,yes\n")
    no_calendar = {k: v for k, v in ISSUE_PLANT.items() if k != "calendar.csv"}
    for files in (pausing, no_calendar):
        plant = load_plant(make_plant(files))
        widget = plant.products["widget"]
        assert shift_fit(plant, widget, list(plant.orders)) is None
        # the count without calendars: min(fewest + 6, each order on its own + 0)
        assert {g.product.name: g.slots for g in plan_lots(plant).groups}["widget"] == 2
