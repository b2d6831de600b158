"""Left shift: keep every machine's sequence, start everything as early as possible.

A solver stops when the objective is proven, not when the schedule is
compact; with an objective such as setup time, runs may sit after idle gaps.
Shifting each operation left (in start order, so machine sequences and lot
precedences are kept) never delays a completion, so makespan, tardiness and
changeovers can only improve.
"""

from __future__ import annotations

import math

from prodsched.heuristics.timeline import timelines
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp


def left_shift(plant: Plant, ops: list[PlacedOp], setups: SetupTable) -> list[PlacedOp]:
    """The same sequences with every run started as early as the rules allow."""
    lines = timelines(plant)
    step_index = {p: {s.number: i for i, s in enumerate(steps)}
                  for p, steps in plant.routings.items()}
    previous: dict[str, PlacedOp] = {}
    shifted: list[PlacedOp] = []
    for op in sorted(ops, key=lambda p: (p.start, p.end, step_index[p.lot.product][p.step])):
        lot = op.lot
        duration = op.end - op.start
        before = previous.get(lot.lot_id)
        if before is None:
            ready = lot.release
        elif lot.mode is Mode.MASS:
            steps = plant.routings[lot.product]
            unit_before = _unit_time(steps, before)
            unit_here = _unit_time(steps, op)
            ready = max(before.start + unit_before, before.end + unit_here - duration,
                        before.start)
        else:
            ready = before.end
        line = lines[op.machine]
        change = setups.between(op.machine, line.state, lot.product)
        start = line.earliest_start(ready, change.time, duration)
        moved = PlacedOp(lot, op.step, op.machine, start, start + duration, change)
        line.book(moved.end, lot.product)
        previous[lot.lot_id] = moved
        shifted.append(moved)
    return shifted


def _unit_time(steps: tuple, op: PlacedOp) -> int:
    for step in steps:
        if step.number == op.step:
            option = step.option(op.machine)
            assert option is not None
            return math.ceil(option.time_per_unit)
    raise ValueError(f"step {op.step} is not in the routing of {op.lot.product}")
