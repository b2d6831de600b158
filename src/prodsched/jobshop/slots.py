"""Lot sizing inside the job-shop model: the slot lots of one product.

The product's orders lie end to end on a line of units (first in, first out
by due date); slot ``k`` makes the piece ``[S(k-1), S(k))`` of that line, where
``S`` are cumulative lot sizes. So the model decides lot sizes, and with them
which orders each lot serves, without order-to-lot variables: order ``o``
(units ``[a, b)``) has units in slot ``k`` exactly when
``S(k-1) < b`` and ``S(k) > a`` — two threshold literals per order and slot.

Present slots come first; every present slot carries ordered units; surplus
(``STOCK``) only in the last present slot, whose size is then the smallest
allowed for its ordered units.
"""

from __future__ import annotations

import itertools
import math

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.timing import deadline_enforcement
from prodsched.jobshop.variables import Coverage, GroupVars, ModelLot, Variables
from prodsched.lots.plan import SlotGroup
from prodsched.plant.model import Order, Step


def unit_positions(orders: tuple[Order, ...]) -> dict[str, tuple[int, int]]:
    """Each order's units ``[a, b)`` on the group's line of units."""
    out, position = {}, 0
    for o in orders:
        out[o.order_id] = (position, position + o.quantity)
        position += o.quantity
    return out


def needs_coverage(order: Order) -> bool:
    """Whether the model must know which lots hold this order's units."""
    return order.due is not None or order.deadline is not None or order.release > 0


def add_slot_lots(m: cp_model.CpModel, v: Variables, gv: GroupVars, names: list[str]) -> None:
    """The group's slot lots, named ``names`` (one per slot): presence, and a size
    within the product's lot rules when present (0 when not); appended to
    ``v.lots``, ``gv.lots`` and, the group, to ``v.groups``."""
    group = gv.group
    product = group.product.name
    biggest = largest_slot(group)
    multiple = group.product.lot_multiple
    low, _ = group.product.lot_size_range()
    for k, name in enumerate(names):
        present = m.new_bool_var(f"slot_{product}_{k}")
        units = m.new_int_var(0, biggest // multiple, f"units_{product}_{k}")
        quantity = m.new_int_var(0, biggest, f"qty_{product}_{k}")
        m.add(quantity == multiple * units)
        m.add(quantity >= low).only_enforce_if(present)
        m.add(quantity == 0).only_enforce_if(~present)
        ml = ModelLot(len(v.lots), name, product, group.mode, present, quantity, biggest,
                      group.streaming, group=gv.index, slot=k, units=units)
        v.lots.append(ml)
        gv.lots.append(ml.index)
    v.groups.append(gv)


def add_slot_group(model: cp_model.CpModel, shop: Shop, v: Variables, gv: GroupVars) -> None:
    """Constrain the slot lots of one group (sizes, coverage, windows)."""
    m, g = model, gv.group
    lots = [v.lots[i] for i in gv.lots]
    demand = g.demand
    low, _ = g.product.lot_size_range()
    multiple = g.product.lot_multiple
    # present slots first; the first is present whenever the group is used
    if gv.one_off is None:
        m.add(lots[0].literal == 1)
    else:
        m.add(lots[0].literal + gv.one_off == 1)
    for a, b in itertools.pairwise(lots):
        m.add_implication(b.literal, a.literal)
    total: cp_model.LinearExprT = 0
    previous: cp_model.LinearExprT = 0
    for k, lot in enumerate(lots):
        cum = m.new_int_var(0, demand + low + multiple, f"cum_{g.product.name}_{k}")
        m.add(cum - lot.quantity == previous)
        gv.cumulative.append(cum)
        # every present slot carries ordered units (the first does: demand > 0)
        if k:
            m.add(previous <= demand - 1).only_enforce_if(lot.literal)
        previous = cum
        total = cum
    if gv.one_off is None:
        m.add(total >= demand)
    else:
        m.add(total >= demand).only_enforce_if(~gv.one_off)
        m.add(total == 0).only_enforce_if(gv.one_off)
    _surplus_only_in_a_minimal_last_lot(m, gv, lots, total, demand, low, multiple)
    _coverage(m, shop, v, gv, lots)


def _surplus_only_in_a_minimal_last_lot(m: cp_model.CpModel, gv: GroupVars,
                                        lots: list[ModelLot], total: cp_model.LinearExprT,
                                        demand: int, low: int, multiple: int) -> None:
    for k, lot in enumerate(lots):
        nxt = lots[k + 1].literal if k + 1 < len(lots) else 0
        last = m.new_bool_var(f"last_{gv.group.product.name}_{k}")
        if isinstance(nxt, int):
            m.add(last == lot.literal)
        else:
            m.add_bool_and([lot.literal, ~nxt]).only_enforce_if(last)
            m.add_bool_or([~lot.literal, nxt]).only_enforce_if(~last)
        gv.last.append(last)
        if low <= multiple:
            gv.at_minimum.append(None)
            m.add(total - demand <= multiple - 1).only_enforce_if(last)
            continue
        minimal = m.new_bool_var(f"minlot_{gv.group.product.name}_{k}")
        gv.at_minimum.append(minimal)
        m.add(lot.quantity == low).only_enforce_if([last, minimal])
        m.add(total - demand <= multiple - 1).only_enforce_if([last, ~minimal])


def _coverage(m: cp_model.CpModel, shop: Shop, v: Variables, gv: GroupVars,
              lots: list[ModelLot]) -> None:
    """Literals for which slot holds which order's units; releases and deadlines."""
    name = gv.group.product.name
    for order in gv.group.orders:
        if not needs_coverage(order):
            continue
        a, b = gv.positions[order.order_id]
        prev_after: cp_model.IntVar | int | None = None
        prev_before: cp_model.IntVar | None = None
        for k, lot in enumerate(lots):
            if k == 0:
                after_start: cp_model.IntVar | int = 1
            else:
                after = m.new_bool_var(f"after_{name}_{order.order_id}_{k}")
                m.add(gv.cumulative[k - 1] <= b - 1).only_enforce_if(after)
                m.add(gv.cumulative[k - 1] >= b).only_enforce_if(~after)
                if isinstance(prev_after, cp_model.IntVar):
                    m.add_implication(after, prev_after)
                after_start = after
            before = m.new_bool_var(f"before_{name}_{order.order_id}_{k}")
            m.add(gv.cumulative[k] >= a + 1).only_enforce_if(before)
            m.add(gv.cumulative[k] <= a).only_enforce_if(~before)
            if prev_before is not None:
                m.add_implication(prev_before, before)
            prev_after, prev_before = after_start, before
            holds = m.new_bool_var(f"holds_{name}_{order.order_id}_{k}")
            parts = [lot.literal, before] + ([] if isinstance(after_start, int)
                                             else [after_start])
            m.add_bool_and(parts).only_enforce_if(holds)
            m.add_bool_or([~p for p in parts]).only_enforce_if(~holds)
            gv.covers.append(Coverage(order.order_id, lot.index, holds, after_start, before))
            first = v.ops[lot.ops[0]]
            last = v.ops[lot.ops[-1]]
            if order.release > 0:
                m.add(first.start >= order.release).only_enforce_if(holds)
            if order.deadline is not None:
                m.add(last.end <= order.deadline).only_enforce_if(
                    [holds, *deadline_enforcement(m, shop, v, order.order_id)])


def slot_work(group: SlotGroup, routes: tuple[Step, ...], worst_setup: int) -> int:
    """An upper bound on the time the group's lots take (its slots, and its one-off
    lots where it has the option), one after another, with a changeover before
    each (for a model's horizon)."""
    units = group.demand + largest_slot(group)
    lots = group.slots + (len(group.orders) if group.one_off_option else 0)
    return sum(max(math.ceil(o.fixed_time + 1) * lots + o.duration(units) for o in step.options)
               + worst_setup * lots for step in routes)


def largest_slot(group: SlotGroup) -> int:
    """The largest quantity a slot of the group can need."""
    low, high = group.product.lot_size_range()
    k = group.product.lot_multiple
    enough = max(low, math.ceil(group.demand / k) * k)
    return enough if high is None else min(high, enough)
