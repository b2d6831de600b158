"""Checks before any model is built: deadlines that no schedule can meet.

Cheap and exact in what they claim — each conflict is proved by a lower bound
(see :mod:`prodsched.feasibility.bounds`):

- a deadline before time 0;
- an order that, on its own, cannot be complete by its deadline: its release
  plus the shortest route through its routing (``deadline``), or that route
  held up by the calendars of every machine that could do a step
  (``calendar``; a machine down for good is the extreme case);
- a machine that is the only one for a step of several orders, and has too
  little available time between their earliest release and their deadlines
  for all of that work (``capacity``);
- a routing row or setup rule that holds more of a shared resource than
  exists (``resource``): such a row can never be used, and prodsched treats
  the plant as infeasible rather than quietly leave the row out (it is almost
  always a typing mistake);
- fixed runs (fixed.csv) that together hold more of a resource than exists
  at some moment (``resource``), or a fixed run of an order's last step that
  ends after the order's deadline (``deadline``): every schedule keeps them;
- an order with work still to plan whose deadline is before ``now``, where
  that work may start at the earliest (``deadline``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from prodsched.errors import Conflict
from prodsched.feasibility.bounds import Bounds
from prodsched.lots.plan import LotPlan
from prodsched.plant.model import FixedRow, Order, Plant, ResourceUse, RoutingOption

# At most this many release times start a capacity window per machine.
MAX_WINDOWS = 50


def preflight(plant: Plant, plan: LotPlan) -> list[Conflict]:
    """Every deadline conflict the bounds prove, without a solver.

    Parameters
    ----------
    plant
        The plant.
    plan
        The lot plan the model would use.

    Returns
    -------
    list of Conflict
        Empty when the bounds find nothing (the plant may still be infeasible).
    """
    fmt = plant.time_axis.format
    bounds = Bounds(plant, plan)
    conflicts: list[Conflict] = resource_conflicts(plant) + fixed_conflicts(plant, plan)
    alone: set[str] = {o for c in conflicts if c.constraint == "deadline" for o in c.orders}
    for order in plant.orders:
        if order.deadline is None or order.order_id in alone:
            continue
        conflict = _order_conflict(plant, bounds, order, fmt)
        if conflict is not None:
            conflicts.append(conflict)
            alone.add(order.order_id)
    conflicts.extend(_capacity_conflicts(plant, plan, alone))
    return conflicts


def _order_conflict(plant: Plant, bounds: Bounds, order: Order,
                    fmt: Callable[[int], str]) -> Conflict | None:
    deadline = order.deadline
    assert deadline is not None
    who = (order.order_id,)
    if deadline < 0:
        return Conflict(who, "deadline before time 0",
                        f"the deadline {fmt(deadline)} is before time 0 ({fmt(0)}), where every "
                        "schedule starts")
    end, trace, _ = bounds.order_end(order)
    if end <= deadline:
        return None
    free_end, _, case = bounds.order_end(order, calendar=False)
    steps = len(plant.routings[order.product])
    if free_end > deadline:
        lot = ""
        if case is not None and case.size > order.quantity:
            lot = (f" (made in lots of at least {case.size} units, with other orders of "
                   f"{order.product} or stock)")
        return Conflict(who, "deadline", (
            f"released at {fmt(order.release)}, its {order.quantity} × {order.product}{lot} need "
            f"at least {free_end - order.release} time units on the fastest machines of its "
            f"{steps}-step routing, so it cannot be complete before {fmt(free_end)}; its deadline "
            f"is {fmt(deadline)}"))
    held = max(trace, key=lambda t: t.waited)
    step = next(s for s in plant.routings[order.product] if s.number == held.step)
    machines = ", ".join(o.machine for o in step.options)
    down = [f"{d.machine} {fmt(d.start)}–{fmt(d.end)}" for d in plant.downtimes
            if (d.machine == "*" or any(o.machine == d.machine for o in step.options))
            and d.end > held.start - held.waited and d.start < max(deadline, held.start)][:3]
    return Conflict(who, "calendar", (
        f"without downtime it could be complete at {fmt(free_end)}, but step {held.step} "
        f"cannot start on {machines} before {fmt(held.start)} (down: {'; '.join(down)}), so it "
        f"cannot be complete before {fmt(end)}; its deadline is {fmt(deadline)}"))


@dataclass
class _Demand:
    """Work that must run on one machine between ``release`` and ``deadline``."""

    deadline: int
    release: int
    orders: tuple[str, ...]
    work: int = 0                                      # fixed lots: their whole duration
    units: dict[str, tuple[int, RoutingOption]] = field(default_factory=dict)  # step → (q, opt)


def _demands(plant: Plant, plan: LotPlan, skip: set[str]) -> dict[str, list[_Demand]]:
    """Per machine, the work of steps it is the only machine for, with deadlines."""
    out: dict[str, list[_Demand]] = defaultdict(list)
    deadline_of = {o.order_id: o.deadline for o in plant.orders}
    for lot in plan.fixed:
        ids = tuple(o for o in lot.order_ids if deadline_of.get(o) is not None and o not in skip)
        if lot.deadline is None or not ids:
            continue
        for step in plant.routings[lot.product]:
            if len(step.options) == 1:
                opt = step.options[0]
                out[opt.machine].append(_Demand(lot.deadline, lot.release, ids,
                                                work=opt.duration(lot.quantity)))
    for group in plan.groups:
        for order in group.orders:
            if order.deadline is None or order.order_id in skip:
                continue
            for step in plant.routings[order.product]:
                if len(step.options) == 1:
                    opt = step.options[0]
                    out[opt.machine].append(_Demand(
                        order.deadline, order.release, (order.order_id,),
                        units={f"{order.product}/{step.number}": (order.quantity, opt)}))
    return out


def _capacity_conflicts(plant: Plant, plan: LotPlan, skip: set[str]) -> list[Conflict]:
    conflicts = []
    for machine, demands in _demands(plant, plan, skip).items():
        conflict = _machine_conflict(plant, machine, demands)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def _machine_conflict(plant: Plant, machine: str, demands: list[_Demand]) -> Conflict | None:
    """The first window [release, deadline] in which the machine's work cannot fit."""
    fmt = plant.time_axis.format
    down = plant.unavailable(machine)
    releases = sorted({d.release for d in demands})
    if len(releases) > MAX_WINDOWS:
        step = len(releases) / MAX_WINDOWS
        releases = [releases[int(k * step)] for k in range(MAX_WINDOWS)]
    by_deadline = sorted(demands, key=lambda d: d.deadline)
    for r in releases:
        work = 0
        units: dict[str, tuple[int, RoutingOption]] = {}
        orders: list[str] = []
        for d in by_deadline:
            if d.release < r:
                continue
            work += d.work
            for key, (q, opt) in d.units.items():
                units[key] = (units.get(key, (0, opt))[0] + q, opt)
            orders.extend(d.orders)
            total = work + sum(math.ceil(opt.fixed_time + q * opt.time_per_unit)
                               for q, opt in units.values())
            span = d.deadline - r
            free = span - sum(max(0, min(e, d.deadline) - max(s, r)) for s, e in down)
            if total > free:
                downtime = (f", and only {free} of its {span} time units then are not downtime"
                            if free < span else f", but there are only {span} time units")
                return Conflict(tuple(dict.fromkeys(orders)), "capacity", (
                    f"{machine} is the only machine for a step of each of these orders; released "
                    f"from {fmt(r)} and due by {fmt(d.deadline)}, they need at least {total} time "
                    f"units on {machine} in between{downtime}"))
    return None


def _too_much(plant: Plant, uses: tuple[ResourceUse, ...]) -> list[str]:
    """``crew: 2 of capacity 1`` for each use beyond its resource's capacity."""
    out = []
    for use in uses:
        resource = plant.resources.get(use.resource)
        if resource is not None and use.amount > resource.capacity:
            out.append(f"{use.amount} of {use.resource} (capacity {resource.capacity})")
    return out


def resource_conflicts(plant: Plant) -> list[Conflict]:
    """One conflict per routing row and setup rule that needs more of a resource than exists."""
    orders_of: dict[str, list[str]] = defaultdict(list)
    for order in plant.orders:
        orders_of[order.product].append(order.order_id)
    conflicts = []
    for product, steps in plant.routings.items():
        for step in steps:
            for opt in step.options:
                excess = _too_much(plant, opt.resources)
                if excess:
                    conflicts.append(Conflict(tuple(orders_of.get(product, ())), "resource", (
                        f"the routing row of {product} step {step.number} on {opt.machine} "
                        f"holds {' and '.join(excess)}: no run can use it")))
    for rule in plant.setup_rules:
        excess = _too_much(plant, rule.resources)
        if excess:
            conflicts.append(Conflict((), "resource", (
                f"the setup rule machine {rule.machine}, from {rule.from_}, to {rule.to} holds "
                f"{' and '.join(excess)}: no changeover can use it")))
    return conflicts


def _fixed_option(plant: Plant, row: FixedRow) -> RoutingOption | None:
    for step in plant.routings.get(row.product, ()):
        if step.number == row.step:
            return step.option(row.machine)
    return None


def fixed_conflicts(plant: Plant, plan: LotPlan) -> list[Conflict]:
    """What the fixed runs alone make impossible: more of a resource than exists at some
    moment, an order's last step ending after its deadline, or work still to plan for
    an order whose deadline is before ``now``."""
    fmt = plant.time_axis.format
    conflicts = _after_now(plant, plan)
    late = {o for c in conflicts for o in c.orders}
    runs = [(row, opt) for row in plant.fixed if row.kind == "run" and row.end > row.start
            and (opt := _fixed_option(plant, row)) is not None]
    for name, resource in plant.resources.items():
        uses = [(row, use.amount) for row, opt in runs for use in opt.resources
                if use.resource == name]
        # at equal times, rows ending (negative change) before rows starting
        events = sorted([(row.end, -amount) for row, amount in uses]
                        + [(row.start, amount) for row, amount in uses])
        load = 0
        for time, delta in events:
            load += delta
            if load > resource.capacity:
                holding = [r for r, opt in runs if r.start <= time < r.end
                           and any(u.resource == name for u in opt.resources)]
                conflicts.append(Conflict(
                    tuple(dict.fromkeys(o for r in holding for o, _ in r.allocations)),
                    "resource", f"the fixed runs on fixed.csv lines "
                    f"{', '.join(str(r.line) for r in holding)} hold {load} of {name} at "
                    f"{fmt(time)}; its capacity is {resource.capacity}"))
                break
    for row, _ in runs:
        route = plant.routings.get(row.product, ())
        if not route or row.step != route[-1].number:
            continue
        for order_id, _units in row.allocations:
            order = plant.order_by_id.get(order_id)
            if order is not None and order.deadline is not None and row.end > order.deadline \
                    and order_id not in late:
                conflicts.append(Conflict((order_id,), "deadline", (
                    f"the fixed run of lot {row.lot} (fixed.csv line {row.line}) makes its last "
                    f"step until {fmt(row.end)}; its deadline is {fmt(order.deadline)}")))
    return conflicts


def _after_now(plant: Plant, plan: LotPlan) -> list[Conflict]:
    """Orders with work still to plan (units in no pinned lot, or a pinned lot's later
    steps) whose deadline is before ``now``: that work ends at ``now`` at the earliest."""
    if plant.now is None:
        return []
    fmt = plant.time_axis.format
    waiting: dict[str, str] = {}
    for lot in plan.pinned.open_lots:
        for order_id in lot.order_ids:
            waiting.setdefault(order_id, f"lot {lot.lot_id} has steps still to plan")
    pinned = plan.pinned.allocated()
    for order in plant.orders:
        left = order.quantity - pinned.get(order.order_id, 0)
        if left > 0:
            waiting.setdefault(order.order_id, f"{left} of its units are in no fixed lot")
    conflicts = []
    for order in plant.orders:
        why = waiting.get(order.order_id)
        if why is not None and order.deadline is not None and order.deadline < plant.now:
            conflicts.append(Conflict((order.order_id,), "deadline", (
                f"{why}, and new work starts at now ({fmt(plant.now)}), after its deadline "
                f"{fmt(order.deadline)}")))
    return conflicts
