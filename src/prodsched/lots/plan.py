"""The lot plan: how each product's orders become lots, by production mode.

- ``one-off``: each order is its own lot, fixed before the model.
- ``batch`` and ``mass``: a *slot group* — a bounded number of lot slots whose
  sizes (and so the orders each serves, first-in-first-out by due date) are
  decided by the model together with the sequence.
- ``auto``: decided per product from the plant's figures
  (:mod:`prodsched.lots.auto`): one-off lots for custom work (irregular
  demand, setups small against run time), else a slot group in which lot
  streaming is allowed; when the product has few orders and lot rules keep
  some order from being a lot of its own (min_lot, lot_multiple, max_lot),
  the model may instead make every order on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from prodsched.lots.auto import AutoChoice, choose_auto, machine_loads, product_profile
from prodsched.lots.cutting import fifo_orders
from prodsched.lots.fit import shift_fit
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import Pinned, open_orders, pinned_work
from prodsched.plant.model import Mode, Order, Plant, Product
from prodsched.plant.setups import SetupTable

# Lot slots per product beyond the fewest that max_lot allows.
DEFAULT_EXTRA_SLOTS = 6
# An auto product with at most this many orders may be made one-off in the model.
ONE_OFF_CHOICE_MAX = 16


@dataclass(frozen=True)
class SlotGroup:
    """The lot slots of one product made in lots.

    Parameters
    ----------
    product
        The product.
    mode
        ``batch``, ``mass`` or ``auto`` (lot streaming allowed, mode decided
        from the schedule).
    orders
        The product's orders, first-in-first-out (due date, release).
    slots
        How many lots the model may use (the present ones come first).
    one_off_option
        The model may instead make each order on its own (auto only).
    """

    product: Product
    mode: Mode
    orders: tuple[Order, ...]
    slots: int
    one_off_option: bool = False

    @property
    def demand(self) -> int:
        """Units ordered in total."""
        return sum(o.quantity for o in self.orders)

    @property
    def fewest_lots(self) -> int:
        """The fewest lots max_lot allows."""
        _, high = self.product.lot_size_range()
        return 1 if high is None else math.ceil(self.demand / high)

    @property
    def streaming(self) -> bool:
        """Whether the lots' steps may overlap (lot streaming)."""
        return self.mode in (Mode.MASS, Mode.AUTO)


@dataclass(frozen=True)
class LotPlan:
    """Lots fixed before the model, slot groups decided in it, and pinned work.

    ``pinned`` is the plant's fixed.csv work (:mod:`prodsched.lots.pinned`):
    its lots are neither in ``fixed`` nor in a group; the steps of a pinned lot
    after its fixed ones are still to be scheduled. ``fixed`` and ``groups``
    cover only the units pinned lots do not make. ``auto`` says, for each
    product in ``auto`` mode, how it is made and why
    (:mod:`prodsched.lots.auto`).
    """

    fixed: tuple[Lot, ...]
    groups: tuple[SlotGroup, ...]
    pinned: Pinned = field(default_factory=Pinned)
    auto: tuple[AutoChoice, ...] = ()

    @property
    def product_modes(self) -> dict[str, Mode]:
        """The mode each product is planned in (``auto`` for the auto products)."""
        out = {lot.product: lot.mode for lot in self.fixed}
        out.update({g.product.name: g.mode for g in self.groups})
        out.update({c.product: Mode.AUTO for c in self.auto})
        return out

    @property
    def auto_choices(self) -> dict[str, AutoChoice]:
        """The decision for each auto product, by name."""
        return {c.product: c for c in self.auto}


def resolve_mode(product: Product, overrides: dict[str, Mode] | None) -> Mode:
    """The product's mode, unless ``overrides`` says otherwise."""
    if overrides and product.name in overrides:
        return overrides[product.name]
    return product.mode


def slot_count(product: Product, orders: list[Order], plant: Plant, extra: int) -> int:
    """How many lot slots a product gets.

    The fewest lots max_lot allows. When more lots could ever help — orders
    with different due dates or releases, parallel machines, or several steps
    to overlap — up to ``extra`` more, never more than making each order on
    its own (plus one per parallel machine) would need. With one machine,
    one step and one due date, more lots only add fixed times and changeovers.

    On a plant with calendars, a lot may hold no more units than one run of
    each non-pausing step can make within an available window before the due
    dates (:func:`~prodsched.lots.fit.shift_fit`): the counts above are taken
    with that as the largest lot, so the product gets at least the lots its
    demand needs in lots that fit a shift. Without calendars (v1 plants) the
    count is unchanged.
    """
    low, high = product.lot_size_range()
    fit = shift_fit(plant, product, orders)
    if fit is not None and fit >= low and (high is None or fit < high):
        high = fit
    demand = sum(o.quantity for o in orders)
    fewest = 1 if high is None else math.ceil(demand / high)
    steps = plant.routings[product.name]
    groups = len({(o.due, o.release, o.deadline) for o in orders})
    parallel = max(len(step.options) for step in steps)
    if groups == 1 and parallel == 1 and len(steps) == 1:
        return fewest
    each_own = sum(1 if high is None else math.ceil(o.quantity / high) for o in orders)
    return max(fewest, min(fewest + extra, each_own + parallel - 1))


def plan_lots(plant: Plant, overrides: dict[str, Mode] | None = None,
              extra_slots: int = DEFAULT_EXTRA_SLOTS,
              one_off_choice_max: int = ONE_OFF_CHOICE_MAX) -> LotPlan:
    """The lot plan of a plant.

    Parameters
    ----------
    overrides
        Mode per product name, replacing the plant's (``compare-modes``).
    extra_slots
        Lot slots per product beyond the fewest possible (see :func:`slot_count`).
    one_off_choice_max
        Auto products with at most this many orders may be made one-off.
    """
    pinned = pinned_work(plant)
    by_product: dict[str, list[Order]] = {}
    for order in open_orders(plant, pinned):
        by_product.setdefault(order.product, []).append(order)
    fixed: list[Lot] = []
    groups: list[SlotGroup] = []
    choices: list[AutoChoice] = []
    setups, loads = SetupTable(plant), machine_loads(plant)
    pinned_modes = {lot.product: lot.mode for lot in pinned.lots}
    for name, orders in by_product.items():
        product = plant.products[name]
        mode = resolve_mode(product, overrides)
        if mode is Mode.AUTO:
            choice = _auto_choice(plant, name, orders, setups, loads, pinned_modes.get(name))
            choices.append(choice)
            mode = choice.mode
        if mode is Mode.ONE_OFF:
            for order in orders:
                fixed.extend(order_lots(order, product, Mode.ONE_OFF))
            continue
        groups.append(SlotGroup(
            product=product, mode=mode, orders=tuple(fifo_orders(orders)),
            slots=slot_count(product, orders, plant, extra_slots),
            one_off_option=(mode is Mode.AUTO and len(orders) <= one_off_choice_max
                            and not all(is_lot_size(o.quantity, product) for o in orders))))
    return LotPlan(tuple(fixed), tuple(groups), pinned, tuple(choices))


def _auto_choice(plant: Plant, name: str, orders: list[Order], setups: SetupTable,
                 loads: dict[str, float], pinned: Mode | None) -> AutoChoice:
    """How an auto product's open orders are made: as its lots in fixed.csv are
    when one-off, else as :func:`~prodsched.lots.auto.choose_auto` decides."""
    profile = product_profile(plant, name, orders, setups, loads)
    if pinned is Mode.ONE_OFF:
        return AutoChoice(name, Mode.ONE_OFF, "one-off: fixed.csv already makes it one-off",
                          profile)
    choice = choose_auto(profile)
    if pinned is not None and choice.mode is Mode.ONE_OFF:
        return AutoChoice(name, Mode.AUTO, f"in lots: fixed.csv already makes it as "
                          f"{pinned.value}", profile)
    return choice


def is_lot_size(quantity: int, product: Product) -> bool:
    """Whether ``quantity`` is itself an allowed lot size of the product.

    When every order's quantity is, lots can make each order on its own, so
    one-off production offers the optimizer nothing lots do not.
    """
    low, high = product.lot_size_range()
    return quantity >= low and quantity % product.lot_multiple == 0 and (
        high is None or quantity <= high)
