"""``tiny``: five orders on two machines, for the quick start and fast tests.

A cutter ``M1`` and a press ``M2``. Products ``A`` and ``B`` (family ``X``)
go cutter → press; product ``C`` (family ``Y``) needs one operation that
either machine can do, so it can fill whichever machine is idle. Switching the
cutter between the families takes 10 or 15 minutes and ``A`` → ``B`` needs a
5-minute adjustment everywhere, so grouping ``A`` and ``B`` on the cutter saves
setup time but may make an urgent ``C`` late. Times are numbers (minutes);
every product is ``auto``, except ``C`` which is made to order (``one-off``).
"""

from __future__ import annotations

from prodsched.generate.csvtext import csv_text

DESCRIPTION = "5 orders, 2 machines, 3 products: the smallest plant, for the quick start"


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    orders = [
        # order_id, product, quantity, due, release, weight
        ("O1", "A", 10, 60, 0, 1),
        ("O2", "B", 8, 80, 0, 1),
        ("O3", "C", 5, 50, 10, 2),
        ("O4", "A", 6, 120, 20, 1),
        ("O5", "B", 12, 150, 30, 1),
    ]
    products = [
        # product, family, mode
        ("A", "X", "auto"),
        ("B", "X", "auto"),
        ("C", "Y", "one-off"),
    ]
    routings = [
        # product, step, machine, time_per_unit, fixed_time
        ("A", 1, "M1", 2, 5),
        ("A", 2, "M2", 1, 0),
        ("B", 1, "M1", 1.5, 0),
        ("B", 2, "M2", 2, 5),
        ("C", 1, "M1|M2", 3, 0),
    ]
    setups = [
        # machine, from, to, time, cost
        ("M1", "X", "Y", 10, 0),
        ("M1", "Y", "X", 15, 0),
        ("*", "A", "B", 5, 0),
    ]
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), orders),
        "products.csv": csv_text(("product", "family", "mode"), products),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time"), routings),
        "setups.csv": csv_text(("machine", "from", "to", "time", "cost"), setups),
    }
