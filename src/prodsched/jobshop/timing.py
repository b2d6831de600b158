"""Timing along a lot: step precedence (whole-lot transfer or lot streaming),
the longest wait between steps, releases and hard deadlines.

Each function leaves out what involves only fixed operations (constants).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import cast

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import ModelLot, Operation, Variables

# Instead of the hard precedence between a free step and a fixed next step:
# ``push(lot, step, next_step)`` (the window model's soft push).
Push = Callable[[ModelLot, Operation, Operation], None]


def add_lot_chains(model: cp_model.CpModel, shop: Shop, v: Variables, *,
                   push: Push | None = None) -> None:
    """Every lot's steps in order (:func:`add_step_precedence`), each within its
    longest wait (:func:`add_max_wait`).

    ``push``, when given, replaces the precedence from a free step to a fixed
    next step.
    """
    for ml in v.lots:
        for a, b in itertools.pairwise(ml.ops):
            prev, nxt = v.ops[a], v.ops[b]
            if push is not None and nxt.fixed and not prev.fixed:
                push(ml, prev, nxt)
            else:
                add_step_precedence(model, prev, nxt, ml.streaming)
            add_max_wait(model, prev, nxt)


def unit_time(op: Operation) -> cp_model.LinearExpr:
    """The time one unit takes on the operation's machine (lot streaming)."""
    return cast(cp_model.LinearExpr, sum(math.ceil(alt.option.time_per_unit) * alt.literal
                                         for alt in op.alternatives))


def add_step_precedence(model: cp_model.CpModel, prev: Operation, nxt: Operation,
                        streaming: bool) -> None:
    """``nxt`` after ``prev``: whole-lot transfer, or lot streaming (the first unit
    moves on as soon as it is made; the last cannot finish before it arrives)."""
    if prev.fixed and nxt.fixed:
        return
    if not streaming:
        model.add(nxt.start >= prev.end)
        return
    model.add(nxt.start >= prev.start + unit_time(prev))
    model.add(nxt.end >= prev.end + unit_time(nxt))


def add_max_wait(model: cp_model.CpModel, prev: Operation, nxt: Operation) -> None:
    """``start(nxt) - end(prev) <= max_wait`` of the row ``nxt`` runs on (all modes)."""
    if prev.fixed and nxt.fixed:
        return
    for alt in nxt.alternatives:
        wait = alt.option.max_wait
        if wait is None:
            continue
        c = model.add(nxt.start - prev.end <= wait)
        if alt.present is not None:
            c.only_enforce_if(alt.present)


def add_lot_windows(model: cp_model.CpModel, shop: Shop, v: Variables) -> None:
    """Releases and deadlines of lots with known orders (slot lots: see
    :mod:`prodsched.jobshop.slots`)."""
    for ml in v.lots:
        if ml.lot is None:
            continue
        first, last = v.ops[ml.ops[0]], v.ops[ml.ops[-1]]
        if ml.lot.release > 0 and not first.fixed:
            c = model.add(first.start >= ml.lot.release)
            if ml.present is not None:
                c.only_enforce_if(ml.present)
        if ml.lot.deadline is None or last.fixed:
            continue
        if not shop.literals:
            model.add(last.end <= ml.lot.deadline)
            continue
        for order_id in ml.lot.order_ids:
            deadline = shop.plant.order_by_id[order_id].deadline
            if deadline is not None:
                model.add(last.end <= deadline).only_enforce_if(
                    deadline_enforcement(model, shop, v, order_id))


def deadline_enforcement(model: cp_model.CpModel, shop: Shop, v: Variables,
                         order_id: str) -> list[cp_model.IntVar]:
    """Literals enforcing an order's deadline (none unless ``shop.literals``)."""
    if not shop.literals:
        return []
    if order_id not in v.deadline_literal:
        v.deadline_literal[order_id] = model.new_bool_var(f"deadline_{order_id}")
    return [v.deadline_literal[order_id]]
