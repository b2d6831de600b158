"""``furniture``: a workshop of bespoke pieces, each made to order.

The plant
    Two panel saws (``SAW1``, ``SAW2``, same speed) and a CNC router
    (``CNC1``, about twice as fast) cut the parts; an edge bander (``EDGE1``)
    finishes the panels of desks and cabinets; two assembly benches
    (``BENCH1``, ``BENCH2``); a spray booth (``BOOTH1``) lacquers and dries;
    an upholstery station (``UPHOL1``) covers the armchairs after finishing.
    Routings have three or four steps; the cutting step has a ``SAW1|SAW2``
    row and a separate, faster ``CNC1`` row (kitchen cabinets are cut on the
    CNC only).

Products (all ``one-off``)
    Tables (dining table, coffee table, desk), seating (chair, armchair,
    stool) and cabinets (wardrobe, bookshelf, kitchen cabinet), one setup
    family each. An order (six chairs, two wardrobes) is made as one piece of
    work, never merged with another order.

Changeovers (setups.csv)
    15 minutes by default, 5 within a family; the CNC router needs 30 minutes
    for a new jig and program (10 within a family); the spray booth 25
    minutes to flush the gun between families.

Time
    Numbers: working minutes of a one-shift workshop (a day is 480). Orders
    are released when their timber arrives (over the first seven days) and are
    due two to five days later; weights 1–3 mark the important customers.
    Two orders have hard deadlines (a kitchen installation that is booked and
    a showroom exhibit); they are generous: at least three times the order's
    own work on the slowest machines plus every setup time of the plant after
    its release.

The trade-off
    The CNC router is the fast way to cut, so everybody wants it: sending work
    to the slower saws, or grouping by family on the CNC and the booth, keeps
    the benches busy and the due dates met.
"""

from __future__ import annotations

import math

from prodsched.generate.csvtext import Cell, csv_text

DESCRIPTION = (
    "25 bespoke (one-off) orders through cut, edge, assemble, finish, upholster: "
    "alternative machines of different speeds, releases, hard deadlines (numbers)"
)

DAY = 480  # working minutes in a day

PRODUCTS: list[tuple[str, str]] = [
    ("dining_table", "tables"),
    ("coffee_table", "tables"),
    ("desk", "tables"),
    ("chair", "seating"),
    ("armchair", "seating"),
    ("stool", "seating"),
    ("wardrobe", "cabinets"),
    ("bookshelf", "cabinets"),
    ("kitchen_cabinet", "cabinets"),
]

# product → minutes per piece: saw, CNC, edge banding, assembly, finish, upholstery
# (None: the product skips that operation or that machine)
WORK: dict[str, tuple[int | None, int, int | None, int, int, int | None]] = {
    "dining_table": (90, 50, None, 120, 60, None),
    "coffee_table": (45, 25, None, 60, 40, None),
    "desk": (70, 40, 20, 90, 50, None),
    "chair": (30, 15, None, 45, 20, None),
    "armchair": (60, 35, None, 100, 30, 120),
    "stool": (15, 8, None, 20, 10, None),
    "wardrobe": (150, 80, 45, 240, 90, None),
    "bookshelf": (70, 40, 25, 90, 60, None),
    "kitchen_cabinet": (None, 30, 20, 60, 40, None),
}

SETUPS: list[tuple[str, str, str, int, int]] = [
    # machine, from, to, time, cost
    ("*", "*", "*", 15, 0),
    ("*", "tables", "tables", 5, 0),
    ("*", "seating", "seating", 5, 0),
    ("*", "cabinets", "cabinets", 5, 0),
    ("CNC1", "*", "*", 30, 0),
    ("CNC1", "tables", "tables", 10, 0),
    ("CNC1", "seating", "seating", 10, 0),
    ("CNC1", "cabinets", "cabinets", 10, 0),
    ("BOOTH1", "*", "*", 25, 0),
    ("BOOTH1", "tables", "tables", 5, 0),
    ("BOOTH1", "seating", "seating", 5, 0),
    ("BOOTH1", "cabinets", "cabinets", 5, 0),
]

# order_id, product, quantity, release day, due day, weight, hard deadline?
ORDERS: list[tuple[str, str, int, int, int, int, bool]] = [
    ("F01", "dining_table", 1, 0, 3, 1, False),
    ("F02", "chair", 6, 0, 4, 1, False),
    ("F03", "wardrobe", 2, 0, 4, 2, False),
    ("F04", "bookshelf", 3, 1, 4, 1, False),
    ("F05", "coffee_table", 2, 0, 2, 1, False),
    ("F06", "armchair", 2, 1, 5, 2, False),
    ("F07", "kitchen_cabinet", 8, 1, 6, 3, True),
    ("F08", "stool", 4, 1, 3, 1, False),
    ("F09", "desk", 1, 1, 4, 1, False),
    ("F10", "chair", 8, 1, 6, 2, False),
    ("F11", "dining_table", 2, 2, 6, 1, False),
    ("F12", "bookshelf", 2, 2, 6, 1, False),
    ("F13", "wardrobe", 1, 3, 7, 1, False),
    ("F14", "armchair", 1, 3, 6, 1, False),
    ("F15", "coffee_table", 1, 4, 6, 1, False),
    ("F16", "kitchen_cabinet", 6, 4, 8, 2, False),
    ("F17", "stool", 6, 4, 6, 1, False),
    ("F18", "desk", 2, 4, 8, 1, False),
    ("F19", "chair", 4, 4, 7, 1, False),
    ("F20", "dining_table", 1, 5, 8, 2, False),
    ("F21", "bookshelf", 1, 5, 8, 1, False),
    ("F22", "wardrobe", 1, 6, 9, 1, False),
    ("F23", "chair", 6, 6, 8, 1, False),
    ("F24", "armchair", 2, 6, 10, 3, True),
    ("F25", "kitchen_cabinet", 4, 6, 10, 1, False),
]


RoutingRow = tuple[str, int, str, int, int]


def _routing_rows(product: str) -> list[RoutingRow]:
    """product, step, machine(s), minutes per piece, fixed minutes per order."""
    saw, cnc, edge, assemble, finish, upholster = WORK[product]
    rows: list[RoutingRow] = []
    if saw is not None:
        rows.append((product, 1, "SAW1|SAW2", saw, 15))
    rows.append((product, 1, "CNC1", cnc, 20))
    step = 2
    if edge is not None:
        rows.append((product, step, "EDGE1", edge, 10))
        step += 1
    rows.append((product, step, "BENCH1|BENCH2", assemble, 0))
    rows.append((product, step + 1, "BOOTH1", finish, 30))
    if upholster is not None:
        rows.append((product, step + 2, "UPHOL1", upholster, 0))
    return rows


def slowest_work(product: str, quantity: int) -> int:
    """Minutes an order needs on the slowest eligible machine of each step."""
    by_step: dict[int, int] = {}
    for _, step, _, per_unit, fixed in _routing_rows(product):
        by_step[step] = max(by_step.get(step, 0), fixed + quantity * per_unit)
    return sum(by_step.values())


def deadline_of(product: str, quantity: int, release: int) -> int:
    """A generous hard deadline, rounded up to the end of a working day.

    Release + 3 × the order's work on the slowest machines + every setup time
    of the plant: enough to run this order first everywhere even after the
    longest changeovers.
    """
    all_setups = sum(row[3] for row in SETUPS)
    latest = release + 3 * slowest_work(product, quantity) + all_setups
    return math.ceil(latest / DAY) * DAY


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    orders: list[tuple[Cell, ...]] = []
    for order_id, product, quantity, release_day, due_day, weight, hard in ORDERS:
        release, due = release_day * DAY, due_day * DAY
        deadline = max(due + 2 * DAY, deadline_of(product, quantity, release)) if hard else None
        orders.append((order_id, product, quantity, due, release, weight, deadline))
    routings = [row for product, _ in PRODUCTS for row in _routing_rows(product)]
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight", "deadline"), orders),
        "products.csv": csv_text(
            ("product", "family", "mode"),
            [(product, family, "one-off") for product, family in PRODUCTS]),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time"), routings),
        "setups.csv": csv_text(("machine", "from", "to", "time", "cost"), SETUPS),
    }
