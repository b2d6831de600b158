"""Reference optima for the Trigeiro CLSP instances: the standard MIP.

minimise Σ sc_i·y_it + h_i·I_it subject to I_i,t-1 + x_it - d_it = I_it
(I_i0 = 0, no backlog), Σ_i a_i·x_it + st_i·y_it <= C, x_it <= M_it·y_it with
M_it = min(C / a_i, demand of i from t on), y binary. Solved with a MIP solver
bundled with OR-Tools (HiGHS or SCIP), only to measure prodsched's own
lot-sizing model against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ortools.linear_solver import pywraplp

from prodsched.formats.trigeiro import read_trigeiro_values
from prodsched.lotsizing.mip import highs_options


@dataclass(frozen=True)
class MipResult:
    """Objective, bound, status and seconds of one MIP solve."""

    objective: float | None
    bound: float | None
    optimal: bool
    seconds: float
    solver: str


def solve_clsp_mip(path: Path, time_limit: float = 60.0, solver_name: str = "HIGHS",
                   threads: int = 1, seed: int | None = None, exact: bool = False
                   ) -> MipResult:
    """Solve a Trigeiro file's CLSP exactly (up to ``time_limit`` seconds); ``seed``:
    HiGHS's random seed (``None``: its default); ``exact``: HiGHS proves the optimum to
    the unit, as prodsched's own MIP does (:func:`prodsched.lotsizing.mip.highs_options`),
    instead of stopping at its default relative gap (1e-4)."""
    n, periods, capacity, data, demand = read_trigeiro_values(path)
    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:
        raise RuntimeError(f"the MIP solver {solver_name} is not available")
    if exact:
        solver.SetSolverSpecificParametersAsString(highs_options(seed))
    elif seed is not None:
        solver.SetSolverSpecificParametersAsString(f"output_flag=false\nrandom_seed={seed}")
    solver.SetTimeLimit(int(time_limit * 1000))
    solver.SetNumThreads(threads)
    cap = float(capacity)
    x, y, inv = {}, {}, {}
    for i in range(n):
        a = float(data[i][0])
        rest = [sum(demand[u][i] for u in range(t, periods)) for t in range(periods)]
        for t in range(periods):
            big = min(cap / a if a else rest[t], rest[t])
            x[i, t] = solver.NumVar(0, big, f"x_{i}_{t}")
            y[i, t] = solver.BoolVar(f"y_{i}_{t}")
            inv[i, t] = solver.NumVar(0, solver.infinity(), f"I_{i}_{t}")
            solver.Add(x[i, t] <= big * y[i, t])
            before = inv[i, t - 1] if t else 0
            solver.Add(before + x[i, t] - demand[t][i] == inv[i, t])
    for t in range(periods):
        solver.Add(sum(float(data[i][0]) * x[i, t] + float(data[i][2]) * y[i, t]
                       for i in range(n)) <= cap)
    solver.Minimize(sum(float(data[i][3]) * y[i, t] + float(data[i][1]) * inv[i, t]
                        for i in range(n) for t in range(periods)))
    status = solver.Solve()
    seconds = solver.wall_time() / 1000
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return MipResult(None, None, False, seconds, solver_name)
    bound = solver.Objective().BestBound()
    value = solver.Objective().Value()
    return MipResult(value, bound, status == pywraplp.Solver.OPTIMAL, seconds, solver_name)
