"""``crews``: four injection moulding machines, one setup crew, three operators.

The plant
    Four injection moulding machines (``IM1`` to ``IM4``) make plastic parts
    to order. Each part can run on two of them: caps on ``IM1|IM2``, lids on
    ``IM2|IM3``, clips on ``IM3|IM4``, trays on ``IM4|IM1``; a cycle takes
    0.2 to 0.3 minutes a part, plus 10 minutes to start up. The plant runs
    around the clock, so there is no calendar.

Products
    Twelve parts in four families (``cap``, ``lid``, ``clip``, ``tray``), in
    three colours each, every one made to order (``one-off``: each order is its
    own lot, so changeovers are frequent).

Changeovers (setups.csv)
    A colour change within a family takes 30 minutes, a mould change between
    families 60. Every changeover is done by the one ``setup_crew``
    (resources.csv, capacity 1): while it changes a mould on one machine, a
    machine that needs a changeover elsewhere waits for it.

Operators (resources.csv)
    Every run holds one ``operator`` of a pool of 3 (routings.csv
    ``resources``): at most three of the four machines run at once, which is
    why the machines have the time to wait for the crew.

Orders and time
    24 orders of 100 to 300 parts, half released at once, the others over the
    first four hours, each due three to nine hours after its release; a few
    weigh 2. Times are numbers (minutes).
    The orders are drawn once from a fixed seed and written the same every
    time.

The trade-off
    With one crew the changeovers queue for it: setups are staggered, some
    machines stand idle waiting, and orders finish later than the machines
    and operators alone would allow. ``prodsched compare-resources crews --resource
    setup_crew --capacity 1,2,3`` shows what a second or a third crew would
    buy.
"""

from __future__ import annotations

import random

from prodsched.generate.csvtext import Cell, csv_text

DESCRIPTION = (
    "24 one-off orders on 4 moulding machines, one setup crew for every changeover and "
    "3 operators for the runs: shared resources (numbers)"
)

SEED = 20260321

# family → its two eligible machines and its cycle time (minutes a part)
FAMILIES: dict[str, tuple[str, float]] = {
    "cap": ("IM1|IM2", 0.2),
    "lid": ("IM2|IM3", 0.25),
    "clip": ("IM3|IM4", 0.2),
    "tray": ("IM4|IM1", 0.3),
}
COLOURS = ("white", "black", "red")
START_UP = 10
COLOUR_CHANGE, MOULD_CHANGE = 30, 60
CREWS, OPERATORS = 1, 3


def _products() -> list[tuple[Cell, ...]]:
    return [(f"{family}_{colour}", family, "one-off")
            for family in FAMILIES for colour in COLOURS]


def _routings() -> list[tuple[Cell, ...]]:
    return [(f"{family}_{colour}", 1, machines, cycle, START_UP, "operator")
            for family, (machines, cycle) in FAMILIES.items() for colour in COLOURS]


def _orders() -> list[tuple[Cell, ...]]:
    """24 orders drawn from a fixed seed: part, parts (in fifties), release, due, weight."""
    rng = random.Random(SEED)
    products = [p for p, _, _ in _products()]
    orders: list[tuple[Cell, ...]] = []
    for number in range(1, 25):
        product = products[(number - 1) % len(products)] if number <= 12 else rng.choice(products)
        quantity = rng.randint(2, 6) * 50
        release = 0 if number <= 12 else rng.randint(0, 8) * 30
        due = release + rng.randint(6, 18) * 30
        weight = 2 if rng.random() < 0.2 else 1
        orders.append((f"C{number:02d}", product, quantity, due, release, weight))
    return orders


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), _orders()),
        "products.csv": csv_text(("product", "family", "mode"), _products()),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time", "resources"),
            _routings()),
        "setups.csv": csv_text(
            ("machine", "from", "to", "time", "cost", "resources"),
            [("*", "*", "*", MOULD_CHANGE, 0, "setup_crew"),
             *(("*", family, family, COLOUR_CHANGE, 0, "setup_crew") for family in FAMILIES)]),
        "resources.csv": csv_text(("resource", "capacity"),
                                  [("setup_crew", CREWS), ("operator", OPERATORS)]),
    }
