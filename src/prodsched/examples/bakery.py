"""``bakery``: a week of bread and cookies, with allergen changeovers and shifts.

The plant
    Two spiral mixers (``MIX1``, ``MIX2``), a deck oven (``OVEN1``), a tunnel
    oven (``OVEN2``) and one packing line (``PACK1``). Every product is mixed,
    baked and packed. Bread can bake in either oven; cookies bake fast on the
    tunnel oven and slowly on the deck oven (a separate, slower routing row);
    baguettes need the deck oven's steam.

Products (all ``batch``)
    Bread (family ``bread``: white, wholemeal, rye, baguette) in oven racks of
    20 loaves (``lot_multiple`` 20, lots of 20–240); gluten-free loaves
    (family ``gluten_free``) in lots of 20–100; cookies in lots of 200–2,000,
    multiples of 100 — plain (``cookie_plain``: butter, chocolate chip) and
    with nuts (``cookie_nut``: hazelnut, almond biscotti). Bread carries a
    high holding cost (it goes stale), cookies a low one.

Changeovers (setups.csv)
    A ``*`` default of 10 minutes; 5 minutes within the bread and the cookie
    families; an allergen clean of 60 minutes after nut cookies, 90 minutes
    before gluten-free bread, 120 from nuts to gluten-free. Machine rules
    override them: ``MIX2`` has clean-in-place, so its nut clean takes only 30
    minutes; the deck oven only changes temperature (20 minutes, nothing
    within bread); the tunnel oven needs 30 minutes between bread and other
    products.

Time and calendar
    ISO date-times, week of Monday 2 March 2026, time 0 at Monday 06:00. The
    mixers and the packing line stop for sanitation every afternoon
    14:00–20:00 and the packing crew has a break 09:00–09:30; the tunnel oven
    has belt maintenance on Wednesday 10:00–12:00; the bakery closes from
    Saturday 14:00. Bread orders are released the day before delivery and due
    at 05:00 when the vans leave; cookie orders have a few days.

Longest waits (spec v2 ``max_wait``)
    Dough goes into an oven within 60 minutes of the end of its mixing (it
    over-proves); bread is packed within 3 hours of leaving the oven (the same
    morning, once cooled), cookies within 4 hours. The packing line's
    afternoon stop means bread baked just before 14:00 may not wait for the
    evening: it is baked so that it can still be packed.

Costs (spec v2)
    Machine hours (``cost_per_hour``: energy, wear and the crew): mixers 45,
    the deck oven 80, the tunnel oven 120, the packing line 60. What a
    finished unit is worth (``unit_value``, for working capital): loaves 0.90
    (baguette) to 3.50 (gluten-free), cookies 0.15 to 0.25 apiece.

The trade-off
    Grouping all nut cookies (and gluten-free bread) saves long cleanings but
    bakes bread early (holding cost) or delivers late; the afternoon stop
    pushes bread into the night shift.
"""

from __future__ import annotations

from datetime import datetime

from prodsched.generate.csvtext import Cell, csv_text, iso_minutes

DESCRIPTION = (
    "30 orders of bread and cookies on mixers, ovens and packing: allergen "
    "changeovers, shifts (ISO date-times, calendar), batch lots"
)

MONDAY = datetime(2026, 3, 2)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
# spec v2 max_wait (minutes from the end of the previous step to the start of this one)
DOUGH_TO_OVEN = 60    # mixed dough proves and must be baked within the hour
BREAD_TO_PACK = 180   # bread is packed the same morning it is baked, once cooled
COOKIE_TO_PACK = 240  # cookies cool on racks, then are packed the same shift


def at(day: str, clock: str) -> str:
    """ISO date-time of ``day`` (``Mon``..``Sat`` of the week) at ``clock`` (``HH:MM``)."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return iso_minutes(MONDAY, DAYS.index(day) * 1440 + hours * 60 + minutes)


def _products() -> list[tuple[Cell, ...]]:
    bread = (20, 240, 20, 0.002)
    cookie = (200, 2000, 100, 0.0002)
    nut = (200, 1500, 100, 0.0002)
    rows: list[tuple[Cell, ...]] = []
    for name, family, lots, value in (
        ("white_loaf", "bread", bread, 1.2),
        ("wholemeal_loaf", "bread", bread, 1.5),
        ("rye_bread", "bread", bread, 1.8),
        ("baguette", "bread", bread, 0.9),
        ("gf_loaf", "gluten_free", (20, 100, 10, 0.003), 3.5),
        ("butter_cookie", "cookie_plain", cookie, 0.15),
        ("choc_chip_cookie", "cookie_plain", cookie, 0.18),
        ("hazelnut_cookie", "cookie_nut", nut, 0.22),
        ("almond_biscotti", "cookie_nut", nut, 0.25),
    ):
        rows.append((name, family, "batch", *lots, value))
    return rows


def _routings() -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    dough, bread_pack, cookie_pack = DOUGH_TO_OVEN, BREAD_TO_PACK, COOKIE_TO_PACK
    for bread in ("white_loaf", "wholemeal_loaf", "rye_bread"):
        rows += [
            (bread, 1, "MIX1|MIX2", 0.05, 20, None),
            (bread, 2, "OVEN1|OVEN2", 0.1, 35, dough),
            (bread, 3, "PACK1", 0.05, 5, bread_pack),
        ]
    rows += [
        ("baguette", 1, "MIX1|MIX2", 0.04, 20, None),
        ("baguette", 2, "OVEN1", 0.08, 25, dough),
        ("baguette", 3, "PACK1", 0.04, 5, bread_pack),
        ("gf_loaf", 1, "MIX1|MIX2", 0.08, 25, None),
        ("gf_loaf", 2, "OVEN1|OVEN2", 0.12, 40, dough),
        ("gf_loaf", 3, "PACK1", 0.06, 10, bread_pack),
    ]
    for cookie in ("butter_cookie", "choc_chip_cookie", "hazelnut_cookie", "almond_biscotti"):
        rows += [
            (cookie, 1, "MIX1|MIX2", 0.01, 15, None),
            (cookie, 2, "OVEN2", 0.02, 12, dough),
            (cookie, 2, "OVEN1", 0.05, 15, dough),
            (cookie, 3, "PACK1", 0.025, 5, cookie_pack),
        ]
    return rows


SETUPS: list[tuple[Cell, ...]] = [
    # machine, from, to, time, cost
    ("*", "*", "*", 10, 5),
    ("*", "bread", "bread", 5, 0),
    ("*", "cookie_plain", "cookie_plain", 5, 0),
    ("*", "cookie_nut", "cookie_nut", 5, 0),
    ("*", "cookie_nut", "*", 60, 40),
    ("*", "*", "gluten_free", 90, 60),
    ("*", "cookie_nut", "gluten_free", 120, 80),
    ("MIX2", "cookie_nut", "*", 30, 20),
    ("OVEN1", "*", "*", 20, 5),
    ("OVEN1", "bread", "bread", 0, 0),
    ("OVEN2", "bread", "*", 30, 10),
    ("OVEN2", "*", "bread", 30, 10),
    ("OVEN2", "bread", "bread", 0, 0),
]

# order_id, product, quantity, due (day, clock), release day (06:00), weight
ORDERS: list[tuple[str, str, int, tuple[str, str], str, int]] = [
    ("B01", "white_loaf", 120, ("Tue", "05:00"), "Mon", 1),
    ("B02", "wholemeal_loaf", 80, ("Tue", "05:00"), "Mon", 1),
    ("B03", "baguette", 200, ("Tue", "05:00"), "Mon", 2),
    ("B04", "gf_loaf", 40, ("Tue", "07:00"), "Mon", 1),
    ("C01", "butter_cookie", 1200, ("Wed", "12:00"), "Mon", 1),
    ("C02", "hazelnut_cookie", 800, ("Wed", "12:00"), "Mon", 1),
    ("B05", "white_loaf", 160, ("Wed", "05:00"), "Tue", 1),
    ("B06", "rye_bread", 60, ("Wed", "05:00"), "Tue", 1),
    ("B07", "baguette", 180, ("Wed", "05:00"), "Tue", 2),
    ("B08", "wholemeal_loaf", 100, ("Wed", "05:00"), "Tue", 1),
    ("C03", "choc_chip_cookie", 1500, ("Thu", "12:00"), "Tue", 1),
    ("C04", "almond_biscotti", 600, ("Thu", "16:00"), "Mon", 1),
    ("B09", "gf_loaf", 30, ("Thu", "05:00"), "Wed", 1),
    ("B10", "white_loaf", 140, ("Thu", "05:00"), "Wed", 1),
    ("B11", "baguette", 220, ("Thu", "05:00"), "Wed", 2),
    ("B12", "rye_bread", 80, ("Thu", "05:00"), "Wed", 1),
    ("C05", "butter_cookie", 900, ("Fri", "12:00"), "Wed", 1),
    ("C06", "hazelnut_cookie", 1000, ("Fri", "12:00"), "Wed", 2),
    ("B13", "white_loaf", 180, ("Fri", "05:00"), "Thu", 1),
    ("B14", "wholemeal_loaf", 90, ("Fri", "05:00"), "Thu", 1),
    ("B15", "baguette", 160, ("Fri", "05:00"), "Thu", 1),
    ("B16", "gf_loaf", 50, ("Fri", "07:00"), "Thu", 1),
    ("C07", "choc_chip_cookie", 700, ("Sat", "10:00"), "Thu", 1),
    ("C08", "almond_biscotti", 400, ("Sat", "10:00"), "Wed", 1),
    ("B17", "white_loaf", 240, ("Sat", "05:00"), "Fri", 2),
    ("B18", "rye_bread", 70, ("Sat", "05:00"), "Fri", 1),
    ("B19", "baguette", 240, ("Sat", "05:00"), "Fri", 2),
    ("B20", "wholemeal_loaf", 120, ("Sat", "05:00"), "Fri", 1),
    ("B21", "gf_loaf", 60, ("Sat", "07:00"), "Fri", 1),
    ("C09", "butter_cookie", 2000, ("Sat", "14:00"), "Thu", 1),
]


def _calendar() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for machine in ("MIX1", "MIX2", "PACK1"):
        for day in DAYS[:-1]:
            rows.append((machine, at(day, "14:00"), at(day, "20:00")))
        if machine == "PACK1":
            rows += [(machine, at(day, "09:00"), at(day, "09:30")) for day in DAYS]
    rows.append(("OVEN2", at("Wed", "10:00"), at("Wed", "12:00")))
    closed_from, reopens = at("Sat", "14:00"), iso_minutes(MONDAY, 7 * 1440 + 6 * 60)
    rows.append(("*", closed_from, reopens))
    return sorted(rows, key=lambda row: (row[0] == "*", row[0], row[1]))


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    orders = [
        (order_id, product, quantity, at(*due), at(release, "06:00"), weight)
        for order_id, product, quantity, due, release, weight in ORDERS
    ]
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), orders),
        "products.csv": csv_text(
            ("product", "family", "mode", "min_lot", "max_lot", "lot_multiple", "holding_cost",
             "unit_value"),
            _products()),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time", "max_wait"),
            _routings()),
        "machines.csv": csv_text(
            ("machine", "initial_state", "cost_per_hour"),
            [("MIX1", None, 45), ("MIX2", None, 45), ("OVEN1", "bread", 80),
             ("OVEN2", None, 120), ("PACK1", None, 60)]),
        "setups.csv": csv_text(
            ("machine", "from", "to", "time", "cost"), SETUPS),
        "calendar.csv": csv_text(("machine", "start", "end"), _calendar()),
    }
