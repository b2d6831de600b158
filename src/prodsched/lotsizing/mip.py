"""The lot-sizing model as a MIP, where all its constraints are linear.

On machines whose changeovers do not depend on the sequence (the capacitated
lot-sizing problem of the textbooks, e.g. Trigeiro's instances) the bucket
model has no circuit and no set-up state: every constraint is linear. There a
MIP solver's LP bound with its cuts closes the gap much faster than CP-SAT's
search (Trigeiro F3: HiGHS proves the optimum in 17 s; CP-SAT reaches it but
does not prove it in 30 s). This module hands such a model, as it stands, to
HiGHS through OR-Tools' MathOpt:

- a variable keeps its bounds; yes/no variables stay integer, the others
  (quantities, stock) become continuous, so the MIP is a relaxation of the
  model and its optima are bounds;
- a linear constraint with enforcement literals holds through big-M terms
  computed from the variables' bounds (no constant is guessed);
- the stages are minimised one after the other, each next stage under the
  previous one's optimum; HiGHS proves each to less than one unit (its
  default relative gap would stop short of a proof), and the model's stage
  values are integers, so the optimum rounded up is a bound;
- when time runs out first, HiGHS's best plan is still used (as a start).

:func:`race` runs one HiGHS solve per worker side by side, each in a forked
process with its own random seed, and takes the first to prove every stage: a
MIP's time varies with its path (seed, order of the rows; on one Trigeiro
instance up to 2.5 times between seeds), and two cores can run two paths.
Processes, not threads: MathOpt cannot interrupt HiGHS, and a losing solve must
not keep its core; a forked one is ended.

CP-SAT then sizes the lots with the MIP's yes/no values fixed
(:func:`prodsched.lotsizing.windows.search_plan`); a plan CP-SAT does not accept
is dropped.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from multiprocessing.connection import Connection, wait
from typing import cast

from ortools.math_opt.python import mathopt
from ortools.math_opt.solvers import highs_pb2
from ortools.sat.python import cp_model

from prodsched.cpsat_runner import StageExpression
from prodsched.stop import Stop

LINEAR_KINDS = ("linear", "at_most_one", "exactly_one", "bool_or", "bool_and")
INFINITE = 2**62  # CP-SAT's open bounds are ±(2**63 - 1)
# HiGHS stops when its incumbent is within this of its bound. A stage's value is an
# integer in the model, so an incumbent P with a bound above P - 1 is proved; HiGHS's
# default gap (relative 1e-4) would stop earlier and prove nothing.
ABSOLUTE_GAP = 1 - 1e-6
# Seconds the race waits past its deadline for a solve's incumbent (HiGHS stops at its
# time limit, then the values come back through a pipe), and between looks at the
# stop flag.
RACE_GRACE, RACE_POLL = 2.0, 0.1

MipResult = tuple[list[int] | None, list[int] | None]


def highs_options(seed: int | None = None) -> str:
    """The proof :class:`MipModel` asks of HiGHS, as options for OR-Tools' linear-solver
    wrapper (the benchmarks' reference MIP, :mod:`prodsched.bench.clsp_mip`): no
    banner nor log, no relative gap, the absolute gap above; ``seed``: its random
    seed (``None``: its default)."""
    options = ["output_flag=false", "mip_rel_gap=0", f"mip_abs_gap={ABSOLUTE_GAP}"]
    return "\n".join(options + ([f"random_seed={seed}"] if seed is not None else []))


def decisions(model: cp_model.CpModel) -> list[int]:
    """Indices of the model's yes/no variables (the MIP's integer ones)."""
    return [i for i, v in enumerate(model.proto.variables) if list(v.domain) == [0, 1]]


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
    """A linear CP-SAT model as a MIP (see :func:`all_linear`), for HiGHS through
    OR-Tools' MathOpt (which keeps HiGHS's best plan when time runs out; OR-Tools'
    older linear solver wrapper reports no solution then)."""

    def __init__(self, model: cp_model.CpModel, seed: int | None = None):
        self.cp, self.seed, self.mip = model, seed, mathopt.Model()
        self.reached: list[float] = []  # each stage's best value in the last minimise
        proto = model.proto
        self.bounds = [(v.domain[0], v.domain[1]) for v in proto.variables]
        # yes/no decisions stay integer, quantities are continuous: a relaxation of
        # the model (its optimum is a bound), as the textbook CLSP MIP is
        binary = set(decisions(model))
        self.vars = [self.mip.add_binary_variable(name=f"v{i}") if i in binary
                     else self.mip.add_variable(lb=_finite(lo), ub=_finite(hi), name=f"v{i}")
                     for i, (lo, hi) in enumerate(self.bounds)]
        for c in proto.constraints:
            self._add(c)

    def _lit(self, literal: int) -> mathopt.LinearBase:
        return self.vars[literal] if literal >= 0 else 1 - self.vars[-literal - 1]

    def _off(self, enforcement: Sequence[int]) -> mathopt.LinearBase | int:
        """How many enforcement literals are false (0: the constraint holds)."""
        return mathopt.fast_sum(1 - self._lit(e) for e in enforcement) if enforcement else 0

    def _add(self, c: object) -> None:
        kind = kind_of(c)
        off = self._off(list(c.enforcement_literal))  # type: ignore[attr-defined]
        add = self.mip.add_linear_constraint
        if kind == "linear":
            self._add_linear(c.linear, off)  # type: ignore[attr-defined]
        elif kind in ("at_most_one", "exactly_one", "bool_or"):
            part = getattr(c, kind)
            total = mathopt.fast_sum(self._lit(x) for x in part.literals)
            if kind != "bool_or":
                add(total - len(part.literals) * off <= 1)
            if kind != "at_most_one":
                add(total + off >= 1)
        else:  # bool_and
            for x in c.bool_and.literals:  # type: ignore[attr-defined]
                add(self._lit(x) + off >= 1)

    def _add_linear(self, linear: object, off: mathopt.LinearBase | int) -> None:
        terms = list(zip(linear.vars, linear.coeffs, strict=True))  # type: ignore[attr-defined]
        lb, ub = linear.domain  # type: ignore[attr-defined]
        expr = mathopt.fast_sum(a * self.vars[v] for v, a in terms)
        low = sum(a * (self.bounds[v][0] if a > 0 else self.bounds[v][1]) for v, a in terms)
        high = sum(a * (self.bounds[v][1] if a > 0 else self.bounds[v][0]) for v, a in terms)
        if lb > -INFINITE and lb > low:
            self.mip.add_linear_constraint(expr + (lb - low) * off >= lb)
        if ub < INFINITE and ub < high:
            self.mip.add_linear_constraint(expr - (high - ub) * off <= ub)

    def minimise(self, stages: Sequence[StageExpression], stop: Stop) -> MipResult:
        """Every variable's value (rounded) after minimising the stages in turn
        (``None``: no solution in time), and when every stage was proved optimal,
        each stage's least value for the model (its expression's, a lower bound:
        the MIP relaxes the quantities; ``None``: not proved)."""
        values: list[int] | None = None
        bounds: list[int] = []
        self.reached = []
        scratch = self.cp.clone()  # reads each stage's coefficients from its objective
        for _, expression, _ in stages:
            scratch.minimize(expression)
            objective = scratch.proto.objective
            goal = mathopt.fast_sum(a * self.vars[v] for v, a in zip(
                objective.vars, objective.coeffs, strict=True))
            left = stop.left()
            if left <= 0:
                return values, None
            self.mip.minimize(goal)
            result = mathopt.solve(self.mip, mathopt.SolverType.HIGHS,
                                   params=self._parameters(min(left, 1e6)))
            if not result.has_primal_feasible_solution():
                return values, None
            values = [round(x) for x in result.variable_values(self.vars)]
            self.reached.append(result.objective_value())
            if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
                return values, None  # time ran out: HiGHS's best plan, no proof
            # the solver's bound is within ABSOLUTE_GAP of its incumbent, and the
            # expression is an integer in the model: it is at least this
            found = result.objective_value()
            bounds.append(math.ceil(found + objective.offset - ABSOLUTE_GAP))
            # a plan reaching every bound is optimal; only plans reaching this one count
            self.mip.add_linear_constraint(goal <= found + 1e-6)
        return values, (bounds if values is not None else None)

    def _parameters(self, seconds: float) -> mathopt.SolveParameters:
        """No relative gap, the absolute gap above, the seed, ``seconds`` at most."""
        return mathopt.SolveParameters(time_limit=timedelta(seconds=seconds),
                                       relative_gap_tolerance=0.0,
                                       absolute_gap_tolerance=ABSOLUTE_GAP,
                                       random_seed=self.seed,
                                       highs=highs_pb2.HighsOptionsProto(
                                           bool_options={"output_flag": False}))


def _finite(bound: int) -> float:
    """A CP-SAT bound for the MIP: an open one as infinite."""
    return math.inf if bound >= INFINITE else -math.inf if bound <= -INFINITE else float(bound)


def race(model: cp_model.CpModel, stages: Sequence[StageExpression], stop: Stop,
         workers: int) -> MipResult:
    """:meth:`MipModel.minimise` by ``workers`` solves side by side.

    Each runs in a forked process under its own HiGHS random seed (0, 1, ...); the
    first to prove every stage wins and the others are ended. When none proves it
    by the deadline, the best plan found is taken (lexicographically over the
    stages). A stop requested meanwhile ends them all and gives what came back so
    far. With one worker, too, the solve runs in a child process: a stop ends it at
    once (HiGHS cannot be interrupted in this process), and HiGHS's own threads
    never start in the process that forks. Off Linux (forking a process that has
    run other threads is unsafe on macOS; Windows has no fork), or in a daemonic
    process (a multiprocessing pool's worker, which may not start processes), it is
    one solve in this process.
    """
    if (not sys.platform.startswith("linux")  # fork is safe on Linux only
            or multiprocessing.current_process().daemon):  # a pool's worker has no children
        return MipModel(model).minimise(stages, stop)
    context = multiprocessing.get_context("fork")
    pending: list[Connection] = []  # the pipes of the racers not yet heard from
    processes = []
    try:
        for seed in range(max(1, workers)):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_solve_and_send, daemon=True,
                                      args=(send, model, stages, stop.deadline, seed))
            process.start()
            send.close()
            pending.append(receive)
            processes.append(process)
        found: list[tuple[list[float], MipResult]] = []
        while pending and not stop() and time.monotonic() < stop.deadline + RACE_GRACE:
            for ready in wait(pending, timeout=RACE_POLL):
                conn = cast(Connection, ready)  # wait() returns what it was given
                pending.remove(conn)
                reached, result = _receive(conn)
                if result[1] is not None:
                    return result
                if result[0] is not None:
                    found.append((reached, result))
        # more stages reached first, then the lower values
        best = min(found, key=lambda f: (-len(f[0]), f[0]), default=None)
        return (None, None) if best is None else best[1]
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()


def _solve_and_send(send: Connection, model: cp_model.CpModel,
                    stages: Sequence[StageExpression], deadline: float, seed: int) -> None:
    """A racer (a forked process): Ctrl-C is the parent's to handle, SIGTERM ends it,
    and what HiGHS prints on its own goes nowhere (the console is the CLI's)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    racer = MipModel(model, seed=seed)
    result = racer.minimise(stages, Stop.make(deadline))
    send.send((racer.reached, result))


def _receive(conn: Connection) -> tuple[list[float], MipResult]:
    """A racer's stage values and result (none when it ended without one)."""
    try:
        received: tuple[list[float], MipResult] = conn.recv()
    except (EOFError, OSError):
        return [], (None, None)
    return received
