"""A complete schedule, indexed for large-neighbourhood search.

Operations are numbered; each machine holds its operations in start order
and each lot its operations in routing order, so that a window of the
schedule (a stretch of time on some machines) and everything that bounds it
(the operation before and after it on each machine, the steps of its lots
outside it) are found without scanning the whole schedule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from prodsched.lots.lot import Lot
from prodsched.plant.model import Plant
from prodsched.schedule.rows import PlacedOp


@dataclass
class Indexed:
    """A schedule's operations with their machine and lot neighbours.

    Parameters
    ----------
    plant
        The plant.
    lots
        The lots made.
    ops
        Every step of every lot, placed.
    """

    plant: Plant
    lots: list[Lot]
    ops: list[PlacedOp]
    by_machine: dict[str, list[int]] = field(init=False)
    by_lot: dict[str, list[int]] = field(init=False)
    lot_of_order: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        steps = {p: {s.number: i for i, s in enumerate(route)}
                 for p, route in self.plant.routings.items()}
        machines: dict[str, list[int]] = defaultdict(list)
        lots: dict[str, list[int]] = defaultdict(list)
        for k, op in enumerate(self.ops):
            machines[op.machine].append(k)
            lots[op.lot.lot_id].append(k)
        ops = self.ops
        self.by_machine = {m: sorted(ks, key=lambda k: (ops[k].start, ops[k].end))
                           for m, ks in machines.items()}
        self.by_lot = {lot: sorted(ks, key=lambda k: steps[ops[k].lot.product][ops[k].step])
                       for lot, ks in lots.items()}
        orders: dict[str, list[str]] = defaultdict(list)
        for lot in self.lots:
            for order_id in lot.order_ids:
                orders[order_id].append(lot.lot_id)
        self.lot_of_order = dict(orders)

    def neighbours(self, k: int) -> tuple[int | None, int | None]:
        """The operations of the same lot right before and after ``k`` (``None``: none)."""
        chain = self.by_lot[self.ops[k].lot.lot_id]
        at = chain.index(k)
        return (chain[at - 1] if at > 0 else None,
                chain[at + 1] if at + 1 < len(chain) else None)
