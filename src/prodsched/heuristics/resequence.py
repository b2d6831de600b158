"""Exact sequencing of a schedule's machine assignment.

Tabu search on a flexible job shop chooses machines and sequences together,
but its sequences are only locally optimal for the machines it chose. With the
machines fixed the plant is a plain job shop, which CP-SAT often solves to
optimality in a second or two (seen on Brandimarte's mk10: 300 operations on 15
machines, the tabu schedule's 198 proved to be 197 for its own assignment in
1.4 s). :func:`resequence` does that solve with the job-shop model of
:func:`prodsched.heuristics.shop_lns.solve_whole` (every operation left only
its machine), and keeps its schedule when it is shorter and the validator
accepts it.
"""

from __future__ import annotations

from dataclasses import replace

from prodsched.budget import DETERMINISTIC_PER_SECOND, repeatable_by_default
from prodsched.heuristics.shop_lns import solve_whole
from prodsched.heuristics.tabu_shop import Jobs, Placement
from prodsched.lots.placed import lots_in
from prodsched.plant.model import Plant, Step
from prodsched.plant.setups import NO_CHANGEOVER
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.stop import NO_STOP, Stop
from prodsched.validate.check import schedule_violations

# Below this many seconds the solve is not worth starting.
MIN_SECONDS = 0.5


def assigned_plant(plant: Plant, placed: list[PlacedOp]) -> Plant | None:
    """``plant`` with every routing step left only the machine ``placed`` runs it on.

    ``None`` when two lots of one product run a step on different machines
    (the restriction is per product) or a step of a product is not placed.
    """
    machine_of: dict[tuple[str, int], str] = {}
    for op in placed:
        key = (op.lot.product, op.step)
        if machine_of.setdefault(key, op.machine) != op.machine:
            return None
    made = {product for product, _ in machine_of}
    routings: dict[str, tuple[Step, ...]] = {}
    for product, steps in plant.routings.items():
        if product not in made:  # no lots: nothing to restrict
            routings[product] = steps
            continue
        kept: list[Step] = []
        for step in steps:
            machine = machine_of.get((product, step.number))
            option = step.option(machine) if machine is not None else None
            if option is None:
                return None
            kept.append(Step(step.number, (option,)))
        routings[product] = tuple(kept)
    return replace(plant, routings=routings)


def makespan_of(placed: list[PlacedOp]) -> int:
    """The latest end of ``placed`` (0 when empty)."""
    return max((op.end for op in placed), default=0)


def resequence(plant: Plant, placed: list[PlacedOp], seconds: float, *, seed: int = 0,
               workers: int = 1, stop: Stop = NO_STOP) -> list[PlacedOp]:
    """The schedule ``placed`` re-sequenced by CP-SAT on its own machine assignment.

    The plant is taken as a plain (flexible) job shop, as
    :func:`~prodsched.heuristics.makespan_rules.makespan_warm_starts` makes it:
    per lot, its routing steps in order, each only on the machine ``placed``
    runs it on and taking its duration there, no two operations at once on a
    machine. :func:`~prodsched.heuristics.shop_lns.solve_whole` minimises the
    makespan of that job shop with ``placed`` as its hint.

    Parameters
    ----------
    plant
        The plant ``placed`` schedules.
    placed
        A complete, valid schedule of ``plant`` (every step of every lot).
    seconds
        Time limit of the solve; it ends sooner when the sequence is proved
        optimal (the makespan is the objective). With one worker (a repeatable
        run) the solve is limited by CP-SAT's deterministic time,
        :data:`~prodsched.budget.DETERMINISTIC_PER_SECOND` per second of it,
        unless ``stop`` carries a deterministic budget of its own; the clock
        stays as a safety.
    seed, workers
        The solve's random seed and CP-SAT workers.
    stop
        Its deadline shortens ``seconds``; its stop flag is polled during the
        solve (every :data:`~prodsched.cpsat_runner.STOP_POLL_SECONDS`, between
        CP-SAT's solutions too): once it is true the solve ends early.

    Returns
    -------
    list of PlacedOp
        The solve's schedule (the operations of ``placed``, in its order, on
        the same machines at new times) when its makespan is shorter and the
        validator accepts it, else ``placed`` itself: also when ``placed`` is
        not a plain job-shop schedule (two lots of one product run a step on
        different machines, a step is missing or placed twice, an operation
        has a changeover, is fixed, or does not take its duration), when less
        than ``MIN_SECONDS`` are left, or once a stop was requested.
    """
    if assigned_plant(plant, placed) is None:
        return placed
    problem = _job_shop(plant, placed)
    seconds = min(seconds, stop.left())
    if problem is None or seconds < MIN_SECONDS or stop():
        return placed
    jobs, start, ops = problem
    if repeatable_by_default(workers) and stop.deterministic_seconds is None:
        stop = stop.with_budget(round(DETERMINISTIC_PER_SECOND * seconds, 3))
    found = solve_whole(jobs, len(plant.machines), start, seconds, seed=seed, workers=workers,
                        stop=stop)
    if found is None:
        return placed
    placement, _ = found
    moved = {op: replace(op, start=begin, end=end)
             for row, placed_row in zip(ops, placement, strict=True)
             for op, (_, begin, end) in zip(row, placed_row, strict=True)}
    better = [moved[op] for op in placed]
    if (makespan_of(better) >= makespan_of(placed)
            or schedule_violations(Schedule(plant, lots_in(better), better))):
        return placed
    return better


def _job_shop(plant: Plant, placed: list[PlacedOp]
              ) -> tuple[Jobs, Placement, list[list[PlacedOp]]] | None:
    """``placed`` as a job shop, built as
    :func:`~prodsched.heuristics.makespan_rules.makespan_warm_starts` builds one:
    per lot (a job), per routing step, the one ``(machine, duration)`` option
    ``placed`` uses; per job and step its ``(machine, start, end)`` in
    ``placed``; and per job and step the operation of ``placed``. ``None`` when
    ``placed`` is not a plain job-shop schedule of ``plant`` (see
    :func:`resequence`)."""
    index = {m: k for k, m in enumerate(plant.machines)}
    per_lot: dict[str, dict[int, PlacedOp]] = {}
    for op in placed:
        steps = per_lot.setdefault(op.lot.lot_id, {})
        if op.step in steps or op.fixed or op.setup != NO_CHANGEOVER:
            return None
        steps[op.step] = op
    jobs: list[list[list[tuple[int, int]]]] = []
    start: Placement = []
    ops: list[list[PlacedOp]] = []
    for steps in per_lot.values():
        lot = next(iter(steps.values())).lot
        routing = plant.routings[lot.product]
        if set(steps) != {step.number for step in routing}:
            return None
        row = [steps[step.number] for step in routing]
        job: list[list[tuple[int, int]]] = []
        for step, op in zip(routing, row, strict=True):
            option = step.option(op.machine)
            if option is None or op.machine not in index:
                return None
            duration = option.duration(lot.quantity)
            if op.end - op.start != duration:
                return None
            job.append([(index[op.machine], duration)])
        jobs.append(job)
        start.append([(index[op.machine], op.start, op.end) for op in row])
        ops.append(row)
    return jobs, start, ops

