"""Schedule rows: the bars of a Gantt chart, built from placed operations.

Every producer of schedules (CP-SAT models, dispatch rules, benchmark
readers) yields placed operations (:class:`~prodsched.lots.placed.PlacedOp`);
this module alone turns them into the rows of schedule.csv.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant

__all__ = ["KIND_RANK", "PlacedOp", "ScheduleRow", "rows_from_ops"]

KIND_RANK = {"down": 0, "setup": 1, "run": 2}


@dataclass(frozen=True)
class ScheduleRow:
    """One row of schedule.csv (times in time units from time 0)."""

    machine: str
    kind: str
    start: int
    end: int
    lot: str = ""
    product: str = ""
    mode: str = ""
    step: int | None = None
    quantity: int | None = None
    orders: tuple[tuple[str, int], ...] = ()
    cost: Fraction = Fraction(0)

    @property
    def orders_text(self) -> str:
        """Allocations as written in schedule.csv: ``o1:5;o2:3``."""
        return ";".join(f"{o}:{u}" for o, u in self.orders)

    def sort_key(self) -> tuple[str, int, int, int]:
        """Order of schedule.csv: machine, then start."""
        return (self.machine, self.start, self.end, KIND_RANK[self.kind])


def rows_from_ops(plant: Plant, ops: Iterable[PlacedOp]) -> list[ScheduleRow]:
    """Run, setup and downtime rows of a schedule, sorted by machine then start.

    A changeover that takes time or costs something gets a setup row that
    ends where its run starts (a changeover that only costs has length 0).
    """
    rows: list[ScheduleRow] = []
    for op in ops:
        lot = op.lot
        if not op.setup.is_free:
            rows.append(ScheduleRow(
                machine=op.machine, kind="setup", start=op.setup_begin, end=op.setup_end,
                lot=lot.lot_id, product=lot.product, cost=op.setup.cost))
        rows.append(ScheduleRow(
            machine=op.machine, kind="run", start=op.start, end=op.end, lot=lot.lot_id,
            product=lot.product, mode=lot.mode.value, step=op.step, quantity=lot.quantity,
            orders=lot.allocations))
    for machine in plant.machines:
        for start, end in plant.unavailable(machine):
            rows.append(ScheduleRow(machine=machine, kind="down", start=start, end=end))
    rows.sort(key=ScheduleRow.sort_key)
    return rows
