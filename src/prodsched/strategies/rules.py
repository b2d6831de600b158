"""Dispatch rules for :func:`~prodsched.strategies.dispatcher.rule_dispatch` (pure).

- FIFO: earliest release, then the order's place in orders.csv.
- EDD: earliest due date (a deadline when earlier).
- SPT: shortest run on the machine being decided.
- nearest setup: the smallest changeover from the machine's current set-up.
- a fixed sequence (:func:`rank_rule`): the lot placed earliest in it;
  :func:`campaign_rule` first keeps the machine on the family it is set up
  for.
- ATCS (apparent tardiness cost with setups; Lee, Bhaskaran & Pinedo 1997):
  the largest ``w/p · exp(-max(d - p - t, 0) / (k1 p̄)) · exp(-s / (k2 s̄))``,
  with ``d`` the step's due date (the lot's due date less the fastest time
  of its later steps), ``p̄`` and ``s̄`` the plant's mean run and changeover
  times, and ``k1``, ``k2`` from the due-date range and tightness.

Every rule breaks ties by due date, then the lot's input position.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from prodsched.lots.lot import Lot
from prodsched.lots.policies import lot_arrival, lot_weight
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.strategies.dispatcher import Choice, Rule

INF = math.inf


def due_key(lot: Lot) -> float:
    """The lot's due date, or its deadline when earlier (``inf`` without either)."""
    due = float(lot.due) if lot.due is not None else INF
    return min(due, lot.deadline) if lot.deadline is not None else due


def fifo_rule(plant: Plant, lots: Sequence[Lot]) -> Rule:
    """First in, first out: release, then the first order's line in orders.csv."""
    arrival = lot_arrival(plant, lots)

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        lot = lots[c.lot_index]
        return (lot.release, arrival[lot.lot_id])

    return rule


def edd_rule(plant: Plant, lots: Sequence[Lot]) -> Rule:
    """Earliest due date, then release."""

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        lot = lots[c.lot_index]
        return (due_key(lot), lot.release)

    return rule


def spt_rule(plant: Plant, lots: Sequence[Lot]) -> Rule:
    """Shortest processing time on the machine decided, then due date."""

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        return (c.duration, due_key(lots[c.lot_index]))

    return rule


def nearest_setup_rule(plant: Plant, lots: Sequence[Lot]) -> Rule:
    """Smallest changeover time, then cost, then due date."""

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        return (c.setup.time, float(c.setup.cost), due_key(lots[c.lot_index]))

    return rule


def rank_rule(order: Sequence[int]) -> Rule:
    """The lot that comes first in ``order`` (lot indices, most urgent first)."""
    rank = {i: k for k, i in enumerate(order)}

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        return (rank[c.lot_index],)

    return rule


def family_of(plant: Plant, state: str | None) -> str | None:
    """The family of a machine's set-up (a product's family, or the family itself)."""
    if state is None:
        return None
    product = plant.products.get(state)
    return product.family if product is not None else state


def campaign_rule(plant: Plant, lots: Sequence[Lot], order: Sequence[int]) -> Rule:
    """Stay on the machine's current family while it has work; else follow ``order``."""
    rank = {i: k for k, i in enumerate(order)}

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        family = plant.products[lots[c.lot_index].product].family
        return (0 if family == family_of(plant, c.state) else 1, rank[c.lot_index])

    return rule


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
    mean_run = statistics.fmean(runs) if runs else 1.0
    mean_setup = mean_setup_time(plant, setups)
    machines = len({o.machine for lot in lots for _, o in plant.iter_options(lot.product)}) or 1
    makespan = max(1.0, (sum(runs) + len(runs) * mean_setup) / machines)
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


def atcs_rule(plant: Plant, lots: Sequence[Lot], setups: SetupTable,
              scales: AtcsScales | None = None) -> Rule:
    """Apparent tardiness cost with setups; the largest index is dispatched.

    The key is the negated logarithm of the index (no underflow for lots far
    from their due date), then the due date.
    """
    s = scales or atcs_scales(plant, lots, setups)
    weights = [max(lot_weight(plant, lot), 1e-9) for lot in lots]
    tails = {}
    for i, lot in enumerate(lots):
        steps = len(plant.routings[lot.product])
        for k in range(steps):
            tails[i, k] = sum(fastest(plant, lot, j) for j in range(k + 1, steps))

    def rule(c: Choice, now: int) -> tuple[float, ...]:
        lot = lots[c.lot_index]
        p = max(c.duration, 1)
        due = due_key(lot)
        slack = max(due - tails[c.lot_index, c.step_index] - p - now, 0.0)
        log_index = math.log(weights[c.lot_index] / p)
        log_index -= slack / (s.k1 * s.mean_run) if due < INF else INF
        if s.mean_setup > 0:
            log_index -= c.setup.time / (s.k2 * s.mean_setup)
        return (-log_index, due)

    return rule
