"""A placed operation: one routing step of one lot on one machine, in time.

Every producer of schedules (CP-SAT models, constructive rules, the
re-timer, benchmark readers) yields placed operations; the schedule layer
turns them into rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prodsched.lots.lot import Lot
from prodsched.plant.setups import NO_CHANGEOVER, Changeover


@dataclass(frozen=True)
class PlacedOp:
    """One step of one lot placed on a machine.

    Parameters
    ----------
    lot
        The lot.
    step
        The routing step number (as in routings.csv).
    machine
        Where it runs.
    start, end
        The run, in time units from time 0; ``end`` exclusive. A run that may
        pause (``can_pause``) ends later than ``start`` plus its duration by the
        machine's unavailable time inside it.
    setup
        The changeover before the run on this machine.
    setup_start
        Where the changeover begins (``None``: right before the run, at
        ``start - setup.time``). It always ends by ``start``.
    fixed
        Work from fixed.csv that every schedule keeps exactly.
    """

    lot: Lot
    step: int
    machine: str
    start: int
    end: int
    setup: Changeover = NO_CHANGEOVER
    setup_start: int | None = None
    fixed: bool = False

    @property
    def setup_begin(self) -> int:
        """Start of the changeover row (``start - setup.time`` unless moved earlier)."""
        return self.start - self.setup.time if self.setup_start is None else self.setup_start

    @property
    def setup_end(self) -> int:
        """End of the changeover row."""
        return self.setup_begin + self.setup.time


def lots_in(ops: Iterable[PlacedOp]) -> list[Lot]:
    """The lots of ``ops``, in the order their first operation comes."""
    seen: dict[str, Lot] = {}
    for op in ops:
        seen.setdefault(op.lot.lot_id, op.lot)
    return list(seen.values())
