"""Which deadlines (and downtimes) conflict, found by CP-SAT under assumptions.

The job-shop model is built with every order's deadline and every calendar
row's downtime enforced by a literal of its own; solving with all of them as
assumptions, an infeasible model yields a sufficient set of them
(``sufficient_assumptions_for_infeasibility``). That set is shrunk by
deletion — drop one, solve again, keep it out if still infeasible — while
time allows, and reported as a :class:`~prodsched.errors.Conflict`. Then the
conflicting deadlines are dropped and the search repeats, so that several
independent conflicts are reported at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.errors import Conflict
from prodsched.jobshop.builder import JobShopModel, ModelExtension
from prodsched.lots.plan import LotPlan
from prodsched.objective import parse_objective
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.stop import Stop

# At most this many independent conflicts are looked for.
MAX_CONFLICTS = 5
# Each deletion test of the shrinking gets at most this many seconds.
SHRINK_SECONDS = 2.0


@dataclass(frozen=True, eq=False)
class _Literal:
    """An assumption: the deadline of an order, or a calendar row's downtime."""

    var: cp_model.IntVar
    order_id: str | None = None
    downtime: int | None = None


class _Assumptions:
    """Solving one model under subsets of its literals, until ``stop`` ends it."""

    def __init__(self, model: cp_model.CpModel, stop: Stop, workers: int, seed: int):
        self.model, self.stop = model, stop
        self.workers, self.seed = workers, seed

    def left(self) -> float:
        """Seconds left (0 once a stop is requested)."""
        return 0.0 if self.stop() else self.stop.left()

    def core(self, lits: Sequence[_Literal], seconds: float) -> list[_Literal] | bool | None:
        """A sufficient conflicting subset; ``None`` when feasible; ``False`` when unknown."""
        if seconds <= 0.01:
            return False
        self.model.clear_assumptions()
        self.model.add_assumptions([lit.var for lit in lits])
        run = run_stages(self.model, [], SolverSettings(workers=self.workers or 1,
                                                        seed=self.seed),
                         Stop.make(time.monotonic() + seconds,
                                   solver_hook=self.stop.solver_hook))
        if run.values is not None:
            return None
        if run.status != "infeasible":
            return False
        by_index = {lit.var.index: lit for lit in lits}
        found = [by_index[i] for i in run.core if i in by_index]
        return found or list(lits)

    def shrink(self, core: list[_Literal]) -> list[_Literal]:
        """Drop literals one by one while the rest stays infeasible (and time allows)."""
        current = list(core)
        for lit in list(core):
            if not any(x is lit for x in current) or len(current) == 1:
                continue
            trial = [x for x in current if x is not lit]
            result = self.core(trial, min(SHRINK_SECONDS, self.left() / 2))
            if isinstance(result, list):
                current = result
            elif result is False and self.left() <= 0.05:
                break
        return current


def explain(plant: Plant, plan: LotPlan, setups: SetupTable, stop: Stop, *,
            workers: int = 1, seed: int = 0, extensions: Sequence[ModelExtension] = ()
            ) -> list[Conflict]:
    """Conflicting sets of deadlines (and downtimes), until ``stop``'s deadline.

    A stop ``stop`` requests ends the search early (what is found so far is
    returned; its flag is checked between solves); its solver hook is given
    each live solver, as in :func:`~prodsched.cpsat_runner.run_stages`.

    Returns
    -------
    list of Conflict
        Empty when the model turned out feasible under every deadline, or
        when no conflict was found in time.
    """
    jm = JobShopModel(plant, plan, setups, parse_objective("makespan"), extensions=extensions,
                      deadline_literals=True)
    lits = [_Literal(var, order_id=order_id) for order_id, var in jm.deadline_literal.items()]
    lits += [_Literal(var, downtime=k) for k, var in jm.downtime_literal.items()]
    solver = _Assumptions(jm.model, stop, workers, seed)
    conflicts: list[Conflict] = []
    active = list(lits)
    while len(conflicts) < MAX_CONFLICTS and any(lit.order_id for lit in active):
        core = solver.core(active, solver.left())
        if not isinstance(core, list):
            break
        core = solver.shrink(core)
        conflicts.append(describe(plant, core))
        dropped = {id(lit) for lit in core if lit.order_id is not None}
        active = [lit for lit in active if id(lit) not in dropped]
    return conflicts


def describe(plant: Plant, core: Sequence[_Literal]) -> Conflict:
    """A conflict naming the orders, their windows, machines and downtimes involved."""
    fmt = plant.time_axis.format
    orders = sorted((plant.order_by_id[lit.order_id] for lit in core if lit.order_id),
                    key=lambda o: (o.deadline, o.order_id))
    machines = sorted({opt.machine for o in orders for _, opt in plant.iter_options(o.product)})
    parts = [f"{o.order_id} ({o.quantity} × {o.product}, release {fmt(o.release)}, deadline "
             f"{fmt(o.deadline)})" for o in orders if o.deadline is not None]
    downs = [plant.downtimes[lit.downtime] for lit in core if lit.downtime is not None]
    down_text = "; ".join(f"{d.machine} down {fmt(d.start)}–{fmt(d.end)}" for d in downs)
    which = "this deadline cannot be met" if len(orders) == 1 else \
        "these deadlines cannot all be met"
    detail = (f"{which}: {'; '.join(parts)}, on {', '.join(machines)}"
              + (f", with the calendar ({down_text})" if downs else ""))
    constraint = "deadlines" + (" and calendar" if downs else "")
    return Conflict(tuple(o.order_id for o in orders), constraint, detail)
