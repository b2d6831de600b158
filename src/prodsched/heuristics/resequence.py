"""Exact sequencing of a schedule's machine assignment.

Tabu search on a flexible job shop chooses machines and sequences together,
but its sequences are only locally optimal for the machines it chose. With the
machines fixed the plant is a plain job shop, which CP-SAT often solves to
optimality in a second or two (seen on Brandimarte's mk10: 300 operations on 15
machines, the tabu schedule's 198 proved to be 197 for its own assignment in
1.4 s). :func:`resequence` does that solve, through the same pipeline and
validator as every other schedule, and keeps its schedule when it is shorter.
"""

from __future__ import annotations

from dataclasses import replace

from prodsched.errors import InfeasibleError
from prodsched.plant.model import Plant, Step
from prodsched.schedule.rows import PlacedOp
from prodsched.stop import NO_STOP, Stop

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

    Parameters
    ----------
    plant
        The plant ``placed`` schedules.
    placed
        A complete, valid schedule of ``plant`` (every step of every lot).
    seconds
        Time limit of the solve (with one worker, the source of its
        deterministic budget); it ends sooner when the sequence is proved
        optimal (the makespan is the objective).
    seed, workers
        The solve's random seed and CP-SAT workers.
    stop
        Its deadline shortens ``seconds``; its stop flag is polled during the
        solve (every :data:`~prodsched.cpsat_runner.STOP_POLL_SECONDS`, between
        CP-SAT's solutions too): once it is true the solve ends early.

    Returns
    -------
    list of PlacedOp
        The solve's schedule when its makespan is shorter, else ``placed``.
    """
    restricted = assigned_plant(plant, placed)
    seconds = min(seconds, stop.left())
    if restricted is None or seconds < MIN_SECONDS or stop():
        return placed
    # imported here: the pipeline imports the heuristics
    from prodsched.cpsat_runner import SolverSettings, polling
    from prodsched.objective import parse_objective
    from prodsched.pipeline import SolveRequest, solve_request

    with polling(stop.flag) as hook:
        request = SolveRequest(objective=parse_objective("makespan"), time_limit=seconds,
                               settings=SolverSettings(workers=workers, seed=seed),
                               warm_starts=[("given", placed)], stop=stop.flag, solver_hook=hook)
        try:
            schedule = solve_request(restricted, request)
        except InfeasibleError:  # not expected: ``placed`` itself is a schedule of it
            return placed
    better = list(schedule.ops)
    return better if makespan_of(better) < makespan_of(placed) else placed
