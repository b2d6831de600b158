"""From a bucket plan to a timed, Gantt-ready schedule.

The plan says which lots run on which machine in which bucket, in which
order. Expanding it:

1. each item's planned lots, in bucket and position order, serve its orders
   first-in-first-out; a lot left with no ordered units is dropped and the
   last lot shrinks to the smallest size holding its ordered units (so
   surplus goes to STOCK only where lot rules force it);
2. every machine runs its planned lots in that order, each as early as its
   bucket, its orders' releases, the changeover and the calendar allow
   (:class:`~prodsched.timeline.shop.Shop`);
3. later routing steps follow, lot by lot in the order their first steps
   end, each on the eligible machine where it finishes first
   (:func:`prodsched.timeline.dispatch`).

The schedule keeps every rule of the plant format; where a bucket's plan does
not fit around calendar downtime, its lots run later.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from prodsched.lots.cutting import allocate, make_lots, smallest_lot
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import STOCK, Lot
from prodsched.lotsizing.grid import BucketGrid
from prodsched.lotsizing.items import Item
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.rules import rank_rule
from prodsched.timeline.shop import Shop
from prodsched.timeline.steps import LotState, Routes, place_chain


@dataclass(frozen=True)
class PlannedLot:
    """One lot of the plan (before expansion)."""

    bucket: int
    machine: str
    item: Item
    quantity: int
    position: int


@dataclass(frozen=True)
class ExpandedLot:
    """A planned lot with the :class:`Lot` it became."""

    planned: PlannedLot
    lot: Lot


def lot_mode(item: Item) -> Mode:
    """The mode a lot of the item runs in (auto products run as batches)."""
    if item.one_off:
        return Mode.ONE_OFF
    return Mode.BATCH if item.product.mode is Mode.AUTO else item.product.mode


def item_lots(item: Item, planned: list[PlannedLot]) -> list[ExpandedLot]:
    """The lots of one item, serving its orders in plan order."""
    if item.one_off:
        (lot,) = order_lots(item.orders[0], item.product, Mode.ONE_OFF)
        return [ExpandedLot(planned[0], lot)]
    sizes = [p.quantity for p in planned]
    kept: list[int] = []
    for k, alloc in enumerate(allocate(item.orders, sizes)):
        if any(oid != STOCK for oid, _ in alloc):
            kept.append(k)
    sizes = [sizes[k] for k in kept]
    ordered = item.demand - sum(sizes[:-1])
    sizes[-1] = smallest_lot(ordered, item.product)
    lots = make_lots(item.product, lot_mode(item), item.orders, sizes, f"{item.name}#")
    return [ExpandedLot(planned[k], lot) for k, lot in zip(kept, lots, strict=True)]


def expand(plant: Plant, plan: list[PlannedLot], grid: BucketGrid, setups: SetupTable
           ) -> tuple[list[ExpandedLot], list[PlacedOp]]:
    """The lots a plan makes and their timed operations."""
    by_item: dict[str, list[PlannedLot]] = defaultdict(list)
    for p in plan:
        by_item[p.item.name].append(p)
    expanded: list[ExpandedLot] = []
    for planned in by_item.values():
        planned.sort(key=lambda p: (p.bucket, p.position, p.machine))
        expanded.extend(item_lots(planned[0].item, planned))
    shop = Shop(plant, setups)
    routes = Routes.of(plant)
    placed: list[PlacedOp] = []
    states: dict[str, LotState] = {}
    for e in sorted(expanded, key=lambda e: (e.planned.bucket, e.planned.position,
                                             e.planned.machine)):
        lot, p = e.lot, e.planned
        state = LotState()
        numbers = routes.numbers(lot.product)
        # the planned run, with the later steps that may not wait for it
        chain = place_chain(shop, routes, lot, state, routes.chain_end(lot.product, 0),
                            only=p.machine, ready=grid.window(p.bucket)[0])
        placed += [Shop.placed(lot, numbers[k], placement)
                   for k, (placement, _) in enumerate(chain)]
        states[lot.lot_id] = state
    lots = [e.lot for e in expanded]
    order = sorted(range(len(lots)), key=lambda i: (states[lots[i].lot_id].prev_end or 0, i))
    placed += dispatch(plant, setups, lots, rank_rule(order, whole_lot=True), shop=shop,
                       states=states)
    return expanded, placed


def plan_rows(expanded: list[ExpandedLot]) -> list[dict[str, object]]:
    """Rows of plan.csv: bucket, machine, product, quantity, position, and the
    lot's id in schedule.csv."""
    rows = []
    for e in sorted(expanded, key=lambda e: (e.planned.bucket, e.planned.machine,
                                             e.planned.position)):
        p = e.planned
        rows.append({"bucket": p.bucket, "machine": p.machine, "product": e.lot.product,
                     "quantity": e.lot.quantity, "position": p.position, "lot": e.lot.lot_id})
    return rows
