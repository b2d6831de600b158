"""Fixed sequences of products: family campaigns, product wheels, rotations (pure).

- :func:`campaign_order`: families by their earliest due date, and within a
  family products by theirs, lots by due date: each family is made in one
  campaign, back to back.
- :func:`wheel_order`: a fixed cyclic order of the products, built as a
  nearest-changeover tour (a product's family members follow it at no
  changeover cost, so families stay together).
- :func:`turn_order`: lots by the turn of the wheel their due date falls in,
  then by the product's place on the wheel.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from prodsched.lots.lot import Lot
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.timeline.context import due_key


def campaign_order(plant: Plant, lots: Sequence[Lot]) -> list[int]:
    """Lot indices: families by earliest due date, then products, then lots by due date."""
    family_due: dict[str, float] = {}
    product_due: dict[str, float] = {}
    for lot in lots:
        family = plant.products[lot.product].family
        family_due[family] = min(family_due.get(family, math.inf), due_key(lot))
        product_due[lot.product] = min(product_due.get(lot.product, math.inf), due_key(lot))

    def key(i: int) -> tuple[float | str | int, ...]:
        lot = lots[i]
        family = plant.products[lot.product].family
        return (family_due[family], family, product_due[lot.product], lot.product,
                due_key(lot), lot.release, i)

    return sorted(range(len(lots)), key=key)


def changeover_distance(plant: Plant, setups: SetupTable, a: str, b: str) -> float:
    """Mean changeover time from product ``a`` to ``b`` over the machines they share."""
    machines_a = {o.machine for _, o in plant.iter_options(a)}
    shared = sorted(machines_a & {o.machine for _, o in plant.iter_options(b)})
    if not shared:
        return 0.0
    return statistics.fmean(setups.between(m, a, b).time for m in shared)


def wheel_order(plant: Plant, setups: SetupTable, products: Sequence[str],
                first_due: dict[str, float] | None = None) -> list[str]:
    """A nearest-changeover tour of ``products``, from the most urgent one.

    Ties go to the product due first, then by name, so the wheel is the
    same every time.
    """
    due = first_due or {}
    left = sorted(products, key=lambda p: (due.get(p, math.inf), p))
    if not left:
        return []
    tour = [left.pop(0)]
    while left:
        here = tour[-1]
        nxt = min(left, key=lambda p: (changeover_distance(plant, setups, here, p),
                                       due.get(p, math.inf), p))
        left.remove(nxt)
        tour.append(nxt)
    return tour


def turn_of(due: float, start: float, turn: float, turns: int) -> int:
    """The wheel turn (0-based, at most ``turns - 1``) a due date falls in."""
    if math.isinf(due):
        return turns - 1
    return min(turns - 1, max(0, math.floor((due - start) / turn)))


def turn_order(lots: Sequence[Lot], wheel: Sequence[str], start: float, turn: float,
               turns: int) -> list[int]:
    """Lot indices by wheel turn of their due date, then place on the wheel, then due date."""
    rank = {p: k for k, p in enumerate(wheel)}

    def key(i: int) -> tuple[float, ...]:
        lot = lots[i]
        due = due_key(lot)
        return (turn_of(due, start, turn, turns), rank[lot.product], due, i)

    return sorted(range(len(lots)), key=key)

