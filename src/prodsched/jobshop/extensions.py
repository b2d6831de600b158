"""Model extensions: constraints some benchmark formats add to the job-shop model.

Each extension is a :data:`~prodsched.jobshop.builder.ModelExtension`: it is
called with the built :class:`~prodsched.jobshop.builder.JobShopModel`
(operations, machines and changeover circuits in place, criteria not yet).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from prodsched.jobshop.builder import JobShopModel

DEPOT = -1


def machine_operations(jm: JobShopModel) -> dict[str, dict[int, int]]:
    """Per machine, the operation each lot runs on it (lot index → operation index).

    Raises
    ------
    ValueError
        When the model is not a flow shop: an operation with a choice of
        machines, or a lot with two operations on one machine.
    """
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for op in jm.ops:
        if len(op.alternatives) != 1:
            raise ValueError(f"operation {op.index} may run on several machines; one job "
                             "order on every machine needs one machine per operation")
        machine = op.alternatives[0].machine
        if op.lot_index in out[machine]:
            raise ValueError(f"lot {op.lot_index} visits {machine} twice")
        out[machine][op.lot_index] = op.index
    return dict(out)


def same_job_order(jm: JobShopModel) -> None:
    """Every machine processes the lots in one common order (a permutation schedule).

    One circuit over the lots (``order[i, j]``: lot ``j`` comes right after
    lot ``i`` in the common order) is tied to every machine: a machine with
    a changeover circuit has its arc literals made equal to the order's; a
    machine without one gets ``order[i, j] ⇒ end(i) <= start(j)``. Every
    machine must then run all the lots (checked).

    Raises
    ------
    ValueError
        When some lot does not run on every machine or an operation has a
        choice of machines.
    """
    model = jm.model
    n = len(jm.lots)
    per_machine = machine_operations(jm)
    for machine, lots in per_machine.items():
        if len(lots) != n:
            raise ValueError(f"{len(lots)} of {n} lots run on {machine}; one job order "
                             "on every machine needs every lot on every machine")
    order: dict[tuple[int, int], cp_model.IntVar] = {}
    circuit: list[tuple[int, int, cp_model.IntVar]] = []
    for i in range(DEPOT, n):
        for j in range(DEPOT, n):
            if i != j and (i, j) != (DEPOT, DEPOT):
                lit = model.new_bool_var(f"order_{i}_{j}")
                order[i, j] = lit
                circuit.append((i + 1, j + 1, lit))
    model.add_circuit(circuit)
    for machine, lots in per_machine.items():
        sequence = jm.sequences.get(machine)
        if sequence is None:
            for (i, j), lit in order.items():
                if DEPOT not in (i, j):
                    model.add(jm.ops[lots[i]].end <= jm.ops[lots[j]].start).only_enforce_if(lit)
            continue
        lot_of = {op: li for li, op in lots.items()}
        lot_of[DEPOT] = DEPOT
        tied = set()
        for arc in sequence.arcs:
            key = (lot_of[arc.tail], lot_of[arc.head])
            model.add(arc.literal == order[key])
            tied.add(key)
        for key, lit in order.items():
            if key not in tied:         # an arc the machine's circuit left out
                model.add(lit == 0)
