"""Between schedules and the job-shop model's variables: complete hints in,
placed operations out."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from prodsched.jobshop.builder import JobShopModel
from prodsched.plant.setups import Changeover
from prodsched.schedule.rows import PlacedOp

ValueOf = Callable[[object], int]


def indexed(jm: JobShopModel, placed: list[PlacedOp]) -> list[tuple[int, PlacedOp]]:
    """Each placed operation with the index of its operation in the model."""
    lot_index = {lot.lot_id: i for i, lot in enumerate(jm.lots)}
    index = {(op.lot_index, op.step_number): op.index for op in jm.ops}
    return [(index[(lot_index[p.lot.lot_id], p.step)], p) for p in placed]


def machine_sequences(pairs: list[tuple[int, PlacedOp]]) -> dict[str, list[int]]:
    """Operation indices per machine, in the order of their starts."""
    rows: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k, p in pairs:
        rows[p.machine].append((p.start, p.end, k))
    return {m: [k for _, _, k in sorted(r)] for m, r in rows.items()}


def add_hint(jm: JobShopModel, placed: list[PlacedOp]) -> None:
    """Hint every variable of the model from a complete schedule.

    ``placed`` must hold every operation of every lot of the model.
    """
    model = jm.model
    model.clear_hints()
    pairs = indexed(jm, placed)
    sequences = machine_sequences(pairs)
    machine_of: dict[int, str] = {}
    start_of: dict[int, int] = {}
    end_of: dict[int, int] = {}
    setup_of: dict[int, int] = defaultdict(int)
    for machine, seq in sequences.items():
        state = jm.plant.machines[machine].initial_state
        for k in seq:
            product = jm.lots[jm.ops[k].lot_index].product
            change = jm.setups.between(machine, state, product)
            setup_of[k] = change.time if jm.setups.has_setups(machine) else 0
            machine_of[k] = machine
            state = product
    for k, p in pairs:
        start_of[k], end_of[k] = p.start, p.end
    for op in jm.ops:
        k = op.index
        model.add_hint(op.start, start_of[k])
        model.add_hint(op.end, end_of[k])
        for alt in op.alternatives:
            if alt.present is not None:
                model.add_hint(alt.present, alt.machine == machine_of[k])
        if op.setup_len is not None and op.setup_start is not None:
            model.add_hint(op.setup_len, setup_of[k])
            model.add_hint(op.setup_start, start_of[k] - setup_of[k])
    for machine, circuit in jm.sequences.items():
        order = sequences.get(machine, [])
        chosen = set(zip([-1, *order], [*order, -1], strict=True)) if order else set()
        for arc in circuit.arcs:
            model.add_hint(arc.literal, (arc.tail, arc.head) in chosen)
        if circuit.empty is not None:
            model.add_hint(circuit.empty, not order)
    _hint_criteria(jm, end_of)


def _hint_criteria(jm: JobShopModel, end_of: dict[int, int]) -> None:
    model = jm.model
    last_end = [end_of[ops[-1]] for ops in jm.lot_ops]
    if jm.makespan is not None:
        model.add_hint(jm.makespan, max(last_end, default=0))
    completion: dict[str, int] = {}
    for li, lot in enumerate(jm.lots):
        for order_id in lot.order_ids:
            completion[order_id] = max(completion.get(order_id, 0), last_end[li])
    for order_id, t in jm.tardiness.items():
        due = math.ceil(jm.plant.order_by_id[order_id].due)  # type: ignore[arg-type]
        value = max(0, completion[order_id] - due)
        model.add_hint(t, value)
        if order_id in jm.late:
            model.add_hint(jm.late[order_id], value > 0)
    for _, e, li, order_id in jm.earliness:
        due = math.floor(jm.plant.order_by_id[order_id].due)  # type: ignore[arg-type]
        model.add_hint(e, max(0, due - last_end[li]))


def decode(jm: JobShopModel, value: ValueOf) -> list[PlacedOp]:
    """Placed operations of a solution (``value`` reads a variable's value)."""
    machine_of: dict[int, str] = {}
    for op in jm.ops:
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
            lot = jm.lots[op.lot_index]
            change: Changeover = jm.setups.between(machine, state, lot.product)
            placed.append(PlacedOp(lot, op.step_number, machine, value(op.start),
                                   value(op.end), change))
            state = lot.product
    return placed


def _circuit_order(jm: JobShopModel, machine: str, value: ValueOf) -> list[int] | None:
    successor = {arc.tail: arc.head for arc in jm.sequences[machine].arcs if value(arc.literal)}
    order, node = [], successor.get(-1)
    while node is not None and node != -1:
        order.append(node)
        node = successor.get(node)
    return order
