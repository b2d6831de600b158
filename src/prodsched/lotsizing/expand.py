"""From a bucket plan to a timed, Gantt-ready schedule.

The plan says which lots run on which machine in which bucket, in which
order. Expanding it:

1. each item's planned lots, in bucket and position order, serve its orders
   first-in-first-out; a lot left with no ordered units is dropped and the
   last lot shrinks to the smallest size holding its ordered units (so
   surplus goes to STOCK only where lot rules force it);
2. every machine runs its planned lots in that order, each as early as its
   bucket, its orders' releases, the changeover and the calendar allow;
3. later routing steps follow, lot by lot, on the eligible machine where they
   finish first.

The schedule keeps every rule of the plant format; where a bucket's plan does
not fit around calendar downtime, its lots run later.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from prodsched.heuristics.dispatch import LotProgress, best_choice, commit_choice
from prodsched.heuristics.timeline import timelines
from prodsched.lots.cutting import allocate, make_lots, smallest_lot
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import STOCK, Lot
from prodsched.lotsizing.grid import BucketGrid
from prodsched.lotsizing.items import Item
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp


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
    lines = timelines(plant)
    placed: list[PlacedOp] = []
    progress: dict[str, LotProgress] = {}
    for e in sorted(expanded, key=lambda e: (e.planned.bucket, e.planned.position,
                                             e.planned.machine)):
        lot, p = e.lot, e.planned
        option = _option(p.item, p.machine)
        line = lines[p.machine]
        change = setups.between(p.machine, line.state, lot.product)
        duration = option.duration(lot.quantity)
        ready = max(grid.window(p.bucket)[0], lot.release)
        start = line.earliest_start(ready, change.time, duration)
        line.book(start + duration, lot.product)
        step = plant.routings[lot.product][0]
        placed.append(PlacedOp(lot, step.number, p.machine, start, start + duration, change))
        progress[lot.lot_id] = LotProgress(1, start, start + duration, option)
    durations: dict[tuple[RoutingOption, int], int] = {}
    for e in sorted(expanded, key=lambda e: progress[e.lot.lot_id].end):
        lot, prog = e.lot, progress[e.lot.lot_id]
        while prog.step_index < len(plant.routings[lot.product]):
            choice = best_choice(plant, lot, prog, lines, setups, durations)
            placed.append(commit_choice(lot, prog, choice, lines, plant))
    return expanded, placed


def _option(item: Item, machine: str) -> RoutingOption:
    for option in item.options:
        if option.machine == machine:
            return option
    raise ValueError(f"{machine} is not eligible for {item.name}")


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
