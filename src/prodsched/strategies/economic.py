"""Economic lot sizes (pure functions): EOQ, EPQ and the common cycle.

For a product made in lots, with setup cost ``A`` per lot, demand rate ``d``
(units per time unit), holding cost ``h`` (per unit and time unit) and
production rate ``p``:

- EOQ ``Q* = sqrt(2 A d / h)``;
- EPQ ``Q* = sqrt(2 A d / (h (1 - d/p)))`` (the stock builds up while
  producing);
- common cycle (Hanssmann's rotation for the products sharing a machine):
  ``T* = sqrt(2 ΣA / Σ h d (1 - d/p))``, at least the cycle in which the
  changeovers fit, ``Σ s / (1 - Σ d/p)``; every product then makes
  ``Q = d T`` per cycle.

The plant gives these inputs: ``A`` is the mean changeover cost into the
product over its steps (from every other product sharing the machine), ``s``
the same for time on its main machine, ``h`` its holding cost, ``d`` its
demand over the planning horizon (latest due date less earliest release),
and ``p`` the speed of its main machine (the machine of its longest step).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from prodsched.lots.policies import orders_by_product
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable


def eoq(setup_cost: float, demand_rate: float, holding_cost: float) -> float:
    """Economic order quantity ``sqrt(2 A d / h)`` (``inf`` when holding is free)."""
    if holding_cost <= 0:
        return math.inf
    return math.sqrt(2 * setup_cost * demand_rate / holding_cost)


def epq(setup_cost: float, demand_rate: float, holding_cost: float,
        production_rate: float) -> float:
    """Economic production quantity ``sqrt(2 A d / (h (1 - d/p)))``.

    With ``d >= p`` (the machine cannot keep up) stock never builds up and
    the lot is unbounded (``inf``).
    """
    utilisation = demand_rate / production_rate if production_rate > 0 else 0.0
    if utilisation >= 1:
        return math.inf
    return eoq(setup_cost, demand_rate, holding_cost * (1 - utilisation))


@dataclass(frozen=True)
class LotItem:
    """The economic inputs of one product on its main machine."""

    product: str
    machine: str
    setup_cost: float
    setup_time: float
    demand_rate: float
    holding_cost: float
    production_rate: float

    @property
    def utilisation(self) -> float:
        """Share of the machine's time this product needs (``d / p``)."""
        return self.demand_rate / self.production_rate if self.production_rate > 0 else 0.0


def common_cycle(items: Sequence[LotItem]) -> float:
    """Hanssmann's common cycle ``T*`` for products sharing a machine.

    ``inf`` when nothing is held at a cost (one long run each is cheapest);
    never shorter than the cycle in which every changeover fits, when the
    machine has time to spare.
    """
    setup = sum(i.setup_cost for i in items)
    holding = sum(i.holding_cost * i.demand_rate * max(0.0, 1 - i.utilisation) for i in items)
    best = math.inf if holding <= 0 else math.sqrt(2 * setup / holding)
    load = sum(i.utilisation for i in items)
    if load < 1:
        best = max(best, sum(i.setup_time for i in items) / (1 - load))
    return best


def planning_horizon(plant: Plant) -> float:
    """Latest due date less earliest release (at least one time unit).

    Without due dates: the total fastest processing time of every order.
    """
    dues = [float(o.due) for o in plant.orders if o.due is not None]
    start = min((o.release for o in plant.orders), default=0)
    if dues:
        return max(1.0, max(dues) - start)
    work = sum(min(opt.duration(o.quantity) for opt in step.options)
               for o in plant.orders for step in plant.routings[o.product])
    return max(1.0, float(work))


def main_machine(plant: Plant, product: str) -> tuple[str, float]:
    """The machine of the product's longest step (first option) and its time per unit."""
    step = max(plant.routings[product], key=lambda s: s.options[0].time_per_unit)
    option = step.options[0]
    return option.machine, float(option.time_per_unit)


def _sharing(plant: Plant) -> dict[str, list[str]]:
    on: dict[str, list[str]] = {}
    for product in plant.routings:
        for _, option in plant.iter_options(product):
            users = on.setdefault(option.machine, [])
            if product not in users:
                users.append(product)
    return on


def lot_items(plant: Plant, setups: SetupTable) -> dict[str, LotItem]:
    """The economic inputs of every product made in lots (not one-off) that has orders."""
    on = _sharing(plant)
    horizon = planning_horizon(plant)
    out = {}
    for name, orders in orders_by_product(plant).items():
        product = plant.products[name]
        if product.mode is Mode.ONE_OFF:
            continue
        costs = []
        for step in plant.routings[name]:
            per_machine = [statistics.fmean(
                [float(setups.between(o.machine, other, name).cost)
                 for other in on[o.machine] if other != name] or [0.0]) for o in step.options]
            costs.append(statistics.fmean(per_machine))
        machine, per_unit = main_machine(plant, name)
        times = [setups.between(machine, other, name).time
                 for other in on[machine] if other != name]
        out[name] = LotItem(
            product=name, machine=machine, setup_cost=sum(costs),
            setup_time=statistics.fmean(times) if times else 0.0,
            demand_rate=sum(o.quantity for o in orders) / horizon,
            holding_cost=float(product.holding_cost),
            production_rate=1 / per_unit if per_unit > 0 else math.inf)
    return out


def eoq_sizes(items: dict[str, LotItem]) -> dict[str, float]:
    """EPQ lot size of every product (``inf``: one lot; ``0``: no setup cost)."""
    return {name: epq(i.setup_cost, i.demand_rate, i.holding_cost, i.production_rate)
            for name, i in items.items()}


def cycle_times(items: dict[str, LotItem]) -> dict[str, float]:
    """The common cycle of each main machine's products."""
    groups: dict[str, list[LotItem]] = {}
    for item in items.values():
        groups.setdefault(item.machine, []).append(item)
    return {machine: common_cycle(group) for machine, group in groups.items()}


def cycle_sizes(items: dict[str, LotItem], cycles: dict[str, float]) -> dict[str, float]:
    """Lot size ``d T`` of every product for its main machine's common cycle ``T``."""
    return {name: i.demand_rate * cycles[i.machine] for name, i in items.items()}
