"""Small v2 plants as ``Plant(...)`` dataclasses, a solve of the job-shop model, and
direct checks of the v2 rules (spec v2, rules 2, 4, 5, 10 and 11) on placed operations.

The checks are written from the spec, independently of the model; the
project's validator checks the same schedules too (``check``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from fractions import Fraction

from prodsched.cpsat_runner import RunResult, SolverSettings, run_stages
from prodsched.jobshop.builder import JobShopModel
from prodsched.jobshop.solution import decode
from prodsched.lots.placed import PlacedOp
from prodsched.lots.plan import LotPlan, plan_lots
from prodsched.objective import parse_objective
from prodsched.plant.model import (
    Downtime,
    FixedRow,
    Machine,
    Mode,
    Order,
    Plant,
    Product,
    Resource,
    ResourceUse,
    RoutingOption,
    SetupRule,
    Step,
)
from prodsched.plant.setups import SetupTable
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from prodsched.validate import validate_texts


def option(machine: str, per_unit: float | Fraction, *, fixed: int = 0, pause: bool = False,
           uses: tuple[tuple[str, int], ...] = (), wait: int | None = None) -> RoutingOption:
    """A routing row on ``machine``."""
    return RoutingOption(machine, Fraction(per_unit), Fraction(fixed), can_pause=pause,
                         resources=tuple(ResourceUse(r, a) for r, a in uses), max_wait=wait)


def plant(orders: list[tuple[str, str, int]], routes: dict[str, list[list[RoutingOption]]], *,
          modes: dict[str, Mode] | None = None, families: dict[str, str] | None = None,
          due: dict[str, int] | None = None, release: dict[str, int] | None = None,
          initial: dict[str, str] | None = None,
          setups: tuple[tuple[str, str, str, int], ...] = (),
          setup_uses: dict[tuple[str, str, str], tuple[tuple[str, int], ...]] | None = None,
          down: tuple[tuple[str, int, int], ...] = (),
          capacity: dict[str, int] | None = None, fixed: tuple[FixedRow, ...] = (),
          now: int | None = None) -> Plant:
    """A plant: ``orders`` as (id, product, quantity); ``routes`` per product, a list of
    steps, each a list of eligible rows; ``setups`` as (machine, from, to, time)."""
    routings = {p: tuple(Step(k + 1, tuple(opts)) for k, opts in enumerate(steps))
                for p, steps in routes.items()}
    modes, families = modes or {}, families or {}
    products = {p: Product(p, families.get(p, p), modes.get(p, Mode.ONE_OFF)) for p in routes}
    names = [o.machine for steps in routings.values() for s in steps for o in s.options]
    machines = {m: Machine(m, (initial or {}).get(m)) for m in dict.fromkeys(names)}
    uses = setup_uses or {}
    rules = tuple(SetupRule(m, a, b, Fraction(t), Fraction(0),
                            tuple(ResourceUse(r, n) for r, n in uses.get((m, a, b), ())))
                  for m, a, b, t in setups)
    return Plant(
        orders=tuple(Order(o, p, q, due=Fraction((due or {})[o]) if o in (due or {}) else None,
                           release=(release or {}).get(o, 0)) for o, p, q in orders),
        products=products, routings=routings, machines=machines, setup_rules=rules,
        downtimes=tuple(Downtime(m, s, e) for m, s, e in down),
        resources={r: Resource(r, c) for r, c in (capacity or {}).items()},
        fixed=fixed, now=now)


def solve(p: Plant, objective: str = "makespan", seconds: float = 30.0,
          plan: LotPlan | None = None) -> tuple[Schedule, RunResult, JobShopModel]:
    """The full model of ``p`` solved (one worker) and decoded."""
    jm = JobShopModel(p, plan or plan_lots(p), SetupTable(p), parse_objective(objective))
    run = run_stages(jm.model, jm.stages(), SolverSettings(workers=1),
                     Stop(time.monotonic() + seconds))
    assert run.values is not None, run.status
    lots, ops = decode(jm, run.value)
    return Schedule(p, lots, ops), run, jm


def check(schedule: Schedule) -> None:
    """The project's validator (which knows spec v2's rules) accepts the schedule, and
    the v2 rules hold as :func:`v2_violations` reads them from the spec."""
    files = schedule.render()
    violations = [str(v) for v in validate_texts(schedule.plant, files["schedule.csv"],
                                                 files["orders_report.csv"],
                                                 files["kpis.json"])]
    assert not violations, "\n".join(violations)
    problems = v2_violations(schedule.plant, list(schedule.ops))
    assert not problems, "\n".join(problems)


def _option(p: Plant, op: PlacedOp) -> RoutingOption:
    step = next(s for s in p.routings[op.lot.product] if s.number == op.step)
    found = step.option(op.machine)
    assert found is not None
    return found


def _outside(down: list[tuple[int, int]], start: int, end: int) -> int:
    """Time in ``[start, end)`` outside the periods ``down``."""
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in down)
    return end - start - inside


def v2_violations(p: Plant, ops: list[PlacedOp]) -> list[str]:
    """Breaches of spec v2's rules on pauses, setups against downtime, waits,
    resources, fixed rows and ``now`` (rules 2, 4, 5, 10, 11)."""
    out: list[str] = []
    earliest = p.earliest
    for op in ops:
        down = p.unavailable(op.machine)
        opt = _option(p, op)
        need = opt.duration(op.lot.quantity)
        name = f"{op.lot.lot_id} step {op.step} on {op.machine} [{op.start}, {op.end})"
        if opt.can_pause:
            if _outside(down, op.start, op.end) < need:
                out.append(f"{name}: works less than {need}")
            if any(s <= op.start < e or s < op.end <= e for s, e in down):
                out.append(f"{name}: starts or ends in unavailable time")
        elif _outside(down, op.start, op.end) != op.end - op.start:
            out.append(f"{name}: overlaps unavailable time")
        if op.setup.time and _outside(down, op.setup_begin, op.setup_end) != op.setup.time:
            out.append(f"setup of {name}: overlaps unavailable time")
        if op.setup_end > op.start:
            out.append(f"setup of {name}: ends after its run starts")
        if not op.fixed and (op.start < earliest or
                             (op.setup.time and op.setup_begin < earliest)):
            out.append(f"{name}: starts before now ({earliest})")
    out += _wait_violations(p, ops) + _resource_violations(p, ops) + _fixed_violations(p, ops)
    return out


def _wait_violations(p: Plant, ops: list[PlacedOp]) -> list[str]:
    out = []
    by_lot: dict[str, dict[int, PlacedOp]] = defaultdict(dict)
    for op in ops:
        by_lot[op.lot.lot_id][op.step] = op
    for lot_id, steps in by_lot.items():
        for number, op in steps.items():
            wait = _option(p, op).max_wait
            before = steps.get(number - 1)
            if wait is not None and before is not None and op.start - before.end > wait:
                out.append(f"{lot_id} step {number} waits {op.start - before.end} > {wait}")
    return out


def _resource_violations(p: Plant, ops: list[PlacedOp]) -> list[str]:
    events: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for op in ops:
        for use in _option(p, op).resources:
            events[use.resource] += [(op.start, use.amount), (op.end, -use.amount)]
        if op.setup.time:
            for use in op.setup.resources:
                events[use.resource] += [(op.setup_begin, use.amount),
                                         (op.setup_end, -use.amount)]
    out = []
    for resource, moments in events.items():
        held = 0
        capacity = p.resources[resource].capacity if resource in p.resources else 1
        for when, change in sorted(moments, key=lambda m: (m[0], m[1])):
            held += change
            if held > capacity:
                out.append(f"{resource}: {held} held at {when} (capacity {capacity})")
    return out


def _fixed_violations(p: Plant, ops: list[PlacedOp]) -> list[str]:
    out = []
    runs = {(op.machine, op.lot.lot_id, op.start, op.end) for op in ops}
    setups = {(op.machine, op.lot.lot_id, op.setup_begin, op.setup_end) for op in ops
              if op.setup.time}
    for row in p.fixed:
        key = (row.machine, row.lot, row.start, row.end)
        if key not in (runs if row.kind == "run" else setups):
            out.append(f"fixed {row.kind} {key} is not in the schedule")
    return out


def makespan(ops: list[PlacedOp]) -> int:
    """The latest end."""
    return max((op.end for op in ops), default=0)


def at(ops: list[PlacedOp], lot: str, step: int = 1) -> PlacedOp:
    """The operation of ``lot`` at ``step``."""
    return next(op for op in ops if op.lot.lot_id == lot and op.step == step)
