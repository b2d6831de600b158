"""The CP-SAT job-shop model: lots as chains of operations over routing steps.

Data (plant + lots) → model. One method per constraint family:

- operations: a start and end per step of each lot; one optional interval per
  eligible machine (alternatives), exactly one chosen;
- step precedence: whole-lot transfer (one-off, batch) or lot streaming (mass);
- releases and hard deadlines;
- machines: no-overlap of runs, their changeovers and calendar downtime;
  a circuit for sequence-dependent changeovers where the machine has rules;
- criteria (makespan, tardiness, setup time and cost, holding, late orders),
  created only when the objective uses them.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.jobshop.sequencing import add_machine_sequence, allowed_pairs
from prodsched.jobshop.variables import Alternative, MachineSequence, Operation
from prodsched.lots.lot import Lot
from prodsched.objective import Criterion, Objective, Stage, integer_scale
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp

Term = tuple[Fraction, cp_model.LinearExprT]
# A constraint added to a built model (e.g. one job order on every machine).
ModelExtension = Callable[["JobShopModel"], None]

DEFAULT_MAX_ARCS = 40_000


class JobShopModel:
    """CP-SAT model of a plant whose lots are fixed.

    Parameters
    ----------
    plant
        The plant.
    lots
        The lots to schedule (quantities and allocations fixed).
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
    """

    def __init__(self, plant: Plant, lots: list[Lot], setups: SetupTable, objective: Objective,
                 *, reference: list[PlacedOp] | None = None,
                 max_arcs_per_machine: int = DEFAULT_MAX_ARCS,
                 extensions: Sequence[ModelExtension] = ()):
        self.plant = plant
        self.lots = lots
        self.setups = setups
        self.objective = objective
        self.reference = reference or []
        self.max_arcs = max_arcs_per_machine
        self.model = cp_model.CpModel()
        self.ops: list[Operation] = []
        self.lot_ops: list[list[int]] = []
        self.sequences: dict[str, MachineSequence] = {}
        self.restricted_machines: list[str] = []
        self._setup_terms: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        self._cost_terms: list[tuple[Fraction, cp_model.IntVar]] = []
        self.makespan: cp_model.IntVar | None = None
        self.tardiness: dict[str, cp_model.IntVar] = {}
        self.late: dict[str, cp_model.IntVar] = {}
        self.earliness: list[tuple[Fraction, cp_model.IntVar, int, str]] = []
        self.horizon = self._horizon()
        self._add_operations()
        self._add_step_precedences()
        self._add_releases_and_deadlines()
        self._add_machines()
        self._link_setup_lengths()
        for extend in extensions:
            extend(self)
        self._add_criteria()

    # -- size -------------------------------------------------------------
    def size(self) -> int:
        """Operations plus circuit arcs: a measure of how heavy the model is."""
        return len(self.ops) + sum(len(s.arcs) for s in self.sequences.values())

    def _horizon(self) -> int:
        """A safe upper bound on every time in an optimal schedule."""
        worst_setup = max((math.ceil(r.time) for r in self.plant.setup_rules), default=0)
        work = 0
        for lot in self.lots:
            for step in self.plant.routings[lot.product]:
                work += max(opt.duration(lot.quantity) for opt in step.options) + worst_setup
        latest = max([lot.release for lot in self.lots] + [0])
        downtime = sum(d.end - max(d.start, 0) for d in self.plant.downtimes if d.end > 0)
        last_down = max((d.end for d in self.plant.downtimes), default=0)
        reference_end = max((op.end for op in self.reference), default=0)
        return max(latest + work + downtime, last_down + work, reference_end) + 1

    # -- variables --------------------------------------------------------
    def _add_operations(self) -> None:
        m, horizon = self.model, self.horizon
        for li, lot in enumerate(self.lots):
            indices = []
            for si, step in enumerate(self.plant.routings[lot.product]):
                k = len(self.ops)
                start = m.new_int_var(0, horizon, f"start_{k}")
                end = m.new_int_var(0, horizon, f"end_{k}")
                op = Operation(k, li, si, step.number, start, end)
                with_setups = [o for o in step.options if self.setups.has_setups(o.machine)]
                if with_setups:
                    longest = self._longest_changeover(
                        lot.product, [o.machine for o in with_setups])
                    op.setup_len = m.new_int_var(0, longest, f"setup_{k}")
                    op.setup_start = m.new_int_var(0, horizon, f"setup_start_{k}")
                    m.add(op.setup_start == start - op.setup_len)
                single = len(step.options) == 1
                for opt in step.options:
                    duration = opt.duration(lot.quantity)
                    present = None if single else m.new_bool_var(f"on_{k}_{opt.machine}")
                    op.alternatives.append(Alternative(
                        opt.machine, opt, duration, present,
                        self._interval(op, opt.machine, duration, present)))
                if single:
                    m.add(end == start + op.alternatives[0].duration)
                else:
                    m.add_exactly_one([a.present for a in op.alternatives if a.present is not None])
                    m.add(end == start + sum(a.duration * a.literal for a in op.alternatives))
                self.ops.append(op)
                indices.append(k)
            self.lot_ops.append(indices)

    def _interval(self, op: Operation, machine: str, duration: int,
                  present: cp_model.IntVar | None) -> cp_model.IntervalVar:
        """The machine's busy interval: the run, and its changeover before it."""
        m, name = self.model, f"iv_{op.index}_{machine}"
        if self.setups.has_setups(machine):
            assert op.setup_start is not None and op.setup_len is not None
            size = op.setup_len + duration
            if present is None:
                return m.new_interval_var(op.setup_start, size, op.end, name)
            return m.new_optional_interval_var(op.setup_start, size, op.end, present, name)
        if present is None:
            return m.new_fixed_size_interval_var(op.start, duration, name)
        return m.new_optional_fixed_size_interval_var(op.start, duration, present, name)

    def _longest_changeover(self, product: str, machines: list[str]) -> int:
        states = set(self.plant.products) | {
            s for s in (self.plant.machines[mc].initial_state for mc in machines) if s}
        return max((self.setups.between(mc, s, product).time for mc in machines for s in states),
                   default=0)

    # -- constraints ------------------------------------------------------
    def _add_step_precedences(self) -> None:
        for li, indices in enumerate(self.lot_ops):
            streaming = self.lots[li].mode is Mode.MASS
            for a, b in itertools.pairwise(indices):
                prev, nxt = self.ops[a], self.ops[b]
                if not streaming:
                    self.model.add(nxt.start >= prev.end)
                    continue
                # lot streaming: the first unit moves on as soon as it is made
                unit_prev = sum(math.ceil(alt.option.time_per_unit) * alt.literal
                                for alt in prev.alternatives)
                unit_next = sum(math.ceil(alt.option.time_per_unit) * alt.literal
                                for alt in nxt.alternatives)
                self.model.add(nxt.start >= prev.start + unit_prev)
                self.model.add(nxt.end >= prev.end + unit_next)

    def _add_releases_and_deadlines(self) -> None:
        for li, lot in enumerate(self.lots):
            first, last = self.ops[self.lot_ops[li][0]], self.ops[self.lot_ops[li][-1]]
            if lot.release > 0:
                self.model.add(first.start >= lot.release)
            if lot.deadline is not None:
                self.model.add(last.end <= lot.deadline)

    def _add_machines(self) -> None:
        on_machine: dict[str, list[int]] = defaultdict(list)
        for op in self.ops:
            for alt in op.alternatives:
                on_machine[alt.machine].append(op.index)
        products = [self.lots[op.lot_index].product for op in self.ops]
        for machine in self.plant.machines:
            node_ops = on_machine.get(machine, [])
            intervals = [self.ops[k].alternative(machine).interval  # type: ignore[union-attr]
                         for k in node_ops]
            for start, end in self.plant.downtimes_of(machine):
                intervals.append(self.model.new_fixed_size_interval_var(
                    start, end - start, f"down_{machine}_{start}"))
            if len(intervals) > 1:
                self.model.add_no_overlap(intervals)
            if node_ops and self.setups.has_setups(machine):
                pairs = self._pairs(machine, node_ops)
                self.sequences[machine] = add_machine_sequence(
                    self.model, machine, self.ops, node_ops, products, self.setups,
                    self._setup_terms, self._cost_terms, pairs)

    def _pairs(self, machine: str, node_ops: list[int]) -> set[tuple[int, int]] | None:
        """All arcs, or on a very busy machine those near each other in the reference."""
        n = len(node_ops)
        if n * (n - 1) <= self.max_arcs or not self.reference:
            return None
        self.restricted_machines.append(machine)
        index = {(op.lot_index, op.step_number): op.index for op in self.ops}
        lot_index = {lot.lot_id: i for i, lot in enumerate(self.lots)}
        when: dict[int, tuple[int, int]] = {}
        on_this: list[tuple[int, int]] = []
        for ref in self.reference:
            k = index.get((lot_index.get(ref.lot.lot_id, -1), ref.step))
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
            terms = self._setup_terms.get(op.index, [])
            self.model.add(op.setup_len == sum(t * lit for t, lit in terms))

    # -- criteria ---------------------------------------------------------
    def _last_end(self, li: int) -> cp_model.IntVar:
        return self.ops[self.lot_ops[li][-1]].end

    def _add_criteria(self) -> None:
        used = self.objective.criteria
        m = self.model
        if Criterion.MAKESPAN in used:
            self.makespan = m.new_int_var(0, self.horizon, "makespan")
            m.add_max_equality(self.makespan, [self._last_end(li) for li in range(len(self.lots))])
        tardy = {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS, Criterion.LATE_ORDERS}
        if used & tardy:
            self._add_tardiness(Criterion.LATE_ORDERS in used)
        if Criterion.HOLDING_COST in used:
            self._add_earliness()

    def _lots_of_orders(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for li, lot in enumerate(self.lots):
            for order_id in lot.order_ids:
                out[order_id].append(li)
        return out

    def _add_tardiness(self, with_late_flags: bool) -> None:
        m = self.model
        lots_of = self._lots_of_orders()
        for order in self.plant.orders:
            if order.due is None:
                continue
            due = math.ceil(order.due)
            t = m.new_int_var(0, max(0, self.horizon - due), f"tardy_{order.order_id}")
            for li in lots_of[order.order_id]:
                m.add(t >= self._last_end(li) - due)
            self.tardiness[order.order_id] = t
            if with_late_flags:
                late = m.new_bool_var(f"late_{order.order_id}")
                m.add(t == 0).only_enforce_if(~late)
                self.late[order.order_id] = late

    def _add_earliness(self) -> None:
        m = self.model
        for li, lot in enumerate(self.lots):
            rate = self.plant.products[lot.product].holding_cost
            if rate == 0:
                continue
            for order_id, units in lot.allocations:
                order = self.plant.order_by_id.get(order_id)
                if order is None or order.due is None:
                    continue
                due = math.floor(order.due)
                if due <= 0:
                    continue
                e = m.new_int_var(0, due, f"early_{li}_{order_id}")
                m.add(e >= due - self._last_end(li))
                self.earliness.append((rate * units, e, li, order_id))

    def criterion_terms(self, criterion: Criterion) -> list[Term]:
        """The criterion as ``(coefficient, variable)`` terms (exact coefficients)."""
        weight = {o.order_id: o.weight for o in self.plant.orders}
        if criterion is Criterion.MAKESPAN:
            assert self.makespan is not None
            return [(Fraction(1), self.makespan)]
        if criterion is Criterion.WEIGHTED_TARDINESS:
            return [(weight[o], t) for o, t in self.tardiness.items() if weight[o]]
        if criterion is Criterion.TOTAL_TARDINESS:
            return [(Fraction(1), t) for t in self.tardiness.values()]
        if criterion is Criterion.LATE_ORDERS:
            return [(Fraction(1), flag) for flag in self.late.values()]
        if criterion is Criterion.SETUP_TIME:
            return [(Fraction(1), op.setup_len) for op in self.ops if op.setup_len is not None]
        if criterion is Criterion.SETUP_COST:
            return [(c, lit) for c, lit in self._cost_terms]
        if criterion is Criterion.HOLDING_COST:
            return [(c, e) for c, e, _, _ in self.earliness]
        raise ValueError(criterion)

    def stage_expression(self, stage: Stage) -> tuple[cp_model.LinearExpr, int]:
        """A stage as an integer expression and the scale dividing it back."""
        terms = [(w * c, v) for crit, w in stage.terms for c, v in self.criterion_terms(crit)]
        scale = integer_scale([c for c, _ in terms])
        coefficients = [round(c * scale) for c, _ in terms]
        return cp_model.LinearExpr.weighted_sum([v for _, v in terms], coefficients), scale
