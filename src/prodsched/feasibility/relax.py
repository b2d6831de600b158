"""``--relax-deadlines``: solve a plant whose deadlines cannot all be met anyway.

Each deadline becomes a due date (the earlier of the two, when the order has
both), so the schedule is as good as the objective makes it and every order
is still made; the orders that miss their deadlines are listed afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from prodsched.plant.model import Plant
from prodsched.schedule.schedule import Schedule


def relax_deadlines(plant: Plant) -> Plant:
    """The plant with every deadline turned into a due date."""
    orders = []
    for order in plant.orders:
        if order.deadline is None:
            orders.append(order)
            continue
        due = Fraction(order.deadline) if order.due is None else min(order.due,
                                                                      Fraction(order.deadline))
        orders.append(replace(order, due=due, deadline=None))
    return replace(plant, orders=tuple(orders))


def missed_deadlines(original: Plant, schedule: Schedule) -> list[dict[str, Any]]:
    """Orders of ``original`` that ``schedule`` completes after their deadline."""
    fmt = original.time_axis.format
    missed = []
    for outcome in schedule.outcomes:
        order = original.order_by_id[outcome.order_id]
        if order.deadline is not None and (outcome.completion or 0) > order.deadline:
            missed.append({"order_id": order.order_id, "deadline": fmt(order.deadline),
                           "completion": fmt(outcome.completion or 0),
                           "late_by": (outcome.completion or 0) - order.deadline})
    return missed
