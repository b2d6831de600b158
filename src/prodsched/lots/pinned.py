"""Work already decided (fixed.csv): the lots it belongs to and what is left to plan.

A fixed run row names its lot, product, mode, quantity and allocations; a lot
keeps them across its steps, so a lot whose first steps are fixed is a
*pinned lot*: its later steps are still to be scheduled, on any eligible
machine, after its fixed ones. A fixed setup row belongs to the fixed run of
its lot on the same machine that follows it.

The orders' units allocated to pinned lots are made by those lots; only the
rest (:func:`open_orders`) is cut into new lots.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction

from prodsched.lots.lot import STOCK, Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import FixedRow, Mode, Order, Plant
from prodsched.plant.setups import Changeover, SetupTable


@dataclass(frozen=True)
class Pinned:
    """The fixed work of a plant.

    Parameters
    ----------
    lots
        Every lot with a fixed run, in order of first appearance in fixed.csv.
    ops
        Every fixed run as a placed operation (``fixed=True``), with the fixed
        setup before it on its machine, if any.
    next_step
        Per pinned lot id: the index (0-based, in its routing) of its first step
        that is not fixed (= number of steps when the lot is fixed throughout).
    route_steps
        Per pinned lot id: the number of steps of its routing.
    """

    lots: tuple[Lot, ...] = ()
    ops: tuple[PlacedOp, ...] = ()
    next_step: dict[str, int] = field(default_factory=dict)
    route_steps: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.ops)

    @property
    def open_lots(self) -> list[Lot]:
        """Pinned lots with steps still to schedule."""
        return [lot for lot in self.lots
                if self.next_step[lot.lot_id] < self.route_steps[lot.lot_id]]

    def ops_of(self, lot_id: str) -> list[PlacedOp]:
        """The fixed operations of one lot, in step order."""
        return sorted((op for op in self.ops if op.lot.lot_id == lot_id), key=lambda op: op.step)

    def allocated(self) -> dict[str, int]:
        """Units of each order made by pinned lots."""
        out: dict[str, int] = defaultdict(int)
        for lot in self.lots:
            for order_id, units in lot.allocations:
                if order_id != STOCK:
                    out[order_id] += units
        return dict(out)


def pinned_work(plant: Plant, setups: SetupTable | None = None) -> Pinned:
    """The pinned lots and fixed operations of ``plant`` (empty without fixed.csv).

    Assumes the rows passed the loader's checks (eligible machines, no
    overlaps, allocations within the orders).
    """
    if not plant.fixed:
        return Pinned()
    setups = setups or SetupTable(plant)
    runs = [r for r in plant.fixed if r.kind == "run"]
    lots: dict[str, Lot] = {}
    for row in runs:
        if row.lot not in lots:
            lots[row.lot] = _lot_of(plant, row)
    setup_rows = [r for r in plant.fixed if r.kind == "setup"]
    by_machine: dict[str, list[FixedRow]] = defaultdict(list)
    for row in runs:
        by_machine[row.machine].append(row)
    ops: list[PlacedOp] = []
    for machine, rows in by_machine.items():
        rows.sort(key=lambda r: (r.start, r.end))
        state = plant.machines[machine].initial_state if machine in plant.machines else None
        previous_end: int | None = None
        for row in rows:
            setup = _setup_row_before(setup_rows, row, previous_end)
            if setup is None:
                change = Changeover(0, Fraction(0))
                setup_start = None
            else:
                rule = setups.between(machine, state, row.product)
                change = Changeover(setup.end - setup.start, rule.cost, rule.resources)
                setup_start = setup.start
            ops.append(PlacedOp(lots[row.lot], row.step or 1, machine, row.start, row.end,
                                change, setup_start, fixed=True))
            state, previous_end = row.product, row.end
    ops.sort(key=lambda op: (op.lot.lot_id, op.step))
    next_step: dict[str, int] = {}
    route_steps: dict[str, int] = {}
    for lot_id, lot in lots.items():
        route = plant.routings[lot.product]
        fixed_steps = {op.step for op in ops if op.lot.lot_id == lot_id}
        k = 0
        while k < len(route) and route[k].number in fixed_steps:
            k += 1
        next_step[lot_id] = k
        route_steps[lot_id] = len(route)
    return Pinned(tuple(lots.values()), tuple(ops), next_step, route_steps)


def _setup_row_before(setups: list[FixedRow], run: FixedRow,
                      previous_end: int | None) -> FixedRow | None:
    """The fixed setup of ``run``'s lot on its machine between the previous run and it."""
    low = -math.inf if previous_end is None else previous_end
    found = [s for s in setups if s.machine == run.machine and s.lot == run.lot
             and low <= s.start and s.end <= run.start]
    return max(found, key=lambda s: s.start) if found else None


def _lot_of(plant: Plant, row: FixedRow) -> Lot:
    orders = [plant.order_by_id[o] for o, _ in row.allocations if o in plant.order_by_id]
    dues = [o.due for o in orders if o.due is not None]
    deadlines = [o.deadline for o in orders if o.deadline is not None]
    mode = row.mode or Mode.BATCH
    return Lot(row.lot, row.product, mode, row.allocations,
               release=max((o.release for o in orders), default=0),
               due=min(dues) if dues else None,
               deadline=min(deadlines) if deadlines else None)


def open_orders(plant: Plant, pinned: Pinned | None = None) -> tuple[Order, ...]:
    """The orders with the units pinned lots make taken off (fully made ones left out)."""
    pinned = pinned if pinned is not None else pinned_work(plant)
    if not pinned:
        return plant.orders
    made = pinned.allocated()
    out = []
    for order in plant.orders:
        left = order.quantity - made.get(order.order_id, 0)
        if left > 0:
            out.append(order if left == order.quantity else replace(order, quantity=left))
    return tuple(out)
