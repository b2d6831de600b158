"""The CP-SAT model of one window of a schedule: the full model with most work fixed.

The window model is built by the full model's own functions
(:mod:`prodsched.jobshop.builder`): operations, lot chains, release and
deadline windows, machines (no-overlap, calendar, pauses, circuits),
resources, criteria, hints. What differs is which operations are free: only
the window's (:class:`~prodsched.lns.window.Window`); every other operation
the model needs is a constant from the current schedule, with its machine,
order and times:

- the steps of the window's lots outside it (they bound the window's steps
  through the lots' precedences and longest waits);
- on each window machine, the run right after the window (a fixed node of
  the circuit that ends the machine's sequence, with its changeover from the
  window's last run as a variable), and fixed.csv's runs inside the window;
  the run right before the window is the machine's starting state and time
  (:class:`~prodsched.jobshop.shop.Shop`);
- every other run's hold on shared resources, as constant usage.

Two things belong to windows only: the window's runs stay between the runs
before and after it on each machine (:meth:`WindowModel._add_segments`), and a
lot's next step outside the window either stays where it is (``soft=None``)
or may be pushed later at a cost (``soft``): the lot's weight per time unit
beyond its slack to its due dates, plus ``soft`` per time unit of any push.

A window may also resize lots (:class:`Resize`): consecutive lots of one
product, all of whose steps lie in the window, give way to slot lots whose
sizes the model chooses together with their sequence (:mod:`~prodsched.jobshop.slots`,
as in the full model), over the units those lots held; one slot more than
there were lots lets the model split one, fewer present slots merge them.
Such a window's solution is taken as the model places it (:meth:`WindowModel.resized`).

The window's new order, put back between the fixed runs, is re-timed over
the whole plant (:func:`prodsched.timeline.retime.retime`) and judged by the full
objective; on plants with spec v2's rules (pauses, waits, resources, fixed
rows, ``now``) the window's own placement (:meth:`WindowModel.placed`)
replaces the window's runs instead, with next steps outside the window left
where they are, so the rules hold as the window model states them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from ortools.sat.python import cp_model

from prodsched.jobshop.criteria import add_criteria
from prodsched.jobshop.machines import add_machines, link_setup_lengths
from prodsched.jobshop.model import ShopModel
from prodsched.jobshop.operations import add_fixed_operation, add_operation
from prodsched.jobshop.resources import Usage, add_resources
from prodsched.jobshop.shop import Shop
from prodsched.jobshop.slots import add_slot_group, add_slot_lots, slot_work, unit_positions
from prodsched.jobshop.solution import add_hint, decode
from prodsched.jobshop.timing import add_lot_chains, add_lot_windows, unit_time
from prodsched.jobshop.variables import GroupVars, ModelLot, Operation
from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.lots.plan import SlotGroup
from prodsched.objective import Criterion, Objective
from prodsched.plant.model import Mode, Plant, Step
from prodsched.plant.setups import SetupTable
from prodsched.timeline.shop import machine_calendars


class Indexed(Protocol):
    """A complete schedule with its machine and lot neighbours, as the neighbourhood
    search keeps it (:class:`prodsched.lns.state.Indexed`)."""

    @property
    def ops(self) -> list[PlacedOp]:
        """Every step of every lot, placed."""

    @property
    def by_machine(self) -> dict[str, list[int]]:
        """Operation indices per machine, in start order."""

    @property
    def by_lot(self) -> dict[str, list[int]]:
        """Operation indices per lot, in routing order."""

    @property
    def lot_of_order(self) -> dict[str, list[str]]:
        """The lots holding each order's units."""


class Window(Protocol):
    """Operations ``by_machine[m][i:j]`` of every machine ``m`` in ``segments``
    (:class:`prodsched.lns.window.Window`)."""

    @property
    def segments(self) -> dict[str, tuple[int, int]]:
        """Machine → (first, end) positions in its sequence."""

@dataclass(frozen=True)
class Resize:
    """Consecutive lots of one product whose sizes a window's model chooses.

    Parameters
    ----------
    group
        The product, its lots' mode, the units of each order those lots hold
        (as orders of that many units, first in first out) and how many slot
        lots the model may use.
    lot_ids
        The lots given up, in line order; every step of each lies in the window.
    names
        The slot lots' ids, one per slot: ``lot_ids`` first, then unused ids.
    exact
        The slots hold exactly the ordered units (the lots are not the
        product's last, which alone may make units to ``STOCK``).
    """

    group: SlotGroup
    lot_ids: tuple[str, ...]
    names: tuple[str, ...]
    exact: bool


# How a schedule's operation takes part in a window's model: free; fixed.csv's run
# inside the window; the run right after the window on a machine; a step of a
# window's lot elsewhere (its times only).
FREE, PINNED, AFTER, CHAIN = "free", "pinned", "after", "chain"


class _Boundary:
    """A machine's fixed neighbours of the window: the run before, the run after."""

    def __init__(self, plant: Plant, state: Indexed, machine: str, i: int, j: int):
        seq = state.by_machine.get(machine, [])
        before = state.ops[seq[i - 1]] if i > 0 else None
        self.after = seq[j] if j < len(seq) else None
        self.free_from = before.end if before is not None else 0
        self.state = before.lot.product if before is not None else \
            plant.machines[machine].initial_state


class WindowModel(ShopModel):
    """CP-SAT model of one window (see the module), hinted with the current schedule.

    Parameters
    ----------
    plant, setups, objective
        The plant, its changeover lookup, what is minimised.
    state
        The current schedule.
    window
        The operations that may move (fixed.csv's among them stay).
    soft
        ``None``: lots' next steps outside the window stay where they are;
        else the cost per time unit of pushing one later.
    resize
        Lots whose sizes the model chooses (``soft`` must then be ``None``).
    """

    def __init__(self, plant: Plant, setups: SetupTable, objective: Objective,
                 state: Indexed, window: Window, soft: float | None = None,
                 resize: Resize | None = None):
        ops = state.ops
        self.state, self.soft, self.resize = state, soft, resize
        self.machines = list(window.segments)
        inside = [k for m, (i, j) in window.segments.items() for k in state.by_machine[m][i:j]]
        # the operations of the lots the model resizes (slot lots stand in for them)
        self.replaced = {k for lot_id in (resize.lot_ids if resize else ())
                         for k in state.by_lot[lot_id]}
        assert not self.replaced - set(inside), "a resized lot has steps outside the window"
        assert resize is None or soft is None, "a resizing window keeps next steps in place"
        self.free = [k for k in inside if not ops[k].fixed and k not in self.replaced]
        self.bounds = {m: _Boundary(plant, state, m, i, j)
                       for m, (i, j) in window.segments.items()}
        shop = Shop(plant, setups,
                    start_state={m: b.state for m, b in self.bounds.items()},
                    free_from={m: b.free_from for m, b in self.bounds.items()},
                    until={m: ops[b.after].start for m, b in self.bounds.items()
                           if b.after is not None})
        super().__init__(shop, objective)
        self.roles = {k: FREE for k in self.free}
        self.roles.update({k: PINNED for k in inside if ops[k].fixed})
        for b in self.bounds.values():
            if b.after is not None:
                self.roles[b.after] = AFTER
        shop.horizon = self._horizon()
        self.op_of: dict[int, int] = {}   # schedule's operation → model's
        self.slot_ops: list[int] = []     # the slot lots' operations (model's)
        self.delays: list[tuple[Fraction, cp_model.IntVar]] = []
        self._hints: list[tuple[object, int]] = []
        self._add_lots()
        slots = self._add_slots()
        m, v = self.model, self.variables
        add_lot_chains(m, shop, v, push=self._push if soft is not None else None)
        add_lot_windows(m, shop, v)
        if slots is not None:
            add_slot_group(m, shop, v, slots)
            if slots.group.orders and resize is not None and resize.exact:
                m.add(slots.cumulative[-1] == slots.group.demand)
        self._add_segments()
        last = {mc: self.op_of[b.after] for mc, b in self.bounds.items() if b.after is not None}
        add_machines(m, shop, v, self.machines, last=last)
        link_setup_lengths(m, v)
        add_resources(m, shop, v, self._outside_usage())
        floor, completions = self._outside_criteria()
        add_criteria(m, shop, v, objective, makespan_floor=floor, completions=completions)
        self.extra_terms = list(self.delays)
        add_hint(self, [ops[k] for k in [*self.op_of, *self.replaced]], extra=self._hints)

    def moves(self, value: Callable[[object], int]) -> dict[int, tuple[str, int, int]]:
        """Operation of the schedule → (machine, start, end) in a solution, for every
        operation of the window (fixed.csv's where they are)."""
        out = {}
        for k, role in self.roles.items():
            op = self.ops[self.op_of[k]]
            if role == FREE:
                machine = next(a.machine for a in op.alternatives
                               if a.present is None or value(a.present))
                out[k] = (machine, value(op.start), value(op.end))
            elif role == PINNED:
                placed = self.state.ops[k]
                out[k] = (placed.machine, placed.start, placed.end)
        return out

    def placed(self, value: Callable[[object], int]) -> dict[int, PlacedOp]:
        """Operation of the schedule → its placed operation in a solution, for the
        window's free runs and the runs right after it (whose changeover the model
        chose), with machine, times, changeover and ``setup_start`` as the model has
        them: put into the schedule, they make it a schedule the model's rules hold
        for, without re-timing."""
        _, decoded = decode(self, value)
        by_key = {(p.lot.lot_id, p.step): p for p in decoded}
        ops = self.state.ops
        return {k: by_key[(ops[k].lot.lot_id, ops[k].step)] for k, role in self.roles.items()
                if role in (FREE, AFTER)}

    def resized(self, value: Callable[[object], int]) -> list[PlacedOp]:
        """The whole schedule with a solution of a resizing window put in: the
        resized lots' steps replaced by the slot lots made, the window's other
        runs and the runs right after it as the model placed them (see
        :meth:`placed`)."""
        _, decoded = decode(self, value)
        by_key = {(p.lot.lot_id, p.step): p for p in decoded}
        gone = set(self.resize.lot_ids) if self.resize else set()
        out = []
        for k, op in enumerate(self.state.ops):
            if op.lot.lot_id in gone:
                continue
            role = self.roles.get(k)
            out.append(by_key[(op.lot.lot_id, op.step)] if role in (FREE, AFTER) else op)
        names = set(self.resize.names) if self.resize else set()
        return out + [p for p in decoded if p.lot.lot_id in names]

    # -- variables ----------------------------------------------------------
    def _horizon(self) -> int:
        ops, plant = self.state.ops, self.plant
        worst = max((math.ceil(r.time) for r in plant.setup_rules), default=0)
        work = 0
        for k in self.free:
            step = _step(plant, ops[k].lot.product, ops[k].step)
            work += max(o.duration(ops[k].lot.quantity) for o in step.options) + worst
        if self.resize is not None:
            group = self.resize.group
            work += slot_work(group, plant.routings[group.product.name], worst)
        latest = max([ops[k].end for k in self.free]
                     + [ops[b.after].start for b in self.bounds.values() if b.after is not None]
                     + [0])
        # room for all of the window's work after the latest end, on the calendar of
        # each of its machines (a run pauses over, or waits out, unavailable time); a
        # horizon past the plant's last unavailable period gave every pausing run a
        # choice against each period up to it (seconds to build on long calendars)
        start = max(latest, plant.earliest)
        calendars = machine_calendars(plant)
        # (advance is never before start + work: up-time is at most wall time)
        return max((calendars[m].advance(start, work) for m in self.bounds),
                   default=start + work) + 1

    def _add_lots(self) -> None:
        """A lot per lot with an operation in the model; an operation per step."""
        state, m, shop, v = self.state, self.model, self.shop, self.variables
        seen: dict[str, None] = {}
        for k in self.roles:
            seen.setdefault(state.ops[k].lot.lot_id, None)
        for lot_id in seen:
            chain = state.by_lot[lot_id]
            lot = state.ops[chain[0]].lot
            ml = ModelLot(len(v.lots), lot_id, lot.product, lot.mode, None, lot.quantity,
                          lot.quantity, lot.mode is Mode.MASS, lot=lot)
            v.lots.append(ml)
            route = list(self.plant.routings[lot.product])
            for k in chain:
                placed = state.ops[k]
                si = next(i for i, s in enumerate(route) if s.number == placed.step)
                role = self.roles.get(k, CHAIN)
                if role == FREE:
                    options = [o for o in route[si].options if o.machine in self.bounds]
                    op = add_operation(m, shop, v, ml, si, route[si], options)
                else:
                    op = add_fixed_operation(m, shop, v, ml, si, placed,
                                             on_machine=role != CHAIN,
                                             fixed_setup=role != AFTER or placed.fixed)
                self.op_of[k] = op.index

    def _add_slots(self) -> GroupVars | None:
        """The slot lots of a resizing window, an operation per step on the window's
        machines."""
        if self.resize is None:
            return None
        m, shop, v = self.model, self.shop, self.variables
        group = self.resize.group
        gv = GroupVars(len(v.groups), group, [], [], unit_positions(group.orders))
        add_slot_lots(m, v, gv, list(self.resize.names))
        for index in gv.lots:
            ml = v.lots[index]
            for si, step in enumerate(self.plant.routings[ml.product]):
                options = [o for o in step.options if o.machine in self.bounds]
                op = add_operation(m, shop, v, ml, si, step, options)
                self.slot_ops.append(op.index)
        return gv

    # -- window-only constraints ----------------------------------------------
    def _add_segments(self) -> None:
        """The window's runs stay between the runs before and after it on each machine."""
        m = self.model
        for index in [*(self.op_of[k] for k in self.free), *self.slot_ops]:
            op = self.ops[index]
            for alt in op.alternatives:
                bound = self.bounds[alt.machine]
                begin = op.setup_start if self.setups.has_setups(alt.machine) else op.start
                assert begin is not None
                enforce = [] if alt.present is None else [alt.present]
                m.add(begin >= bound.free_from).only_enforce_if(enforce)
                if bound.after is not None:
                    m.add(op.end <= self.state.ops[bound.after].start).only_enforce_if(enforce)

    def _push(self, ml: ModelLot, op: Operation, after: Operation) -> None:
        """The lot's next step, outside the window, may be pushed later at a cost."""
        m, lot = self.model, ml.lot
        assert lot is not None
        push = (op.start + unit_time(op) - after.start if ml.streaming
                else op.end - after.start)
        delay = m.new_int_var(0, self.horizon, f"delay_{op.index}")
        m.add(delay >= push)
        self._hints.append((delay, 0))
        weight = sum((self.plant.order_by_id[o].weight for o in lot.order_ids), Fraction(0))
        slack = self._slack(lot)
        if slack is not None and weight:
            over = m.new_int_var(0, self.horizon, f"over_{op.index}")
            m.add(over >= delay - slack)
            self._hints.append((over, 0))
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

    # -- what lies outside the model ----------------------------------------------
    def _outside_criteria(self) -> tuple[int, dict[str, int]]:
        """The makespan of everything outside the window, and the completions of the
        window's orders by lots the model does not have."""
        used = self.objective.criteria
        state, ops = self.state, self.state.ops
        floor = 0
        completions: dict[str, int] = {}
        if Criterion.MAKESPAN in used:
            floor = max((op.end for k, op in enumerate(ops)
                         if self.roles.get(k) != FREE and k not in self.replaced), default=0)
        if used & {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS,
                   Criterion.LATE_ORDERS}:
            inside = {ml.name for ml in self.lots} | (
                set(self.resize.lot_ids) if self.resize else set())
            orders = {order_id for ml in self.lots if ml.lot is not None
                      for order_id in ml.lot.order_ids}
            orders |= {o.order_id for gv in self.groups for o in gv.group.orders}
            for order_id in orders:
                ends = [ops[state.by_lot[lot_id][-1]].end
                        for lot_id in state.lot_of_order.get(order_id, [])
                        if lot_id not in inside]
                if ends:
                    completions[order_id] = max(ends)
        return floor, completions

    def _outside_usage(self) -> list[Usage]:
        """Shared resources held by the runs and setups the model does not place
        (near the window's time)."""
        if not self.plant.uses_resources:
            return []
        low = min(self.shop.free_from.values(), default=0)
        high = max([self.horizon, *self.shop.until.values()])
        members = {k for k, role in self.roles.items() if role != CHAIN} | self.replaced
        out: list[Usage] = []
        for k, placed in enumerate(self.state.ops):
            if k in members or placed.end < low or placed.setup_begin > high:
                continue
            step = _step(self.plant, placed.lot.product, placed.step)
            option = step.option(placed.machine)
            for use in option.resources if option is not None else ():
                if placed.end > placed.start:
                    out.append(Usage(use.resource, placed.start, placed.end, use.amount))
            if placed.setup.time:
                for use in placed.setup.resources:
                    out.append(Usage(use.resource, placed.setup_begin, placed.setup_end,
                                     use.amount))
        return out


def _step(plant: Plant, product: str, number: int) -> Step:
    return next(s for s in plant.routings[product] if s.number == number)
