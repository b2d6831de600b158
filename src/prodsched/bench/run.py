"""One benchmark instance solved by each model, checked, as result rows.

``prodsched`` runs through the real pipeline (the format's reader, its model
extensions and warm starts, :func:`~prodsched.pipeline.solve_request` and
the validator inside it); ``plain`` is :mod:`prodsched.bench.plain`. Either
way the solution is then checked against the instance file itself
(:func:`~prodsched.bench.check.check_solution`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from prodsched.bench.bks import BenchmarkSet, BestKnown, pct_above, pct_gap
from prodsched.bench.check import OpTime, check_solution
from prodsched.bench.plain import solve_plain
from prodsched.formats.shop import ShopInstance

MODELS = ("prodsched", "plain")


@dataclass
class ResultRow:
    """One line of the results CSV: one model on one instance."""

    set: str
    instance: str
    model: str
    objective: float | None
    bound: float | None
    best_known: float | None
    pct_above_bks: float | None
    pct_gap_to_bound: float | None
    seconds: float
    status: str
    feasible: bool
    time_limit: float
    workers: int
    note: str = ""
    commit: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row's fields by column name."""
        return asdict(self)


@dataclass
class Outcome:
    """What a model returned: status, makespan, bound and the solution."""

    status: str
    objective: float | None = None
    bound: float | None = None
    solution: list[list[OpTime]] | None = None
    note: str = ""


def solution_of_schedule(instance: ShopInstance, schedule: Any) -> list[list[OpTime]]:
    """The runs of a prodsched schedule, per job and operation (0-based indices).

    Jobs, machines and steps are recognised by the names the reader gave
    them; a run that cannot be placed is left out (the check then reports
    the job as incomplete).
    """
    job_of = {instance.job_name(j): j for j in range(instance.n_jobs)}
    machine_of = {instance.machine_name(k): k for k in range(instance.n_machines)}
    ops: dict[tuple[int, int], OpTime] = {}
    for row in schedule.rows:
        if row.kind != "run" or row.lot not in job_of or row.machine not in machine_of:
            continue
        ops[job_of[row.lot], (row.step or 0) - 1] = (machine_of[row.machine], row.start, row.end)
    return [[ops[j, i] for i in range(len(job)) if (j, i) in ops]
            for j, job in enumerate(instance.jobs)]


def run_prodsched(bset: BenchmarkSet, path: Path, instance: ShopInstance, time_limit: float,
                  workers: int, seed: int = 0) -> Outcome:
    """Solve ``path`` through the pipeline with the format's extensions and warm starts."""
    import prodsched.formats.builtin  # noqa: F401  (registers the formats)
    from prodsched.cpsat_runner import SolverSettings
    from prodsched.errors import InfeasibleError
    from prodsched.formats import get_format
    from prodsched.objective import parse_objective
    from prodsched.pipeline import InvalidScheduleError, SolveRequest, solve_request

    started = time.monotonic()
    fmt = get_format(bset.format_name)
    plant = fmt.read(path)
    request = SolveRequest(
        objective=parse_objective(fmt.objective), time_limit=time_limit, started_at=started,
        extensions=fmt.extensions(plant),
        warm_starts=fmt.warm_starts(plant, time_limit, seed=seed, workers=workers),
        settings=SolverSettings(workers=workers, seed=seed))
    try:
        schedule = solve_request(plant, request)
    except InfeasibleError as err:
        return Outcome("no solution", note=str(err).splitlines()[0])
    except InvalidScheduleError as err:
        return Outcome("invalid", note=str(err).splitlines()[0])
    info = schedule.info
    warm = info.dispatch.warm_start if info.dispatch is not None else ""
    return Outcome(info.status, info.objective, info.bound,
                   solution_of_schedule(instance, schedule), note=f"warm start: {warm}")


def run_plain(instance: ShopInstance, time_limit: float, workers: int, seed: int = 0,
              started_at: float | None = None) -> Outcome:
    """Solve with the plain model of the OR-Tools examples."""
    result = solve_plain(instance, time_limit, workers, seed, started_at=started_at)
    return Outcome(result.status, None if result.objective is None else float(result.objective),
                   result.bound, result.solution)


def run_instance(bset: BenchmarkSet, path: Path, best: BestKnown | None, model: str,
                 time_limit: float, workers: int, seed: int = 0) -> ResultRow:
    """Solve one instance with one model, check the solution, and make its row."""
    started = time.monotonic()
    instance = bset.parse(path)
    if model == "prodsched":
        outcome = run_prodsched(bset, path, instance, time_limit, workers, seed)
    elif model == "plain":
        outcome = run_plain(instance, time_limit, workers, seed, started_at=started)
    else:
        raise ValueError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    seconds = time.monotonic() - started
    feasible = False
    note = outcome.note
    if outcome.solution is not None:
        problems = check_solution(instance, outcome.solution, outcome.objective)
        feasible = not problems
        if problems:
            note = f"{len(problems)} violation(s), first: {problems[0]}"
    upper = best.upper if best else None
    return ResultRow(
        set=bset.name, instance=path.stem, model=model, objective=outcome.objective,
        bound=outcome.bound, best_known=upper,
        pct_above_bks=pct_above(outcome.objective, upper),
        pct_gap_to_bound=pct_gap(outcome.objective, outcome.bound),
        seconds=seconds, status=outcome.status, feasible=feasible,
        time_limit=time_limit, workers=workers, note=note)
