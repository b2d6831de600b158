"""Running CP-SAT on a built model: parameters, lexicographic stages, progress.

Model-agnostic: the job-shop and lot-sizing models both hand their stage
expressions here. A lexicographic objective is solved stage by stage: each
stage is minimised with the earlier stages held at their best values, warm
started from the previous stage's solution.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}

# progress(stage_name, elapsed_seconds, objective, bound)
ProgressHook = Callable[[str, float, float, float], None]


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT parameters a user may set.

    Parameters
    ----------
    workers
        Parallel search workers (``0``: CP-SAT's default, all cores).
    seed
        Random seed.
    gap
        Relative gap at which a stage stops (``None``: prove optimality).
    log
        Print CP-SAT's own search log.
    deterministic_seconds
        When set, limit each stage by CP-SAT's deterministic time instead of
        wall time, so that runs repeat exactly (with one worker).
    light_presolve
        Cap presolve (one pass, short probing): for large models, where full
        presolve would take a large share of the time limit.
    """

    workers: int = 0
    seed: int = 0
    gap: float | None = None
    log: bool = False
    deterministic_seconds: float | None = None
    light_presolve: bool = False


@dataclass
class StageResult:
    """Outcome of one stage."""

    name: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float


@dataclass
class RunResult:
    """Outcome of all stages: the last solution found and how good it is."""

    status: str = "unknown"
    values: list[int] | None = None
    stages: list[StageResult] = field(default_factory=list)
    trajectory: list[tuple[float, str, float, float]] = field(default_factory=list)
    interrupted: bool = False

    def value(self, var: object) -> int:
        """Value of a variable (or negated literal) in the solution."""
        assert self.values is not None
        index = var.index  # type: ignore[attr-defined]
        if index >= 0:
            return self.values[index]
        return 1 - self.values[-index - 1]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, name: str, scale: int, t0: float, result: RunResult,
                 progress: ProgressHook | None, stop: Callable[[], bool] | None):
        super().__init__()
        self.name, self.scale, self.t0 = name, scale, t0
        self.result, self.progress, self.stop = result, progress, stop

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self.t0
        obj = self.objective_value / self.scale
        bound = self.best_objective_bound / self.scale
        self.result.trajectory.append((elapsed, self.name, obj, bound))
        if self.progress is not None:
            self.progress(self.name, elapsed, obj, bound)
        if self.stop is not None and self.stop():
            self.result.interrupted = True
            self.stop_search()


def run_stages(
    model: cp_model.CpModel,
    stages: Sequence[tuple[str, cp_model.LinearExprT, int]],
    settings: SolverSettings,
    deadline: float,
    *,
    at_zero: list[bool] | None = None,
    progress: ProgressHook | None = None,
    stop: Callable[[], bool] | None = None,
    solver_hook: Callable[[cp_model.CpSolver | None], None] | None = None,
) -> RunResult:
    """Minimise ``stages`` lexicographically until ``deadline`` (``time.monotonic``).

    Parameters
    ----------
    stages
        ``(name, integer expression, scale)``; the reported value is
        ``expression / scale``. Every expression must be non-negative.
    at_zero
        Per stage, true when the model's hint already makes it 0: the stage
        is then optimal without a search (0 is its lower bound) and is fixed
        at 0 for the later stages.
    solver_hook
        Called with the live solver while a stage runs (and ``None`` after),
        so that a signal handler can stop it.
    """
    result = RunResult()
    t0 = time.monotonic()
    statuses: list[str] = []
    for k, (name, expr, scale) in enumerate(stages):
        last = k == len(stages) - 1
        if at_zero and at_zero[k] and not last and result.values is None:
            result.stages.append(StageResult(name, "optimal", 0.0, 0.0, 0.0))
            statuses.append("optimal")
            model.add(expr <= 0)
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0.05 and result.values is not None:
            break
        budget = max(0.05, remaining if last else remaining * 0.6)
        model.minimize(expr)
        if result.values is not None:
            model.clear_hints()
            proto = model.proto
            proto.solution_hint.vars.extend(range(len(result.values)))
            proto.solution_hint.values.extend(result.values)
        solver = _solver(settings, budget, last, len(stages))
        watcher = _Watcher(name, scale, t0, result, progress, stop)
        if solver_hook is not None:
            solver_hook(solver)
        started = time.monotonic()
        code = solver.solve(model, watcher)
        if solver_hook is not None:
            solver_hook(None)
        status = STATUS_NAMES.get(code, "unknown")
        if status == "invalid":
            raise RuntimeError(f"CP-SAT rejected the model: {model.validate()}")
        has_solution = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        result.stages.append(StageResult(
            name, status,
            solver.objective_value / scale if has_solution else None,
            solver.best_objective_bound / scale if has_solution else None,
            time.monotonic() - started))
        if not has_solution:
            if k == 0:
                result.status = status
                return result
            break
        result.values = list(solver.response_proto.solution)
        statuses.append(status)
        if not last:
            model.add(expr <= round(solver.objective_value))
        if result.interrupted:
            break
    complete = len(statuses) == len(stages)
    result.status = "optimal" if complete and all(s == "optimal" for s in statuses) else "feasible"
    return result


def _solver(settings: SolverSettings, budget: float, last: bool, n_stages: int
            ) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = budget
    if settings.deterministic_seconds is not None:
        share = 1.0 if last else 0.6
        p.max_deterministic_time = max(0.01, settings.deterministic_seconds * share / n_stages)
    if settings.workers:
        p.num_workers = settings.workers
    p.random_seed = settings.seed
    if settings.gap is not None:
        p.relative_gap_limit = settings.gap
    p.log_search_progress = settings.log
    if settings.light_presolve:
        p.max_presolve_iterations = 1
        p.presolve_probing_deterministic_time_limit = 0.1
    return solver
