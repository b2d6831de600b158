"""The CP-SAT job-shop model: lots as chains of operations over routing steps.

Lot plan (data) → model. One method per constraint family:

- lots: fixed lots (one-off) and slot lots whose sizes the model decides
  (batch, mass, auto; see :mod:`prodsched.jobshop.slots`); any lot may be
  optional (slots; the one-off alternative of an auto product);
- operations: a start and end per step of each lot; one optional interval
  per eligible machine (alternatives); durations follow the lot's quantity;
- step precedence: whole-lot transfer (one-off, batch) or lot streaming (mass);
- releases and hard deadlines;
- machines: no-overlap of runs, their changeovers and calendar downtime; a
  circuit for sequence-dependent changeovers where the machine has rules;
- criteria (makespan, tardiness, setup time and cost, holding, late orders),
  created only when the objective uses them (see :mod:`prodsched.jobshop.criteria`).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.jobshop import criteria
from prodsched.jobshop.sequencing import (
    add_group_entry_cuts,
    add_machine_sequence,
    allowed_pairs,
)
from prodsched.jobshop.slots import GroupVars, add_slot_group, largest_slot, unit_positions
from prodsched.jobshop.variables import Alternative, MachineSequence, ModelLot, Operation
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import Lot
from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import slot_prefix
from prodsched.objective import Criterion, Objective, Stage, integer_scale
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp

Term = tuple[Fraction, cp_model.LinearExprT]
# A constraint added to a built model (e.g. one job order on every machine).
ModelExtension = Callable[["JobShopModel"], None]

DEFAULT_MAX_ARCS = 40_000


class JobShopModel:
    """CP-SAT model of a plant.

    Parameters
    ----------
    plant
        The plant.
    plan
        The lot plan: fixed lots, and slot groups whose lots the model sizes.
    setups
        Changeover lookup of the plant.
    objective
        What to minimise; criterion variables are created for it only.
    reference
        A schedule (e.g. from a dispatch rule) used to bound the horizon and,
        on very busy machines, to choose which circuit arcs to build.
    max_arcs_per_machine
        Above this many arcs, a machine's circuit keeps only arcs between
        operations near each other in ``reference`` (and ``reference``'s own).
    extensions
        Called with the built model (before the criteria) to add constraints.
    deadline_literals
        Enforce each order's deadline only when its literal
        ``deadline_literal[order_id]`` is true, and each calendar row's downtime
        only when ``downtime_literal[k]`` is true (``k`` indexes
        ``plant.downtimes``), so that solving under these literals as
        assumptions tells which deadlines and downtimes conflict.
    """

    def __init__(self, plant: Plant, plan: LotPlan, setups: SetupTable, objective: Objective,
                 *, reference: list[PlacedOp] | None = None,
                 max_arcs_per_machine: int = DEFAULT_MAX_ARCS,
                 extensions: Sequence[ModelExtension] = (),
                 deadline_literals: bool = False):
        self.plant = plant
        self.plan = plan
        self.setups = setups
        self.objective = objective
        self.reference = reference or []
        self.max_arcs = max_arcs_per_machine
        self.model = cp_model.CpModel()
        self.lots: list[ModelLot] = []
        self.groups: list[GroupVars] = []
        self.ops: list[Operation] = []
        self.sequences: dict[str, MachineSequence] = {}
        self.restricted_machines: list[str] = []
        self.setup_terms: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        self.cost_terms: list[tuple[Fraction, cp_model.IntVar]] = []
        self.vars = criteria.CriterionVars()
        self.with_literals = deadline_literals
        self.deadline_literal: dict[str, cp_model.IntVar] = {}
        self.downtime_literal: dict[int, cp_model.IntVar] = {}
        self._add_lots()
        self.horizon = self._horizon()
        self._add_operations()
        self._add_step_precedences()
        self._add_fixed_lot_windows()
        for gv in self.groups:
            add_slot_group(self, gv)
        self._add_machines()
        self._link_setup_lengths()
        for extend in extensions:
            extend(self)
        criteria.add_criteria(self)

    # -- lots ---------------------------------------------------------------
    def _add_lot(self, name: str, product: str, mode: Mode, present: cp_model.IntVar | None,
                 quantity: int | cp_model.IntVar, max_quantity: int, streaming: bool,
                 lot: Lot | None = None, group: int | None = None,
                 slot: int | None = None) -> ModelLot:
        ml = ModelLot(len(self.lots), name, product, mode, present, quantity, max_quantity,
                      streaming, lot, group, slot)
        self.lots.append(ml)
        return ml

    def _add_lots(self) -> None:
        m = self.model
        for lot in self.plan.fixed:
            self._add_lot(lot.lot_id, lot.product, lot.mode, None, lot.quantity, lot.quantity,
                          lot.mode is Mode.MASS, lot=lot)
        for gi, group in enumerate(self.plan.groups):
            name = group.product.name
            gv = GroupVars(gi, group, [], [], unit_positions(group.orders))
            if group.one_off_option:
                gv.one_off = m.new_bool_var(f"one_off_{name}")
                for order in group.orders:
                    for lot in order_lots(order, group.product, Mode.ONE_OFF):
                        ml = self._add_lot(lot.lot_id, name, Mode.ONE_OFF, gv.one_off,
                                           lot.quantity, lot.quantity, False, lot=lot, group=gi)
                        gv.one_off_lots.append(ml.index)
            biggest = largest_slot(group)
            k_mult = group.product.lot_multiple
            low, _ = group.product.lot_size_range()
            for k in range(group.slots):
                present = m.new_bool_var(f"slot_{name}_{k}")
                units = m.new_int_var(0, biggest // k_mult, f"units_{name}_{k}")
                quantity = m.new_int_var(0, biggest, f"qty_{name}_{k}")
                m.add(quantity == k_mult * units)
                m.add(quantity >= low).only_enforce_if(present)
                m.add(quantity == 0).only_enforce_if(~present)
                ml = self._add_lot(slot_lot_id(name, k), name, group.mode, present, quantity,
                                   biggest, group.streaming, group=gi, slot=k)
                ml.units = units
                gv.lots.append(ml.index)
            self.groups.append(gv)

    # -- size -------------------------------------------------------------
    def size(self) -> int:
        """Operations plus circuit arcs: a measure of how heavy the model is."""
        return len(self.ops) + sum(len(s.arcs) for s in self.sequences.values())

    def _horizon(self) -> int:
        """A safe upper bound on every time in an optimal schedule.

        Everything can start after the latest release and due date, then run
        one lot after another around every downtime.
        """
        worst_setup = max((math.ceil(r.time) for r in self.plant.setup_rules), default=0)
        work = 0
        for lot in self.plan.fixed:
            for step in self.plant.routings[lot.product]:
                work += max(o.duration(lot.quantity) for o in step.options) + worst_setup
        for group in self.plan.groups:
            units = group.demand + largest_slot(group)
            lots = group.slots + (len(group.orders) if group.one_off_option else 0)
            for step in self.plant.routings[group.product.name]:
                longest = max(math.ceil(o.fixed_time + 1) * lots + o.duration(units)
                              for o in step.options)
                work += longest + worst_setup * lots
        # lots may wait for their due dates (holding cost), so start after the latest
        latest = max([o.release for o in self.plant.orders]
                     + [math.ceil(o.due) for o in self.plant.orders if o.due is not None]
                     + [0])
        downtime = sum(d.end - max(d.start, 0) for d in self.plant.downtimes if d.end > 0)
        last_down = max((d.end for d in self.plant.downtimes), default=0)
        reference_end = max((op.end for op in self.reference), default=0)
        return max(latest + work + downtime, last_down + work, reference_end) + 1

    # -- operations ---------------------------------------------------------
    def _add_operations(self) -> None:
        m, horizon = self.model, self.horizon
        for ml in self.lots:
            for si, step in enumerate(self.plant.routings[ml.product]):
                k = len(self.ops)
                op = Operation(k, ml.index, si, step.number,
                               m.new_int_var(0, horizon, f"start_{k}"),
                               m.new_int_var(0, horizon, f"end_{k}"))
                with_setups = [o.machine for o in step.options
                               if self.setups.has_setups(o.machine)]
                longest = 0
                if with_setups:
                    longest = self._longest_changeover(ml.product, with_setups)
                    op.setup_len = m.new_int_var(0, longest, f"setup_{k}")
                    op.setup_start = m.new_int_var(0, horizon, f"setup_start_{k}")
                    m.add(op.setup_start == op.start - op.setup_len)
                single = len(step.options) == 1
                for opt in step.options:
                    present = ml.present if single else m.new_bool_var(f"on_{k}_{opt.machine}")
                    duration, longest_run = self._duration(ml, opt, f"{k}_{opt.machine}")
                    interval, size = self._interval(op, opt.machine, duration,
                                                    longest_run + longest, present)
                    op.alternatives.append(Alternative(
                        opt.machine, opt, duration, longest_run, present, interval, size))
                lits = [a.present for a in op.alternatives if a.present is not None]
                if ml.present is None and not single:
                    m.add_exactly_one(lits)
                elif ml.present is not None and not single:
                    m.add(sum(lits) == ml.present)
                fixed = [(a.duration, a.literal) for a in op.alternatives
                         if isinstance(a.duration, int)]
                if len(fixed) == len(op.alternatives):
                    m.add(op.end == op.start + sum(d * lit for d, lit in fixed))
                if ml.present is not None:
                    m.add(op.start == 0).only_enforce_if(~ml.present)
                    m.add(op.end == 0).only_enforce_if(~ml.present)
                self.ops.append(op)
                ml.ops.append(k)

    def _duration(self, ml: ModelLot, opt: RoutingOption, name: str
                  ) -> tuple[int | cp_model.IntVar, int]:
        """The run's duration on ``opt``: ``ceil(fixed + q * time_per_unit)``."""
        if isinstance(ml.quantity, int):
            d = opt.duration(ml.quantity)
            return d, d
        low, high = math.ceil(opt.fixed_time), opt.duration(ml.max_quantity)
        if opt.time_per_unit == 0:
            return low, low
        m = self.model
        var = m.new_int_var(low, high, f"dur_{name}")
        den = math.lcm(opt.fixed_time.denominator, opt.time_per_unit.denominator)
        fixed, rate = int(opt.fixed_time * den), int(opt.time_per_unit * den)
        # exactly the ceiling: fixed + q*rate <= den*d < fixed + q*rate + den
        m.add(den * var >= fixed + rate * ml.quantity)
        m.add(den * var <= fixed + rate * ml.quantity + den - 1)
        return var, high

    def _interval(self, op: Operation, machine: str, duration: int | cp_model.IntVar,
                  longest: int, present: cp_model.IntVar | None
                  ) -> tuple[cp_model.IntervalVar, cp_model.IntVar | None]:
        """The machine's busy interval: the run, and its changeover before it.

        ``longest`` bounds the changeover plus the run. Also returns the
        size variable when the interval needs one (changeover + variable run).
        """
        m, name = self.model, f"iv_{op.index}_{machine}"
        if self.setups.has_setups(machine):
            assert op.setup_start is not None and op.setup_len is not None
            size_var = None
            if isinstance(duration, int):
                size: cp_model.LinearExprT = op.setup_len + duration
            else:
                size = size_var = m.new_int_var(0, longest, f"size_{name}")
                m.add(size_var == op.setup_len + duration)
            if present is None:
                return m.new_interval_var(op.setup_start, size, op.end, name), size_var
            return (m.new_optional_interval_var(op.setup_start, size, op.end, present, name),
                    size_var)
        if isinstance(duration, int):
            if present is None:
                return m.new_fixed_size_interval_var(op.start, duration, name), None
            return m.new_optional_fixed_size_interval_var(op.start, duration, present,
                                                          name), None
        if present is None:
            return m.new_interval_var(op.start, duration, op.end, name), None
        return m.new_optional_interval_var(op.start, duration, op.end, present, name), None

    def _longest_changeover(self, product: str, machines: list[str]) -> int:
        states = set(self.plant.products) | {
            s for s in (self.plant.machines[mc].initial_state for mc in machines) if s}
        return max((self.setups.between(mc, s, product).time for mc in machines for s in states),
                   default=0)

    # -- timing -------------------------------------------------------------
    def _add_step_precedences(self) -> None:
        for ml in self.lots:
            for a, b in itertools.pairwise(ml.ops):
                prev, nxt = self.ops[a], self.ops[b]
                if not ml.streaming:
                    self.model.add(nxt.start >= prev.end)
                    continue
                # lot streaming: the first unit moves on as soon as it is made
                unit_prev = sum(math.ceil(alt.option.time_per_unit) * alt.literal
                                for alt in prev.alternatives)
                unit_next = sum(math.ceil(alt.option.time_per_unit) * alt.literal
                                for alt in nxt.alternatives)
                self.model.add(nxt.start >= prev.start + unit_prev)
                self.model.add(nxt.end >= prev.end + unit_next)

    def _add_fixed_lot_windows(self) -> None:
        for ml in self.lots:
            if ml.lot is None:
                continue
            first, last = self.ops[ml.ops[0]], self.ops[ml.ops[-1]]
            if ml.lot.release > 0:
                c = self.model.add(first.start >= ml.lot.release)
                if ml.present is not None:
                    c.only_enforce_if(ml.present)
            if ml.lot.deadline is not None and not self.with_literals:
                self.model.add(last.end <= ml.lot.deadline)
            elif ml.lot.deadline is not None:
                for order_id in ml.lot.order_ids:
                    deadline = self.plant.order_by_id[order_id].deadline
                    if deadline is not None:
                        self.model.add(last.end <= deadline).only_enforce_if(
                            self.deadline_enforcement(order_id))

    def deadline_enforcement(self, order_id: str) -> list[cp_model.IntVar]:
        """Literals enforcing an order's deadline (none unless ``deadline_literals``)."""
        if not self.with_literals:
            return []
        if order_id not in self.deadline_literal:
            self.deadline_literal[order_id] = self.model.new_bool_var(f"deadline_{order_id}")
        return [self.deadline_literal[order_id]]

    def _downtime_layers(self, machine: str) -> list[list[cp_model.IntervalVar]]:
        """The machine's unavailable periods, in layers of periods that do not overlap.

        Overlapping calendar rows (a ``*`` holiday and a machine's maintenance)
        must not be one no-overlap constraint: they would contradict each
        other. Without literals they are merged into one layer of disjoint
        periods; with literals (see ``__init__``) each row keeps its own
        optional interval, and overlapping rows go to different layers.
        """
        if not self.with_literals:
            return [[self.model.new_fixed_size_interval_var(start, end - start,
                                                            f"down_{machine}_{start}")
                     for start, end in self.plant.unavailable(machine)]]
        rows = sorted((d.start, d.end, k) for k, d in enumerate(self.plant.downtimes)
                      if d.machine in (machine, "*"))
        layers: list[list[cp_model.IntervalVar]] = []
        layer_end: list[int] = []
        for start, end, k in rows:
            if k not in self.downtime_literal:
                self.downtime_literal[k] = self.model.new_bool_var(f"down_{k}")
            interval = self.model.new_optional_fixed_size_interval_var(
                start, end - start, self.downtime_literal[k], f"down_{machine}_{k}")
            free = next((i for i, e in enumerate(layer_end) if e <= start), None)
            if free is None:
                layers.append([])
                layer_end.append(0)
                free = len(layers) - 1
            layers[free].append(interval)
            layer_end[free] = end
        return layers

    # -- machines -----------------------------------------------------------
    def _add_machines(self) -> None:
        on_machine: dict[str, list[int]] = defaultdict(list)
        for op in self.ops:
            for alt in op.alternatives:
                on_machine[alt.machine].append(op.index)
        products = [self.lots[op.lot_index].product for op in self.ops]
        for machine in self.plant.machines:
            node_ops = on_machine.get(machine, [])
            runs = [self.ops[k].alternative(machine).interval  # type: ignore[union-attr]
                    for k in node_ops]
            for layer in self._downtime_layers(machine) or [[]]:
                if len(runs) + len(layer) > 1:
                    self.model.add_no_overlap(runs + layer)
            if node_ops and self.setups.has_setups(machine):
                pairs = self._pairs(machine, node_ops)
                seq = add_machine_sequence(
                    self.model, machine, self.ops, node_ops, products, self.setups,
                    self.setup_terms, self.cost_terms, pairs)
                self.sequences[machine] = seq
                self._add_entry_cuts(seq)

    def _add_entry_cuts(self, seq: MachineSequence) -> None:
        """Cuts making each product and family on the machine be entered once."""
        groups: dict[str, list[int]] = defaultdict(list)
        mandatory: set[str] = set()
        presence = {}
        for k in seq.nodes:
            op = self.ops[k]
            product = self.plant.products[self.lots[op.lot_index].product]
            alt = op.alternative(seq.machine)
            assert alt is not None
            presence[k] = alt.present
            groups[f"product {product.name}"].append(k)
            if product.family != product.name:
                groups[f"family {product.family}"].append(k)
            if len(op.alternatives) == 1:  # the product must run here
                mandatory |= {f"product {product.name}", f"family {product.family}"}
        add_group_entry_cuts(self.model, seq, groups, mandatory, presence)

    def _pairs(self, machine: str, node_ops: list[int]) -> set[tuple[int, int]] | None:
        """All arcs, or on a very busy machine those near each other in the reference."""
        n = len(node_ops)
        if n * (n - 1) <= self.max_arcs or not self.reference:
            return None
        self.restricted_machines.append(machine)
        index = {(self.lots[op.lot_index].name, op.step_number): op.index for op in self.ops}
        when: dict[int, tuple[int, int]] = {}
        on_this: list[tuple[int, int]] = []
        for ref in self.reference:
            k = index.get((ref.lot.lot_id, ref.step))
            if k is None:
                continue
            when[k] = (ref.start, ref.end)
            if ref.machine == machine:
                on_this.append((ref.start, k))
        on_this.sort()
        forced = {(a, b) for (_, a), (_, b) in itertools.pairwise(on_this)}
        order = sorted(node_ops, key=lambda k: when.get(k, (self.horizon, k)))
        window = max(2, self.max_arcs // (2 * n))
        return allowed_pairs(order, window, forced)

    def _link_setup_lengths(self) -> None:
        for op in self.ops:
            if op.setup_len is None:
                continue
            terms = self.setup_terms.get(op.index, [])
            self.model.add(op.setup_len == sum(t * lit for t, lit in terms))

    # -- objective ----------------------------------------------------------
    def last_end(self, ml: ModelLot) -> cp_model.IntVar:
        """End of the lot's last step (0 when the lot is not made)."""
        return self.ops[ml.ops[-1]].end

    def criterion_terms(self, criterion: Criterion) -> list[Term]:
        """The criterion as ``(coefficient, variable)`` terms (exact coefficients)."""
        return criteria.terms(self, criterion)

    def stage_expression(self, stage: Stage) -> tuple[cp_model.LinearExpr, int]:
        """A stage as an integer expression and the scale dividing it back."""
        terms = [(w * c, v) for crit, w in stage.terms for c, v in self.criterion_terms(crit)]
        scale = integer_scale([c for c, _ in terms])
        coefficients = [round(c * scale) for c, _ in terms]
        return cp_model.LinearExpr.weighted_sum([v for _, v in terms], coefficients), scale


def slot_lot_id(product: str, slot: int) -> str:
    """The lot id of a product's ``slot``-th lot (0-based slot)."""
    return f"{slot_prefix(product)}{slot + 1}"
