"""Makespan warm starts for plain (flexible) job shops: Giffler–Thompson with
most-work-remaining priority, restarted with random noise, then improved by
tabu search (:mod:`prodsched.heuristics.tabu_shop`) or large neighbourhood
search (:mod:`prodsched.heuristics.shop_lns`).

The rules of :mod:`prodsched.timeline.rules` serve due dates;
for makespan the classic priority is *most work remaining* (MWKR). Jobs are
given as operations with their eligible machines and durations; the schedule
is active (no operation can start earlier without delaying another).
"""

from __future__ import annotations

import random
import time

from prodsched.budget import repeatable_by_default
from prodsched.heuristics.resequence import makespan_of, resequence
from prodsched.heuristics.shop_lns import placement_makespan, shop_lns, solve_whole
from prodsched.heuristics.tabu_parallel import parallel_tabu_search, tabu_beside
from prodsched.heuristics.tabu_shop import Jobs, Placement
from prodsched.lots.fixed import lots_per_order
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.stop import NO_STOP, Stop

# Share of the time limit spent on restarts.
WARM_START_SHARE = 0.05
MAX_WARM_START_SECONDS = 2.0
# Noisy restarts at most (a clock-limited run stops sooner when its share is over).
MAX_RESTARTS = 10_000
# Share of the time limit (counted from the start) by which tabu search hands a flexible
# job shop over to CP-SAT (one worker).
TABU_SHARE = 0.5
# With more than one worker: share of the time limit for CP-SAT on the whole flexible
# shop first (small ones are proved optimal in it: the plain model proves mk01 and mk04
# in under a second).
PROBE_SHARE = 0.05
# With more than one worker: share of the time limit (from the start) by which tabu
# search and large neighbourhood search, run side by side, are compared.
COMPARE_SHARE = 0.25
# With more than one worker: share of the time limit (from the start) by which the
# method that was ahead, run again with every worker, hands over to re-sequencing.
IMPROVE_SHARE = 0.8
# Share of the time limit for CP-SAT to sequence the tabu schedule's machine assignment
# exactly (it stops sooner once that sequence is proved optimal).
RESEQUENCE_SHARE = 0.1
# With one worker (a repeatable run) restarts and tabu search are counted in work, not
# seconds, so that the same plant and limit give the same schedule: operations scheduled
# per second of restarts, operations times tabu iterations per second of tabu search.
# Set about 3 times below what this machine does (Giffler–Thompson 26,000–31,000
# operations/s on mk07 and mk10 with the benchmark running beside it; tabu search about
# 240,000 on mk07), so that the clock, still a safety, rarely ends them first.
RESTART_OPS_PER_SECOND = 10_000
TABU_OPS_PER_SECOND = 80_000


def giffler_thompson(jobs: Jobs, n_machines: int, noise: float = 0.0,
                     rng: random.Random | None = None) -> tuple[Placement, int]:
    """An active schedule by Giffler–Thompson with MWKR priority.

    Parameters
    ----------
    jobs
        Per job, per operation, its ``(machine, duration)`` options.
    n_machines
        Machines are ``0..n_machines-1``.
    noise
        Priorities are multiplied by a random factor in ``[1 - noise, 1 + noise]``.
    rng
        Source of the noise (needed when ``noise > 0``).

    Returns
    -------
    tuple of (Placement, int)
        Per job and operation ``(machine, start, end)``, and the makespan.
    """
    remaining = [[0] * (len(ops) + 1) for ops in jobs]
    for j, ops in enumerate(jobs):
        for i in range(len(ops) - 1, -1, -1):
            remaining[j][i] = remaining[j][i + 1] + min(d for _, d in ops[i])
    weight = [1.0 + (rng.uniform(-noise, noise) if noise and rng else 0.0) for _ in jobs]
    next_op = [0] * len(jobs)
    ready = [0] * len(jobs)
    free = [0] * n_machines
    out: Placement = [[] for _ in jobs]
    active = [j for j, ops in enumerate(jobs) if ops]
    while active:
        # the operation and machine that could finish first
        best: tuple[int, int, int, int] | None = None  # (end, start, job, machine)
        for j in active:
            for machine, duration in jobs[j][next_op[j]]:
                start = max(ready[j], free[machine])
                if best is None or (start + duration, start) < best[:2]:
                    best = (start + duration, start, j, machine)
        assert best is not None
        horizon, earliest, _, machine = best
        # among operations that could start on that machine before then (or with it, when
        # it takes no time): most work remaining
        pick: tuple[float, int, int, int] | None = None  # (-priority, start, job, duration)
        for j in active:
            for m, duration in jobs[j][next_op[j]]:
                if m != machine:
                    continue
                start = max(ready[j], free[machine])
                if start < horizon or start == earliest:
                    key = (-remaining[j][next_op[j]] * weight[j], start, j, duration)
                    if pick is None or key < pick:
                        pick = key
        assert pick is not None
        _, start, j, duration = pick
        out[j].append((machine, start, start + duration))
        ready[j] = free[machine] = start + duration
        next_op[j] += 1
        if next_op[j] == len(jobs[j]):
            active.remove(j)
    return out, max((ready[j] for j in range(len(jobs))), default=0)


def lower_bound(jobs: Jobs, n_machines: int) -> int:
    """A makespan no schedule beats: the longest job, and the busiest machine.

    With a choice of machines, each operation counts with its shortest
    duration: on its machine when it has only one, else spread over all.
    """
    longest_job = max((sum(min(d for _, d in options) for options in ops) for ops in jobs),
                      default=0)
    load = [0] * n_machines
    flexible = 0
    for ops in jobs:
        for options in ops:
            if len(options) == 1:
                load[options[0][0]] += options[0][1]
            else:
                flexible += min(d for _, d in options)
    spread = -(-(sum(load) + flexible) // max(n_machines, 1))
    return max(longest_job, max(load, default=0), spread)


def best_of_restarts(jobs: Jobs, n_machines: int, stop: Stop, seed: int = 0,
                     noise: float = 0.3, max_restarts: int = MAX_RESTARTS
                     ) -> tuple[Placement, int]:
    """The plain MWKR schedule, then noisy restarts until ``stop`` ends them; the best one.

    Stops early when a schedule reaches :func:`lower_bound`, and at ``stop``'s
    deadline or once it requests a stop (:meth:`~prodsched.stop.Stop.over`).
    """
    best, value = giffler_thompson(jobs, n_machines)
    floor = lower_bound(jobs, n_machines)
    rng = random.Random(seed)
    restarts = 0
    while value > floor and restarts < max_restarts and not stop.over():
        restarts += 1
        placement, span = giffler_thompson(jobs, n_machines, noise, rng)
        if span < value:
            best, value = placement, span
    return best, value


def makespan_warm_starts(plant: Plant, time_limit: float, *, seed: int = 0, workers: int = 1,
                         stop: Stop = NO_STOP) -> list[tuple[str, list[PlacedOp]]]:
    """An MWKR Giffler–Thompson schedule of a (flexible) job shop, improved by tabu
    search or a CP-SAT search (none for other plants).

    A plain job shop has no changeovers, calendars, releases or lot streaming.
    Restarts use ``WARM_START_SHARE`` of ``time_limit`` (at most
    ``MAX_WARM_START_SECONDS``). Then:

    - with one worker the run is repeatable. A job shop without machine
      choices goes to CP-SAT straight away. In a flexible one tabu search runs
      until ``TABU_SHARE`` of ``time_limit``, restarts and tabu search ending
      after a number of steps set from the plant and ``time_limit``
      (``RESTART_OPS_PER_SECOND``, ``TABU_OPS_PER_SECOND``; the clock only as a
      safety);
    - with more, CP-SAT first gets ``PROBE_SHARE`` on the whole shop (an
      optimum it proves goes to the pipeline as it is); then tabu search and a
      CP-SAT search (large neighbourhood search with machine choices, the whole
      shop without) run side by side until ``COMPARE_SHARE``, and the one ahead
      runs on with every worker until ``IMPROVE_SHARE`` (:func:`_tabu_or_lns`;
      either ends sooner at the lower bound or once ``stop`` requests it).

    In a flexible job shop CP-SAT then sequences that schedule's machine
    assignment exactly (:func:`resequence`, for at most ``RESEQUENCE_SHARE`` of
    ``time_limit``; with one worker its whole share, limited by deterministic
    time). The rest is left to CP-SAT on the whole problem with the result as
    the hint (a schedule at its lower bound goes there as it is).

    Every part also ends at ``stop``'s deadline (if earlier than its share), and
    polls its stop flag.
    """
    started = time.monotonic()
    setups = SetupTable(plant)
    if plant.downtimes or any(setups.has_setups(m) for m in plant.machines):
        return []
    lots = lots_per_order(plant)
    if any(lot.release > 0 or lot.mode is Mode.MASS for lot in lots):
        return []
    machines = list(plant.machines)
    index = {m: k for k, m in enumerate(machines)}
    jobs = [[[(index[o.machine], o.duration(lot.quantity)) for o in step.options]
             for step in plant.routings[lot.product]] for lot in lots]
    budget = min(MAX_WARM_START_SECONDS, WARM_START_SHARE * time_limit)
    repeatable = repeatable_by_default(workers)
    n_ops = max(1, sum(len(ops) for ops in jobs))
    placement, _ = best_of_restarts(
        jobs, len(machines), stop.until(started + budget), seed,
        max_restarts=int(RESTART_OPS_PER_SECOND * budget / n_ops) if repeatable else MAX_RESTARTS)
    flexible = any(len(options) > 1 for ops in jobs for options in ops)
    floor = lower_bound(jobs, len(machines))
    label, proved = "mwkr", False
    if flexible and repeatable:
        tabu_seconds = TABU_SHARE * time_limit - budget
        placement, _ = parallel_tabu_search(
            jobs, len(machines), placement, stop.until(started + TABU_SHARE * time_limit),
            floor=floor, seed=seed, workers=workers,
            max_iterations=int(TABU_OPS_PER_SECOND * max(tabu_seconds, 0) / n_ops))
        label = "mwkr+tabu"
    elif flexible or workers > 1:
        placement, label, proved = _tabu_or_lns(jobs, len(machines), placement, floor, started,
                                                time_limit, seed=seed, workers=workers, stop=stop,
                                                flexible=flexible)
    placed = [PlacedOp(lot, step.number, machines[k], start, end)
              for lot, ops in zip(lots, placement, strict=True)
              for step, (k, start, end) in zip(plant.routings[lot.product], ops, strict=True)]
    if not flexible or proved or makespan_of(placed) <= floor:  # optimal: nothing to do
        return [(label, placed)]
    seconds = RESEQUENCE_SHARE * time_limit
    if not repeatable:  # the clock: what the search left of its share and this one
        seconds = min(seconds, started + (IMPROVE_SHARE + RESEQUENCE_SHARE) * time_limit
                      - time.monotonic())
    shorter = resequence(plant, placed, seconds, seed=seed, workers=workers, stop=stop)
    if makespan_of(shorter) < makespan_of(placed):
        return [(label + "+resequenced", shorter)]
    return [(label, placed)]


def _tabu_or_lns(jobs: Jobs, n_machines: int, start: Placement, floor: int, started: float,
                 time_limit: float, *, seed: int, workers: int, stop: Stop,
                 flexible: bool) -> tuple[Placement, str, bool]:
    """A job shop's schedule by tabu search or a CP-SAT search, whichever is ahead at
    ``COMPARE_SHARE`` of ``time_limit``, its label, and whether it is proved optimal.

    First CP-SAT gets ``PROBE_SHARE`` of ``time_limit`` on the whole shop: a
    schedule it proves optimal is returned as it is (mk01 in 2 s instead of about 30).
    Else both searches start from ``start``, not from CP-SAT's schedule (with it,
    mk06 and mk10 came out no better in two runs). Until ``COMPARE_SHARE`` one tabu
    search (a child process) runs beside a CP-SAT search with one worker:

    - with machine choices, :func:`shop_lns`. The one with the shorter schedule
      (LNS on a tie) then runs with all ``workers`` from its schedule until
      ``IMPROVE_SHARE``. Neither wins everywhere: LNS was ahead on mk07 in every
      run, tabu search on mk10.
    - without (a plain job shop), CP-SAT on the whole shop (:func:`_race_whole`).
    """
    probe = solve_whole(jobs, n_machines, start, PROBE_SHARE * time_limit, seed=seed,
                        workers=workers, stop=stop)
    if probe is not None and probe[1]:
        return probe[0], "mwkr+cp-sat", True
    compare = stop.until(started + COMPARE_SHARE * time_limit)
    improve = stop.until(started + IMPROVE_SHARE * time_limit)
    if not flexible:
        return _race_whole(jobs, n_machines, start, floor, compare, improve, seed=seed,
                           workers=workers)
    tabu, lns = tabu_beside(
        jobs, n_machines, start, compare,
        lambda finished: shop_lns(jobs, n_machines, start, finished, floor=floor, seed=seed,
                                  workers=1),
        floor=floor, seed=seed)
    if tabu is None or lns[1] <= tabu[1]:
        placement, _ = shop_lns(jobs, n_machines, lns[0], improve, floor=floor, seed=seed + 1,
                                workers=workers)
        return placement, "mwkr+lns", False
    placement, _ = parallel_tabu_search(jobs, n_machines, tabu[0], improve, floor=floor,
                                        seed=seed + 1, workers=workers)
    return placement, "mwkr+tabu", False


def _race_whole(jobs: Jobs, n_machines: int, start: Placement, floor: int, compare: Stop,
                improve: Stop, *, seed: int, workers: int) -> tuple[Placement, str, bool]:
    """A plain job shop's schedule: tabu search against CP-SAT on the whole shop.

    Until ``compare`` a tabu search (a child process) and CP-SAT on the whole
    shop with one worker run side by side from ``start``. When CP-SAT is ahead
    (or even, or proves its schedule optimal, which ends the race at once) its
    schedule is returned, and CP-SAT on the whole shop goes on from it with
    every worker after the warm start; small job shops go this way (ft10,
    la16). When tabu search is ahead, ``workers`` tabu searches run on from its
    schedule until ``improve`` (:func:`parallel_tabu_search`): on a job shop of
    hundreds of operations, CP-SAT's own search improves slowly at short time
    limits, while tabu search's moves on the critical path each take a
    fraction of a millisecond (docs/benchmarks.md has the measurements).
    """
    proved: list[bool] = []

    def whole(finished: Stop) -> tuple[Placement, int]:
        found = solve_whole(jobs, n_machines, start, finished.left(), seed=seed, workers=1,
                            stop=finished)
        placement = start if found is None else found[0]
        proved.append(found is not None and found[1])
        return placement, placement_makespan(placement)

    race = compare.or_when(lambda: any(proved))
    tabu, (placement, makespan) = tabu_beside(jobs, n_machines, start, race, whole,
                                              floor=floor, seed=seed)
    if tabu is None or any(proved) or makespan <= tabu[1]:
        return placement, "mwkr+cp-sat", any(proved)
    placement, _ = parallel_tabu_search(jobs, n_machines, tabu[0], improve, floor=floor,
                                        seed=seed + 1, workers=workers)
    return placement, "mwkr+tabu", False
