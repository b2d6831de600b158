"""Earliest times for given machine sequences (pure).

Given the order of the runs on every machine and the steps of every lot,
each run starts as early as its machine (the run before it, the changeover
from that run's product, downtime) and its lot (the step before it, or its
release; lot streaming for ``mass`` lots) allow. Runs are taken in a
topological order of the two precedences, so a window that moved a run later
than the next step of its lot simply pushes that step (and what follows it)
later. When the sequences contradict the lots' step order there is no such
order: the move is refused (``None``).
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from prodsched.heuristics.timeline import timelines
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp


def retime(plant: Plant, setups: SetupTable, ops: Sequence[PlacedOp],
           machines: Mapping[str, Iterable[int]], lots: Iterable[Sequence[int]]
           ) -> list[PlacedOp] | None:
    """Every operation at its earliest start for the given sequences.

    Parameters
    ----------
    plant, setups
        The plant and its changeover lookup.
    ops
        The operations (their machine and duration are kept; times and
        changeovers are recomputed).
    machines
        Operation indices per machine, in the order they run.
    lots
        Operation indices per lot, in routing order.

    Returns
    -------
    list of PlacedOp or None
        The operations re-timed, in the same positions; ``None`` when the
        sequences contain a cycle.
    """
    n = len(ops)
    lots = list(lots)
    lot_before = [-1] * n
    after: list[list[int]] = [[] for _ in range(n)]
    waiting = [0] * n
    for chain in itertools.chain(machines.values(), lots):
        for a, b in itertools.pairwise(chain):
            after[a].append(b)
            waiting[b] += 1
    for chain in lots:
        for a, b in itertools.pairwise(chain):
            lot_before[b] = a
    lines = timelines(plant)
    option: list[RoutingOption | None] = [None] * n
    out: list[PlacedOp | None] = [None] * n
    ready_now = deque(k for k in range(n) if waiting[k] == 0)
    done = 0
    while ready_now:
        k = ready_now.popleft()
        done += 1
        op = ops[k]
        lot = op.lot
        opt = _option(plant, op)
        option[k] = opt
        duration = op.end - op.start
        before = lot_before[k]
        if before < 0:
            ready = lot.release
        else:
            prev, prev_option = out[before], option[before]
            assert prev is not None and prev_option is not None
            if lot.mode is Mode.MASS:
                ready = max(prev.start + math.ceil(prev_option.time_per_unit),
                            prev.end + math.ceil(opt.time_per_unit) - duration, prev.start)
            else:
                ready = prev.end
        line = lines[op.machine]
        change = setups.between(op.machine, line.state, lot.product)
        start = line.earliest_start(ready, change.time, duration)
        line.book(start + duration, lot.product)
        out[k] = PlacedOp(lot, op.step, op.machine, start, start + duration, change)
        for nxt in after[k]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready_now.append(nxt)
    if done < n:
        return None
    return out  # type: ignore[return-value]


def _option(plant: Plant, op: PlacedOp) -> RoutingOption:
    for step in plant.routings[op.lot.product]:
        if step.number == op.step:
            found = step.option(op.machine)
            assert found is not None
            return found
    raise ValueError(f"step {op.step} is not in the routing of {op.lot.product}")
