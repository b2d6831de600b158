"""The lot-sizing model as a MIP, where all its constraints are linear.

On machines whose changeovers do not depend on the sequence (the capacitated
lot-sizing problem of the textbooks, e.g. Trigeiro's instances) the bucket
model has no circuit and no set-up state: every constraint is linear. There a
MIP solver's LP bound with its cuts closes the gap much faster than CP-SAT's
search (Trigeiro F3: HiGHS proves the optimum in 17 s; CP-SAT reaches it but
does not prove it in 30 s). This module hands such a model, as it stands, to
HiGHS through OR-Tools' linear solver:

- a variable keeps its bounds; yes/no variables stay integer, the others
  (quantities, stock) become continuous, so the MIP is a relaxation of the
  model and its optima are bounds;
- a linear constraint with enforcement literals holds through big-M terms
  computed from the variables' bounds (no constant is guessed);
- the stages are minimised one after the other, each next stage under the
  previous one's optimum; HiGHS proves each to less than one unit (its
  default relative gap would stop short of a proof), and the model's stage
  values are integers, so the optimum rounded up is a bound.

CP-SAT then sizes the lots with the MIP's yes/no values fixed
(:func:`prodsched.lotsizing.windows.search_plan`); a plan CP-SAT does not accept
is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from prodsched.cpsat_runner import StageExpression
from prodsched.stop import Stop

LINEAR_KINDS = ("linear", "at_most_one", "exactly_one", "bool_or", "bool_and")
INFINITE = 2**62  # CP-SAT's open bounds are ±(2**63 - 1)
# HiGHS stops when its incumbent is within this of its bound. A stage's value is an
# integer in the model, so an incumbent P with a bound above P - 1 is proved; HiGHS's
# default gap (relative 1e-4) would stop earlier and prove nothing.
ABSOLUTE_GAP = 1 - 1e-6


def highs_options(seed: int | None = None) -> str:
    """HiGHS's options: no banner nor log, no relative gap, the absolute gap above;
    ``seed``: its random seed (``None``: its default)."""
    options = ["output_flag=false", "mip_rel_gap=0", f"mip_abs_gap={ABSOLUTE_GAP}"]
    return "\n".join(options + ([f"random_seed={seed}"] if seed is not None else []))


def kind_of(constraint: object) -> str | None:
    """The constraint's kind when it is one a MIP takes as it is (else ``None``)."""
    return next((k for k in LINEAR_KINDS if getattr(constraint, f"has_{k}")()), None)


def all_linear(model: cp_model.CpModel) -> bool:
    """Whether every constraint of ``model`` is linear, every domain an interval."""
    proto = model.proto
    kinds = [kind_of(c) for c in proto.constraints]
    return (all(k is not None for k in kinds)
            and all(len(v.domain) == 2 for v in proto.variables)
            and all(len(c.linear.domain) == 2 for c, k in zip(proto.constraints, kinds,
                                                              strict=True) if k == "linear"))


class MipModel:
    """A linear CP-SAT model as a MIP (see :func:`all_linear`)."""

    def __init__(self, model: cp_model.CpModel, seed: int | None = None):
        solver = pywraplp.Solver.CreateSolver("HIGHS")
        if solver is None:
            raise RuntimeError("the MIP solver HiGHS is not available")
        solver.SetSolverSpecificParametersAsString(highs_options(seed))
        self.cp, self.solver = model, solver
        proto = model.proto
        self.bounds = [(v.domain[0], v.domain[1]) for v in proto.variables]
        # yes/no decisions stay integer, quantities are continuous: a relaxation of
        # the model (its optimum is a bound), as the textbook CLSP MIP is
        self.vars = [solver.IntVar(lo, hi, f"v{i}") if (lo, hi) == (0, 1)
                     else solver.NumVar(lo, hi, f"v{i}") for i, (lo, hi) in enumerate(self.bounds)]
        for c in proto.constraints:
            self._add(c)

    def _lit(self, literal: int) -> pywraplp.LinearExpr:
        return self.vars[literal] if literal >= 0 else 1 - self.vars[-literal - 1]

    def _off(self, enforcement: Sequence[int]) -> pywraplp.LinearExpr:
        """How many enforcement literals are false (0: the constraint holds)."""
        return sum((1 - self._lit(e) for e in enforcement), 0)

    def _add(self, c: object) -> None:
        kind = kind_of(c)
        off = self._off(list(c.enforcement_literal))  # type: ignore[attr-defined]
        add = self.solver.Add
        if kind == "linear":
            self._add_linear(c.linear, off)  # type: ignore[attr-defined]
        elif kind in ("at_most_one", "exactly_one", "bool_or"):
            part = getattr(c, kind)
            total = sum((self._lit(x) for x in part.literals), 0)
            if kind != "bool_or":
                add(total <= 1 + len(part.literals) * off)
            if kind != "at_most_one":
                add(total >= 1 - off)
        else:  # bool_and
            for x in c.bool_and.literals:  # type: ignore[attr-defined]
                add(self._lit(x) >= 1 - off)

    def _add_linear(self, linear: object, off: pywraplp.LinearExpr) -> None:
        terms = list(zip(linear.vars, linear.coeffs, strict=True))  # type: ignore[attr-defined]
        lb, ub = linear.domain  # type: ignore[attr-defined]
        expr = sum((a * self.vars[v] for v, a in terms), 0)
        low = sum(a * (self.bounds[v][0] if a > 0 else self.bounds[v][1]) for v, a in terms)
        high = sum(a * (self.bounds[v][1] if a > 0 else self.bounds[v][0]) for v, a in terms)
        enforced = not isinstance(off, int)
        if lb > -INFINITE and lb > low:
            self.solver.Add(expr >= lb - (lb - low) * off if enforced else expr >= lb)
        if ub < INFINITE and ub < high:
            self.solver.Add(expr <= ub + (high - ub) * off if enforced else expr <= ub)

    def decisions(self) -> list[int]:
        """Indices of the yes/no variables (the MIP's integer ones)."""
        return [i for i, bounds in enumerate(self.bounds) if bounds == (0, 1)]

    def minimise(self, stages: Sequence[StageExpression], stop: Stop, threads: int = 1
                 ) -> tuple[list[int] | None, list[int] | None]:
        """Every variable's value (rounded) after minimising the stages in turn
        (``None``: no solution in time), and when every stage was proved optimal,
        each stage's least value for the model (its expression's, a lower bound:
        the MIP relaxes the quantities; ``None``: not proved)."""
        values: list[int] | None = None
        bounds: list[int] = []
        scratch = self.cp.clone()  # reads each stage's coefficients from its objective
        for _, expression, _ in stages:
            scratch.minimize(expression)
            objective = scratch.proto.objective
            goal = sum((a * self.vars[v] for v, a in zip(objective.vars, objective.coeffs,
                                                         strict=True)), 0)
            left = stop.left()
            if left <= 0:
                return values, None
            self.solver.SetTimeLimit(int(min(left, 1e6) * 1000))
            self.solver.SetNumThreads(threads)
            self.solver.Minimize(goal)
            status = self.solver.Solve()
            if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
                return values, None
            values = [round(x.solution_value()) for x in self.vars]
            if status != pywraplp.Solver.OPTIMAL:
                return values, None
            # the solver's bound is within ABSOLUTE_GAP of its incumbent, and the
            # expression is an integer in the model: it is at least this
            found = self.solver.Objective().Value()
            bounds.append(math.ceil(found + objective.offset - ABSOLUTE_GAP))
            # a plan reaching every bound is optimal; only plans reaching this one count
            self.solver.Add(goal <= found + 1e-6)
        return values, (bounds if values is not None else None)
