"""Concrete lots for a lot plan, before any optimisation (pure functions).

Each *realization* cuts every slot group's demand one way — at order
boundaries, as few lots as possible, or where due dates jump — giving lots a
dispatch rule can schedule. The best becomes the model's warm start. For auto
products, realizations in each single mode are the evidence for the mode the
optimizer picks.

Work already fixed (fixed.csv, :attr:`LotPlan.pinned`) travels with every
realization: its lots and operations are kept, and its lots with steps left
are scheduled from their first step that is not fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

from prodsched.lots.cutting import cut, due_window_boundaries, make_lots, order_boundaries
from prodsched.lots.fixed import order_lots
from prodsched.lots.ids import distinct_lot_ids
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import Pinned
from prodsched.lots.plan import LotPlan, SlotGroup
from prodsched.plant.model import Mode

CUTS = ("per-order", "fewest", "due-window")


@dataclass(frozen=True)
class Realization:
    """Concrete lots for a lot plan.

    Parameters
    ----------
    name
        How the lots were cut (and, for evidence, the mode of auto products).
    lots
        Every lot to schedule, fixed and cut (not the pinned ones).
    hintable
        The lots exist in the model (so a schedule of them is a warm start).
    auto_mode
        The mode auto products are made in here (``None``: no auto products).
    pinned
        The plant's fixed work, the same in every realization.
    """

    name: str
    lots: list[Lot]
    hintable: bool = True
    auto_mode: Mode | None = None
    pinned: Pinned = field(default_factory=Pinned)

    @property
    def all_lots(self) -> list[Lot]:
        """The lots a schedule of this realization makes: the pinned ones, then ``lots``."""
        return [*self.pinned.lots, *self.lots]


def slot_prefix(product: str) -> str:
    """Prefix of the lot ids of a product's slot lots (``P#1``, ``P#2``, ...)."""
    return f"{product}#"


def cut_sizes(group: SlotGroup, how: str) -> list[int]:
    """Lot sizes of a group cut ``how`` (one of :data:`CUTS`), within its slots."""
    orders = group.orders
    if how == "per-order":
        wanted = order_boundaries(orders)
    elif how == "fewest":
        wanted = []
    else:
        dues = [o.due for o in orders if o.due is not None]
        spread = (max(dues) - min(dues)) if dues else Fraction(0)
        wanted = due_window_boundaries(orders, spread / max(1, group.slots))
    return cut(group.demand, group.product, wanted, group.slots)


def group_lots(group: SlotGroup, how: str, mode: Mode) -> list[Lot]:
    """A group's lots cut ``how``, labelled ``mode``."""
    sizes = cut_sizes(group, how)
    return make_lots(group.product, mode, group.orders, sizes, slot_prefix(group.product.name))


def one_off_lots(group: SlotGroup) -> list[Lot]:
    """A group's orders each made on its own."""
    return [lot for o in group.orders for lot in order_lots(o, group.product, Mode.ONE_OFF)]


def realizations(plan: LotPlan, cuts: tuple[str, ...] = CUTS,
                 evidence: bool = True) -> list[Realization]:
    """Warm-start candidates, and (with ``evidence``) single-mode variants for auto products.

    Auto products are cut like batch products and labelled mass (lot streaming
    is allowed in the model); the evidence variants make every auto product
    one-off, batch, or mass.
    """
    has_auto = any(g.mode is Mode.AUTO for g in plan.groups)
    out = []
    for how in cuts:
        lots = list(plan.fixed)
        for g in plan.groups:
            mode = Mode.MASS if g.mode is Mode.AUTO else g.mode
            lots.extend(group_lots(g, how, mode))
        out.append(Realization(how, lots, True, Mode.MASS if has_auto else None, plan.pinned))
    if not (has_auto and evidence):
        return _own_ids(out, plan)
    for how in cuts:
        lots = list(plan.fixed)
        for g in plan.groups:
            lots.extend(group_lots(g, how, Mode.BATCH if g.mode is Mode.AUTO else g.mode))
        out.append(Realization(f"{how}, auto as batch", lots, True, Mode.BATCH, plan.pinned))
    lots = list(plan.fixed)
    hintable = True
    for g in plan.groups:
        if g.mode is Mode.AUTO:
            lots.extend(one_off_lots(g))
            hintable = hintable and g.one_off_option
        else:
            lots.extend(group_lots(g, "per-order", g.mode))
    out.append(Realization("auto as one-off", lots, hintable, Mode.ONE_OFF, plan.pinned))
    return _own_ids(out, plan)


def _own_ids(out: list[Realization], plan: LotPlan) -> list[Realization]:
    """No cut lot takes the id of a lot of fixed.csv (:mod:`prodsched.lots.ids`)."""
    if not plan.pinned:
        return out
    return [replace(r, lots=distinct_lot_ids(r.lots, [], plan.pinned.lots)[0]) for r in out]
