"""Lot windows: windows whose CP-SAT model sizes lots as well as sequencing them.

The lot moves (:mod:`prodsched.lns.lot_moves`) change sizes by rule (shift a
cut to the next order, merge two lots, split one) and re-time everything
else around the change. A lot window lets CP-SAT choose instead: it takes
two or three neighbouring lots of one product (pieces of its first-in,
first-out line of units, :class:`~prodsched.lns.lot_moves.ProductLine`),
frees every run on their machines from the first of their steps to the last
(and a few runs either side), and hands the units they held to slot lots
(:class:`~prodsched.jobshop.window.Resize`): one slot more than there were
lots, so the model may split, merge, move units between the lots and
re-sequence them with their neighbours in one solve, as the full model sizes
the lots of a small plant.

Which lots: half the time those that cost most (late, or held long before
their due dates, :func:`~prodsched.lns.lot_moves.costly_lots`), else drawn
at random.
"""

from __future__ import annotations

import random
from dataclasses import replace

from prodsched.jobshop.window import Resize
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lot_moves import ProductLine, costly_lots, fresh_id, product_lines
from prodsched.lns.state import Indexed
from prodsched.lns.window import Window
from prodsched.lots.lot import STOCK
from prodsched.lots.plan import SlotGroup
from prodsched.plant.model import Order, Plant

# Runs freed either side of the lots' runs on each machine.
PAD = 3
# Share of lot windows aimed at the lots that cost most; the rest are drawn at random.
AIMED_SHARE = 0.5


def lot_window(plant: Plant, state: Indexed, evaluator: Evaluator, rng: random.Random,
               size: int) -> tuple[Window, Resize] | None:
    """A window of at most ``size`` runs that resizes neighbouring lots of a product
    (``None``: no product's lots are pieces of its line, or none fits)."""
    lines = product_lines(plant, state.lots, state.ops)
    if not lines:
        return None
    where = {lot_id: (name, k) for name, line in lines.items()
             for k, lot_id in enumerate(line.lot_ids)}
    aimed = [lot_id for lot_id in costly_lots(state, evaluator) if lot_id in where]
    if aimed and rng.random() < AIMED_SHARE:
        name, at = where[aimed[rng.randrange(min(len(aimed), 5))]]
    else:
        name, at = where[rng.choice(sorted(where))]
    return window_around(plant, state, lines[name], at, size)


def window_around(plant: Plant, state: Indexed, line: ProductLine, at: int, size: int
                  ) -> tuple[Window, Resize] | None:
    """A window of at most ``size`` runs resizing lot ``at`` of ``line`` with its
    neighbours on the line: both, the later one, the earlier one, or none, the first
    that fits (``None``: not even the lot alone fits)."""
    position = {k: i for seq in state.by_machine.values() for i, k in enumerate(seq)}
    ranges = [(at - 1, at + 2), (at, at + 2), (at - 1, at + 1), (at, at + 1)]
    for first, end in ranges:
        if first < 0 or end > len(line.lot_ids):
            continue
        segments = _segments(state, position, line.lot_ids[first:end])
        if sum(j - i for i, j in segments.values()) <= size:
            return Window("lots", segments), resize_of(plant, state, line, first, end)
    return None


def _segments(state: Indexed, position: dict[int, int], lot_ids: tuple[str, ...]
              ) -> dict[str, tuple[int, int]]:
    """Per machine, the runs from the lots' first to their last, and PAD either side."""
    spans: dict[str, tuple[int, int]] = {}
    for lot_id in lot_ids:
        for k in state.by_lot[lot_id]:
            machine, at = state.ops[k].machine, position[k]
            low, high = spans.get(machine, (at, at))
            spans[machine] = (min(low, at), max(high, at))
    return {m: (max(0, low - PAD), min(len(state.by_machine[m]), high + 1 + PAD))
            for m, (low, high) in spans.items()}


def resize_of(plant: Plant, state: Indexed, line: ProductLine, first: int, end: int) -> Resize:
    """Lots ``first:end`` of ``line`` as slot lots over the units they hold, one slot
    more than there are lots."""
    lots = {lot.lot_id: lot for lot in state.lots}
    lot_ids = line.lot_ids[first:end]
    units: dict[str, int] = {}
    for lot_id in lot_ids:
        for order_id, count in lots[lot_id].allocations:
            if order_id != STOCK:
                units[order_id] = units.get(order_id, 0) + count
    orders: tuple[Order, ...] = tuple(replace(plant.order_by_id[o], quantity=q)
                                      for o, q in units.items())
    group = SlotGroup(line.product, line.mode, orders, len(lot_ids) + 1)
    taken = {lot.lot_id for lot in state.lots}
    extra = fresh_id(lot_ids[-1], taken)
    return Resize(group, lot_ids, (*lot_ids, extra), exact=end < len(line.lot_ids))
