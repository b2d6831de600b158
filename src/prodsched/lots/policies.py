"""Lot policies: where to cut each product's demand into lots (pure functions).

Used by the heuristic strategies and by the large-plant route.

Every policy respects each product's mode: ``one-off`` products get one lot
per order, always; ``batch`` and ``mass`` products get their demand cut into
lots first-in-first-out by due date (:mod:`prodsched.lots.cutting`), so lot
sizes keep min_lot, max_lot and lot_multiple and surplus goes to ``STOCK``
only in a minimal last lot; ``auto`` products are made as ``mass`` lots (lot
streaming is a relaxation of batch flow, so a heuristic never loses by it).
A policy only says *where* to cut a product's line of units.

Lot ids follow the optimizer's slot names (``P01#1``, ``P01#2``, …) so the
lots of a heuristic can seed CP-SAT.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from prodsched.lots.cutting import cut, fifo_orders, make_lots, order_boundaries
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import Lot
from prodsched.lots.realize import slot_prefix
from prodsched.plant.model import Mode, Order, Plant, Product

# Where to cut a product's demand: (product, its orders FIFO) -> unit positions.
CutPolicy = Callable[[Product, list[Order]], list[int]]


def orders_by_product(plant: Plant) -> dict[str, list[Order]]:
    """Each product's orders in file order (products in order of first order)."""
    out: dict[str, list[Order]] = {}
    for order in plant.orders:
        out.setdefault(order.product, []).append(order)
    return out


def resolved_mode(product: Product, auto_mode: Mode = Mode.MASS) -> Mode:
    """The mode a heuristic makes ``product`` in (``auto`` becomes ``auto_mode``)."""
    return auto_mode if product.mode is Mode.AUTO else product.mode


def product_lots(product: Product, orders: Sequence[Order], mode: Mode,
                 positions: Sequence[int]) -> list[Lot]:
    """A product's lots: per order when one-off, else its demand cut near ``positions``."""
    if mode is Mode.ONE_OFF:
        return [lot for o in orders for lot in order_lots(o, product, Mode.ONE_OFF)]
    fifo = fifo_orders(orders)
    demand = sum(o.quantity for o in fifo)
    sizes = cut(demand, product, positions, max_lots=max(1, demand))
    return make_lots(product, mode, fifo, sizes, slot_prefix(product.name))


def plant_lots(plant: Plant, policy: CutPolicy, auto_mode: Mode = Mode.MASS) -> list[Lot]:
    """Every product's lots under one cutting policy."""
    lots: list[Lot] = []
    for name, orders in orders_by_product(plant).items():
        product = plant.products[name]
        mode = resolved_mode(product, auto_mode)
        positions = [] if mode is Mode.ONE_OFF else policy(product, fifo_orders(orders))
        lots.extend(product_lots(product, orders, mode, positions))
    return lots


def per_order(product: Product, orders: list[Order]) -> list[int]:
    """Cut at every order boundary: each order its own lot where the lot rules allow."""
    return order_boundaries(orders)


def every(size: float) -> Callable[[int], list[int]]:
    """Cut positions every ``size`` units (at least one unit) over a demand."""
    step = max(1.0, size)

    def positions(demand: int) -> list[int]:
        count = math.ceil(demand / step)
        return [round(k * step) for k in range(1, count)]

    return positions


def fixed_size(factor: float) -> CutPolicy:
    """Lots of ``factor`` × the product's mean order quantity."""

    def policy(product: Product, orders: list[Order]) -> list[int]:
        demand = sum(o.quantity for o in orders)
        return every(factor * demand / len(orders))(demand)

    return policy


def of_sizes(sizes: dict[str, float]) -> CutPolicy:
    """Lots of a given quantity per product (products not named: one lot per order)."""

    def policy(product: Product, orders: list[Order]) -> list[int]:
        if product.name not in sizes:
            return per_order(product, orders)
        demand = sum(o.quantity for o in orders)
        return every(sizes[product.name])(demand)

    return policy


def due_windows(starts: Sequence[float]) -> CutPolicy:
    """Cut where an order's due date falls in a later window than its predecessor's.

    ``starts`` are the windows' start times, increasing; orders without a due
    date belong to the last window.
    """

    def window(order: Order) -> int:
        if order.due is None:
            return len(starts)
        return sum(1 for s in starts[1:] if order.due >= s)

    def policy(product: Product, orders: list[Order]) -> list[int]:
        out, position = [], 0
        for a, b in itertools.pairwise(orders):
            position += a.quantity
            if window(b) != window(a):
                out.append(position)
        return out

    return policy
