"""Runs moved later, towards their lots' due dates, where holding cost counts.

A dispatch rule starts a lot as soon as a machine is free, so on a plant with
spare capacity lots finish long before their orders are due and hold their
units meanwhile. The windows of the search move such runs later a few at a
time; this move does it for the whole schedule at once, keeping every machine
sequence (:func:`~prodsched.timeline.retime.delayed`: a backward pass for how
much later each run may end, then the one re-timer, so every rule of the shop
holds). A lot's last step moves towards its earliest due date, so no order it
serves gets later where the runs fit where the pass put them, and no run ends
earlier. The search keeps the result only when the exact objective improves.

A lot is not moved past its earliest due date even where its holding would
outweigh the lateness of a small early order: that trade leaves the lot whole
where splitting it gains both, and on the plant of
``tests/lns/test_lot_moves.py`` it led the search to 1,258 instead of 522.
"""

from __future__ import annotations

from fractions import Fraction

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.state import Indexed
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.timeline.retime import delayed, due_targets
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS

Values = tuple[Fraction, ...]


def towards_due(plant: Plant, setups: SetupTable, evaluator: Evaluator, state: Indexed,
                values: Values) -> tuple[list[PlacedOp], Values] | None:
    """The schedule with its runs moved towards their due dates and its values, when
    that improves on ``values`` and meets every deadline (else ``None``)."""
    targets = due_targets(state.ops, state.by_lot.values())
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
