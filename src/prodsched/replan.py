"""Re-planning from a previous schedule: the plant to solve and the previous plan as a hint.

:func:`attach_previous` turns the previous schedule (a :class:`Schedule`, a
folder with schedule.csv, or a :class:`PreviousPlan`) into the plant's
``previous`` and freezes what started before ``now``
(:func:`prodsched.plant.previous.with_previous`).
:func:`previous_order` is the warm start that keeps the previous plan: every
kept lot's runs in their previous order on their previous machines, new lots
after them (earliest due date first), each run as early as the machine
timeline allows (calendar, resources, fixed work). It competes with the
dispatch rules by the objective, and is taken when the best of them breaks a
rule of the plant while it does not.
"""

from __future__ import annotations

import math
from pathlib import Path

from prodsched.errors import PlantError, Problem
from prodsched.heuristics.warmstart import Candidate, missed_deadlines
from prodsched.lots.ids import distinct_lot_ids
from prodsched.lots.lot import Lot
from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import realizations
from prodsched.objective import Objective
from prodsched.plant.model import Plant, PreviousPlan
from prodsched.plant.previous import parse_moment, read_previous, with_previous
from prodsched.plant.setups import NO_CHANGEOVER, SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.timeline.retime import retime
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
from prodsched.validate.check import follows_rules

PreviousLike = Schedule | PreviousPlan | str | Path

__all__ = ["PreviousLike", "attach_previous", "best_valid", "kept_orders", "previous_order",
           "read_previous_dir"]


def read_previous_dir(plant: Plant, folder: str | Path) -> PreviousPlan:
    """The previous plan in ``folder`` (its schedule.csv), in ``plant``'s time units.

    Raises
    ------
    PlantError
        When there is no schedule.csv or a row of it cannot be read.
    """
    path = Path(folder)
    path = path / "schedule.csv" if path.is_dir() else path
    if not path.is_file():
        raise PlantError([Problem(str(path), None, None, None,
                                  "no previous schedule here (expected a folder with "
                                  "schedule.csv, as `prodsched solve` writes)")])
    return read_previous(path.read_text(encoding="utf-8"), plant.time_axis, str(path))


def attach_previous(plant: Plant, previous: PreviousLike,
                    now: int | str | None = None) -> Plant:
    """The plant to re-plan (see :func:`~prodsched.plant.previous.with_previous`).

    ``now`` is a time in the plant's form (text) or in time units; default:
    plant.csv's ``now``.
    """
    if isinstance(previous, Schedule):
        # written in the previous plant's form, read in this one's (date-times
        # keep their moment when time 0 moved)
        previous = read_previous(previous.render()["schedule.csv"], plant.time_axis,
                                 "previous schedule")
    elif not isinstance(previous, PreviousPlan):
        previous = read_previous_dir(plant, previous)
    moment = parse_moment(now, plant.time_axis) if isinstance(now, str) else now
    return with_previous(plant, previous, moment)


def previous_order(plant: Plant, plan: LotPlan, setups: SetupTable,
                   insert: bool = False, by_due: bool = False) -> list[PlacedOp]:
    """The warm start keeping the previous plan (see the module); without one, the
    fixed work first and every other lot after it, earliest due date first.

    With ``insert``, new lots go between the previous ones where their due date
    says (each at its latest start: due date minus its work), so that a rush
    order comes early. With ``by_due``, every lot after the fixed work goes by
    its latest start (the previous order is ignored). Each machine's sequence
    is then timed by the machine timeline (:func:`prodsched.timeline.retime.retime`);
    empty when it cannot be.
    """
    previous = plant.previous or PreviousPlan(())
    lots = realizations(plan, evidence=False)[0].lots if plan.groups else list(plan.fixed)
    lots, _ = distinct_lot_ids(lots, [], plan.pinned.lots)
    pending = [(lot, k) for lot in plan.pinned.open_lots
               for k in range(plan.pinned.next_step[lot.lot_id],
                              plan.pinned.route_steps[lot.lot_id])]
    pending += [(lot, k) for lot in lots for k in range(len(plant.routings[lot.product]))]

    def key(item: tuple[Lot, int]) -> tuple[float, float, int]:
        lot, k = item
        run = previous.runs.get((lot.lot_id, plant.routings[lot.product][k].number))
        if run is not None and not by_due:
            return (0, run.start, k)
        due = float(lot.due) if lot.due is not None else math.inf
        if insert or by_due:
            work = sum(min(o.duration(lot.quantity) for o in st.options)
                       for st in plant.routings[lot.product][k:])
            return (0, due - work, k)
        return (1, due, k)

    ops = sorted(plan.pinned.ops, key=lambda p: p.start)
    machines: dict[str, list[int]] = {}
    for i, op in enumerate(ops):
        machines.setdefault(op.machine, []).append(i)
    load = {m: 0 for m in plant.machines}
    for lot, k in sorted(pending, key=key):
        step = plant.routings[lot.product][k]
        run = previous.runs.get((lot.lot_id, step.number))
        kept = [o for o in step.options if run is not None and o.machine == run.machine]
        option = kept[0] if kept else min(
            step.options, key=lambda o: load[o.machine] + o.duration(lot.quantity))
        duration = option.duration(lot.quantity)
        load[option.machine] += duration
        machines.setdefault(option.machine, []).append(len(ops))
        ops.append(PlacedOp(lot, step.number, option.machine, 0, duration, NO_CHANGEOVER))
    numbers = {p: [st.number for st in steps] for p, steps in plant.routings.items()}
    chains: dict[str, list[int]] = {}
    for i in sorted(range(len(ops)), key=lambda i: numbers[ops[i].lot.product].index(
            ops[i].step)):
        chains.setdefault(ops[i].lot.lot_id, []).append(i)
    timed = retime(plant, setups, ops, machines, chains.values(),
                   adjacent_setups=MODEL_ADJACENT_SETUPS)
    return timed or []


def kept_orders(plant: Plant, plan: LotPlan, setups: SetupTable
                ) -> list[tuple[str, list[PlacedOp]]]:
    """The starts that keep the fixed work: the previous plan with new lots after
    it or inserted by due date, and every lot by due date."""
    name = "previous plan" if plant.previous is not None else "fixed work first"
    return [(name, previous_order(plant, plan, setups)),
            (f"{name}, new lots by due date", previous_order(plant, plan, setups, True)),
            (f"{name}, then by due date", previous_order(plant, plan, setups, by_due=True))]


def best_valid(plant: Plant, starts: list[tuple[str, list[PlacedOp]]],
               objective: Objective) -> Candidate | None:
    """The best of ``starts`` by the objective among those meeting every deadline
    and rule."""
    best: Candidate | None = None
    for name, ops in starts:
        if not ops:
            continue
        lots = list({op.lot.lot_id: op.lot for op in ops}.values())
        schedule = Schedule(plant, lots, ops)
        if missed_deadlines(plant, schedule) or not follows_rules(plant, lots, ops):
            continue
        c = Candidate(name, lots, ops, schedule, objective.values(schedule.kpis), 0, True)
        if best is None or c.key < best.key:
            best = c
    return best
