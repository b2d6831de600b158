"""``bottling``: a soft-drink line, few products in large volumes, long flushes.

The plant
    Two syrup blending tanks (``SYRUP1|SYRUP2``), a high-speed filler
    (``FILL1``, 50 bottles a minute) and an older one (``FILL2``, about 33 a
    minute, a separate routing row), and two packing lines (``PACK1|PACK2``,
    cases of 24 and shrink wrap). The plant runs around the clock, so there is
    no calendar.

Products
    Four drinks in two families: ``cola`` and ``cola_zero`` (family ``cola``,
    the big sellers, ``mass`` mode: long campaigns whose bottles flow on to
    packing while filling goes on) and ``lemonade`` and ``orange_soda``
    (family ``citrus``, ``batch``). Lots are whole cases (``lot_multiple``
    24): 2,400–24,000 bottles for colas, 1,200–12,000 for citrus drinks. A
    small holding cost per bottle and minute.

Changeovers (setups.csv)
    A 30-minute ``*`` default; 20–25 minutes within a family; a full flush of
    120 minutes from cola to citrus (the cola flavour lingers) and 90 back;
    45 minutes from ``cola`` to ``cola_zero`` (an exact product pair: no
    sugar may carry over). The packing lines only change labels: 15 minutes
    whatever the drinks (a machine rule beats the family rules). The fillers
    and tanks start set up (``initial_state``) for cola on ``FILL1`` and
    ``SYRUP1``, citrus on ``FILL2`` and lemonade on ``SYRUP2``.

Orders and time
    40 distributor orders of 1,200 to about 19,000 bottles (mostly whole
    pallets of 1,200), released over the first two days and due one to four
    days later; a few retail chains weigh 3. Times are numbers (minutes). The
    orders are drawn once from a fixed seed and written the same every time.

The trade-off
    Long campaigns of one family on each filler save hours of flushing and
    setup cost but hold stock and make the other family's orders wait: the
    optimizer must size and sequence the campaigns against the due dates.
"""

from __future__ import annotations

import random

from prodsched.generate.csvtext import Cell, csv_text

DESCRIPTION = (
    "40 high-volume orders of 4 drinks in 2 families: mass and batch modes, "
    "long flushes between families, initial states (numbers)"
)

SEED = 20260302
PALLET = 1200  # bottles on a pallet (50 cases of 24)

# product, family, mode, min_lot, max_lot, lot_multiple, holding_cost
PRODUCTS: list[tuple[str, str, str, int, int, int, float]] = [
    ("cola", "cola", "mass", 2400, 24000, 24, 0.00002),
    ("cola_zero", "cola", "mass", 2400, 24000, 24, 0.00002),
    ("lemonade", "citrus", "batch", 1200, 12000, 24, 0.00003),
    ("orange_soda", "citrus", "batch", 1200, 12000, 24, 0.00003),
]

# product → (share of the orders, pallets per order from, to)
DEMAND: dict[str, tuple[float, int, int]] = {
    "cola": (0.40, 3, 16),
    "cola_zero": (0.25, 2, 10),
    "lemonade": (0.20, 1, 6),
    "orange_soda": (0.15, 1, 5),
}

SETUPS: list[tuple[str, str, str, int, int]] = [
    # machine, from, to, time, cost
    ("*", "*", "*", 30, 50),
    ("*", "cola", "cola", 20, 30),
    ("*", "citrus", "citrus", 25, 30),
    ("*", "cola", "citrus", 120, 400),
    ("*", "citrus", "cola", 90, 300),
    ("*", "cola", "cola_zero", 45, 80),
    ("PACK1", "*", "*", 15, 10),
    ("PACK2", "*", "*", 15, 10),
]

MACHINES: list[tuple[str, str | None]] = [
    ("SYRUP1", "cola"),
    ("SYRUP2", "lemonade"),
    ("FILL1", "cola"),
    ("FILL2", "citrus"),
    ("PACK1", None),
    ("PACK2", None),
]


def _routings() -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for product, *_ in PRODUCTS:
        rows += [
            (product, 1, "SYRUP1|SYRUP2", 0.002, 40),
            (product, 2, "FILL1", 0.02, 15),
            (product, 2, "FILL2", 0.03, 15),
            (product, 3, "PACK1|PACK2", 0.015, 10),
        ]
    return rows


def _pick_product(draw: float) -> str:
    """The product whose share interval holds ``draw`` (uniform in [0, 1))."""
    cumulative = 0.0
    for product, (share, _, _) in DEMAND.items():
        cumulative += share
        if draw < cumulative:
            return product
    return product


def _orders() -> list[tuple[Cell, ...]]:
    """40 orders drawn from a fixed seed: product by share, whole pallets mostly."""
    rng = random.Random(SEED)
    orders: list[tuple[Cell, ...]] = []
    for number in range(1, 41):
        product = _pick_product(rng.random())
        _, low, high = DEMAND[product]
        quantity = rng.randint(low, high) * PALLET
        if rng.random() < 0.2:  # a part pallet, in whole cases
            quantity += rng.randint(1, 49) * 24
        release = 0 if number <= 6 else rng.randint(0, 96) * 30  # first two days
        due = (release // 60 + rng.randint(24, 96)) * 60  # one to four days later
        weight = 3 if rng.random() < 0.15 else 1
        orders.append((f"D{number:02d}", product, quantity, due, release, weight))
    return orders


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), _orders()),
        "products.csv": csv_text(
            ("product", "family", "mode", "min_lot", "max_lot", "lot_multiple", "holding_cost"),
            PRODUCTS),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time"), _routings()),
        "machines.csv": csv_text(("machine", "initial_state"), MACHINES),
        "setups.csv": csv_text(("machine", "from", "to", "time", "cost"), SETUPS),
    }
