"""Lots fixed before the model: every order made on its own (split only where
max_lot forces it).

This is the lot policy of one-off production and the baseline that batch and
mass lot sizing must beat.
"""

from __future__ import annotations

import math
from dataclasses import replace

from prodsched.lots.lot import STOCK, Lot
from prodsched.plant.model import Mode, Order, Plant, Product


def split_quantity(quantity: int, product: Product) -> list[int]:
    """Lot sizes that cover ``quantity`` units within the product's lot rules.

    The sizes are as few as the maximum allows; the last one is rounded up to
    the minimum and the multiple, so their sum may exceed ``quantity``.
    """
    low, high = product.lot_size_range()
    k = product.lot_multiple
    if high is None or quantity <= high:
        return [max(low, math.ceil(quantity / k) * k)]
    full, rest = divmod(quantity, high)
    sizes = [high] * full
    if rest:
        sizes.append(max(low, math.ceil(rest / k) * k))
    return sizes


def order_lots(order: Order, product: Product, mode: Mode) -> list[Lot]:
    """The lots that make one order on its own, in the given (resolved) mode."""
    sizes = [order.quantity] if mode is Mode.ONE_OFF else split_quantity(order.quantity, product)
    lots = []
    left = order.quantity
    for i, size in enumerate(sizes, start=1):
        units = min(size, left)
        left -= units
        allocations: tuple[tuple[str, int], ...] = ((order.order_id, units),)
        if size > units:
            allocations += ((STOCK, size - units),)
        lot_id = order.order_id if len(sizes) == 1 else f"{order.order_id}/{i}"
        lots.append(Lot(lot_id, product.name, mode, allocations, order.release, order.due,
                        order.deadline))
    return lots


def resolve_fixed_mode(product: Product) -> Mode:
    """The mode used when every order is made on its own (``auto`` → one-off)."""
    return Mode.ONE_OFF if product.mode is Mode.AUTO else product.mode


def lots_per_order(plant: Plant, modes: dict[str, Mode] | None = None) -> list[Lot]:
    """Every order made on its own: one lot per order (more where max_lot forces it).

    Parameters
    ----------
    plant
        The plant.
    modes
        Resolved mode per product; default: the product's mode, ``auto`` as one-off.
    """
    lots: list[Lot] = []
    for order in plant.orders:
        product = plant.products[order.product]
        mode = (modes or {}).get(product.name) or resolve_fixed_mode(product)
        lots.extend(order_lots(order, product, mode))
    return _unique_ids(lots)


def _unique_ids(lots: list[Lot]) -> list[Lot]:
    seen: set[str] = set()
    out = []
    for lot in lots:
        lot_id, n = lot.lot_id, 1
        while lot_id in seen:
            n += 1
            lot_id = f"{lot.lot_id}~{n}"
        seen.add(lot_id)
        out.append(lot if lot_id == lot.lot_id else replace(lot, lot_id=lot_id))
    return out
