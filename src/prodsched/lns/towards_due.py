"""Runs moved later, towards their lots' due dates, where holding cost counts.

A dispatch rule starts a lot as soon as a machine is free, so on a plant with
spare capacity lots finish long before their orders are due and hold their
units meanwhile. The windows of the search move such runs later a few at a
time; this move does it for the whole schedule at once, keeping every machine
sequence (:func:`~prodsched.timeline.retime.delayed`: a backward pass for how
much later each run may end, then the one re-timer, so every rule of the shop
holds). No run ends earlier. Two targets for a lot's last step are tried in
turn, each kept only when the exact objective improves:

- **its earliest due date**: no order it serves gets later where the runs fit
  where the pass put them;
- **its cheapest end** (where the first objective stage weighs holding cost
  against tardiness and does not count late orders): the due date of one of
  its orders at which the lot's own holding cost plus the tardiness of the
  orders it serves is least, so a lot made mostly for later orders may end past
  the due date of a small early one.
"""

from __future__ import annotations

import math
from fractions import Fraction

from prodsched.lns.evaluate import Evaluator
from prodsched.lns.state import Indexed
from prodsched.lots.lot import STOCK
from prodsched.objective import Criterion
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
    best: tuple[list[PlacedOp], Values] | None = None
    for targets in (_earliest_due, _cheapest_end):
        if best is not None:
            state = Indexed(plant, state.lots, best[0])
        wanted = targets(state, evaluator)
        if not wanted:
            continue
        timed = delayed(plant, setups, state.ops, state.by_machine, state.by_lot.values(),
                        wanted, adjacent_setups=MODEL_ADJACENT_SETUPS)
        if timed is None:
            continue
        new = evaluator.values(timed)
        if new < (values if best is None else best[1]) and evaluator.meets_deadlines(timed):
            best = (timed, new)
    return best


def _earliest_due(state: Indexed, evaluator: Evaluator) -> dict[int, int]:
    """Per lot's last step: its lot's earliest due date."""
    targets = {}
    for chain in state.by_lot.values():
        due = state.ops[chain[-1]].lot.due
        if due is not None:
            targets[chain[-1]] = math.floor(due)
    return targets


def _cheapest_end(state: Indexed, evaluator: Evaluator) -> dict[int, int]:
    """Per lot's last step, the due date of one of its orders where its holding cost
    and its orders' tardiness cost least, as the first stage weighs them (none when
    that stage does not weigh both, or counts late orders)."""
    terms = dict(evaluator.objective.stages[0].terms)
    holding = terms.get(Criterion.HOLDING_COST, Fraction(0))
    tardy = (terms.get(Criterion.WEIGHTED_TARDINESS, Fraction(0)),
             terms.get(Criterion.TOTAL_TARDINESS, Fraction(0)))
    if not holding or not any(tardy) or Criterion.LATE_ORDERS in terms:
        return {}
    targets = {}
    for chain in state.by_lot.values():
        op = state.ops[chain[-1]]
        rate = holding * evaluator.holding[op.lot.product]
        # (due, holding per time unit earlier, tardiness per time unit later)
        orders = [(evaluator.due[o], rate * units,
                   tardy[0] * evaluator.weight[o] + tardy[1])
                  for o, units in op.lot.allocations if o != STOCK and o in evaluator.due]
        if not rate or not orders:
            continue
        ends = sorted({e for due, _, _ in orders if (e := math.floor(due)) > op.end})
        if ends:
            cheapest = min(ends, key=lambda e: _cost(orders, e))
            if _cost(orders, cheapest) < _cost(orders, op.end):
                targets[chain[-1]] = cheapest
    return targets


def _cost(orders: list[tuple[Fraction, Fraction, Fraction]], end: int) -> Fraction:
    """Holding and tardiness of a lot's orders ``(due, holding, tardiness per time
    unit)`` when it ends at ``end``."""
    zero = Fraction(0)
    return sum((h * max(zero, due - end) + t * max(zero, end - due) for due, h, t in orders),
               zero)
