"""Lot moves: the large-plant search re-chooses lot sizes, not only sequences.

The large-plant route cuts lots once, before scheduling (:mod:`prodsched.lns.lots`),
and its CP-SAT windows move and re-sequence those lots but cannot resize them.
Yet lot sizes decide holding cost (a lot that also makes a far-off order holds
those units) and lateness (a big lot ends late), and the number of lots decides
how many changeovers there are. The moves here change the sizes.

A product made in lots serves its orders first-in-first-out by due date
(:mod:`prodsched.lots.cutting`): its lots are consecutive pieces of one line of
units, so a lot plan of a product is its list of piece sizes. A move changes
that list and keeps every machine sequence otherwise:

- **shift**: the cut between two neighbouring lots moves to the next order
  boundary before or after it (units move from one lot to its neighbour);
- **merge**: two neighbouring lots become one, run where the earlier one ran
  or where the later one ran (one changeover fewer on each machine they
  share);
- **split**: a lot becomes two, run back to back on its machines (the part
  with the earlier orders is done sooner).

Sizes stay within ``min_lot``, ``max_lot`` and ``lot_multiple``; only the last lot
holds units to ``STOCK``, and it stays the smallest lot for its ordered units. The moved
schedule is timed by the one re-timer (:func:`~prodsched.timeline.retime.retime`,
so calendars, pauses, resources and fixed rows hold); where holding cost counts,
runs of lots that did not change keep at least their end, so a lot the search
delayed towards its due date is not pulled early again. The search keeps a move
only when the exact objective improves.

A product whose lots are not such pieces (a plan given from outside, a lot
with fixed work) is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.state import Indexed
from prodsched.lots.cutting import fifo_orders, make_lots, order_boundaries, smallest_lot
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import open_orders
from prodsched.lots.policies import orders_by_product
from prodsched.plant.model import Mode, Order, Plant, Product
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.stop import NO_STOP, Stop
from prodsched.timeline.retime import retime
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS

# Moves tried per round: about this many operations re-timed in all, within bounds.
OPS_PER_ROUND = 40_000
MIN_MOVES, MAX_MOVES = 2, 12
# Share of a round's moves aimed at the lots that cost most (late or held long);
# the rest are drawn at random.
AIMED_SHARE = 0.5


@dataclass(frozen=True)
class ProductLine:
    """A product's lots as consecutive pieces of its FIFO line of units.

    Parameters
    ----------
    product
        The product.
    mode
        Its lots' mode.
    orders
        Its open orders, first in first out.
    lot_ids
        Its lots, in line order.
    sizes
        Their sizes, in line order.
    """

    product: Product
    mode: Mode
    orders: tuple[Order, ...]
    lot_ids: tuple[str, ...]
    sizes: tuple[int, ...]

    def boundaries(self) -> list[int]:
        """Unit positions where an order ends (cuts that keep an order whole)."""
        return order_boundaries(self.orders)

    def demand(self) -> int:
        """Ordered units on the line."""
        return sum(order.quantity for order in self.orders)

    def sized(self, sizes: list[int]) -> tuple[int, ...] | None:
        """``sizes`` with the last lot the smallest allowed size for the ordered units
        left to it (only it may hold units to ``STOCK``, as in
        :func:`~prodsched.lots.cutting.cut`); ``None`` when a size breaks the lot
        rules or the last lot would hold no ordered unit."""
        left = self.demand() - sum(sizes[:-1])
        if left <= 0:
            return None
        out = (*sizes[:-1], smallest_lot(left, self.product))
        return out if all(self.fits(size) for size in out) else None

    def fits(self, size: int) -> bool:
        """Whether ``size`` is a lot size the product allows."""
        low, high = self.product.lot_size_range()
        return (size >= low and size % self.product.lot_multiple == 0
                and (high is None or size <= high))


@dataclass(frozen=True)
class LotMove:
    """A change of one product's lot sizes.

    Parameters
    ----------
    kind
        ``shift``, ``merge`` or ``split``.
    product
        The product.
    at
        The lot (index in its line) the move is about: the earlier of two
        neighbours for ``shift`` and ``merge``.
    sizes
        The product's new sizes, in line order.
    later
        ``merge``: the merged lot runs where the later lot ran (else where the
        earlier one ran); ``split``: the new lot runs where its due date puts it
        in each machine's sequence (else right after the lot it came from).
    """

    kind: str
    product: str
    at: int
    sizes: tuple[int, ...]
    later: bool = False


def product_lines(plant: Plant, lots: Sequence[Lot], ops: Sequence[PlacedOp]
                  ) -> dict[str, ProductLine]:
    """Every product whose lots are pieces of its FIFO line, by name."""
    fixed_lots = {op.lot.lot_id for op in ops if op.fixed}
    orders = orders_by_product(replace(plant, orders=open_orders(plant)))
    by_product: dict[str, list[Lot]] = {}
    for lot in lots:
        by_product.setdefault(lot.product, []).append(lot)
    out: dict[str, ProductLine] = {}
    for name, mine in by_product.items():
        mode = mine[0].mode
        if (mode is Mode.ONE_OFF or any(lot.mode is not mode for lot in mine)
                or any(lot.lot_id in fixed_lots for lot in mine) or name not in orders):
            continue
        fifo = fifo_orders(orders[name])
        place = {o.order_id: k for k, o in enumerate(fifo)}
        try:
            mine = sorted(mine, key=lambda lot: min(place[o] for o in lot.order_ids))
        except (KeyError, ValueError):  # an order not open, or a lot of stock only
            continue
        sizes = tuple(lot.quantity for lot in mine)
        remade = make_lots(plant.products[name], mode, fifo, sizes, "")
        if [lot.allocations for lot in remade] != [lot.allocations for lot in mine]:
            continue
        out[name] = ProductLine(plant.products[name], mode, tuple(fifo),
                                tuple(lot.lot_id for lot in mine), sizes)
    return out


def moves_of(line: ProductLine, at: int) -> list[LotMove]:
    """Every move about lot ``at`` of ``line`` that keeps the lot rules."""
    sizes = list(line.sizes)
    name = line.product.name
    out: list[LotMove] = []
    ends = [sum(sizes[:i + 1]) for i in range(len(sizes))]
    cuts = line.boundaries()
    k = line.product.lot_multiple
    if at + 1 < len(sizes):
        begin, end = ends[at] - sizes[at], ends[at + 1]
        earlier = [c for c in cuts if begin < c < ends[at]]
        later = [c for c in cuts if ends[at] < c < end]
        options = ([earlier[-1] // k * k] if earlier else []) + \
            ([-(-later[0] // k) * k] if later else [])
        for cut in options:
            shifted = line.sized([*sizes[:at], cut - begin, end - cut, *sizes[at + 2:]])
            if cut != ends[at] and shifted is not None:
                out.append(LotMove("shift", name, at, shifted))
        joined = line.sized([*sizes[:at], sizes[at] + sizes[at + 1], *sizes[at + 2:]])
        if joined is not None:
            out.append(LotMove("merge", name, at, joined))
            out.append(LotMove("merge", name, at, joined, later=True))
    begin, end = ends[at] - sizes[at], ends[at]
    middle = (begin + end) / 2
    inside = sorted((c for c in cuts if begin < c < end), key=lambda c: abs(c - middle))
    for cut in inside[:1]:
        cut = round(cut / k) * k
        split = line.sized([*sizes[:at], cut - begin, end - cut, *sizes[at + 1:]])
        if split is not None:
            out.append(LotMove("split", name, at, split))
            out.append(LotMove("split", name, at, split, later=True))
    return out


def apply_move(plant: Plant, setups: SetupTable, state: Indexed, line: ProductLine,
               move: LotMove, taken: set[str], *, keep_ends: bool
               ) -> list[PlacedOp] | None:
    """The schedule's operations with ``move`` made, re-timed (their lots are the new
    lots); ``None`` when it cannot be timed.

    ``taken`` holds every lot id in use (a split's new lot gets a fresh one);
    with ``keep_ends`` the runs of unchanged lots end no earlier than now.
    """
    ids = list(line.lot_ids)
    at = move.at
    if move.kind == "merge":
        gone = ids[at] if move.later else ids[at + 1]
        ids.remove(gone)
    elif move.kind == "split":
        gone = None
        fresh = fresh_id(ids[at], taken)
        ids.insert(at + 1, fresh)
    else:
        gone = None
    made = make_lots(line.product, line.mode, list(line.orders), move.sizes, "")
    new_lots = {lot_id: replace(lot, lot_id=lot_id) for lot_id, lot in zip(ids, made, strict=True)}
    old = {lot.lot_id: lot for lot in state.lots}
    changed = {lot_id for lot_id, lot in new_lots.items()
               if lot_id not in old or old[lot_id].allocations != lot.allocations}
    ops: list[PlacedOp] = []
    index: dict[int, int] = {}  # old operation → new
    for k, op in enumerate(state.ops):
        lot_id = op.lot.lot_id
        if lot_id == gone:
            continue
        index[k] = len(ops)
        ops.append(replace(op, lot=new_lots[lot_id]) if lot_id in changed else op)
    twins: list[int] = []  # the split's new lot, in routing order
    behind: dict[int, list[int]] = {}  # old operation → new ones right behind it
    if move.kind == "split":
        twin = new_lots[ids[at + 1]]
        chain = state.by_lot[ids[at]]
        anchors = (_due_places(plant, state, chain, twin) if move.later else chain)
        for k, anchor in zip(chain, anchors, strict=True):
            twins.append(len(ops))
            behind.setdefault(anchor, []).append(len(ops))
            ops.append(replace(state.ops[k], lot=twin))
    machines: dict[str, list[int]] = {}
    for machine, seq in state.by_machine.items():
        out: list[int] = []
        for k in seq:
            if k in index:
                out.append(index[k])
            out.extend(behind.get(k, ()))
        machines[machine] = out
    chains = [[index[k] for k in chain] for lot_id, chain in state.by_lot.items()
              if lot_id != gone]
    if twins:
        chains.append(twins)
    min_ends = ({i: ops[i].end for i in range(len(ops)) if ops[i].lot.lot_id not in changed}
                if keep_ends else None)
    timed = retime(plant, setups, ops, machines, chains, adjacent_setups=MODEL_ADJACENT_SETUPS,
                   min_ends=min_ends)
    return timed


def _due_places(plant: Plant, state: Indexed, chain: list[int], twin: Lot) -> list[int]:
    """For each step of a split's new lot, the operation it goes right behind: on the
    machine of the step it came from, the last one that starts before the new lot's
    latest start for its due date (never before the step it came from)."""
    if twin.due is None:
        return list(chain)
    steps = {step.number: step for step in plant.routings[twin.product]}
    runs = [steps[state.ops[k].step].option(state.ops[k].machine) for k in chain]
    tail = 0
    latest: list[float] = []
    for option in reversed(runs):
        assert option is not None
        tail += option.duration(twin.quantity)
        latest.append(float(twin.due) - tail)
    latest.reverse()
    out = []
    for k, target in zip(chain, latest, strict=True):
        seq = state.by_machine[state.ops[k].machine]
        at = seq.index(k)
        while at + 1 < len(seq) and state.ops[seq[at + 1]].start < target:
            at += 1
        out.append(seq[at])
    return out


def fresh_id(base: str, taken: set[str]) -> str:
    """``base.2``, ``base.3``, ...: the first not in ``taken``."""
    k = 2
    while f"{base}.{k}" in taken:
        k += 1
    return f"{base}.{k}"


def costly_lots(state: Indexed, evaluator: Evaluator) -> list[str]:
    """Lots by what their last step costs (:meth:`Evaluator.lot_cost`), most first; those
    that cost nothing left out."""
    cost = {lot_id: evaluator.lot_cost(state.ops[chain[-1]])
            for lot_id, chain in state.by_lot.items()}
    return sorted((lot_id for lot_id, c in cost.items() if c > 0),
                  key=lambda lot_id: -cost[lot_id])


Values = tuple[Fraction, ...]


def move_round(plant: Plant, setups: SetupTable, evaluator: Evaluator, state: Indexed,
               values: Values, rng: random.Random, stop: Stop = NO_STOP
               ) -> tuple[tuple[list[PlacedOp], Values] | None, int]:
    """Try a round of lot moves: the best schedule that improves on ``values``.

    Half of the round's lots are those that cost most (:func:`costly_lots`), the
    others drawn at random; each gets one of its moves (:func:`moves_of`), drawn
    at random. No move starts once ``stop`` says so.

    Returns
    -------
    tuple
        ``((ops, values), tried)`` of the best improving move, ``(None, tried)``
        when none improves; ``tried`` counts the moves re-timed.
    """
    lines = product_lines(plant, state.lots, state.ops)
    if not lines:
        return None, 0
    count = max(MIN_MOVES, min(MAX_MOVES, OPS_PER_ROUND // max(1, len(state.ops))))
    where = {lot_id: (name, k) for name, line in lines.items()
             for k, lot_id in enumerate(line.lot_ids)}
    aimed = [where[lot_id] for lot_id in costly_lots(state, evaluator) if lot_id in where]
    picks: list[tuple[str, int]] = aimed[:int(AIMED_SHARE * count)]
    everything = sorted(where.values())
    while len(picks) < count and everything:
        picks.append(everything[rng.randrange(len(everything))])
    candidates: list[LotMove] = []
    for name, k in picks:
        found = moves_of(lines[name], k)
        if k > 0:  # the cut before the lot moves too
            found += [m for m in moves_of(lines[name], k - 1) if m.kind == "shift"]
        if found:
            candidates.append(found[rng.randrange(len(found))])
    taken = {lot.lot_id for lot in state.lots}
    best: tuple[list[PlacedOp], Values] | None = None
    tried = 0
    for move in candidates:
        if stop.over():
            break
        tried += 1
        moved = apply_move(plant, setups, state, lines[move.product], move, taken,
                           keep_ends=evaluator.counts_holding)
        if moved is None:
            continue
        new = evaluator.values(moved)
        if new < (values if best is None else best[1]) and evaluator.meets_deadlines(moved):
            best = (moved, new)
    return best, tried
