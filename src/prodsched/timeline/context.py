"""What priority rules know about the lots being dispatched (computed once, on demand).

Due dates (a deadline when earlier), each step's own due date (the lot's due
date less the fastest time of its later steps), weights, the FIFO arrival of
a lot, the work left after each step, and the ATCS look-ahead scales of Lee,
Bhaskaran & Pinedo (1997).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from prodsched.lots.lot import Lot
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.timeline.steps import Routes

INF = math.inf


def due_key(lot: Lot) -> float:
    """The lot's due date, or its deadline when earlier (``inf`` without either)."""
    due = float(lot.due) if lot.due is not None else INF
    return min(due, lot.deadline) if lot.deadline is not None else due


@dataclass(frozen=True)
class AtcsScales:
    """The look-ahead parameters of ATCS and the means they scale.

    Parameters
    ----------
    k1, k2
        Due-date and setup look-ahead parameters.
    mean_run, mean_setup
        ``p̄`` and ``s̄``: mean run time of a step and mean changeover time
        between different products sharing a machine.
    """

    k1: float
    k2: float
    mean_run: float
    mean_setup: float


def fastest(plant: Plant, lot: Lot, step_index: int) -> int:
    """The shortest run of a lot's step over its eligible machines."""
    return min(o.duration(lot.quantity) for o in plant.routings[lot.product][step_index].options)


def mean_setup_time(plant: Plant, setups: SetupTable) -> float:
    """Mean changeover time between two different products that share a machine."""
    on: dict[str, set[str]] = {}
    for product in plant.routings:
        for _, option in plant.iter_options(product):
            on.setdefault(option.machine, set()).add(product)
    times = [setups.between(m, a, b).time for m, products in on.items()
             for a in sorted(products) for b in sorted(products) if a != b]
    return statistics.fmean(times) if times else 0.0


def atcs_scales(plant: Plant, lots: Sequence[Lot], setups: SetupTable) -> AtcsScales:
    """``k1`` and ``k2`` by Lee, Bhaskaran & Pinedo's rules from the plant's statistics.

    With makespan estimated as all runs plus a mean changeover per step,
    spread over the machines: due-date range ``R = (d_max - d_min) / C``,
    tightness ``τ = 1 - d̄ / C`` and setup severity ``η = s̄ / p̄`` give
    ``k1 = 4.5 + R`` (``R <= 0.5``) or ``6 - 2R``, and ``k2 = τ / (2 √η)``;
    both are kept at least 0.1 so the exponentials stay informative.
    """
    runs = [fastest(plant, lot, k) for lot in lots for k in range(len(plant.routings[lot.product]))]
    return _scales(plant, lots, setups, runs)


def _scales(plant: Plant, lots: Sequence[Lot], setups: SetupTable, runs: list[int]
            ) -> AtcsScales:
    """:func:`atcs_scales` from the fastest run of every step of every lot."""
    mean_run = statistics.fmean(runs) if runs else 1.0
    mean_setup = mean_setup_time(plant, setups)
    eligible = {p: {o.machine for _, o in plant.iter_options(p)} for p in {
        lot.product for lot in lots}}
    machines = len(set().union(*eligible.values())) if eligible else 0
    makespan = max(1.0, (sum(runs) + len(runs) * mean_setup) / (machines or 1))
    dues = [float(lot.due) for lot in lots if lot.due is not None]
    if dues:
        spread = (max(dues) - min(dues)) / makespan
        tightness = min(1.0, max(0.0, 1 - statistics.fmean(dues) / makespan))
    else:
        spread, tightness = 0.0, 0.0
    k1 = 4.5 + spread if spread <= 0.5 else 6 - 2 * spread
    eta = mean_setup / mean_run if mean_run > 0 else 0.0
    k2 = tightness / (2 * math.sqrt(eta)) if eta > 0 else 1.0
    return AtcsScales(max(0.1, k1), max(0.1, k2), max(mean_run, 1e-9), mean_setup)


class Context:
    """The lots of one dispatch and what rules derive from them.

    Parameters
    ----------
    plant, setups
        The plant and its changeover lookup.
    lots
        The lots, by index (the dispatcher's numbering).
    routes
        Their steps and runs.
    """

    def __init__(self, plant: Plant, setups: SetupTable, lots: Sequence[Lot], routes: Routes):
        self.plant, self.setups, self.lots, self.routes = plant, setups, lots, routes

    @cached_property
    def due(self) -> list[float]:
        """Per lot: its due date (a deadline when earlier; ``inf``: none)."""
        return [due_key(lot) for lot in self.lots]

    @cached_property
    def fastest(self) -> list[list[int]]:
        """Per lot and step: the shortest run over the step's machines."""
        return [[min(r.work for r in step.values()) for step in self.routes.runs(lot)]
                for lot in self.lots]

    @cached_property
    def remaining(self) -> list[list[int]]:
        """Per lot and step: the fastest time of that step and every later one."""
        out = []
        for times in self.fastest:
            left, tail = [], 0
            for t in reversed(times):
                tail += t
                left.append(tail)
            out.append(left[::-1])
        return out

    @cached_property
    def step_due(self) -> list[list[float]]:
        """Per lot and step: the lot's due date less the fastest time of its later steps."""
        return [[due - (left[k] - times[k]) for k in range(len(times))]
                for due, times, left in zip(self.due, self.fastest, self.remaining, strict=True)]

    @cached_property
    def weight(self) -> list[float]:
        """Per lot: its tardiness weight (the sum of its orders'), at least 1e-9."""
        by_id = self.plant.order_by_id
        return [max(1e-9, float(sum(by_id[o].weight for o in lot.order_ids if o in by_id)))
                for lot in self.lots]

    @cached_property
    def arrival(self) -> list[int]:
        """Per lot: the position in orders.csv of its first order (FIFO's arrival)."""
        position = {o.order_id: k for k, o in enumerate(self.plant.orders)}
        return [min((position[o] for o in lot.order_ids if o in position),
                    default=len(position)) for lot in self.lots]

    @cached_property
    def atcs(self) -> AtcsScales:
        """The ATCS scales of these lots (:func:`atcs_scales`)."""
        return _scales(self.plant, self.lots, self.setups,
                       [t for times in self.fastest for t in times])

    def family(self, state: str | None) -> str | None:
        """The family of a machine's set-up (a product's family, or the family itself)."""
        if state is None:
            return None
        product = self.plant.products.get(state)
        return product.family if product is not None else state
