"""Between schedules and the job-shop model's variables: complete hints in,
lots and placed operations out."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from prodsched.jobshop.machines import machine_members
from prodsched.jobshop.model import ShopModel
from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import IntOrVar, ModelLot, Operation
from prodsched.lots.cutting import make_lots
from prodsched.lots.lot import Lot
from prodsched.lots.realize import slot_prefix
from prodsched.plant.model import Mode
from prodsched.plant.setups import NO_CHANGEOVER, Changeover
from prodsched.schedule.rows import PlacedOp

ValueOf = Callable[[object], int]


def machine_sequences(pairs: list[tuple[int, PlacedOp]]) -> dict[str, list[int]]:
    """Operation indices per machine, in the order of their starts."""
    rows: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k, p in pairs:
        rows[p.machine].append((p.start, p.end, k))
    return {m: [k for _, _, k in sorted(r)] for m, r in rows.items()}


class _Hint:
    """Collects a value for every variable, then hands them to the model."""

    def __init__(self, jm: ShopModel):
        self.jm = jm
        self.values: dict[int, int] = {}

    def set(self, var: object, value: int | bool) -> None:
        if isinstance(var, int):
            return
        index = var.index  # type: ignore[attr-defined]
        if index < 0:  # a negated literal
            self.values[-index - 1] = 1 - int(value)
        else:
            self.values[index] = int(value)

    def apply(self) -> None:
        model = self.jm.model
        model.clear_hints()
        proto = model.proto
        proto.solution_hint.vars.extend(self.values.keys())
        proto.solution_hint.values.extend(self.values.values())


def add_hint(jm: ShopModel, placed: list[PlacedOp],
             extra: Sequence[tuple[object, int]] = ()) -> None:
    """Hint every variable of the model from a complete schedule.

    ``placed`` must hold every step of every lot it makes that the model has
    (fixed operations may be left out: their own times are used); its lots
    must be lots of the model (fixed lots by id, slot lots as ``product#k``).
    Steps the model does not have are ignored. ``extra`` hints further
    ``(variable, value)`` pairs.
    """
    h = _Hint(jm)
    v, shop = jm.variables, jm.shop
    earliest = shop.earliest
    used: dict[str, Lot] = {p.lot.lot_id: p.lot for p in placed}
    quantity = {ml.index: (ml.quantity if isinstance(ml.quantity, int) and ml.present is None
                           else used[ml.name].quantity if ml.name in used else 0)
                for ml in jm.lots}
    for ml in jm.lots:
        h.set(ml.literal, ml.name in used)
        h.set(ml.quantity, quantity[ml.index])
        if ml.units is not None:
            multiple = jm.plant.products[ml.product].lot_multiple
            h.set(ml.units, quantity[ml.index] // multiple)
    cumulative = _hint_groups(jm, h, quantity)
    index = {(jm.lots[op.lot_index].name, op.step_number): op.index for op in jm.ops}
    pairs = [(index[key], p) for p in placed if (key := (p.lot.lot_id, p.step)) in index]
    given = {k for k, _ in pairs}
    pairs += [(op.index, op.placed) for op in jm.ops
              if op.fixed and op.placed is not None and op.index not in given]
    members = {m: set(ks) for m, ks in machine_members(v).items()}
    sequences = machine_sequences([(k, p) for k, p in pairs
                                   if k in members.get(p.machine, ())])
    where = dict(pairs)
    setup_of: dict[int, Changeover] = {}
    for machine, seq in sequences.items():
        state = shop.state_at_start(machine)
        for k in seq:
            product = jm.lots[jm.ops[k].lot_index].product
            if jm.setups.has_setups(machine):
                setup_of[k] = jm.setups.between(machine, state, product)
            state = product
    for op in jm.ops:
        _hint_operation(h, op, where.get(op.index), setup_of.get(op.index, NO_CHANGEOVER),
                        quantity[op.lot_index], earliest, shop)
    for machine, circuit in jm.sequences.items():
        order = [k for k in sequences.get(machine, []) if k in set(circuit.nodes)]
        chosen = set(zip([-1, *order], [*order, -1], strict=True)) if order else set()
        for arc in circuit.arcs:
            h.set(arc.literal, (arc.tail, arc.head) in chosen)
        if circuit.empty is not None:
            h.set(circuit.empty, not order)
        for flag, members_of in circuit.group_used:
            h.set(flag, any(k in where and where[k].machine == machine for k in members_of))
    last_end = {ml.index: _end_of(jm.ops[ml.ops[-1]], where, earliest) for ml in jm.lots}
    made = {ml.index for ml in jm.lots if ml.name in used or ml.present is None}
    _hint_criteria(jm, h, [p for _, p in pairs], last_end, cumulative, made)
    for var, value in extra:
        h.set(var, value)
    h.apply()


def _end_of(op: Operation, where: dict[int, PlacedOp], earliest: int) -> int:
    if isinstance(op.end, int):
        return op.end
    p = where.get(op.index)
    return p.end if p is not None else earliest


def _hint_operation(h: _Hint, op: Operation, p: PlacedOp | None, setup: Changeover,
                    q: int, earliest: int, shop: Shop) -> None:
    """An operation's times, changeover, machine choice, durations and pauses."""
    start = p.start if p is not None else earliest
    end = p.end if p is not None else earliest
    h.set(op.start, start)
    h.set(op.end, end)
    if isinstance(op.setup_len, cp_model.IntVar) and op.setup_start is not None:
        h.set(op.setup_len, setup.time)
        begin = start - setup.time
        if p is not None and p.setup_start is not None and setup.time and \
                p.setup_start + setup.time <= start:
            begin = p.setup_start
        h.set(op.setup_start, begin)
        if op.setup_end is not None:
            h.set(op.setup_end, begin + setup.time)
        held = {use.resource: use.amount for use in setup.resources}
        for resource, demand in op.setup_demand.items():
            h.set(demand, held.get(resource, 0))
    if op.fixed:
        return
    for alt in op.alternatives:
        if alt.present is not None:
            h.set(alt.present, p is not None and p.machine == alt.machine)
        duration = alt.option.duration(q)
        h.set(alt.duration, duration)
        if alt.size is not None:
            h.set(alt.size, setup.time + duration)
        if alt.length is not None:
            spanned = 0
            for span in alt.pauses:
                before, after = end <= span.start, start >= span.end
                spans = not before and not after
                h.set(span.before, before)
                h.set(span.after, after and not before)
                h.set(span.spans, spans)
                spanned += (span.end - span.start) if spans else 0
            h.set(alt.length, duration + spanned)


def _hint_groups(jm: ShopModel, h: _Hint, quantity: dict[int, int]
                 ) -> dict[int, list[int]]:
    """Slot sizes → cumulative sizes, coverage, last-lot literals."""
    out: dict[int, list[int]] = {}
    for gv in jm.groups:
        one_off = any(quantity[i] for i in gv.one_off_lots)
        if gv.one_off is not None:
            h.set(gv.one_off, one_off)
        sizes = [quantity[i] for i in gv.lots]
        cum, total = [], 0
        for size in sizes:
            total += size
            cum.append(total)
        out[gv.index] = cum
        for var, value in zip(gv.cumulative, cum, strict=True):
            h.set(var, value)
        present = [s > 0 for s in sizes]
        low, _ = gv.group.product.lot_size_range()
        for k, last in enumerate(gv.last):
            is_last = present[k] and (k + 1 == len(present) or not present[k + 1])
            h.set(last, is_last)
            minimal = gv.at_minimum[k]
            if minimal is not None:
                h.set(minimal, is_last and sizes[k] == low)
        slot_of = {lot_index: k for k, lot_index in enumerate(gv.lots)}
        for cover in gv.covers:
            k = slot_of[cover.lot]
            a, b = gv.positions[cover.order_id]
            before_ok = cum[k - 1] <= b - 1 if k else True
            after_ok = cum[k] >= a + 1
            h.set(cover.after_start, before_ok)
            h.set(cover.before_end, after_ok)
            h.set(cover.literal, present[k] and before_ok and after_ok)
    return out


def _hint_criteria(jm: ShopModel, h: _Hint, placed: list[PlacedOp],
                   last_end: dict[int, int], cumulative: dict[int, list[int]],
                   made: set[int]) -> None:
    v = jm.vars
    if v.makespan is not None:
        h.set(v.makespan, max([v.makespan_floor, *last_end.values()]))
    last_step = {p: steps[-1].number for p, steps in jm.plant.routings.items()}
    completion: dict[str, int] = dict(v.completions)
    for p in placed:
        if p.step == last_step[p.lot.product]:
            for order_id in p.lot.order_ids:
                completion[order_id] = max(completion.get(order_id, 0), p.end)
    for order_id, t in v.tardiness.items():
        due = math.ceil(jm.plant.order_by_id[order_id].due)  # type: ignore[arg-type]
        value = max(0, completion.get(order_id, 0) - due)
        h.set(t, value)
        if order_id in v.late:
            h.set(v.late[order_id], value > 0)
    for fh in v.fixed_holding:
        due = math.floor(jm.plant.order_by_id[fh.order_id].due)  # type: ignore[arg-type]
        # a lot not made holds nothing (its earliness is free; the objective wants 0)
        h.set(fh.early, max(0, due - last_end[fh.lot]) if fh.lot in made else 0)
    slot_index = {lot: (gv.index, k) for gv in jm.groups for k, lot in enumerate(gv.lots)}
    for sh in v.slot_holding:
        gi, k = slot_index[sh.lot]
        a, b = jm.groups[gi].positions[sh.order_id]
        cum = cumulative[gi]
        low, high = max(a, cum[k - 1] if k else 0), min(b, cum[k])
        units = max(0, high - low)
        due = math.floor(jm.plant.order_by_id[sh.order_id].due)  # type: ignore[arg-type]
        early = max(0, due - last_end[sh.lot])
        for var, value in ((sh.low, low), (sh.high, high), (sh.units, units),
                           (sh.early, early), (sh.product, units * early)):
            h.set(var, value)


def decode(jm: ShopModel, value: ValueOf) -> tuple[list[Lot], list[PlacedOp]]:
    """The lots made and their placed operations, from a solution.

    A changeover the model placed earlier than right before its run gets its
    ``setup_start``; fixed operations come back as they were (their setup row's
    cost is that of the changeover actually before them).
    """
    made = {ml.index for ml in jm.lots if ml.present is None or value(ml.present)}
    lot_of = _lots_made(jm, value, made)
    placed: list[PlacedOp] = []
    machine_of: dict[int, str] = {}
    for op in jm.ops:
        if op.lot_index not in made:
            continue
        if op.fixed and op.alternatives[0].interval is None:  # only its times matter
            assert op.placed is not None
            placed.append(op.placed)
            continue
        for alt in op.alternatives:
            if alt.present is None or value(alt.present):
                machine_of[op.index] = alt.machine
                break
    by_machine: dict[str, list[int]] = defaultdict(list)
    for k, machine in machine_of.items():
        by_machine[machine].append(k)

    def val(x: IntOrVar) -> int:
        return x if isinstance(x, int) else value(x)

    for machine, ks in by_machine.items():
        order = _circuit_order(jm, machine, value) if machine in jm.sequences else None
        if order is None:
            order = sorted(ks, key=lambda k: (val(jm.ops[k].start), val(jm.ops[k].end), k))
        state = jm.shop.state_at_start(machine)
        for k in order:
            op = jm.ops[k]
            lot = lot_of[op.lot_index]
            change = jm.setups.between(machine, state, lot.product)
            if op.fixed and op.fixed_setup and op.placed is not None:
                kept = op.placed.setup
                placed.append(replace(op.placed, lot=lot, setup=Changeover(
                    kept.time, change.cost, kept.resources)))
            else:
                start = val(op.start)
                setup_start = None
                if change.time and isinstance(op.setup_start, cp_model.IntVar):
                    begin = value(op.setup_start)
                    setup_start = begin if begin != start - change.time else None
                if op.placed is not None:  # a fixed run whose changeover the model chose
                    placed.append(replace(op.placed, lot=lot, setup=change,
                                          setup_start=setup_start))
                else:
                    placed.append(PlacedOp(lot, op.step_number, machine, start, val(op.end),
                                           change, setup_start))
            state = lot.product
    return label_auto_lots(jm, [lot_of[i] for i in sorted(made)], placed)


def _lots_made(jm: ShopModel, value: ValueOf, made: set[int]) -> dict[int, Lot]:
    lot_of: dict[int, Lot] = {}
    for ml in jm.lots:
        if ml.index in made and ml.lot is not None:
            lot_of[ml.index] = ml.lot
    for gv in jm.groups:
        slots: list[ModelLot] = [jm.lots[i] for i in gv.lots if i in made]
        if not slots:
            continue
        sizes = [value(ml.quantity) for ml in slots]
        lots = make_lots(gv.group.product, gv.group.mode, gv.group.orders, sizes,
                         slot_prefix(gv.group.product.name))
        for ml, lot in zip(slots, lots, strict=True):  # present slots come first
            lot_of[ml.index] = lot if lot.lot_id == ml.name else replace(lot, lot_id=ml.name)
    return lot_of


def label_auto_lots(jm: ShopModel, lots: list[Lot], placed: list[PlacedOp]
                    ) -> tuple[list[Lot], list[PlacedOp]]:
    """Give auto slot lots their mode: mass when some lot's steps overlap, else batch."""
    auto = {gv.group.product.name for gv in jm.groups if gv.group.mode is Mode.AUTO}
    if not auto:
        return lots, placed
    steps: dict[str, list[PlacedOp]] = defaultdict(list)
    for p in placed:
        steps[p.lot.lot_id].append(p)
    streamed = set()
    for ops in steps.values():
        ops.sort(key=lambda p: p.step)
        if any(b.start < a.end for a, b in itertools.pairwise(ops)):
            streamed.add(ops[0].lot.product)
    relabel = {}
    for lot in lots:
        if lot.product in auto and lot.mode is Mode.AUTO:
            mode = Mode.MASS if lot.product in streamed else Mode.BATCH
            relabel[lot.lot_id] = replace(lot, mode=mode)
    lots = [relabel.get(lot.lot_id, lot) for lot in lots]
    placed = [replace(p, lot=relabel[p.lot.lot_id]) if p.lot.lot_id in relabel else p
              for p in placed]
    return lots, placed


def _circuit_order(jm: ShopModel, machine: str, value: ValueOf) -> list[int] | None:
    successor = {arc.tail: arc.head for arc in jm.sequences[machine].arcs if value(arc.literal)}
    order, node = [], successor.get(-1)
    while node is not None and node != -1:
        order.append(node)
        node = successor.get(node)
    return order
