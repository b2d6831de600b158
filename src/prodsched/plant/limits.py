"""Caps on the size of a plant's input, so that a wrong export fails fast and clearly.

A planner's ERP export can be wrong in ways that make it huge: a report of
every order ever placed, a query that repeats each row, a quantity in grams
instead of kilograms with ``max_lot`` still in kilograms. Loading stops with
a clear error at the first cap exceeded, before any memory or time is spent
on it. Every cap can be raised (``prodsched solve --max-orders`` and friends,
or :class:`Limits` in Python).

Times are capped separately, not configurable: every time in a plant lies
within :data:`MAX_SPAN` time units of time 0 (about 1,900 years of minutes),
and so does the whole schedule, so that no computation can overflow.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024

MAX_FILE_BYTES = 50 * MB
MAX_ROWS = 500_000
MAX_ORDERS = 200_000
MAX_MACHINES = 5_000
MAX_LOTS = 200_000

# Every time, and the end of any schedule, lies within this many time units of time 0.
MAX_SPAN = 10**9


@dataclass(frozen=True)
class Limits:
    """Caps on input size; beyond them loading stops with a clear error.

    Parameters
    ----------
    max_file_bytes
        Largest plant file (or workbook) in bytes; checked before it is read.
    max_rows
        Most data rows in one file (or sheet).
    max_orders
        Most orders.
    max_machines
        Most machines (named in machines.csv or routings.csv).
    max_lots
        Most lots the orders need at the least: one per one-off order, and
        ``ceil(demand / max_lot)`` per product made in lots.
    """

    max_file_bytes: int = MAX_FILE_BYTES
    max_rows: int = MAX_ROWS
    max_orders: int = MAX_ORDERS
    max_machines: int = MAX_MACHINES
    max_lots: int = MAX_LOTS


def size_text(n_bytes: int) -> str:
    """A byte count as people read it: ``104,857,600 bytes (100 MB)``, ``20 bytes``."""
    if n_bytes < MB:
        return f"{n_bytes:,} bytes"
    return f"{n_bytes:,} bytes ({n_bytes / MB:.1f} MB)".replace(".0 MB", " MB")
