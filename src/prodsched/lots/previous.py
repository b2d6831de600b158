"""The lot plan of a re-plan: yesterday's lots keep their ids.

Lots are matched between two plans by lot id, and lots are made from the
orders at every solve, so a re-plan (a plant with
:attr:`~prodsched.plant.model.Plant.previous`) takes its lots from the
previous plan where it can:

1. lots of fixed.csv are pinned (:mod:`prodsched.lots.pinned`), as always;
2. every other lot of the previous plan is **kept** — same id, product, mode,
   quantity and allocations, its orders' current release, due date and
   deadline — when its orders still need those units (taken in the order the
   lots started) and it still respects its product's mode and lot sizes;
   otherwise it is dropped and its units are planned again;
3. the units no kept or pinned lot makes (new orders, grown orders, units of
   dropped lots) are planned as usual for products the previous plan did not
   make; for a product it made, each order's rest becomes lots of its own
   (:func:`~prodsched.lots.fixed.order_lots`, in the mode of the previous
   lots), numbered after the previous lots (``P#7``, ``P#8``, ...) so that no
   new lot takes an old lot's id.

CP-SAT then sequences the kept lots (their sizes are not re-optimised).
"""

from __future__ import annotations

from dataclasses import replace

from prodsched.lots.cutting import fifo_orders
from prodsched.lots.fixed import order_lots
from prodsched.lots.ids import numbered
from prodsched.lots.lot import STOCK, Lot
from prodsched.lots.pinned import open_orders, pinned_work
from prodsched.lots.plan import (
    DEFAULT_EXTRA_SLOTS,
    LotPlan,
    SlotGroup,
    plan_lots,
    resolve_mode,
    slot_count,
)
from prodsched.lots.realize import group_lots
from prodsched.plant.model import FixedRow, Mode, Order, Plant, Product

__all__ = ["plan_with_previous"]


def plan_with_previous(plant: Plant, overrides: dict[str, Mode] | None = None,
                       extra_slots: int = DEFAULT_EXTRA_SLOTS) -> LotPlan:
    """The lot plan of ``plant``, keeping the previous plan's lots (see the module).

    Without a previous plan, :func:`~prodsched.lots.plan.plan_lots`.
    """
    previous = plant.previous
    if previous is None:
        return plan_lots(plant, overrides, extra_slots=extra_slots)
    pinned = pinned_work(plant)
    left = {o.order_id: o.quantity for o in open_orders(plant, pinned)}
    taken = {lot.lot_id for lot in pinned.lots}
    kept: list[Lot] = []
    for row in sorted(previous.lots.values(), key=lambda r: (r.start, r.lot)):
        if row.lot in taken or not _keepable(plant, row, left, overrides):
            continue
        for order_id, units in row.allocations:
            if order_id != STOCK:
                left[order_id] -= units
        kept.append(_lot(plant, row))
        taken.add(row.lot)
    rest = [replace(o, quantity=left[o.order_id]) for o in plant.orders
            if left.get(o.order_id, 0) > 0]
    made_before = {r.product: r.mode for r in previous.lots.values() if r.mode is not None}
    made_before.update({lot.product: lot.mode for lot in pinned.lots})
    own: list[Lot] = []
    for name in dict.fromkeys(o.product for o in rest if o.product in made_before):
        orders = [o for o in rest if o.product == name]
        own += _new_lots(plant, name, orders, _mode(plant.products[name], made_before[name],
                                                    overrides), extra_slots)
    own = numbered(own, taken | set(previous.lots))
    others = replace(plant, orders=tuple(o for o in rest if o.product not in made_before),
                     fixed=(), previous=None)
    plan = (plan_lots(others, overrides, extra_slots=extra_slots) if others.orders
            else LotPlan((), ()))
    return LotPlan((*kept, *own, *plan.fixed), plan.groups, pinned, plan.auto)


def _keepable(plant: Plant, row: FixedRow, left: dict[str, int],
              overrides: dict[str, Mode] | None) -> bool:
    """Whether a previous lot can be made again as it was."""
    product = plant.products.get(row.product)
    if product is None or row.product not in plant.routings or row.mode is None:
        return False
    mode = resolve_mode(product, overrides)
    if mode not in (Mode.AUTO, row.mode):
        return False
    for order_id, units in row.allocations:
        if order_id != STOCK and left.get(order_id, 0) < units:
            return False
    if row.mode is Mode.ONE_OFF:
        (order_id, units), *others = row.allocations
        order = plant.order_by_id.get(order_id)
        return not others and order is not None and units == order.quantity
    low, high = product.lot_size_range()
    quantity = row.quantity or 0
    return (quantity >= low and quantity % product.lot_multiple == 0
            and (high is None or quantity <= high))


def _new_lots(plant: Plant, name: str, orders: list[Order], mode: Mode,
              extra_slots: int) -> list[Lot]:
    """Lots for the open units of a product the previous plan made: one-off, an
    order each; else cut by due-date windows (as a warm start cuts a slot group)."""
    product = plant.products[name]
    if mode is Mode.ONE_OFF:
        return [lot for order in orders for lot in order_lots(order, product, mode)]
    group = SlotGroup(product, mode, tuple(fifo_orders(orders)),
                      slot_count(product, orders, plant, extra_slots))
    return group_lots(group, "due-window", mode)


def _lot(plant: Plant, row: FixedRow) -> Lot:
    """The previous lot, with its orders' current dates."""
    orders = [plant.order_by_id[o] for o, _ in row.allocations if o in plant.order_by_id]
    dues = [o.due for o in orders if o.due is not None]
    deadlines = [o.deadline for o in orders if o.deadline is not None]
    assert row.mode is not None
    return Lot(row.lot, row.product, row.mode, row.allocations,
               release=max((o.release for o in orders), default=0),
               due=min(dues) if dues else None,
               deadline=min(deadlines) if deadlines else None)


def _mode(product: Product, before: Mode, overrides: dict[str, Mode] | None) -> Mode:
    """The mode of new lots of a product the previous plan made (an auto product
    stays in the mode it was made in)."""
    mode = resolve_mode(product, overrides)
    return before if mode is Mode.AUTO else mode
