"""Solving one window's model: short, without presolve, from the current schedule.

A window's model is small and starts from a complete, feasible hint (the
current schedule), so CP-SAT's presolve — which can take most of a second on
a circuit of 60 runs — buys nothing; the search starts from the hint at once.
Lexicographic objectives are solved stage by stage, each stage held at its
best value for the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings

# Share of a window's time for a stage that is not the last.
STAGE_SHARE = 0.5


@dataclass
class SubResult:
    """The best solution of a window's model (``values``: ``None`` when none was found)."""

    status: str
    values: list[int] | None
    seconds: float
    deterministic_seconds: float

    def value(self, var: object) -> int:
        """Value of a variable (or negated literal) in the solution."""
        assert self.values is not None
        index = var.index  # type: ignore[attr-defined]
        return self.values[index] if index >= 0 else 1 - self.values[-index - 1]


def solve_stages(model: cp_model.CpModel,
                 stages: list[tuple[str, cp_model.LinearExpr, int]],
                 settings: SolverSettings, seconds: float,
                 deterministic_seconds: float | None = None,
                 solver_hook: Callable[[cp_model.CpSolver | None], None] | None = None
                 ) -> SubResult:
    """Minimise ``stages`` lexicographically within ``seconds`` (and a deterministic budget).

    The model must carry a complete hint. Each stage but the last gets
    :data:`STAGE_SHARE` of what is left.
    """
    started = time.monotonic()
    values: list[int] | None = None
    det_used = 0.0
    statuses = []
    for k, (_, expr, _) in enumerate(stages):
        last = k == len(stages) - 1
        left = seconds - (time.monotonic() - started)
        if left <= 0.01 and values is not None:
            break
        share = 1.0 if last else STAGE_SHARE
        model.minimize(expr)
        if values is not None:
            model.clear_hints()
            proto = model.proto
            proto.solution_hint.vars.extend(range(len(values)))
            proto.solution_hint.values.extend(values)
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.catch_sigint_signal = False
        p.cp_model_presolve = False
        p.max_time_in_seconds = max(0.01, left * share)
        if deterministic_seconds is not None:
            p.max_deterministic_time = max(0.001, (deterministic_seconds - det_used) * share)
        p.num_workers = settings.workers or 0
        p.random_seed = settings.seed
        if solver_hook is not None:
            solver_hook(solver)
        try:
            code = solver.solve(model)
        finally:
            if solver_hook is not None:
                solver_hook(None)
        det_used += solver.response_proto.deterministic_time
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            statuses.append("unknown")
            break
        values = list(solver.response_proto.solution)
        statuses.append("optimal" if code == cp_model.OPTIMAL else "feasible")
        if not last:
            model.add(expr <= round(solver.objective_value))
    status = "optimal" if statuses and all(s == "optimal" for s in statuses) \
        and len(statuses) == len(stages) else ("feasible" if values is not None else "unknown")
    return SubResult(status, values, time.monotonic() - started, det_used)
