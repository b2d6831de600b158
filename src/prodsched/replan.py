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
from fractions import Fraction
from pathlib import Path

from prodsched.errors import PlantError, Problem
from prodsched.heuristics.warmstart import Candidate, missed_deadlines
from prodsched.lots.ids import distinct_lot_ids
from prodsched.lots.lot import Lot
from prodsched.lots.placed import lots_in
from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import realizations
from prodsched.objective import Objective
from prodsched.plant.model import Plant, PreviousPlan, RoutingOption
from prodsched.plant.previous import parse_moment, read_previous, with_previous
from prodsched.plant.setups import NO_CHANGEOVER, SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.stop import NO_STOP, Stop
from prodsched.timeline.retime import retime
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
from prodsched.validate.check import follows_rules

PreviousLike = Schedule | PreviousPlan | str | Path

# Places tried on either side of a new run's place by its latest start (inserted_order).
INSERT_REACH = 4

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
    pending = _pending(plant, plan)

    def key(item: tuple[Lot, int]) -> tuple[float, float, int]:
        lot, k = item
        run = previous.runs.get((lot.lot_id, plant.routings[lot.product][k].number))
        if run is not None and not by_due:
            return (0, run.start, k)
        if insert or by_due:
            return (0, _latest_start(plant, lot, k), k)
        return (1, float(lot.due) if lot.due is not None else math.inf, k)

    ops, machines = _fixed_first(plan)
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
    return _timed(plant, setups, ops, machines) or []


def inserted_order(plant: Plant, plan: LotPlan, setups: SetupTable,
                   stop: Stop = NO_STOP) -> list[PlacedOp]:
    """The previous plan kept, every new lot inserted where it delays the lots least.

    Cheapest insertion: the runs of the previous plan stay on their machines
    in their order, after the fixed work. The other runs, lot by lot (earliest
    latest start first) and step by step, each go to the place, on a machine
    that can make them, whose timed sequences have the least weighted lateness
    of the lots placed so far (a lot's steps not yet placed counted at their
    shortest duration), then the least setup time. The places tried are the
    first after the fixed work and :data:`INSERT_REACH` on either side of the
    place the run's latest start gives; once ``stop`` is over, only that place.
    Since nothing of the previous plan changes machine or order, the start
    changes nothing the criterion ``changes`` counts, while the places of new
    lots are chosen by what they delay (a rush order goes first, a lot due
    late goes where its changeover is cheapest). Empty when the sequences
    cannot be timed.
    """
    previous = plant.previous or PreviousPlan(())
    ops, machines = _fixed_first(plan)
    floor = {m: len(seq) for m, seq in machines.items()}
    kept: list[tuple[int, int, PlacedOp]] = []
    new: dict[str, list[tuple[Lot, int]]] = {}
    pending = _pending(plant, plan)
    for lot, k in pending:
        step = plant.routings[lot.product][k]
        run = previous.runs.get((lot.lot_id, step.number))
        option = next((o for o in step.options if run is not None and o.machine == run.machine),
                      None)
        if run is None or option is None:
            new.setdefault(lot.lot_id, []).append((lot, k))
            continue
        kept.append((run.start, k, PlacedOp(lot, step.number, option.machine, 0,
                                            option.duration(lot.quantity))))
    for _, _, op in sorted(kept, key=lambda item: item[:2]):
        machines.setdefault(op.machine, []).append(len(ops))
        ops.append(op)
    timed = _timed(plant, setups, ops, machines)
    if timed is None:
        return []
    weight = {lot.lot_id: max((plant.order_by_id[o].weight for o in lot.order_ids
                               if o in plant.order_by_id), default=Fraction(1))
              for lot in [*(op.lot for op in ops), *(lot for lot, _ in pending)]}
    rest: dict[str, int] = {}  # per lot being placed, the shortest work of its later steps

    def score(placed: list[PlacedOp]) -> tuple[Fraction, int]:
        ends: dict[str, PlacedOp] = {}
        for op in placed:
            if op.lot.lot_id not in ends or op.end > ends[op.lot.lot_id].end:
                ends[op.lot.lot_id] = op
        late = Fraction(0)
        for lot_id, op in ends.items():
            if op.lot.due is not None and op.end + rest.get(lot_id, 0) > op.lot.due:
                late += weight[lot_id] * (op.end + rest.get(lot_id, 0) - op.lot.due)
        return late, sum(op.setup.time for op in placed)

    for items in sorted(new.values(), key=lambda items: (
            _latest_start(plant, items[0][0], items[0][1]), -weight[items[0][0].lot_id])):
        for lot, k in items:
            rest[lot.lot_id] = sum(min(o.duration(lot.quantity) for o in later.options)
                                   for later in plant.routings[lot.product][k + 1:])
            reach = 0 if stop.over() else INSERT_REACH
            best: tuple[tuple[Fraction, int], str, list[int], list[PlacedOp]] | None = None
            step = plant.routings[lot.product][k]
            for option, order in _places(plant, lot, k, timed, machines, floor, reach):
                trial = [*timed, PlacedOp(lot, step.number, option.machine, 0,
                                          option.duration(lot.quantity))]
                placed = _timed(plant, setups, trial, {**machines, option.machine: order})
                if placed is None:
                    continue
                value = score(placed)
                if best is None or value < best[0]:
                    best = (value, option.machine, order, placed)
            if best is None:
                return []
            _, machine, machines[machine], timed = best
        rest.pop(items[0][0].lot_id, None)
    return timed


def _places(plant: Plant, lot: Lot, k: int, timed: list[PlacedOp],
            machines: dict[str, list[int]], floor: dict[str, int], reach: int
            ) -> list[tuple[RoutingOption, list[int]]]:
    """The sequences to try for step ``k`` of ``lot`` (the run's index: ``len(timed)``),
    per option of the step: first after the fixed work, and up to ``reach`` places on
    either side of the place its latest start gives."""
    latest = _latest_start(plant, lot, k)
    out = []
    for option in plant.routings[lot.product][k].options:
        seq = machines.get(option.machine, [])
        low = floor.get(option.machine, 0)
        at = next((j for j in range(low, len(seq)) if timed[seq[j]].start > latest), len(seq))
        for place in sorted({low, *range(max(low, at - reach), min(len(seq), at + reach) + 1)}):
            out.append((option, [*seq[:place], len(timed), *seq[place:]]))
    return out


def _fixed_first(plan: LotPlan) -> tuple[list[PlacedOp], dict[str, list[int]]]:
    """The fixed work, by start, and its indices per machine: where every start begins."""
    ops = sorted(plan.pinned.ops, key=lambda p: p.start)
    machines: dict[str, list[int]] = {}
    for i, op in enumerate(ops):
        machines.setdefault(op.machine, []).append(i)
    return ops, machines


def _pending(plant: Plant, plan: LotPlan) -> list[tuple[Lot, int]]:
    """The steps to place (lot, index in its routing): the open steps of fixed lots,
    then every step of the plan's other lots."""
    lots = realizations(plan, evidence=False)[0].lots if plan.groups else list(plan.fixed)
    lots, _ = distinct_lot_ids(lots, [], plan.pinned.lots)
    pending = [(lot, k) for lot in plan.pinned.open_lots
               for k in range(plan.pinned.next_step[lot.lot_id],
                              plan.pinned.route_steps[lot.lot_id])]
    return pending + [(lot, k) for lot in lots for k in range(len(plant.routings[lot.product]))]


def _latest_start(plant: Plant, lot: Lot, k: int) -> float:
    """When step ``k`` of ``lot`` must start at the latest for the lot to be on
    time (its due date minus its work from that step on, at the shortest
    durations); ``inf`` without a due date."""
    if lot.due is None:
        return math.inf
    work = sum(min(o.duration(lot.quantity) for o in st.options)
               for st in plant.routings[lot.product][k:])
    return float(lot.due) - work


def _timed(plant: Plant, setups: SetupTable, ops: list[PlacedOp],
           machines: dict[str, list[int]]) -> list[PlacedOp] | None:
    """``ops`` timed by the machine timeline in the given machine sequences and
    routing order; ``None`` when they cannot be."""
    numbers = {p: [st.number for st in steps] for p, steps in plant.routings.items()}
    chains: dict[str, list[int]] = {}
    for i in sorted(range(len(ops)), key=lambda i: numbers[ops[i].lot.product].index(
            ops[i].step)):
        chains.setdefault(ops[i].lot.lot_id, []).append(i)
    return retime(plant, setups, ops, machines, chains.values(),
                  adjacent_setups=MODEL_ADJACENT_SETUPS)


def kept_orders(plant: Plant, plan: LotPlan, setups: SetupTable, stop: Stop = NO_STOP
                ) -> list[tuple[str, list[PlacedOp]]]:
    """The starts that keep the fixed work: the previous plan with new lots after
    it, inserted by due date or where they delay least (cheapest insertion,
    until ``stop``), and every lot by due date."""
    name = "previous plan" if plant.previous is not None else "fixed work first"
    return [(name, previous_order(plant, plan, setups)),
            (f"{name}, new lots by due date", previous_order(plant, plan, setups, True)),
            (f"{name}, new lots inserted", inserted_order(plant, plan, setups, stop)),
            (f"{name}, then by due date", previous_order(plant, plan, setups, by_due=True))]


def best_valid(plant: Plant, starts: list[tuple[str, list[PlacedOp]]],
               objective: Objective) -> Candidate | None:
    """The best of ``starts`` by the objective among those meeting every deadline
    and rule."""
    best: Candidate | None = None
    for name, ops in starts:
        if not ops:
            continue
        lots = lots_in(ops)
        schedule = Schedule(plant, lots, ops)
        if missed_deadlines(plant, schedule) or not follows_rules(plant, lots, ops):
            continue
        c = Candidate(name, lots, ops, schedule, objective.values(schedule.kpis), 0, True)
        if best is None or c.key < best.key:
            best = c
    return best
