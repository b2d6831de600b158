"""The CP-SAT model of one window: its operations move, the rest stays in order.

Operations of the window get the variables of the full job-shop model
(:mod:`prodsched.jobshop.variables`): a start and end, a changeover before
them, one optional interval per eligible machine of the window, and on
machines with changeover rules a circuit
(:func:`prodsched.jobshop.sequencing.add_machine_sequence`). What lies outside
the window enters as constants:

- on each machine, the run before the window gives the earliest start and
  the set-up the first changeover starts from; the run after it keeps its
  start, after the changeover from the window's last product (which must fit
  before it, between downtimes);
- a lot's step before the window gives a release time (whole-lot transfer or
  lot streaming, as in the full model); its step after the window either
  stays where it is (a due time, ``soft=None``) or may be pushed later at a
  cost (``soft``): the lot's weight per time unit beyond its slack to its
  due dates, plus ``soft`` per time unit of any push (a push also delays
  what follows it);
- calendars, releases and deadlines of lots ending in the window hold as
  always.

The objective is the real one restricted to what the window can change
(:mod:`prodsched.lns.subobjective`). The window's new order, put back between
the fixed runs, is re-timed over the whole plant
(:func:`prodsched.timeline.retime.retime`) and judged by the full objective.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.jobshop.sequencing import add_machine_sequence
from prodsched.jobshop.variables import Alternative, MachineSequence, Operation
from prodsched.lns.state import Indexed
from prodsched.lns.subobjective import WindowCriteria
from prodsched.lns.window import Window
from prodsched.lots.lot import Lot
from prodsched.objective import Objective
from prodsched.plant.model import Mode, Plant, RoutingOption, Step
from prodsched.plant.setups import Changeover, SetupTable


class _WindowSetups(SetupTable):
    """The plant's changeovers, with each machine's first one from its set-up at the
    window's start (what ran before the window) instead of its initial state."""

    def __init__(self, table: SetupTable, states: dict[str, str | None]):
        self.__dict__.update(table.__dict__)  # share the rules and the cache
        self.states = states

    def initial(self, machine: str, first: str) -> Changeover:
        """Changeover before the window's first run on ``machine``."""
        return self.between(machine, self.states.get(machine), first)


class _Boundary:
    """A machine's fixed neighbours of the window: the run before, the run after."""

    def __init__(self, plant: Plant, state: Indexed, machine: str, i: int, j: int):
        seq = state.by_machine.get(machine, [])
        before = state.ops[seq[i - 1]] if i > 0 else None
        after = state.ops[seq[j]] if j < len(seq) else None
        self.free_from = before.end if before is not None else 0
        self.state = before.lot.product if before is not None else \
            plant.machines[machine].initial_state
        self.after = after
        # the changeover into ``after`` must end by its start and begin after any downtime
        self.room = 0
        if after is not None:
            downs = [end for start, end in plant.unavailable(machine) if end <= after.start]
            self.room = after.start - max([self.free_from, *downs])


class WindowModel:
    """CP-SAT model of one window (see the module), hinted with the current schedule.

    Parameters
    ----------
    plant, setups, objective
        The plant, its changeover lookup, what is minimised.
    state
        The current schedule.
    window
        The operations that may move.
    soft
        ``None``: lots' next steps outside the window stay where they are;
        else the cost per time unit of pushing one later.
    """

    def __init__(self, plant: Plant, setups: SetupTable, objective: Objective,
                 state: Indexed, window: Window, soft: float | None = None):
        self.plant, self.state, self.objective, self.soft = plant, state, objective, soft
        self.model = cp_model.CpModel()
        self.free = window.free(state)
        self.index = {k: n for n, k in enumerate(self.free)}
        self.machines = list(window.segments)
        self.bounds = {m: _Boundary(plant, state, m, i, j)
                       for m, (i, j) in window.segments.items()}
        self.setups = _WindowSetups(setups, {m: b.state for m, b in self.bounds.items()})
        self.horizon = self._horizon()
        self.ops: list[Operation] = []
        self.sequences: dict[str, MachineSequence] = {}
        self.setup_terms: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        self.cost_terms: list[tuple[Fraction, cp_model.IntVar]] = []
        self.time_terms: list[tuple[int, cp_model.IntVar]] = []
        self.delays: list[tuple[Fraction, cp_model.IntVar]] = []
        self._hint: dict[int, int] = {}
        self._add_operations()
        self._add_lot_bounds()
        self._add_machines()
        self.criteria = WindowCriteria(self)
        proto = self.model.proto
        proto.solution_hint.vars.extend(self._hint.keys())
        proto.solution_hint.values.extend(self._hint.values())

    def stages(self) -> list[tuple[str, cp_model.LinearExpr, int]]:
        """Each stage of the objective as ``(name, integer expression, scale)``."""
        return self.criteria.stages()

    def hinted(self, var: cp_model.IntVar | int, value: int | bool) -> None:
        """Hint ``var`` (a variable or negated literal; constants are skipped) at ``value``."""
        if isinstance(var, int):
            return
        index = var.index
        if index < 0:
            self._hint[-index - 1] = 1 - int(value)
        else:
            self._hint[index] = int(value)

    def moves(self, value: Callable[[object], int]) -> dict[int, tuple[str, int, int]]:
        """Operation → (machine, start, end) in a solution."""
        out = {}
        for n, k in enumerate(self.free):
            op = self.ops[n]
            machine = next(a.machine for a in op.alternatives
                           if a.present is None or value(a.present))
            out[k] = (machine, value(op.start), value(op.end))
        return out

    # -- variables ----------------------------------------------------------
    def _step(self, k: int) -> Step:
        op = self.state.ops[k]
        return next(s for s in self.plant.routings[op.lot.product] if s.number == op.step)

    def _option_of(self, k: int) -> RoutingOption:
        found = self._step(k).option(self.state.ops[k].machine)
        assert found is not None
        return found

    def _horizon(self) -> int:
        ops = self.state.ops
        worst = max((math.ceil(r.time) for r in self.plant.setup_rules), default=0)
        work = sum(max(o.duration(ops[k].lot.quantity)
                       for o in self._step(k).options) + worst for k in self.free)
        latest = max([ops[k].end for k in self.free]
                     + [b.after.start for b in self.bounds.values() if b.after is not None])
        down = max((d.end for d in self.plant.downtimes), default=0)
        return max(latest, down) + work + 1

    def _add_operations(self) -> None:
        m, horizon = self.model, self.horizon
        for n, k in enumerate(self.free):
            placed = self.state.ops[k]
            options = [o for o in self._step(k).options if o.machine in self.bounds]
            op = Operation(n, n, 0, placed.step, m.new_int_var(0, horizon, f"start_{n}"),
                           m.new_int_var(0, horizon, f"end_{n}"))
            with_setups = [o.machine for o in options if self.setups.has_setups(o.machine)]
            if with_setups:
                states = {*self.plant.products, *(self.bounds[mc].state for mc in with_setups)}
                longest = max(self.setups.between(mc, s, placed.lot.product).time
                              for mc in with_setups for s in states if s is not None)
                op.setup_len = m.new_int_var(0, longest, f"setup_{n}")
                op.setup_start = m.new_int_var(0, horizon, f"setup_start_{n}")
                m.add(op.setup_start == op.start - op.setup_len)
                self.hinted(op.setup_len, placed.setup.time)
                self.hinted(op.setup_start, placed.start - placed.setup.time)
            single = len(options) == 1
            for opt in options:
                op.alternatives.append(self._alternative(op, opt, placed.lot, single))
                present = op.alternatives[-1].present
                if present is not None:
                    self.hinted(present, opt.machine == placed.machine)
            if not single:
                m.add_exactly_one([a.present for a in op.alternatives
                                   if a.present is not None])
            m.add(op.end == op.start + cp_model.LinearExpr.weighted_sum(
                [a.literal for a in op.alternatives],
                [a.max_duration for a in op.alternatives]))
            self.hinted(op.start, placed.start)
            self.hinted(op.end, placed.end)
            self.ops.append(op)

    def _alternative(self, op: Operation, opt: RoutingOption, lot: Lot,
                     single: bool) -> Alternative:
        """The operation on one machine: its interval covers the changeover when the
        machine has changeover rules."""
        m, name = self.model, f"iv_{op.index}_{opt.machine}"
        present = None if single else m.new_bool_var(f"on_{op.index}_{opt.machine}")
        d = opt.duration(lot.quantity)
        if self.setups.has_setups(opt.machine):
            assert op.setup_len is not None and op.setup_start is not None
            if present is None:
                iv = m.new_interval_var(op.setup_start, op.setup_len + d, op.end, name)
            else:
                iv = m.new_optional_interval_var(op.setup_start, op.setup_len + d, op.end,
                                                 present, name)
        elif present is None:
            iv = m.new_fixed_size_interval_var(op.start, d, name)
        else:
            iv = m.new_optional_fixed_size_interval_var(op.start, d, present, name)
        return Alternative(opt.machine, opt, d, d, present, iv)

    def _unit(self, op: Operation) -> cp_model.LinearExpr:
        """The time of one unit on the chosen machine (lot streaming)."""
        return cp_model.LinearExpr.weighted_sum(
            [a.literal for a in op.alternatives],
            [math.ceil(a.option.time_per_unit) for a in op.alternatives])

    # -- lots -----------------------------------------------------------------
    def _add_lot_bounds(self) -> None:
        m, ops = self.model, self.state.ops
        for n, k in enumerate(self.free):
            op, lot = self.ops[n], ops[k].lot
            streaming = lot.mode is Mode.MASS
            before, after = self.state.neighbours(k)
            if before is None:
                if lot.release > 0:
                    m.add(op.start >= lot.release)
            elif before in self.index:
                prev = self.ops[self.index[before]]
                if streaming:
                    m.add(op.start >= prev.start + self._unit(prev))
                    m.add(op.end >= prev.end + self._unit(op))
                else:
                    m.add(op.start >= prev.end)
            else:
                fixed = ops[before]
                if streaming:
                    unit = math.ceil(self._option_of(before).time_per_unit)
                    m.add(op.start >= fixed.start + unit)
                    m.add(op.end >= fixed.end + self._unit(op))
                else:
                    m.add(op.start >= fixed.end)
            if after is None:
                if lot.deadline is not None:
                    m.add(op.end <= lot.deadline)
            elif after not in self.index:
                self._before_fixed(n, k, after)

    def _before_fixed(self, n: int, k: int, after: int) -> None:
        """The lot's next step, outside the window: a due time, or a push at a cost."""
        m, op, ops = self.model, self.ops[n], self.state.ops
        fixed, lot = ops[after], ops[k].lot
        streaming = lot.mode is Mode.MASS
        if self.soft is None:
            if streaming:
                unit = math.ceil(self._option_of(after).time_per_unit)
                m.add(op.start + self._unit(op) <= fixed.start)
                m.add(op.end + unit <= fixed.end)
            else:
                m.add(op.end <= fixed.start)
            return
        push = op.start + self._unit(op) - fixed.start if streaming else op.end - fixed.start
        delay = m.new_int_var(0, self.horizon, f"delay_{n}")
        m.add(delay >= push)
        self.hinted(delay, 0)
        weight = sum((self.plant.order_by_id[o].weight for o in lot.order_ids), Fraction(0))
        slack = self._slack(lot)
        if slack is not None and weight:
            over = m.new_int_var(0, self.horizon, f"over_{n}")
            m.add(over >= delay - slack)
            self.hinted(over, 0)
            self.delays.append((weight, over))
        if self.soft:
            self.delays.append((Fraction(self.soft).limit_denominator(1000), delay))

    def _slack(self, lot: Lot) -> int | None:
        """How much later the lot can complete before some order of it is (more) late."""
        state, ops = self.state, self.state.ops
        out: int | None = None
        for order_id in lot.order_ids:
            due = self.plant.order_by_id[order_id].due
            if due is None:
                continue
            done = max(ops[state.by_lot[lot_id][-1]].end
                       for lot_id in state.lot_of_order[order_id])
            room = max(0, math.floor(due) - done)
            out = room if out is None else min(out, room)
        return out

    # -- machines -----------------------------------------------------------
    def _add_machines(self) -> None:
        m = self.model
        on: dict[str, list[int]] = defaultdict(list)
        for op in self.ops:
            for alt in op.alternatives:
                on[alt.machine].append(op.index)
        products = [self.state.ops[k].lot.product for k in self.free]
        for machine in self.machines:
            nodes = on.get(machine, [])
            bound = self.bounds[machine]
            latest = bound.after.start if bound.after is not None else self.horizon
            downs = [m.new_fixed_size_interval_var(lo, hi - lo, f"down_{machine}_{lo}")
                     for lo, hi in ((max(s, bound.free_from), min(e, latest))
                                    for s, e in self.plant.unavailable(machine))
                     if hi > lo]
            alts = [self._on(n, machine) for n in nodes]
            if len(alts) + len(downs) > 1:
                m.add_no_overlap([a.interval for a in alts] + downs)
            with_setups = self.setups.has_setups(machine)
            for n, alt in zip(nodes, alts, strict=True):
                op = self.ops[n]
                begin = op.setup_start if with_setups else op.start
                assert begin is not None
                enforce = [] if alt.present is None else [alt.present]
                m.add(begin >= bound.free_from).only_enforce_if(enforce)
                if bound.after is not None:
                    m.add(op.end <= bound.after.start).only_enforce_if(enforce)
            if nodes and with_setups:
                seq = add_machine_sequence(m, machine, self.ops, nodes, products, self.setups,
                                           self.setup_terms, self.cost_terms)
                self.sequences[machine] = seq
                self._close(machine, seq, products)
                self._hint_sequence(machine, seq)
        for op in self.ops:
            if op.setup_len is not None:
                terms = self.setup_terms.get(op.index, [])
                m.add(op.setup_len == cp_model.LinearExpr.weighted_sum(
                    [lit for _, lit in terms], [t for t, _ in terms]))

    def _on(self, n: int, machine: str) -> Alternative:
        found = self.ops[n].alternative(machine)
        assert found is not None
        return found

    def _close(self, machine: str, seq: MachineSequence, products: list[str]) -> None:
        """The changeover from the window's last run into the fixed run after it."""
        bound = self.bounds[machine]
        after = bound.after
        if after is None:
            return
        m = self.model
        for arc in seq.arcs:
            if arc.head != -1:
                continue
            change = self.setups.between(machine, products[arc.tail], after.lot.product)
            self._account_after(change, arc.literal)
            if change.time > bound.room:
                m.add(arc.literal == 0)
            else:
                m.add(self.ops[arc.tail].end + change.time <= after.start).only_enforce_if(
                    arc.literal)
        if seq.empty is not None:
            change = self.setups.between(machine, bound.state, after.lot.product)
            self._account_after(change, seq.empty)
            if change.time > bound.room:
                m.add(seq.empty == 0)

    def _account_after(self, change: Changeover, literal: cp_model.IntVar) -> None:
        if change.time:
            self.time_terms.append((change.time, literal))
        if change.cost:
            self.cost_terms.append((change.cost, literal))

    def _hint_sequence(self, machine: str, seq: MachineSequence) -> None:
        ops = self.state.ops
        order = sorted((n for n in seq.nodes if ops[self.free[n]].machine == machine),
                       key=lambda n: ops[self.free[n]].start)
        chosen = set(zip([-1, *order], [*order, -1], strict=True)) if order else set()
        for arc in seq.arcs:
            self.hinted(arc.literal, (arc.tail, arc.head) in chosen)
        if seq.empty is not None:
            self.hinted(seq.empty, not order)
