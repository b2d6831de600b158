"""The objective of a schedule straight from its placed operations (pure, fast).

:class:`~prodsched.schedule.schedule.Schedule` builds every row of
schedule.csv and every KPI before it can say what a schedule is worth, which
takes a good part of a second for 10,000 orders. Large-neighbourhood search
compares thousands of schedules, so this module computes only the criteria
an objective uses, exactly as :mod:`prodsched.schedule.kpis` defines them:
the values equal ``objective.values(Schedule(plant, lots, ops).kpis)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from prodsched.lots.lot import STOCK
from prodsched.objective import Criterion, Objective, counts_holding
from prodsched.plant.model import Plant
from prodsched.schedule.rows import PlacedOp


class Evaluator:
    """Objective values of schedules of one plant.

    Parameters
    ----------
    plant
        The plant.
    objective
        What is minimised.
    """

    def __init__(self, plant: Plant, objective: Objective):
        self.plant = plant
        self.objective = objective
        self.used = objective.criteria
        self.last_step = {p: steps[-1].number for p, steps in plant.routings.items()}
        self.due = {o.order_id: o.due for o in plant.orders if o.due is not None}
        self.weight = {o.order_id: o.weight for o in plant.orders}
        self.holding = {name: p.holding_cost for name, p in plant.products.items()}
        self._counts_holding = counts_holding(objective, plant)
        self.deadline = {o.order_id: o.deadline for o in plant.orders if o.deadline is not None}

    @property
    def counts_holding(self) -> bool:
        """Whether finished units held before their due date cost something here."""
        return self._counts_holding

    def criteria(self, ops: Iterable[PlacedOp]) -> dict[Criterion, Fraction]:
        """The value of every criterion the objective uses."""
        used = self.used
        makespan = 0
        setup_time = 0
        setup_cost = Fraction(0)
        holding = Fraction(0)
        completion: dict[str, int] = {}
        for op in ops:
            makespan = max(makespan, op.end)
            setup_time += op.setup.time
            if op.setup.cost:
                setup_cost += op.setup.cost
            if op.step != self.last_step[op.lot.product]:
                continue
            rate = self.holding[op.lot.product]
            for order_id, units in op.lot.allocations:
                if order_id == STOCK:
                    continue
                if completion.get(order_id, -1) < op.end:
                    completion[order_id] = op.end
                due = self.due.get(order_id)
                if rate and due is not None and due > op.end:
                    holding += units * rate * (due - op.end)
        out: dict[Criterion, Fraction] = {
            Criterion.MAKESPAN: Fraction(makespan),
            Criterion.SETUP_TIME: Fraction(setup_time),
            Criterion.SETUP_COST: setup_cost,
            Criterion.HOLDING_COST: holding,
        }
        if used & {Criterion.WEIGHTED_TARDINESS, Criterion.TOTAL_TARDINESS,
                   Criterion.LATE_ORDERS}:
            total = weighted = Fraction(0)
            late = 0
            for order_id, due in self.due.items():
                done = completion.get(order_id)
                if done is None or done <= due:
                    continue
                tardy = done - due
                total += tardy
                weighted += self.weight[order_id] * tardy
                late += 1
            out[Criterion.TOTAL_TARDINESS] = total
            out[Criterion.WEIGHTED_TARDINESS] = weighted
            out[Criterion.LATE_ORDERS] = Fraction(late)
        return out

    def lot_cost(self, last: PlacedOp) -> float:
        """What a lot's last step ``last`` costs its orders: weighted lateness, plus the
        holding of the units made before their due date where holding counts."""
        rate = self.holding.get(last.lot.product, 0) if self.counts_holding else 0
        total = 0.0
        for order_id, units in last.lot.allocations:
            due = self.due.get(order_id)
            if due is None:
                continue
            if last.end > due:
                total += float(self.weight[order_id] * (last.end - due))
            elif rate:
                total += float(units * rate * (due - last.end))
        return total

    def values(self, ops: Iterable[PlacedOp]) -> tuple[Fraction, ...]:
        """The objective's value per stage (compare as tuples: lexicographic)."""
        found = self.criteria(ops)
        return tuple(sum((w * found[c] for c, w in stage.terms), Fraction(0))
                     for stage in self.objective.stages)

    def meets_deadlines(self, ops: Iterable[PlacedOp]) -> bool:
        """Whether every order with a deadline completes by it."""
        if not self.deadline:
            return True
        for op in ops:
            if op.step != self.last_step[op.lot.product] or op.lot.deadline is None:
                continue
            if any(op.end > self.deadline[o] for o in op.lot.order_ids if o in self.deadline):
                return False
        return True
