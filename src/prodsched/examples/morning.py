"""``morning``: re-planning at 08:00 around work already started (fixed.csv, plant.csv now).

The tiny plant's cutter ``M1`` and press ``M2`` one morning. Times are
minutes from midnight; ``plant.csv`` says ``now`` is 480 (08:00).
``fixed.csv`` holds what the last plan started before 08:00, as
``prodsched freeze`` writes it: lot ``A#1`` was cut (06:40-07:25) and
pressed (07:25-07:45); the cutter was set up for ``B`` and lot ``B#1`` has
been cutting since 07:30 — its pressing step is still to plan. The other
orders came in yesterday; ``O6`` is a rush order that arrived at 08:00 (due
09:00, weight 3). A schedule keeps the fixed rows exactly, starts nothing
else before 08:00, and after ``B#1`` the cutter is set up for ``B`` (the
changeover to the next product counts from there).

See docs/replanning.md ("Planning every morning") for the freeze → solve
``--previous`` workflow that writes such files.
"""

from __future__ import annotations

from prodsched.generate.csvtext import csv_text

DESCRIPTION = ("re-planning at 08:00 around started work: fixed.csv and plant.csv now "
               "(numbers), a rush order")


def files() -> dict[str, str]:
    """The plant's CSV files, file name → text."""
    orders = [
        # order_id, product, quantity, due, release, weight
        ("O1", "A", 20, 500, 0, 1),
        ("O2", "B", 10, 600, 0, 1),
        ("O3", "C", 5, 620, 0, 1),
        ("O4", "A", 15, 720, 0, 1),
        ("O5", "B", 12, 800, 0, 1),
        ("O6", "C", 6, 540, 480, 3),
    ]
    products = [("A", "X", "batch"), ("B", "X", "batch"), ("C", "Y", "one-off")]
    routings = [
        # product, step, machine, time_per_unit, fixed_time
        ("A", 1, "M1", 2, 5),
        ("A", 2, "M2", 1, 0),
        ("B", 1, "M1", 1.5, 0),
        ("B", 2, "M2", 2, 5),
        ("C", 1, "M1|M2", 3, 0),
    ]
    setups = [("M1", "X", "Y", 10, 0), ("M1", "Y", "X", 15, 0), ("*", "A", "B", 5, 0)]
    fixed: list[tuple[str | int | None, ...]] = [
        # machine, kind, lot, product, mode, step, quantity, orders, start, end
        ("M1", "run", "A#1", "A", "batch", 1, 20, "O1:20", 400, 445),
        ("M1", "setup", "B#1", "B", None, None, None, None, 445, 450),
        ("M1", "run", "B#1", "B", "batch", 1, 10, "O2:10", 450, 465),
        ("M2", "run", "A#1", "A", "batch", 2, 20, "O1:20", 445, 465),
    ]
    return {
        "orders.csv": csv_text(
            ("order_id", "product", "quantity", "due", "release", "weight"), orders),
        "products.csv": csv_text(("product", "family", "mode"), products),
        "routings.csv": csv_text(
            ("product", "step", "machine", "time_per_unit", "fixed_time"), routings),
        "setups.csv": csv_text(("machine", "from", "to", "time", "cost"), setups),
        "fixed.csv": csv_text(("machine", "kind", "lot", "product", "mode", "step", "quantity",
                               "orders", "start", "end"), fixed),
        "plant.csv": csv_text(("now",), [(480,)]),
    }
