"""Lots released towards their due dates: MRP's lead-time offsetting.

A dispatch rule starts every lot as soon as it may, so on a plant where
finished units cost holding until their due date, most lots are made far too
early. Offsetting each lot's release from its due date by a multiple of its
own work makes them close to when they are needed; the multiple (``lead``) is
the allowance for queues and changeovers, and the better one is found by
trying several. The releases are for dispatching only: the schedule keeps
the lots with their own (:func:`with_own_lots`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant


def planned_releases(plant: Plant, lots: list[Lot], lead: float) -> list[Lot]:
    """The lots with their first step released no earlier than their due date minus
    ``lead`` times their own work (their steps on their fastest machines); lots
    without due date keep their release."""
    out = []
    for lot in lots:
        if lot.due is None:
            out.append(lot)
            continue
        work = sum(min(o.duration(lot.quantity) for o in step.options)
                   for step in plant.routings[lot.product])
        planned = int(lot.due - Fraction(lead) * work)
        out.append(replace(lot, release=planned) if planned > lot.release else lot)
    return out


def with_own_lots(ops: list[PlacedOp], lots: list[Lot]) -> list[PlacedOp]:
    """``ops`` with each lot replaced by the one of ``lots`` with its id."""
    by_id = {lot.lot_id: lot for lot in lots}
    return [replace(op, lot=by_id[op.lot.lot_id]) if op.lot.lot_id in by_id else op
            for op in ops]
