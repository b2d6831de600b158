"""Feasibility of a benchmark solution, checked against the instance itself.

Independent of the plant, the model and the project's validator: a solution
is, per job and per operation in route order, the machine it ran on and its
start and end. :func:`check_solution` re-derives every rule of the instance's
problem from the :class:`~prodsched.formats.shop.ShopInstance`:

- every job has all its operations, each on one of its eligible machines and
  lasting exactly that machine's duration;
- a job's operations run in route order, from time 0 on;
- a machine runs one operation at a time;
- with setups: between consecutive jobs on a machine, the setup fits between
  them (the first job needs none);
- for permutation instances: every machine runs the jobs in the same order.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

from prodsched.formats.shop import ShopInstance

# (machine, start, end) of one operation
OpTime = tuple[int, int, int]
# per job, its operations in route order
ShopSolution = Sequence[Sequence[OpTime]]


def makespan_of(solution: ShopSolution) -> int:
    """The latest end of any operation (0 for an empty solution)."""
    return max((end for ops in solution for _, _, end in ops), default=0)


def check_solution(instance: ShopInstance, solution: ShopSolution,
                   objective: float | None = None) -> list[str]:
    """Every way ``solution`` breaks the instance's rules (empty when feasible).

    Parameters
    ----------
    instance
        The instance as read from its file.
    solution
        Per job, per operation: ``(machine, start, end)``, 0-based machines.
    objective
        The makespan the solver reported; a mismatch with the recomputed
        makespan is a violation.
    """
    out: list[str] = []
    if len(solution) != instance.n_jobs:
        return [f"{len(solution)} jobs in the solution, the instance has {instance.n_jobs}"]
    runs: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for j, (operations, ops) in enumerate(zip(instance.jobs, solution, strict=True)):
        if len(ops) != len(operations):
            out.append(f"job {j}: {len(ops)} operations, the instance has {len(operations)}")
            continue
        ready = 0
        for i, (options, (machine, start, end)) in enumerate(zip(operations, ops, strict=True)):
            durations = dict(options)
            if machine not in durations:
                out.append(f"job {j} operation {i}: machine {machine} is not eligible "
                           f"(eligible: {sorted(durations)})")
            elif end - start != durations[machine]:
                out.append(f"job {j} operation {i}: lasts {end - start} on machine {machine}, "
                           f"needs {durations[machine]}")
            if start < ready:
                out.append(f"job {j} operation {i}: starts at {start}, before "
                           f"{'time 0' if i == 0 else f'operation {i - 1} ends ({ready})'}")
            ready = max(end, 0)
            runs[machine].append((start, end, j))
    orders: dict[int, list[int]] = {}
    for machine, items in sorted(runs.items()):
        items.sort()
        orders[machine] = [j for _, _, j in items]
        for (_, e1, a), (s2, _, b) in itertools.pairwise(items):
            gap = instance.setup(machine, a, b)
            if s2 < e1 + gap:
                what = f"with the setup of {gap} " if gap else ""
                out.append(f"machine {machine}: job {b} starts at {s2}, before job {a} "
                           f"{what}is done ({e1 + gap})")
    if instance.permutation:
        reference = next(iter(orders.values()), [])
        for machine, order in orders.items():
            if order != reference:
                out.append(f"machine {machine} runs the jobs in the order {order}, "
                           f"not {reference} as the first machine")
    if objective is not None and makespan_of(solution) != objective:
        out.append(f"reported makespan {objective:g}, recomputed {makespan_of(solution)}")
    return out
