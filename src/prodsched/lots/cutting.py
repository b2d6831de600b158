"""Cutting a product's demand into lots (pure functions).

A product made in lots (batch or mass) serves its orders first-in-first-out
by due date: the orders are laid end to end on a line of units, and lots are
consecutive pieces of that line. A lot's allocations are the orders its piece
overlaps; units beyond the demand (forced by min_lot or lot_multiple) go to
``STOCK`` and only ever in the last lot, which is then the smallest lot size
allowed for its ordered units.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction

from prodsched.lots.lot import STOCK, Lot
from prodsched.plant.model import Mode, Order, Product

INF = math.inf


def fifo_orders(orders: Sequence[Order]) -> list[Order]:
    """Orders in the sequence lots serve them: due date, then release, then file order."""
    indexed = list(enumerate(orders))
    indexed.sort(key=lambda p: (p[1].due if p[1].due is not None else INF, p[1].release, p[0]))
    return [o for _, o in indexed]


def smallest_lot(units: int, product: Product) -> int:
    """The smallest allowed lot size holding ``units`` ordered units."""
    low, _ = product.lot_size_range()
    k = product.lot_multiple
    return max(low, math.ceil(units / k) * k)


def allocate(orders: Sequence[Order], sizes: Sequence[int]) -> list[tuple[tuple[str, int], ...]]:
    """Allocations of consecutive lots of ``sizes`` over ``orders`` (FIFO).

    Units past the last order go to ``STOCK``.
    """
    out = []
    bounds = []
    position = 0
    for o in orders:
        bounds.append((position, position + o.quantity, o.order_id))
        position += o.quantity
    start = 0
    for size in sizes:
        end = start + size
        alloc = [(oid, min(end, b) - max(start, a)) for a, b, oid in bounds
                 if a < end and b > start]
        surplus = end - max(start, position)
        if surplus > 0:
            alloc.append((STOCK, surplus))
        out.append(tuple(alloc))
        start = end
    return out


def cut(demand: int, product: Product, wanted: Sequence[int], max_lots: int) -> list[int]:
    """Lot sizes covering ``demand`` units, cutting near the ``wanted`` positions.

    Each cut is moved to the next allowed size (multiple, within min/max);
    at most ``max_lots`` lots (the closest cuts are dropped first; when
    max_lot keeps neighbours from merging, no cut is kept), unless max_lot
    itself needs more; the last lot is the smallest size holding what is left.
    """
    low, high = product.lot_size_range()
    k = product.lot_multiple
    cuts = sorted({c for c in wanted if 0 < c < demand})
    sizes: list[int] = []
    start = 0
    for c in cuts:
        size = math.ceil((c - start) / k) * k
        size = max(size, low)
        if high is not None:
            size = min(size, high)
        if start + size >= demand:
            break
        sizes.append(size)
        start += size
    while True:
        rest = demand - start
        if high is not None and rest > high:
            sizes.append(high)
            start += high
            continue
        sizes.append(smallest_lot(rest, product))
        break
    sizes = _merge_to(sizes, demand, product, max_lots)
    if len(sizes) > max_lots and cuts:
        # neighbours too big to merge under max_lot: cut as few lots as possible
        return cut(demand, product, [], max_lots)
    return sizes


def _merge_to(sizes: list[int], demand: int, product: Product, max_lots: int) -> list[int]:
    """Merge neighbouring lots (smallest pair first) until at most ``max_lots``."""
    _, high = product.lot_size_range()
    while len(sizes) > max_lots:
        best = None
        for i in range(len(sizes) - 1):
            merged = sizes[i] + sizes[i + 1]
            if high is not None and merged > high:
                continue
            if best is None or merged < sizes[best] + sizes[best + 1]:
                best = i
        if best is None:
            break  # the maximum lot size forbids fewer lots
        sizes[best:best + 2] = [sizes[best] + sizes[best + 1]]
        if best + 1 == len(sizes):  # the last lot changed: keep it minimal
            before = sum(sizes[:-1])
            sizes[-1] = smallest_lot(demand - before, product)
    return sizes


def order_boundaries(orders: Sequence[Order]) -> list[int]:
    """Cumulative unit positions where each order ends."""
    out, position = [], 0
    for o in orders:
        position += o.quantity
        out.append(position)
    return out


def due_window_boundaries(orders: Sequence[Order], window: Fraction | int) -> list[int]:
    """Order boundaries where the next order's due date is more than ``window`` later."""
    out, position = [], 0
    for a, b in itertools.pairwise(orders):
        position += a.quantity
        due_a = a.due if a.due is not None else INF
        due_b = b.due if b.due is not None else INF
        if due_b - due_a > window or b.release > a.release + window:
            out.append(position)
    return out


def make_lots(product: Product, mode: Mode, orders: Sequence[Order], sizes: Sequence[int],
              prefix: str) -> list[Lot]:
    """:class:`Lot` objects for consecutive ``sizes`` over FIFO ``orders``."""
    by_id = {o.order_id: o for o in orders}
    lots = []
    for k, alloc in enumerate(allocate(orders, sizes), start=1):
        served = [by_id[oid] for oid, _ in alloc if oid != STOCK]
        dues = [o.due for o in served if o.due is not None]
        deadlines = [o.deadline for o in served if o.deadline is not None]
        lots.append(Lot(
            lot_id=f"{prefix}{k}", product=product.name, mode=mode, allocations=alloc,
            release=max((o.release for o in served), default=0),
            due=min(dues) if dues else None,
            deadline=min(deadlines) if deadlines else None))
    return lots
