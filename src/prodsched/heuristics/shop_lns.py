"""Large neighbourhood search on (flexible) job shops, CP-SAT solving each neighbourhood.

Each step frees part of the current schedule (the operations in a window of
start times, a few whole jobs, or everything on a few machines) and keeps the
rest: a kept operation stays on its machine and behind the kept operation
before it there. CP-SAT then places the freed operations (machine, start and
order) and re-times everything for the shortest makespan, starting from the
current schedule as its hint; the result replaces the current schedule when it
is no longer (equal ones too, so the search walks across plateaus). The share
of operations freed grows while CP-SAT solves neighbourhoods to optimality and
shrinks while it runs out of time.

On Brandimarte's mk07 (100 operations, 5 machines, up to 5 machines per
operation) it is stronger than tabu search in the same time: a first version,
run alone for 60 s from a Giffler–Thompson schedule, reached 140, 140, 141 with
2 CP-SAT workers per neighbourhood and 140 with 1 (best known 139; tabu search
143–147). On the larger mk10 (300 operations) tabu search is the stronger
method, so :mod:`prodsched.heuristics.makespan_rules` runs the two side by side.
"""

from __future__ import annotations

import itertools
import random
import time

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.heuristics.tabu_shop import Jobs, Placement
from prodsched.stop import NO_STOP, Stop

# One neighbourhood's solve takes at most this many seconds.
NEIGHBOURHOOD_SECONDS = 2.0
# Below this many seconds left, no neighbourhood is started.
MIN_SECONDS = 0.05
# Share of the operations freed: at the start, and its bounds; it is multiplied by
# SIZE_STEP after a neighbourhood solved to optimality and divided by it otherwise.
START_SHARE = 0.3
MIN_SHARE = 0.1
MAX_SHARE = 0.8
SIZE_STEP = 1.05

Op = tuple[int, int]  # (job, operation)


def shop_lns(jobs: Jobs, n_machines: int, start: Placement, stop: Stop, *,
             floor: int = 0, seed: int = 0, workers: int = 1) -> tuple[Placement, int]:
    """The schedule ``start`` improved by large neighbourhood search until ``stop`` ends it.

    Parameters
    ----------
    jobs, n_machines, start, floor
        As for :func:`prodsched.heuristics.tabu_shop.tabu_search`.
    stop
        Its deadline ends the search (no neighbourhood starts with less than
        ``MIN_SECONDS`` left); its stop flag is polled during every solve, and
        once it is true the search ends.
    seed
        Seeds the choice of neighbourhoods and CP-SAT.
    workers
        CP-SAT workers per neighbourhood.

    Returns
    -------
    tuple of (Placement, int)
        The last schedule accepted (``start`` when none was; never longer than
        ``start``) and its makespan.
    """
    rng = random.Random(seed)
    best = [list(ops) for ops in start]
    span = placement_makespan(best)
    share = START_SHARE
    n_ops = sum(len(ops) for ops in jobs)
    pick = (_time_window, _some_jobs, _some_machines)
    while span > floor and not stop():
        seconds = min(NEIGHBOURHOOD_SECONDS, stop.left())
        if seconds < MIN_SECONDS:
            break
        size = max(1, round(share * n_ops))
        free = rng.choice(pick)(best, n_machines, size, rng)
        found = _solve_neighbourhood(jobs, n_machines, best, free, seconds,
                                     rng.randrange(1 << 30), workers, stop)
        if found is None:  # no schedule in time (the current one is always allowed)
            share = max(MIN_SHARE, share / SIZE_STEP)
            continue
        placement, proved = found
        best, span = placement, placement_makespan(placement)
        share = (min(MAX_SHARE, share * SIZE_STEP) if proved
                 else max(MIN_SHARE, share / SIZE_STEP))
    return best, span


def solve_whole(jobs: Jobs, n_machines: int, start: Placement, seconds: float, *,
                seed: int = 0, workers: int = 1, stop: Stop = NO_STOP
                ) -> tuple[Placement, bool] | None:
    """CP-SAT on the whole shop for at most ``seconds``, from ``start`` as its hint.

    ``stop``'s deadline shortens ``seconds``; its stop flag is polled during the
    solve; its deterministic budget, when set, limits the solve too (with one
    worker the same input then gives the same schedule; the clock stays as a
    safety).

    Returns
    -------
    tuple of (Placement, bool) or None
        Its best schedule (never longer than ``start``) and whether that is proved
        optimal; ``None`` when it found none in time or ``seconds`` is too short.
    """
    seconds = min(seconds, stop.left())
    if seconds < MIN_SECONDS or stop():
        return None
    return _solve_neighbourhood(jobs, n_machines, start, set(_ops(start)), seconds, seed,
                                workers, stop, deterministic_seconds=stop.deterministic_seconds)


def _time_window(placement: Placement, n_machines: int, size: int,
                 rng: random.Random) -> set[Op]:
    """``size`` operations in a row when all are listed by start time."""
    ordered = sorted(_ops(placement), key=lambda o: placement[o[0]][o[1]][1:])
    first = rng.randrange(max(1, len(ordered) - size + 1))
    return set(ordered[first:first + size])


def _some_jobs(placement: Placement, n_machines: int, size: int,
               rng: random.Random) -> set[Op]:
    """Every operation of random jobs, until there are ``size`` of them or more."""
    order = list(range(len(placement)))
    rng.shuffle(order)
    free: set[Op] = set()
    for j in order:
        if len(free) >= size:
            break
        free.update((j, i) for i in range(len(placement[j])))
    return free


def _some_machines(placement: Placement, n_machines: int, size: int,
                   rng: random.Random) -> set[Op]:
    """Every operation on random machines, until there are ``size`` of them or more."""
    on = _per_machine(placement, n_machines)
    order = list(range(n_machines))
    rng.shuffle(order)
    free: set[Op] = set()
    for machine in order:
        if len(free) >= size:
            break
        free.update(on[machine])
    return free


def _solve_neighbourhood(jobs: Jobs, n_machines: int, current: Placement, free: set[Op],
                         seconds: float, seed: int, workers: int, stop: Stop, *,
                         deterministic_seconds: float | None = None
                         ) -> tuple[Placement, bool] | None:
    """CP-SAT's best schedule with only ``free`` operations placed anew, and whether it
    is proved the best of that neighbourhood; ``None`` when it found none in time.
    The solve gets ``seconds`` from when the model is built (and at most
    ``deterministic_seconds`` of CP-SAT's deterministic time, when set), and polls
    ``stop``'s flag."""
    horizon = placement_makespan(current)
    model = cp_model.CpModel()
    makespan = model.new_int_var(0, horizon, "makespan")
    # a complete hint (starts, ends, machines, makespan): with one worker CP-SAT
    # then improves on it (mk09's and mk10's MWKR schedules re-sequenced in 3 s:
    # 354 and 269 unchanged with the starts alone hinted, 340 and 268 so)
    model.add_hint(makespan, horizon)
    starts: dict[Op, cp_model.IntVar] = {}
    ends: dict[Op, cp_model.IntVar] = {}
    choices: dict[Op, list[tuple[int, cp_model.IntVar]]] = {}
    intervals: list[list[cp_model.IntervalVar]] = [[] for _ in range(n_machines)]
    for j, ops in enumerate(jobs):
        for i, options in enumerate(ops):
            machine, begin, _ = current[j][i]
            s = starts[(j, i)] = model.new_int_var(0, horizon, f"s{j}_{i}")
            e = ends[(j, i)] = model.new_int_var(0, horizon, f"e{j}_{i}")
            model.add_hint(s, begin)
            model.add_hint(e, current[j][i][2])
            if (j, i) in free and len(options) > 1:
                literals = choices[(j, i)] = []
                for k, duration in options:
                    chosen = model.new_bool_var(f"x{j}_{i}_{k}")
                    model.add_hint(chosen, k == machine)
                    intervals[k].append(model.new_optional_interval_var(
                        s, duration, e, chosen, f"o{j}_{i}_{k}"))
                    literals.append((k, chosen))
                model.add_exactly_one(chosen for _, chosen in literals)
            else:
                duration = dict(options)[machine]
                intervals[machine].append(model.new_interval_var(s, duration, e, f"i{j}_{i}"))
            if i:
                model.add(s >= ends[(j, i - 1)])
        if ops:
            model.add(makespan >= ends[(j, len(ops) - 1)])
    for k in range(n_machines):
        model.add_no_overlap(intervals[k])
    for kept in _kept_sequences(current, n_machines, free):
        for before, after in itertools.pairwise(kept):
            model.add(starts[after] >= ends[before])
    run = run_stages(model, [("makespan", makespan, 1)],
                     SolverSettings(workers=workers, seed=seed),
                     Stop.make(time.monotonic() + seconds, requested=stop.requested,
                               solver_hook=stop.solver_hook,
                               deterministic_seconds=deterministic_seconds))
    if run.values is None:
        return None
    placement: Placement = []
    for j, ops in enumerate(jobs):
        row = []
        for i in range(len(ops)):
            machine = current[j][i][0]
            if (j, i) in choices:
                machine = next(k for k, chosen in choices[(j, i)] if run.value(chosen))
            row.append((machine, run.value(starts[(j, i)]), run.value(ends[(j, i)])))
        placement.append(row)
    return placement, run.status == "optimal"


def _kept_sequences(placement: Placement, n_machines: int, free: set[Op]) -> list[list[Op]]:
    """Per machine, its operations not in ``free`` in the order they run (by start,
    then end, so that an operation taking no time comes before one starting with it)."""
    return [sorted(ops, key=lambda o: placement[o[0]][o[1]][1:])
            for ops in _per_machine(placement, n_machines, leaving_out=free)]


def _per_machine(placement: Placement, n_machines: int,
                 leaving_out: set[Op] | frozenset[Op] = frozenset()) -> list[list[Op]]:
    """Per machine, the operations ``placement`` runs on it (but ``leaving_out``)."""
    on: list[list[Op]] = [[] for _ in range(n_machines)]
    for o in _ops(placement):
        if o not in leaving_out:
            on[placement[o[0]][o[1]][0]].append(o)
    return on


def _ops(placement: Placement) -> list[Op]:
    return [(j, i) for j, ops in enumerate(placement) for i in range(len(ops))]


def placement_makespan(placement: Placement) -> int:
    """The latest end of ``placement`` (0 when empty)."""
    return max((end for ops in placement for _, _, end in ops), default=0)
