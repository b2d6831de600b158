"""The criteria of the job-shop model, created only when the objective uses them.

Which lots complete an order: a fixed lot carrying it (when made), or a slot
lot that holds some of its units (a coverage literal). Tardiness is exact:
``T >= end - due`` for every such lot. Holding cost is exact too: for slot
lots, the units an order has in a lot times the time they wait for the due
date (a product of two variables, built only when asked for).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from prodsched.lots.lot import STOCK
from prodsched.objective import Criterion

if TYPE_CHECKING:
    from prodsched.jobshop.builder import JobShopModel, Term

# (literal or None, end variable): the order completes no earlier than ``end``
# whenever ``literal`` holds.
Source = tuple[cp_model.IntVar | None, cp_model.IntVar]


@dataclass
class FixedHolding:
    """Holding of ``units`` of an order in a fixed lot: ``early >= due - end``."""

    rate: Fraction
    early: cp_model.IntVar
    lot: int
    order_id: str


@dataclass
class SlotHolding:
    """Holding of an order's units in a slot lot: ``product = units * early``."""

    rate: Fraction
    product: cp_model.IntVar
    units: cp_model.IntVar
    early: cp_model.IntVar
    low: cp_model.IntVar
    high: cp_model.IntVar
    lot: int
    order_id: str


@dataclass
class CriterionVars:
    """Variables of the criteria in use."""

    makespan: cp_model.IntVar | None = None
    tardiness: dict[str, cp_model.IntVar] = field(default_factory=dict)
    late: dict[str, cp_model.IntVar] = field(default_factory=dict)
    fixed_holding: list[FixedHolding] = field(default_factory=list)
    slot_holding: list[SlotHolding] = field(default_factory=list)


def completion_sources(jm: JobShopModel) -> dict[str, list[Source]]:
    """For every order, the lots that may complete it."""
    out: dict[str, list[Source]] = defaultdict(list)
    for ml in jm.lots:
        if ml.lot is not None:
            for order_id in ml.lot.order_ids:
                out[order_id].append((ml.present, jm.last_end(ml)))
    for gv in jm.groups:
        for cover in gv.covers:
            out[cover.order_id].append((cover.literal, jm.last_end(jm.lots[cover.lot])))
    return out


def add_criteria(jm: JobShopModel) -> None:
    """Create the variables of every criterion the objective uses."""
    used = jm.objective.criteria
    m, v = jm.model, jm.vars
    if Criterion.MAKESPAN in used:
        v.makespan = m.new_int_var(0, jm.horizon, "makespan")
        m.add_max_equality(v.makespan, [jm.last_end(ml) for ml in jm.lots])
    tardy = {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS, Criterion.LATE_ORDERS}
    if used & tardy:
        _tardiness(jm, Criterion.LATE_ORDERS in used)
    if Criterion.HOLDING_COST in used:
        _holding(jm)


def _tardiness(jm: JobShopModel, with_late_flags: bool) -> None:
    m, v = jm.model, jm.vars
    sources = completion_sources(jm)
    for order in jm.plant.orders:
        if order.due is None:
            continue
        due = math.ceil(order.due)
        t = m.new_int_var(0, max(0, jm.horizon - due), f"tardy_{order.order_id}")
        for literal, end in sources[order.order_id]:
            c = m.add(t >= end - due)
            if literal is not None:
                c.only_enforce_if(literal)
        v.tardiness[order.order_id] = t
        if with_late_flags:
            late = m.new_bool_var(f"late_{order.order_id}")
            m.add(t == 0).only_enforce_if(~late)
            v.late[order.order_id] = late


def _holding(jm: JobShopModel) -> None:
    m, v = jm.model, jm.vars
    for ml in jm.lots:
        rate = jm.plant.products[ml.product].holding_cost
        if rate == 0 or ml.lot is None:
            continue
        for order_id, units in ml.lot.allocations:
            order = jm.plant.order_by_id.get(order_id)
            if order_id == STOCK or order is None or order.due is None:
                continue
            due = math.floor(order.due)
            if due <= 0:
                continue
            e = m.new_int_var(0, due, f"early_{ml.index}_{order_id}")
            c = m.add(e >= due - jm.last_end(ml))
            if ml.present is not None:
                c.only_enforce_if(ml.present)
            v.fixed_holding.append(FixedHolding(rate * units, e, ml.index, order_id))
    for gv in jm.groups:
        rate = gv.group.product.holding_cost
        if rate == 0:
            continue
        for order in gv.group.orders:
            if order.due is None or math.floor(order.due) <= 0:
                continue
            due = math.floor(order.due)
            a, b = gv.positions[order.order_id]
            for k, lot_index in enumerate(gv.lots):
                name = f"{order.order_id}_{lot_index}"
                before: cp_model.LinearExprT = gv.cumulative[k - 1] if k else 0
                top = max(b, _upper(gv.cumulative[k]))
                low = m.new_int_var(a, top, f"hold_lo_{name}")
                m.add_max_equality(low, [a, before])
                high = m.new_int_var(0, b, f"hold_hi_{name}")
                m.add_min_equality(high, [b, gv.cumulative[k]])
                held = m.new_int_var(0, b - a, f"hold_units_{name}")
                m.add_max_equality(held, [0, high - low])
                early = m.new_int_var(0, due, f"hold_early_{name}")
                m.add_max_equality(early, [0, due - jm.last_end(jm.lots[lot_index])])
                prod = m.new_int_var(0, (b - a) * due, f"hold_{name}")
                m.add_multiplication_equality(prod, [held, early])
                v.slot_holding.append(SlotHolding(rate, prod, held, early, low, high,
                                                  lot_index, order.order_id))


def _upper(var: cp_model.IntVar) -> int:
    """The largest value in a variable's domain."""
    return int(list(var.proto.domain)[-1])


def terms(jm: JobShopModel, criterion: Criterion) -> list[Term]:
    """The criterion as ``(coefficient, variable)`` terms (exact coefficients)."""
    return list(_terms(jm, criterion))


def _terms(jm: JobShopModel, criterion: Criterion) -> Sequence[Term]:
    v = jm.vars
    weight = {o.order_id: o.weight for o in jm.plant.orders}
    if criterion is Criterion.MAKESPAN:
        assert v.makespan is not None
        return [(Fraction(1), v.makespan)]
    if criterion is Criterion.WEIGHTED_TARDINESS:
        return [(weight[o], t) for o, t in v.tardiness.items() if weight[o]]
    if criterion is Criterion.TOTAL_TARDINESS:
        return [(Fraction(1), t) for t in v.tardiness.values()]
    if criterion is Criterion.LATE_ORDERS:
        return [(Fraction(1), flag) for flag in v.late.values()]
    if criterion is Criterion.SETUP_TIME:
        return [(Fraction(1), op.setup_len) for op in jm.ops if op.setup_len is not None]
    if criterion is Criterion.SETUP_COST:
        return [(c, lit) for c, lit in jm.cost_terms]
    if criterion is Criterion.HOLDING_COST:
        return ([(h.rate, h.early) for h in v.fixed_holding]
                + [(h.rate, h.product) for h in v.slot_holding])
    raise ValueError(criterion)
