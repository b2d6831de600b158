"""Small v2 plants built as ``Plant`` dataclasses, and a direct check of the v2 rules.

The project's validator checks the v1 rules today; :func:`v2_problems` checks
the rules spec v2 adds (pauses, setups off the night, resources, fixed rows
and ``now``, ``max_wait``) straight from the plant, sharing nothing with the
timeline, so every test checks each schedule both ways.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction

import pytest

from prodsched.generate import GeneratorConfig
from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
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
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.rules import QueueRule
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
from prodsched.validate import validate_texts
from tests.conftest import load_generated


def uses(text: str) -> tuple[ResourceUse, ...]:
    """``"operator:2;crew"`` as resource uses."""
    out = []
    for part in filter(None, text.split(";")):
        name, _, amount = part.partition(":")
        out.append(ResourceUse(name, int(amount or 1)))
    return tuple(out)


def opt(machine: str, per_unit: float | int = 1, fixed: int = 0, *, pause: bool = False,
        resources: str = "", max_wait: int | None = None) -> RoutingOption:
    """A routing row."""
    return RoutingOption(machine, Fraction(per_unit), Fraction(fixed), pause, uses(resources),
                         max_wait)


def order(order_id: str, product: str, quantity: int, due: int | None = None,
          release: int = 0, deadline: int | None = None) -> Order:
    """An order."""
    return Order(order_id, product, quantity, None if due is None else Fraction(due), release,
                 Fraction(1), deadline)


def setup(frm: str, to: str, time: int, cost: int = 0, machine: str = "*",
          resources: str = "") -> SetupRule:
    """A setups.csv row."""
    return SetupRule(machine, frm, to, Fraction(time), Fraction(cost), uses(resources))


def build_plant(routes: dict[str, Sequence[Sequence[RoutingOption]]], orders: Sequence[Order], *,
               modes: dict[str, Mode] | None = None, families: dict[str, str] | None = None,
               setups: Iterable[SetupRule] = (), down: Iterable[tuple[str, int, int]] = (),
               resources: dict[str, int] | None = None, fixed: Iterable[FixedRow] = (),
               now: int | None = None, initial: dict[str, str] | None = None) -> Plant:
    """A plant from routings (per product, per step: its rows), orders and v2 extras.

    Products are one-off unless ``modes`` says otherwise.
    """
    modes, families, initial = modes or {}, families or {}, initial or {}
    products = {p: Product(p, families.get(p, p), modes.get(p, Mode.ONE_OFF)) for p in routes}
    routings = {p: tuple(Step(k + 1, tuple(rows)) for k, rows in enumerate(steps))
                for p, steps in routes.items()}
    names = dict.fromkeys(o.machine for steps in routes.values() for rows in steps
                          for o in rows)
    machines = {m: Machine(m, initial.get(m)) for m in names}
    return Plant(tuple(orders), products, routings, machines, tuple(setups),
                 tuple(Downtime(m, s, e) for m, s, e in down),
                 resources={n: Resource(n, c) for n, c in (resources or {}).items()},
                 fixed=tuple(fixed), now=now)


def queue_schedule(plant: Plant, lots: Sequence[Lot], setups: SetupTable,
                   rule: QueueRule) -> list[PlacedOp]:
    """Every step of ``lots`` placed as the large-plant route's start places them: by
    machine events with ``rule``, setup rows where the CP-SAT window model puts them."""
    return dispatch(plant, setups, lots, rule, exact=False,
                    adjacent_setups=MODEL_ADJACENT_SETUPS)


def _down(plant: Plant, machine: str) -> list[tuple[int, int]]:
    periods = sorted((d.start, d.end) for d in plant.downtimes if d.machine in (machine, "*"))
    merged: list[tuple[int, int]] = []
    for s, e in periods:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _row(plant: Plant, op: PlacedOp) -> RoutingOption:
    for step in plant.routings[op.lot.product]:
        if step.number == op.step:
            found = step.option(op.machine)
            assert found is not None
            return found
    raise AssertionError(f"no step {op.step} for {op.lot.product}")


def v2_problems(plant: Plant, ops: Sequence[PlacedOp]) -> list[str]:
    """Every breach of the v2 rules in ``ops`` (empty: none)."""
    out: list[str] = []
    table = SetupTable(plant)
    held: dict[str, list[tuple[int, int, int]]] = defaultdict(list)   # resource -> spans
    by_machine: dict[str, list[PlacedOp]] = defaultdict(list)
    for op in ops:
        by_machine[op.machine].append(op)
    for machine, on in by_machine.items():
        on.sort(key=lambda op: (op.start, op.end))
        down = _down(plant, machine)
        state = plant.machines[machine].initial_state
        previous_end = None
        for op in on:
            row = _row(plant, op)
            what = f"{op.lot.lot_id} step {op.step} on {machine} [{op.start}, {op.end})"
            need = row.duration(op.lot.quantity)
            lost = sum(max(0, min(op.end, e) - max(op.start, s)) for s, e in down)
            if row.can_pause:
                if any(s <= op.start < e or s < op.end <= e for s, e in down if op.end > op.start):
                    out.append(f"{what}: a pausing run starts or ends in downtime")
                if op.end - op.start - lost < need:
                    out.append(f"{what}: works {op.end - op.start - lost} < {need}")
            else:
                if lost:
                    out.append(f"{what}: a run that may not pause overlaps downtime")
                if op.end - op.start < need:
                    out.append(f"{what}: lasts {op.end - op.start} < {need}")
            rule = table.between(machine, state, op.lot.product)
            begin, end = op.setup_begin, op.setup_end
            if op.setup.time < rule.time and not op.fixed:
                out.append(f"{what}: setup {op.setup.time} < {rule.time}")
            if end > op.start or (previous_end is not None and begin < previous_end):
                out.append(f"{what}: setup [{begin}, {end}) not between the runs")
            if any(max(begin, s) < min(end, e) for s, e in down):
                out.append(f"{what}: setup [{begin}, {end}) overlaps downtime")
            for use in row.resources:
                held[use.resource].append((op.start, op.end, use.amount))
            for use in (op.setup.resources if op.fixed else rule.resources):
                held[use.resource].append((begin, end, use.amount))
            if not op.fixed and plant.now is not None and (
                    op.start < plant.now or (op.setup.time and begin < plant.now)):
                out.append(f"{what}: starts before now {plant.now}")
            state, previous_end = op.lot.product, op.end
    for name, spans in held.items():
        events = sorted([(s, a) for s, e, a in spans if e > s]
                        + [(e, -a) for s, e, a in spans if e > s])
        level = 0
        for t, change in events:
            level += change
            if level > plant.resources[name].capacity:
                out.append(f"resource {name}: {level} held at {t}")
    for row in plant.fixed:
        if row.kind == "run" and not any(
                op.fixed and (op.machine, op.lot.lot_id, op.start, op.end)
                == (row.machine, row.lot, row.start, row.end) for op in ops):
            out.append(f"fixed run {row.lot} on {row.machine} [{row.start}, {row.end}) is lost")
    steps = {p: [s.number for s in route] for p, route in plant.routings.items()}
    lots: dict[str, list[PlacedOp]] = defaultdict(list)
    for op in ops:
        lots[op.lot.lot_id].append(op)
    for lot_ops in lots.values():
        lot_ops.sort(key=lambda op: steps[op.lot.product].index(op.step))
        for a, b in itertools.pairwise(lot_ops):
            wait = _row(plant, b).max_wait
            if wait is not None and b.start - a.end > wait:
                out.append(f"lot {b.lot.lot_id}: step {b.step} starts {b.start - a.end} after "
                           f"step {a.step} ends (max_wait {wait})")
    return out


def v1_violations(schedule: Schedule) -> list[str]:
    """The project's validator (v1 rules) on the schedule's files, but for what v2
    allows and v1 cannot know: a ``can_pause`` run over its machine's downtime (and,
    until the KPIs count a pausing run's working time only, a utilization above 1
    on a machine with such runs)."""
    files = schedule.render()
    found = validate_texts(schedule.plant, files["schedule.csv"], files["orders_report.csv"],
                           files["kpis.json"])
    pausing = [op for op in schedule.ops if _row(schedule.plant, op).can_pause]
    lots = {op.lot.lot_id for op in pausing}
    machines = {op.machine for op in pausing}

    def allowed(rule: str, message: str) -> bool:
        if rule in ("3 overlap", "calendar"):
            return "down" in message and any(f" {lot} " in message for lot in lots)
        return rule == "9 report" and any(f"utilization of {m} " in message for m in machines)

    return [str(v) for v in found if not allowed(v.rule, v.message)]


def assert_v2(schedule: Schedule) -> None:
    """The schedule passes the validator (v1 rules; see :func:`v1_violations`) and the
    direct check of every v2 rule."""
    bad = v1_violations(schedule) + v2_problems(schedule.plant, schedule.ops)
    assert not bad, "\n".join(bad)


# Small, varied generated plants (as for the large-plant route's tests): every
# mode, streaming, calendars, date-times, initial states, deadlines, alternatives.
GENERATED = {
    "all-modes": GeneratorConfig(
        orders=60, machines=6, products=10, families=3, max_steps=3, alternatives=3,
        mode_mix="one-off=1,batch=1,mass=1,auto=1", calendar=True, datetimes=True,
        initial_states=True, setup_ratio=0.8, seed=301),
    "deadlines": GeneratorConfig(orders=40, machines=4, products=6, families=3,
                                 deadline_share=0.3, calendar=True, seed=302),
    "mass-long": GeneratorConfig(orders=30, machines=4, products=5, mode_mix="mass",
                                 min_quantity=200, max_quantity=2000, max_steps=3, seed=303),
    "one-off-no-setups": GeneratorConfig(orders=30, machines=3, mode_mix="one-off",
                                         setup_ratio=0, seed=304),
}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Plant]:
    """Every plant of :data:`GENERATED`, loaded."""
    return load_generated(tmp_path_factory.mktemp("timeline-plants"), GENERATED)
