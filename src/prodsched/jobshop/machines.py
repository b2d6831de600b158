"""Machines: no-overlap of runs and changeovers, calendar downtime, changeover circuits.

Per machine, over the operations on it (free ones as optional intervals,
fixed ones as constants):

- one no-overlap of runs, changeovers and unavailable periods; where a run
  may pause over unavailable time, or fixed work lies on the machine, two:
  every run and changeover (pausing runs with the periods they span inside
  them), and the unavailable periods with what may not overlap them (the
  changeovers and the runs that do not pause);
- on machines with changeover rules, a circuit
  (:func:`prodsched.jobshop.sequencing.add_machine_sequence`), optionally with
  product- and family-entry cuts, and each operation's changeover time tied
  to its incoming arc (:func:`link_setup_lengths`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from prodsched.jobshop.sequencing import add_group_entry_cuts, add_machine_sequence
from prodsched.jobshop.shop import Shop
from prodsched.jobshop.variables import MachineSequence, Variables, all_constant

# (machine, operations on it) → allowed circuit arcs, or None for all
ArcFilter = Callable[[str, list[int]], set[tuple[int, int]] | None]


def machine_members(v: Variables) -> dict[str, list[int]]:
    """Per machine, the operations that take part in its constraints."""
    on_machine: dict[str, list[int]] = defaultdict(list)
    for op in v.ops:
        for alt in op.alternatives:
            if alt.interval is not None:
                on_machine[alt.machine].append(op.index)
    return on_machine


def add_machines(model: cp_model.CpModel, shop: Shop, v: Variables, machines: Iterable[str],
                 *, arcs: ArcFilter | None = None, last: dict[str, int] | None = None,
                 entry_cuts: bool = False) -> None:
    """No-overlap and calendar of each machine, and its circuit where it has
    changeover rules (``last``: the operation ending a machine's sequence, see
    :func:`~prodsched.jobshop.sequencing.add_machine_sequence`)."""
    on_machine = machine_members(v)
    products = [v.lots[op.lot_index].product for op in v.ops]
    for machine in machines:
        node_ops = on_machine.get(machine, [])
        add_no_overlap(model, shop, v, machine, node_ops)
        if node_ops and shop.setups.has_setups(machine):
            pairs = arcs(machine, node_ops) if arcs is not None else None
            seq = add_machine_sequence(model, shop, v, machine, node_ops, products, pairs,
                                       last=(last or {}).get(machine))
            v.sequences[machine] = seq
            if entry_cuts:
                add_entry_cuts(model, shop, v, seq)


def add_no_overlap(model: cp_model.CpModel, shop: Shop, v: Variables, machine: str,
                   node_ops: list[int]) -> None:
    """Runs, changeovers and downtime of one machine never overlap (pausing runs
    excepted with the downtime they span; see the module)."""
    busy: list[cp_model.IntervalVar] = []
    calendar: list[cp_model.IntervalVar] = []
    separate = False
    for k in node_ops:
        op = v.ops[k]
        alt = op.on_machine(machine)
        assert alt is not None and alt.interval is not None
        busy.append(alt.interval)
        if alt.setup is not None:
            busy.append(alt.setup)
        if op.fixed or alt.pausing:
            separate = True
            if alt.setup is not None and not op.fixed_setup:
                calendar.append(alt.setup)
        else:
            calendar.append(alt.interval)
            if alt.setup is not None:
                calendar.append(alt.setup)
    layers = downtime_layers(model, shop, v, machine) or [[]]
    if not separate:
        for layer in layers:
            _no_overlap(model, busy + layer)
        return
    _no_overlap(model, busy)
    for layer in layers:
        if layer:
            _no_overlap(model, calendar + layer)


def _no_overlap(model: cp_model.CpModel, intervals: list[cp_model.IntervalVar]) -> None:
    """A no-overlap, unless it has nothing to decide (see
    :func:`~prodsched.jobshop.variables.all_constant`)."""
    if len(intervals) > 1 and not all_constant(intervals):
        model.add_no_overlap(intervals)


def downtime_layers(model: cp_model.CpModel, shop: Shop, v: Variables, machine: str
                    ) -> list[list[cp_model.IntervalVar]]:
    """The machine's unavailable periods, in layers of periods that do not overlap.

    Overlapping calendar rows (a ``*`` holiday and a machine's maintenance)
    must not be one no-overlap constraint: they would contradict each
    other. Without literals they are merged into one layer of disjoint
    periods; with literals (``shop.literals``) each row keeps its own
    optional interval, enforced by ``v.downtime_literal[k]`` (``k`` indexes
    ``plant.downtimes``), and overlapping rows go to different layers.
    """
    if not shop.literals:
        return [[model.new_fixed_size_interval_var(start, end - start,
                                                   f"down_{machine}_{start}")
                 for start, end in shop.downtime(machine)]]
    rows = sorted((d.start, d.end, k) for k, d in enumerate(shop.plant.downtimes)
                  if d.machine in (machine, "*"))
    layers: list[list[cp_model.IntervalVar]] = []
    layer_end: list[int] = []
    for start, end, k in rows:
        if k not in v.downtime_literal:
            v.downtime_literal[k] = model.new_bool_var(f"down_{k}")
        interval = model.new_optional_fixed_size_interval_var(
            start, end - start, v.downtime_literal[k], f"down_{machine}_{k}")
        free = next((i for i, e in enumerate(layer_end) if e <= start), None)
        if free is None:
            layers.append([])
            layer_end.append(0)
            free = len(layers) - 1
        layers[free].append(interval)
        layer_end[free] = end
    return layers


def add_entry_cuts(model: cp_model.CpModel, shop: Shop, v: Variables,
                   seq: MachineSequence) -> None:
    """Cuts making each product and family on the machine be entered once."""
    groups: dict[str, list[int]] = defaultdict(list)
    mandatory: set[str] = set()
    presence = {}
    for k in seq.nodes:
        op = v.ops[k]
        product = shop.plant.products[v.lots[op.lot_index].product]
        alt = op.alternative(seq.machine)
        assert alt is not None
        presence[k] = alt.present
        groups[f"product {product.name}"].append(k)
        if product.family != product.name:
            groups[f"family {product.family}"].append(k)
        if len(op.alternatives) == 1:  # the product must run here
            mandatory |= {f"product {product.name}", f"family {product.family}"}
    add_group_entry_cuts(model, seq, groups, mandatory, presence)


def link_setup_lengths(model: cp_model.CpModel, v: Variables) -> None:
    """Each changeover lasts what its incoming arc's rule says (0 with none)."""
    for op in v.ops:
        if op.setup_len is None or isinstance(op.setup_len, int):
            continue
        terms = v.setup_terms.get(op.index, [])
        model.add(op.setup_len == sum(t * lit for t, lit in terms))
