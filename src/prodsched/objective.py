"""Objectives: what a planner asks the optimizer to minimise.

Written as text on the command line and in the API:

- one criterion: ``makespan``, ``weighted-tardiness``, ``total-tardiness``,
  ``setup-time``, ``setup-cost``, ``holding-cost``, ``late-orders``, and, when
  re-planning from a previous plan, ``changes`` (its runs moved to another
  machine or re-sequenced, :mod:`prodsched.schedule.changes`);
- a weighted sum: ``weighted-tardiness=1,setup-cost=0.5``;
- a lexicographic list, most important first: ``weighted-tardiness>setup-time``
  (each stage may itself be a weighted sum).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ortools.sat.python import cp_model

from prodsched.errors import UsageError
from prodsched.plant.model import Plant
from prodsched.plant.values import parse_number
from prodsched.schedule.kpis import Kpis


class Criterion(StrEnum):
    """A single measure of a schedule, minimised."""

    MAKESPAN = "makespan"
    WEIGHTED_TARDINESS = "weighted-tardiness"
    TOTAL_TARDINESS = "total-tardiness"
    SETUP_TIME = "setup-time"
    SETUP_COST = "setup-cost"
    HOLDING_COST = "holding-cost"
    LATE_ORDERS = "late-orders"
    CHANGES = "changes"


_KPI_OF = {
    Criterion.MAKESPAN: "makespan",
    Criterion.WEIGHTED_TARDINESS: "weighted_tardiness",
    Criterion.TOTAL_TARDINESS: "total_tardiness",
    Criterion.SETUP_TIME: "total_setup_time",
    Criterion.SETUP_COST: "total_setup_cost",
    Criterion.HOLDING_COST: "holding_cost",
    Criterion.LATE_ORDERS: "late_orders",
    Criterion.CHANGES: "runs_changed",
}

DEFAULT_OBJECTIVE = "weighted-tardiness>setup-time"
# The default when re-planning from a previous plan: no worse on tardiness, then
# as few changes to the plan as that allows, then the least setup time.
REPLAN_OBJECTIVE = "weighted-tardiness>changes>setup-time"

# A criterion's part in a CP-SAT model: an exact coefficient times a variable
# (or a constant, for what the model cannot change).
Term = tuple[Fraction, cp_model.LinearExprT]


@dataclass(frozen=True)
class Stage:
    """A weighted sum of criteria (one stage of a lexicographic objective)."""

    terms: tuple[tuple[Criterion, Fraction], ...]

    def value(self, kpis: Kpis) -> Fraction:
        """This stage's value for a schedule's KPIs."""
        return sum((w * Fraction(getattr(kpis, _KPI_OF[c])) for c, w in self.terms), Fraction(0))

    def __str__(self) -> str:
        if len(self.terms) == 1 and self.terms[0][1] == 1:
            return self.terms[0][0].value
        return ",".join(f"{c.value}={_num(w)}" for c, w in self.terms)


@dataclass(frozen=True)
class Objective:
    """A lexicographic list of stages; most schedules use one stage."""

    stages: tuple[Stage, ...]

    @property
    def criteria(self) -> set[Criterion]:
        """Every criterion used in any stage."""
        return {c for s in self.stages for c, _ in s.terms}

    def values(self, kpis: Kpis) -> tuple[Fraction, ...]:
        """Value of each stage; tuples compare lexicographically."""
        return tuple(s.value(kpis) for s in self.stages)

    def __str__(self) -> str:
        return ">".join(str(s) for s in self.stages)


def stages_at_zero(values: Sequence[Fraction | float]) -> list[bool]:
    """Per stage of a schedule's objective values, whether it is at its lower bound
    of 0: every criterion measures something that cannot be negative and every
    weight is at least 0, so no schedule does better on that stage."""
    return [v == 0 for v in values]


def cannot_improve(values: Sequence[Fraction | float]) -> bool:
    """Whether every stage is at 0 (:func:`stages_at_zero`): no schedule is better."""
    return all(stages_at_zero(values))


def _num(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def counts_holding(objective: Objective, plant: Plant) -> bool:
    """Whether finished units held before their due date cost something: the
    objective counts holding cost and some product has a rate."""
    return Criterion.HOLDING_COST in objective.criteria and any(
        p.holding_cost > 0 for p in plant.products.values())


def parse_objective(text: str | Objective) -> Objective:
    """Parse an objective written as in the module docstring.

    Raises
    ------
    UsageError
        On an unknown criterion, a bad or negative weight, or an empty part.
    """
    if isinstance(text, Objective):
        return text
    names = ", ".join(c.value for c in Criterion)
    stages = []
    for stage_text in text.split(">"):
        terms: dict[Criterion, Fraction] = {}
        for part in stage_text.split(","):
            part = part.strip()
            if not part:
                raise UsageError(f"objective {text!r}: an empty part; criteria are {names}")
            name, _, weight_text = part.partition("=")
            name = name.strip().lower().replace("_", "-")
            try:
                criterion = Criterion(name)
            except ValueError:
                raise UsageError(
                    f"objective {text!r}: unknown criterion {name!r}; criteria are {names}"
                ) from None
            weight = Fraction(1)
            if weight_text.strip():
                try:
                    weight = parse_number(weight_text)
                except ValueError as err:
                    raise UsageError(f"objective {text!r}: {err}") from None
                if weight < 0:
                    raise UsageError(f"objective {text!r}: weight of {name} is negative")
            terms[criterion] = terms.get(criterion, Fraction(0)) + weight
        stages.append(Stage(tuple(terms.items())))
    return Objective(tuple(stages))


def integer_scale(coefficients: list[Fraction], cap: int = 10**6) -> int:
    """Smallest multiplier making every coefficient an integer, at most ``cap``.

    Beyond the cap, coefficients are rounded at that scale (a tiny loss of
    precision in the solver's objective; reported values are always exact).
    """
    scale = 1
    for c in coefficients:
        scale = math.lcm(scale, c.denominator)
        if scale > cap:
            return cap
    return scale


def stage_expression(stage: Stage, terms_of: Callable[[Criterion], Sequence[Term]],
                     extra: Sequence[Term] = ()) -> tuple[cp_model.LinearExpr, int]:
    """A stage of the objective as an integer CP-SAT expression and the scale dividing
    it back into the stage's value.

    Parameters
    ----------
    stage
        The weighted criteria.
    terms_of
        A model's terms of one criterion (exact coefficients).
    extra
        Terms added to the stage (e.g. the cost of pushing work outside a window).
    """
    terms = [(w * c, v) for crit, w in stage.terms for c, v in terms_of(crit)]
    terms += list(extra)
    scale = integer_scale([c for c, _ in terms])
    coefficients = [round(c * scale) for c, _ in terms]
    return cp_model.LinearExpr.weighted_sum([v for _, v in terms], coefficients), scale
