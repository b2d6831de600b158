"""Lots of a large plant, fixed before scheduling: orders aggregated by demand point.

A product made in lots (batch, mass, auto) has its orders laid end to end,
first in first out by due date (:mod:`prodsched.lots.cutting`); consecutive
orders whose due dates and releases lie within ``window`` of the first order
of their lot share a lot — one *demand point* — as long as the lot rules allow
(max_lot), and ``min_lot``/``lot_multiple`` are honoured with surplus to
``STOCK`` in a minimal last lot, as everywhere. One-off products keep one lot
per order. Auto products are made as ``mass`` (lot streaming is a
relaxation of batch flow). ``window=0`` gives one lot per order wherever the
lot rules allow it.

So the number of lots, and everything built on them, grows with the demand
points, not with the orders. Units that lots of fixed work (fixed.csv) make
are left out (:func:`prodsched.lots.pinned.open_orders`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Order, Plant, Product


def demand_points(window: float) -> Callable[[Product, list[Order]], list[int]]:
    """A cut policy (see :mod:`prodsched.lots.policies`): cut where an order's
    due date or release is more than ``window`` from the first order of its lot."""

    def policy(product: Product, orders: list[Order]) -> list[int]:
        out: list[int] = []
        position = 0
        first: Order | None = None
        for order in orders:
            if first is not None and not _close(first, order, window):
                out.append(position)
                first = order
            first = first or order
            position += order.quantity
        return out

    return policy


def _close(a: Order, b: Order, window: float) -> bool:
    """Whether ``b`` belongs to the demand point of ``a`` (both without due date, or
    due dates and releases within ``window``)."""
    if a.due is None or b.due is None:
        return a.due is None and b.due is None and abs(b.release - a.release) <= window
    return abs(b.due - a.due) <= window and abs(b.release - a.release) <= window


def aggregated_lots(plant: Plant, window: float | Fraction = 0,
                    modes: dict[str, Mode] | None = None) -> list[Lot]:
    """The plant's lots, orders of one product aggregated within ``window`` time units.

    ``modes`` overrides products' modes (as ``SolveRequest.modes``).
    """
    from prodsched.lots.pinned import open_orders
    from prodsched.lots.policies import plant_lots

    if plant.fixed:
        plant = replace(plant, orders=open_orders(plant))
    if modes:
        products = {name: replace(p, mode=modes.get(name, p.mode))
                    for name, p in plant.products.items()}
        plant = replace(plant, products=products)
    return plant_lots(plant, demand_points(float(window)))

