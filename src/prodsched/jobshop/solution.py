"""Between schedules and the job-shop model's variables: complete hints in,
lots and placed operations out."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from prodsched.jobshop.builder import JobShopModel
from prodsched.jobshop.variables import ModelLot
from prodsched.lots.cutting import make_lots
from prodsched.lots.lot import Lot
from prodsched.lots.realize import slot_prefix
from prodsched.plant.model import Mode
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

    def __init__(self, jm: JobShopModel):
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


def add_hint(jm: JobShopModel, placed: list[PlacedOp]) -> None:
    """Hint every variable of the model from a complete schedule.

    ``placed`` must hold every step of every lot it makes; its lots must be
    lots of the model (fixed lots by id, slot lots as ``product#k``).
    """
    h = _Hint(jm)
    used: dict[str, Lot] = {p.lot.lot_id: p.lot for p in placed}
    quantity = {ml.index: (used[ml.name].quantity if ml.name in used else 0) for ml in jm.lots}
    for ml in jm.lots:
        h.set(ml.literal, ml.name in used)
        h.set(ml.quantity, quantity[ml.index])
        if ml.units is not None:
            multiple = jm.plant.products[ml.product].lot_multiple
            h.set(ml.units, quantity[ml.index] // multiple)
    cumulative = _hint_groups(jm, h, quantity)
    index = {(jm.lots[op.lot_index].name, op.step_number): op.index for op in jm.ops}
    pairs = [(index[(p.lot.lot_id, p.step)], p) for p in placed]
    sequences = machine_sequences(pairs)
    start = {k: p.start for k, p in pairs}
    end = {k: p.end for k, p in pairs}
    machine_of = {k: p.machine for k, p in pairs}
    setup_of: dict[int, int] = {}
    for machine, seq in sequences.items():
        state = jm.plant.machines[machine].initial_state
        for k in seq:
            product = jm.lots[jm.ops[k].lot_index].product
            change = jm.setups.between(machine, state, product)
            setup_of[k] = change.time if jm.setups.has_setups(machine) else 0
            state = product
    for op in jm.ops:
        k = op.index
        q = quantity[op.lot_index]
        h.set(op.start, start.get(k, 0))
        h.set(op.end, end.get(k, 0))
        setup = setup_of.get(k, 0)
        if op.setup_len is not None and op.setup_start is not None:
            h.set(op.setup_len, setup)
            h.set(op.setup_start, start.get(k, 0) - setup)
        for alt in op.alternatives:
            if alt.present is not None:
                h.set(alt.present, machine_of.get(k) == alt.machine)
            duration = alt.option.duration(q)
            h.set(alt.duration, duration)
            if alt.size is not None:
                h.set(alt.size, setup + duration)
    for machine, circuit in jm.sequences.items():
        order = sequences.get(machine, [])
        chosen = set(zip([-1, *order], [*order, -1], strict=True)) if order else set()
        for arc in circuit.arcs:
            h.set(arc.literal, (arc.tail, arc.head) in chosen)
        if circuit.empty is not None:
            h.set(circuit.empty, not order)
        for flag, members in circuit.group_used:
            h.set(flag, any(machine_of.get(k) == machine for k in members))
    last_end = {ml.index: end.get(ml.ops[-1], 0) for ml in jm.lots}
    made = {ml.index for ml in jm.lots if ml.name in used}
    _hint_criteria(jm, h, placed, last_end, cumulative, made)
    h.apply()


def _hint_groups(jm: JobShopModel, h: _Hint, quantity: dict[int, int]
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


def _hint_criteria(jm: JobShopModel, h: _Hint, placed: list[PlacedOp],
                   last_end: dict[int, int], cumulative: dict[int, list[int]],
                   made: set[int]) -> None:
    v = jm.vars
    if v.makespan is not None:
        h.set(v.makespan, max(last_end.values(), default=0))
    last_step = {p: steps[-1].number for p, steps in jm.plant.routings.items()}
    completion: dict[str, int] = {}
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


def decode(jm: JobShopModel, value: ValueOf) -> tuple[list[Lot], list[PlacedOp]]:
    """The lots made and their placed operations, from a solution."""
    made = {ml.index for ml in jm.lots if ml.present is None or value(ml.present)}
    lot_of = _lots_made(jm, value, made)
    machine_of: dict[int, str] = {}
    for op in jm.ops:
        if op.lot_index not in made:
            continue
        for alt in op.alternatives:
            if alt.present is None or value(alt.present):
                machine_of[op.index] = alt.machine
                break
    by_machine: dict[str, list[int]] = defaultdict(list)
    for k, machine in machine_of.items():
        by_machine[machine].append(k)
    placed: list[PlacedOp] = []
    for machine, ks in by_machine.items():
        order = _circuit_order(jm, machine, value) if machine in jm.sequences else None
        if order is None:
            order = sorted(ks, key=lambda k: (value(jm.ops[k].start), value(jm.ops[k].end), k))
        state = jm.plant.machines[machine].initial_state
        for k in order:
            op = jm.ops[k]
            lot = lot_of[op.lot_index]
            change = jm.setups.between(machine, state, lot.product)
            placed.append(PlacedOp(lot, op.step_number, machine, value(op.start),
                                   value(op.end), change))
            state = lot.product
    return label_auto_lots(jm, [lot_of[i] for i in sorted(made)], placed)


def _lots_made(jm: JobShopModel, value: ValueOf, made: set[int]) -> dict[int, Lot]:
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
        for ml, lot in zip(slots, lots, strict=True):
            lot_of[ml.index] = lot
    return lot_of


def label_auto_lots(jm: JobShopModel, lots: list[Lot], placed: list[PlacedOp]
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


def _circuit_order(jm: JobShopModel, machine: str, value: ValueOf) -> list[int] | None:
    successor = {arc.tail: arc.head for arc in jm.sequences[machine].arcs if value(arc.literal)}
    order, node = [], successor.get(-1)
    while node is not None and node != -1:
        order.append(node)
        node = successor.get(node)
    return order
