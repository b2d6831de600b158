"""Runs moved later, towards their lots' due dates, where holding cost counts.

A dispatch rule starts a lot as soon as a machine is free, so on a plant with
spare capacity lots finish long before their orders are due and hold their
units meanwhile. The windows of the search move such runs later a few at a
time; this move does it for the whole schedule at once, keeping every machine
sequence: every lot's last step moves towards its earliest due date, as far as
the runs after it allow (:func:`~prodsched.timeline.retime.delayed`, timed by
the one re-timer so every rule of the shop holds). No run ends earlier, so no
order becomes later where the runs fit where the pass put them; the search
keeps the result only when the exact objective improves.
"""

from __future__ import annotations

import math
from fractions import Fraction

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.state import Indexed
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.timeline import delayed
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS

Values = tuple[Fraction, ...]


def towards_due(plant: Plant, setups: SetupTable, evaluator: Evaluator, state: Indexed,
                values: Values) -> tuple[list[PlacedOp], Values] | None:
    """The schedule with its runs moved towards their due dates and its values, when
    that improves on ``values`` and meets every deadline (else ``None``)."""
    targets = {}
    for chain in state.by_lot.values():
        last = chain[-1]
        due = state.ops[last].lot.due
        if due is not None:
            targets[last] = math.floor(due)
    if not targets:
        return None
    timed = delayed(plant, setups, state.ops, state.by_machine, state.by_lot.values(),
                    targets, adjacent_setups=MODEL_ADJACENT_SETUPS)
    if timed is None:
        return None
    new = evaluator.values(timed)
    if new < values and evaluator.meets_deadlines(timed):
        return timed, new
    return None
