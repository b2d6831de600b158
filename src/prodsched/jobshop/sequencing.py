"""Sequence-dependent changeovers on one machine: a circuit over its lots.

Built only for machines that have changeover rules (the quadratic part of the
model). Each operation that may run on the machine is a node; an arc
``i → j`` means ``j`` runs right after ``i``, so ``j``'s changeover is the rule
from ``i``'s product to ``j``'s (its time, cost and shared resources), and
``j``'s changeover starts after ``i`` ends. The depot arcs give the first lot
the changeover from the machine's initial state. An absent operation takes
its self-loop; a fixed one is always present.

For very busy machines, arcs can be limited to pairs close in a reference
sequence (a dispatch schedule) plus that sequence's own arcs, which keeps the
model linear in size at the price of optimality.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import Arc, MachineSequence, Operation, Variables
from prodsched.plant.setups import Changeover


def allowed_pairs(order: Sequence[int], window: int, forced: set[tuple[int, int]]
                  ) -> set[tuple[int, int]]:
    """Pairs ``(i, j)`` within ``window`` positions of each other in ``order``."""
    pairs = set(forced)
    for a, i in enumerate(order):
        for j in order[max(0, a - window): a + window + 1]:
            if i != j:
                pairs.add((i, j))
    return pairs


def add_machine_sequence(
    model: cp_model.CpModel,
    shop: Shop,
    v: Variables,
    machine: str,
    node_ops: list[int],
    products: list[str],
    pairs: set[tuple[int, int]] | None = None,
    *,
    last: int | None = None,
) -> MachineSequence:
    """Add the circuit of ``machine`` over the operations ``node_ops``.

    Fixed operations are nodes that are always present, at their fixed times;
    an arc into one whose setup row is fixed (fixed.csv) exists only when its
    changeover fits in that row. The depot arcs take the changeover from the
    machine's state where its part of the model starts
    (:meth:`~prodsched.jobshop.shop.Shop.initial`).

    Parameters
    ----------
    products
        Product of each operation (indexed like ``v.ops``).
    pairs
        Allowed ``(tail, head)`` pairs of operation indices; ``None``: all.
    last
        An operation that ends the machine's sequence (the fixed run after a
        window): no arc leaves it but to the depot, and none other reaches it.

    Fills ``v.setup_terms`` (``(time, literal)`` per head: its changeover time),
    ``v.setup_resources`` and ``v.cost_terms``.
    """
    ops = v.ops
    seq = MachineSequence(machine, list(node_ops))
    node = {op_index: k + 1 for k, op_index in enumerate(node_ops)}
    circuit: list[tuple[int, int, cp_model.LiteralT]] = []
    all_optional = True
    for j in node_ops:
        alt = ops[j].alternative(machine)
        assert alt is not None
        head = ops[j]
        assert head.setup_start is not None
        # first on the machine: changeover from the initial state
        first = model.new_bool_var(f"first_{machine}_{j}")
        circuit.append((0, node[j], first))
        seq.arcs.append(Arc(-1, j, first))
        _account(v, shop.initial(machine, products[j]), head, first)
        if last is None or j == last:
            done = model.new_bool_var(f"last_{machine}_{j}")
            circuit.append((node[j], 0, done))
            seq.arcs.append(Arc(j, -1, done))
        if alt.present is not None:
            circuit.append((node[j], node[j], ~alt.present))
        else:
            all_optional = False
        for i in node_ops:
            if i in (j, last) or (pairs is not None and (i, j) not in pairs):
                continue
            tail = ops[i]
            change = shop.setups.between(machine, products[i], products[j])
            if not _may_precede(tail, head, change.time):
                continue
            lit = model.new_bool_var(f"arc_{machine}_{i}_{j}")
            circuit.append((node[i], node[j], lit))
            seq.arcs.append(Arc(i, j, lit))
            _account(v, change, head, lit)
            if not (isinstance(tail.end, int) and isinstance(head.setup_start, int)):
                model.add(tail.end <= head.setup_start).only_enforce_if(lit)
    if all_optional:
        seq.empty = model.new_bool_var(f"empty_{machine}")
        circuit.append((0, 0, seq.empty))
    model.add_circuit(circuit)
    _add_degrees(model, seq, ops, machine)
    return seq


def _may_precede(tail: Operation, head: Operation, changeover: int) -> bool:
    """Whether ``tail`` may run right before ``head`` (fixed times and setup rows allowing)."""
    if tail.fixed and head.fixed:
        assert isinstance(tail.end, int) and isinstance(head.start, int)
        begin = head.setup_start if isinstance(head.setup_start, int) else head.start
        if tail.end > begin:
            return False
    if head.fixed_setup and not tail.fixed:
        # new work before a fixed run: its changeover fits the fixed setup row
        assert isinstance(head.setup_len, int)
        return changeover <= head.setup_len
    return True


def _add_degrees(model: cp_model.CpModel, seq: MachineSequence, ops: list[Operation],
                 machine: str) -> None:
    """Redundant linear degree constraints of the circuit, for the LP relaxation.

    Each present operation has one arc in and one arc out; the depot has one
    first and one last operation unless the machine is empty.
    """
    incoming: dict[int, list[cp_model.IntVar]] = {k: [] for k in seq.nodes}
    outgoing: dict[int, list[cp_model.IntVar]] = {k: [] for k in seq.nodes}
    firsts, lasts = [], []
    for arc in seq.arcs:
        if arc.head == -1:
            lasts.append(arc.literal)
        else:
            incoming[arc.head].append(arc.literal)
        if arc.tail == -1:
            firsts.append(arc.literal)
        else:
            outgoing[arc.tail].append(arc.literal)
    for k in seq.nodes:
        alt = ops[k].alternative(machine)
        assert alt is not None
        model.add(sum(incoming[k]) == alt.literal)
        model.add(sum(outgoing[k]) == alt.literal)
    used = 1 if seq.empty is None else 1 - seq.empty
    model.add(sum(firsts) == used)
    model.add(sum(lasts) == used)


def add_group_entry_cuts(model: cp_model.CpModel, seq: MachineSequence,
                         groups: dict[str, list[int]], mandatory: set[str],
                         presence: dict[int, cp_model.IntVar | None]) -> int:
    """Every group of operations (a product, a family) on the machine is entered.

    For each group, the arcs from outside it (or from the depot) into it sum to
    at least one when any of its operations runs on the machine: a
    subtour-elimination cut at the level of products and families, which
    lets the LP bound count the changeovers between groups.

    Parameters
    ----------
    groups
        Group name → operation indices (nodes of ``seq``).
    mandatory
        Groups certain to run on the machine.
    presence
        Operation index → its presence literal on the machine (``None``: always).

    Returns
    -------
    int
        The number of cuts added.
    """
    added = 0
    for name, members in groups.items():
        inside = set(members)
        if len(inside) == len(seq.nodes):
            continue  # the group is the whole machine: entered from the depot anyway
        entries = [a.literal for a in seq.arcs if a.head in inside and a.tail not in inside]
        if name in mandatory or any(presence[k] is None for k in members):
            model.add(sum(entries) >= 1)
        else:
            used = model.new_bool_var(f"uses_{seq.machine}_{name}")
            model.add_max_equality(used, [p for k in members if (p := presence[k]) is not None])
            model.add(sum(entries) >= used)
            seq.group_used.append((used, members))
        added += 1
    return added


def _account(v: Variables, change: Changeover, head: Operation, lit: cp_model.IntVar) -> None:
    """Record what the arc ``lit`` into ``head`` costs: time, cost, shared resources."""
    if not head.fixed_setup:
        if change.time:
            v.setup_terms.setdefault(head.index, []).append((change.time, lit))
        for use in change.resources:
            v.setup_resources.setdefault(head.index, {}).setdefault(use.resource, []).append(
                (use.amount, lit))
    if change.cost:
        v.cost_terms.append((change.cost, lit))
