"""One machine's timeline: what it is set up for, where its new work may begin,
and the fixed work (fixed.csv) still ahead of it.

New work is appended: it begins after the last run booked (the *frontier*).
Fixed runs are booked before anything else, so some may lie ahead of the
frontier; new work goes before one only when it ends before the fixed run's
setup row and the changeover from its product into the fixed run fits in that
row (semantics 4 of spec v2); otherwise the frontier passes the fixed run and
the machine is then set up for its product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prodsched.lots.placed import PlacedOp
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.timeline.calendar import Calendar


@dataclass
class FixedBlock:
    """A fixed run on a machine, with its fixed setup row.

    ``entered_from`` is what the machine was set up for right before it, known
    once the frontier has passed it (for the changeover's cost).
    """

    op: PlacedOp
    entered_from: str | None = None

    @property
    def begin(self) -> int:
        """Where the block begins: its setup row, else its run."""
        return min(self.op.setup_begin, self.op.start)

    @property
    def product(self) -> str:
        """What the machine is set up for after it."""
        return self.op.lot.product

    def takes_after(self, change: Changeover) -> bool:
        """Whether new work needing ``change`` into this run may go right before it."""
        if change.time > self.op.setup.time:
            return False
        return not self.op.setup.is_free or change.is_free


@dataclass
class MachineLine:
    """The state of one machine.

    Parameters
    ----------
    name
        The machine.
    calendar
        Its unavailable periods.
    state
        What it is set up for at the frontier (product, family or ``None``).
    free
        The frontier: the end of the last run booked or passed.
    fixed
        Its fixed runs, in time order.
    cursor
        How many of them the frontier has passed.
    """

    name: str
    calendar: Calendar
    state: str | None = None
    free: int = 0
    fixed: list[FixedBlock] = field(default_factory=list)
    cursor: int = 0

    def fixed_ops(self, setups: SetupTable) -> list[PlacedOp]:
        """The fixed runs, each with the changeover cost from what actually ran before it
        (its setup row's time and resources are kept as fixed)."""
        out = []
        before: str | None = None
        for k, block in enumerate(self.fixed):
            op = block.op
            if k < self.cursor:
                before = block.entered_from
            elif k == self.cursor:
                before = self.state
            if not op.setup.is_free:  # a fixed setup row: its time and resources stay
                rule = setups.between(self.name, before, op.lot.product)
                if rule.cost != op.setup.cost:
                    op = PlacedOp(op.lot, op.step, op.machine, op.start, op.end,
                                  Changeover(op.setup.time, rule.cost, op.setup.resources),
                                  op.setup_start, fixed=True)
            out.append(op)
            before = op.lot.product
        return out
