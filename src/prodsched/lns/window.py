"""Windows of a schedule: the operations one CP-SAT sub-model may move.

A window is a stretch of consecutive operations on each of a few machines;
everything else stays where it is. Its operations may change machine among
the window's machines, order and times; the operations right before and
after it on each machine, and the steps of its lots outside it, bound it.

Neighbourhoods:

- **machine group over time**: a seed machine and the machines its lots may
  also run on (alternatives), over the stretch of time holding about
  ``size`` operations; the seeds cycle through the machines and the
  stretches slide along the horizon, so every part of the schedule gets its
  turn;
- **late lots**: the stretch around the last step of a late lot, on its
  machine and that machine's alternatives;
- **a lot's route**: a stretch around every step of one lot routed over
  several machines, on each of those machines, so that the window can move
  the lot along its whole routing at once (the other windows hold a lot's
  steps outside them in place, so they move a lot one step at a time).
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass

from prodsched.lns.state import Indexed
from prodsched.plant.model import Plant


@dataclass(frozen=True)
class Window:
    """Operations ``by_machine[m][i:j]`` of every machine ``m`` in ``segments``."""

    kind: str
    segments: dict[str, tuple[int, int]]

    def free(self, state: Indexed) -> list[int]:
        """The operations of the window."""
        return [k for m, (i, j) in self.segments.items() for k in state.by_machine[m][i:j]]


def alternative_machines(plant: Plant) -> dict[str, list[str]]:
    """For each machine, the machines sharing a routing step with it, most shared first."""
    shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for route in plant.routings.values():
        for step in route:
            names = [o.machine for o in step.options]
            for a in names:
                for b in names:
                    if a != b:
                        shared[a][b] += 1
    return {m: sorted(shared[m], key=lambda b: (-shared[m][b], b)) for m in plant.machines}


def time_window(state: Indexed, machines: list[str], start: int, size: int,
                kind: str) -> Window | None:
    """The operations of ``machines`` starting at or after ``start``, the first ``size``
    of them in time (at least one)."""
    firsts = {}
    candidates: list[tuple[int, str]] = []
    for m in machines:
        seq = state.by_machine.get(m, [])
        starts = [state.ops[k].start for k in seq]
        i = bisect.bisect_left(starts, start)
        firsts[m] = (i, starts)
        candidates += [(s, m) for s in starts[i:i + size]]
    if not candidates:
        return None
    candidates.sort()
    until = candidates[min(size, len(candidates)) - 1][0]
    segments = {}
    for m, (i, starts) in firsts.items():
        j = bisect.bisect_right(starts, until, lo=i)
        if j > i:
            segments[m] = (i, j)
    return Window(kind, segments)


class Neighbourhoods:
    """Chooses the next window (deterministic for a seed).

    Parameters
    ----------
    plant
        The plant.
    seed
        Random seed of the choices.
    group
        Machines per window at most (the seed machine and its alternatives).
    """

    def __init__(self, plant: Plant, seed: int = 0, group: int = 3):
        self.alternatives = alternative_machines(plant)
        self.machines = list(plant.machines)
        self.rng = random.Random(seed)
        self.group = group
        self.cursor: dict[str, int] = defaultdict(int)
        self.turn = 0

    def machine_group(self, seed: str) -> list[str]:
        """The seed machine and some of its alternatives."""
        others = self.alternatives.get(seed, [])
        if len(others) > self.group - 1:
            others = self.rng.sample(others[: 2 * self.group], self.group - 1)
        return [seed, *others]

    def sliding(self, state: Indexed, size: int) -> Window | None:
        """The next machine group, at its cursor; the cursor moves half a window on."""
        for _ in range(len(self.machines)):
            seed = self.machines[self.turn % len(self.machines)]
            self.turn += 1
            seq = state.by_machine.get(seed, [])
            if not seq:
                continue
            position = self.cursor[seed]
            if position >= len(seq):
                position = 0
            group = self.machine_group(seed)
            share = max(1, size // len(group))
            self.cursor[seed] = position + max(1, share // 2)
            return time_window(state, group, state.ops[seq[position]].start, size, "sliding")
        return None

    def late(self, state: Indexed, late_ops: list[int], size: int) -> Window | None:
        """A window ending around the last step of a late lot."""
        if not late_ops:
            return None
        k = self.rng.choice(late_ops)
        op = state.ops[k]
        group = self.machine_group(op.machine)
        seq = state.by_machine[op.machine]
        at = seq.index(k)
        share = max(1, size // len(group))
        back = seq[max(0, at - share + share // 4)]
        return time_window(state, group, state.ops[back].start, size, "late")

    def route(self, state: Indexed, lots: list[str], weights: list[float], size: int
              ) -> Window | None:
        """A window around every step of one of ``lots`` (chosen by ``weights``): on each
        machine of its route, the stretch of about ``size / machines`` operations
        around its steps there."""
        if not lots:
            return None
        chain = state.by_lot[self.rng.choices(lots, weights)[0]]
        ops = state.ops
        machines = list(dict.fromkeys(ops[k].machine for k in chain))
        share = max(1, size // len(machines))
        segments = {}
        for m in machines:
            seq = state.by_machine[m]
            at = [seq.index(k) for k in chain if ops[k].machine == m]
            segments[m] = (max(0, min(at) - share // 2),
                           min(len(seq), max(at) + 1 + share - share // 2))
        return Window("route", segments)
