"""What the lot-sizing model plans: items, their demand over buckets, and where
their lots can run.

An item is a product made in lots (batch, mass, auto: lots may merge and split
orders) or a single one-off order (made whole, once). Lots are planned at the
item's first routing step; later steps follow in the timed expansion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from prodsched.lots.cutting import fifo_orders
from prodsched.lotsizing.grid import BucketGrid
from prodsched.plant.model import Mode, Order, Plant, Product, RoutingOption, Step


@dataclass(frozen=True)
class Item:
    """A unit of lot planning.

    Parameters
    ----------
    name
        The product's name, or the order's id for a one-off order.
    product
        The product made.
    orders
        The orders it serves, first-in-first-out.
    one_off
        True for a one-off order: one lot of exactly its quantity.
    options
        The eligible machines of its first routing step.
    lead_times
        Per order, the time its units need after the first step (the fastest
        run of each later step): the first step must end that much before
        the due date.
    """

    name: str
    product: Product
    orders: tuple[Order, ...]
    one_off: bool
    options: tuple[RoutingOption, ...]
    lead_times: tuple[int, ...] = ()

    @property
    def demand(self) -> int:
        """Units ordered."""
        return sum(o.quantity for o in self.orders)

    def surplus_allowance(self) -> int:
        """Most units beyond demand that lot rules may force."""
        if self.one_off:
            return 0
        low, _ = self.product.lot_size_range()
        return max(low, self.product.lot_multiple) - 1

    def cumulative(self, grid: BucketGrid, what: str) -> list[int]:
        """Units due (``due``), under hard deadline (``deadline``) or released
        (``release``) by the end of each bucket."""
        per = [0] * grid.count
        leads = self.lead_times or (0,) * len(self.orders)
        for o, lead in zip(self.orders, leads, strict=True):
            if what == "due":
                b = grid.due_bucket(o.due - lead) if o.due is not None else grid.count - 1
            elif what == "deadline":
                if o.deadline is None:
                    continue
                b = grid.due_bucket(o.deadline - lead)
            else:
                b = min(grid.count - 1, grid.release_bucket(o.release))
            per[max(b, 0)] += o.quantity
        out, total = [], 0
        for units in per:
            total += units
            out.append(total)
        return out

    def backlog_rate(self, grid: BucketGrid, weighted: bool) -> Fraction:
        """Cost of one unit one bucket late: the bucket's length times the
        orders' weight per unit (1 per order when not ``weighted``)."""
        weights = sum((o.weight if weighted else Fraction(1)) for o in self.orders)
        return Fraction(grid.length) * weights / max(1, self.demand)


def plan_items(plant: Plant) -> list[Item]:
    """The items of a plant: one per product made in lots, one per one-off order."""
    by_product: dict[str, list[Order]] = {}
    for order in plant.orders:
        by_product.setdefault(order.product, []).append(order)
    items = []
    for name, orders in by_product.items():
        product = plant.products[name]
        steps = plant.routings[name]
        options = steps[0].options
        if product.mode is Mode.ONE_OFF:
            for o in orders:
                items.append(Item(o.order_id, product, (o,), True, options,
                                  (lead_time(steps, o),)))
        else:
            fifo = tuple(fifo_orders(orders))
            items.append(Item(name, product, fifo, False, options,
                              tuple(lead_time(steps, o) for o in fifo)))
    return items


def lead_time(steps: tuple[Step, ...], order: Order) -> int:
    """Time an order's units need after the first step: the fastest run of each later step."""
    return sum(min(opt.duration(order.quantity) for opt in s.options) for s in steps[1:])


def max_units(item: Item, option: RoutingOption, capacity: int) -> int:
    """Most units of ``item`` one lot on ``option`` can make within ``capacity``."""
    if item.one_off:
        return item.demand
    _, high = item.product.lot_size_range()
    ceiling = item.demand + item.surplus_allowance()
    if option.time_per_unit > 0:
        fits = math.floor((capacity - option.fixed_time) / option.time_per_unit)
        ceiling = min(ceiling, max(0, fits))
    if high is not None:
        ceiling = min(ceiling, high)
    k = item.product.lot_multiple
    return (ceiling // k) * k
