"""What a lot plan keeps the model from trying (kpis.json ``restricted``).

A solver's proof of optimality holds for the model it solved. The job-shop
model makes a product's lots from a bounded number of lot slots, an ``auto``
product may have been planned one-off, or kept from being made one-off; each
such limit leaves out schedules of the plant. When any is in force, the
status is ``feasible`` however the search ended (spec: ``optimal`` means no
valid schedule of the plant is better), and kpis.json lists the limits.
"""

from __future__ import annotations

from prodsched.lots.plan import LotPlan, SlotGroup, is_lot_size
from prodsched.plant.model import Mode, Plant


def most_lots(group: SlotGroup) -> int:
    """The most lots the product's demand can be split into under its lot rules."""
    low, _ = group.product.lot_size_range()
    return max(1, group.demand // max(1, low))


def single_run_suffices(plant: Plant, group: SlotGroup) -> bool:
    """Whether the product's fewest lots lose nothing: one step on one machine
    that never stops, and every order with the same due date, release and
    deadline. Then a lot split in two could be joined into one run (the
    later piece moved up to the earlier, or the earlier down to the later)
    without making anything later, and the slot count is no restriction
    (changeovers taken to obey the triangle inequality, as the fewest-lots
    rule of :func:`~prodsched.lots.plan.slot_count` takes them)."""
    steps = plant.routings[group.product.name]
    if len(steps) != 1 or len(steps[0].options) != 1:
        return False
    if plant.unavailable(steps[0].options[0].machine) or plant.uses_v2_rules or any(
            p.holding_cost for p in plant.products.values()):
        return False  # a pause, a wait rule or holding cost may make two runs pay
    return len({(o.due, o.release, o.deadline) for o in group.orders}) == 1 \
        and group.slots >= group.fewest_lots


def plan_restrictions(plant: Plant, plan: LotPlan) -> list[str]:
    """Short descriptions of the limits the lot plan puts on the model.

    - a slot group with fewer slots than the most lots its demand allows;
    - an ``auto`` product in lots that may not instead be made one-off although
      some order is no lot size of its own;
    - an ``auto`` product planned one-off (its lots fixed before the model).
    """
    out: list[str] = []
    for group in plan.groups:
        most = most_lots(group)
        if group.slots < most and not single_run_suffices(plant, group):
            out.append(f"lot slots: {group.product.name} {group.slots} of up to {most} lots")
        if group.mode is Mode.AUTO and not group.one_off_option and not all(
                is_lot_size(o.quantity, group.product) for o in group.orders):
            out.append(f"one-off option: {group.product.name} may not be made one-off "
                       f"({len(group.orders)} orders)")
    for choice in plan.auto:
        if choice.mode is Mode.ONE_OFF:
            out.append(f"lot plan: auto product {choice.product} made one-off")
    return out
