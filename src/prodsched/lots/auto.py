"""How an ``auto`` product is made, decided per product from the plant's figures.

A planner choosing between one-off, batch and mass production for a product
looks at a checklist: how stable its demand is, how its orders compare with
the lot rules, how long its setups are against its run time, how loaded its
machines are. :func:`product_profile` computes those figures from the plant
alone; :func:`choose_auto` turns them into a decision with its reason:

- **one-off** when demand is irregular (order sizes or the intervals between
  orders vary: coefficient of variation above :data:`STABLE_CV`) and the
  per-lot overhead (the changeover into the product and the fixed times) is a
  small share of an order's machine time (below :data:`SMALL_OVERHEAD`, or
  half that when its busiest machine is loaded above :data:`TIGHT_CAPACITY`):
  grouping such orders would save little and make them wait — custom,
  made-to-order work;
- **in lots** otherwise (stable demand, or setups that matter): the
  optimizer sizes the lots against the due dates and streams their units from
  step to step where that helps, so they come out as ``mass`` (campaigns whose
  steps overlap) or ``batch`` (lots moved whole), as before.

The decision is the plant's figures, not a solve: ``prodsched compare-modes
--by-product`` measures each mode and may advise otherwise (it says why).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Mode, Order, Plant, Product
from prodsched.plant.setups import SetupTable

STABLE_CV = 0.3
"""Demand whose order sizes and intervals vary less than this (coefficient of
variation) is stable."""

SMALL_OVERHEAD = 0.15
"""Per-lot overhead below this share of an order's machine time is small."""

TIGHT_CAPACITY = 0.85
"""A machine loaded above this share of the plant's span is tight: the
overhead that counts as small is halved."""


@dataclass(frozen=True)
class ProductProfile:
    """A product's figures from the plant alone (the planner's checklist).

    Parameters
    ----------
    product
        The product.
    orders, units
        Its orders and the units they ask for.
    size_cv
        Coefficient of variation (standard deviation over mean) of its order
        quantities (0 with one order).
    interval_cv
        Coefficient of variation of the intervals between its consecutive due
        dates (release dates when not every order has a due date); ``None``
        with fewer than three orders or when all fall at one moment.
    off_lot_orders
        Share of its orders whose quantity is not itself an allowed lot size
        (min_lot, max_lot, lot_multiple): batch and mass must merge or split
        them, or make surplus.
    changeover
        Typical changeover time into it per lot, summed over its steps: on
        each step's first machine, the mean changeover from what may run
        before it — the other products that machine runs, each weighted by
        its number of orders, the machine's initial state (weight 1), and
        itself when setups.csv names its own pair (a setup between its own
        lots, weighted by its orders); 0 where it runs alone without one.
    fixed_time
        Fixed time per lot, summed over its steps (first machine of each).
    order_run_time
        Run time of an average order, summed over its steps (first machine).
    capacity_used
        Load of its busiest machine: the run time of every order there over
        the plant's span (earliest release to latest due date or release,
        less downtime); ``None`` when the span is empty.
    steps
        Routing steps.
    """

    product: str
    orders: int
    units: int
    size_cv: float
    interval_cv: float | None
    off_lot_orders: float
    changeover: float
    fixed_time: float
    order_run_time: float
    capacity_used: float | None
    steps: int

    @property
    def mean_order(self) -> float:
        """Units per order."""
        return self.units / self.orders if self.orders else 0.0

    @property
    def variation(self) -> float:
        """The larger of the two coefficients of variation."""
        return max(self.size_cv, self.interval_cv or 0.0)

    @property
    def stable(self) -> bool:
        """Whether demand is stable (see :data:`STABLE_CV`)."""
        return self.variation <= STABLE_CV

    @property
    def overhead(self) -> float:
        """Changeover and fixed time per lot."""
        return self.changeover + self.fixed_time

    @property
    def overhead_share(self) -> float:
        """Per-lot overhead over itself plus an average order's run time."""
        total = self.overhead + self.order_run_time
        return self.overhead / total if total > 0 else 0.0

    def demand_text(self) -> str:
        """``stable demand (order sizes CV 0.00, intervals CV 0.05)``."""
        word = "stable" if self.stable else "irregular"
        intervals = "" if self.interval_cv is None else f", intervals CV {self.interval_cv:.2f}"
        return f"{word} demand (order sizes CV {self.size_cv:.2f}{intervals})"

    def overhead_text(self) -> str:
        """``setups and fixed times are 4 % of an order's machine time (5 of 125)``."""
        return (f"setups and fixed times are {self.overhead_share:.0%} of an order's machine "
                f"time ({self.overhead:,.4g} of {self.overhead + self.order_run_time:,.4g} time "
                "units)")

    def capacity_text(self) -> str:
        """``busiest machine 35 % loaded`` (empty when unknown)."""
        if self.capacity_used is None:
            return ""
        return f"busiest machine {self.capacity_used:.0%} loaded"


@dataclass(frozen=True)
class AutoChoice:
    """What an auto product is made as, and why.

    ``mode`` is ``ONE_OFF`` (each order on its own), ``AUTO`` (in lots: the
    optimizer sizes them and streams them where that helps), or the mode of
    its lots fixed in fixed.csv.
    """

    product: str
    mode: Mode
    reason: str
    profile: ProductProfile

    @property
    def label(self) -> str:
        """``one-off``, ``lots`` or the fixed mode."""
        return "lots" if self.mode is Mode.AUTO else self.mode.value


def coefficient_of_variation(values: list[float]) -> float:
    """Population standard deviation over the mean (0 for fewer than two values or mean 0)."""
    if len(values) < 2:
        return 0.0
    mean = statistics.fmean(values)
    return statistics.pstdev(values) / mean if mean > 0 else 0.0


def _interval_cv(orders: list[Order]) -> float | None:
    if all(o.due is not None for o in orders):
        times = sorted(float(o.due) for o in orders if o.due is not None)
    else:
        times = sorted(float(o.release) for o in orders)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    if len(gaps) < 2 or sum(gaps) == 0:
        return None
    return coefficient_of_variation(gaps)


def _is_lot_size(quantity: int, product: Product) -> bool:
    low, high = product.lot_size_range()
    return quantity >= low and quantity % product.lot_multiple == 0 and (
        high is None or quantity <= high)


def machine_loads(plant: Plant) -> dict[str, float]:
    """Each machine's load over the plant's span (see :attr:`ProductProfile.capacity_used`);
    empty when the span is empty."""
    if not plant.orders:
        return {}
    start = min(o.release for o in plant.orders)
    end = max([o.release for o in plant.orders]
              + [int(o.due) for o in plant.orders if o.due is not None])
    if end <= start:
        return {}
    work: dict[str, float] = dict.fromkeys(plant.machines, 0.0)
    for order in plant.orders:
        for step in plant.routings[order.product]:
            share = 1 / len(step.options)
            for option in step.options:
                work[option.machine] += share * option.duration(order.quantity)
    out = {}
    for machine, busy in work.items():
        down = sum(max(0, min(e, end) - max(s, start)) for s, e in plant.unavailable(machine))
        available = end - start - down
        out[machine] = busy / available if available > 0 else 1.0
    return out


def product_profile(plant: Plant, product: str, orders: list[Order] | None = None,
                    setups: SetupTable | None = None,
                    loads: dict[str, float] | None = None) -> ProductProfile:
    """The checklist figures of one product (see :class:`ProductProfile`).

    Parameters
    ----------
    orders
        Its orders (default: all of the plant's orders of the product).
    setups, loads
        A setup table and :func:`machine_loads`, when the caller has them.
    """
    the_product = plant.products[product]
    orders = orders if orders is not None else [o for o in plant.orders if o.product == product]
    setups = setups or SetupTable(plant)
    loads = loads if loads is not None else machine_loads(plant)
    users: dict[str, set[str]] = {}
    for name, steps in plant.routings.items():
        for step in steps:
            for option in step.options:
                users.setdefault(option.machine, set()).add(name)
    count: dict[str, int] = {}
    for order in plant.orders:
        count[order.product] = count.get(order.product, 0) + 1
    sizes = [o.quantity for o in orders]
    mean = statistics.fmean(sizes) if sizes else 0.0
    changeover = fixed = run = Fraction(0)
    for step in plant.routings[product]:
        option = step.options[0]
        fixed += option.fixed_time
        run += Fraction(mean) * option.time_per_unit
        # what may run before it, as often as it is ordered
        before: list[tuple[str, int]] = [(p, count.get(p, 0)) for p in
                                         sorted(users.get(option.machine, ())) if p != product]
        initial = plant.machines[option.machine].initial_state
        if initial is not None and initial != product:
            before.append((initial, 1))
        if setups.between(option.machine, product, product).time > 0:
            before.append((product, len(orders)))  # a setup between its own lots
        weight = sum(w for _, w in before)
        if weight:
            changeover += Fraction(sum(setups.between(option.machine, b, product).time * w
                                       for b, w in before), weight)
    machines = {o.machine for step in plant.routings[product] for o in step.options}
    busiest = max((loads[m] for m in machines if m in loads), default=None)
    return ProductProfile(
        product=product,
        orders=len(orders),
        units=sum(sizes),
        size_cv=round(coefficient_of_variation([float(s) for s in sizes]), 4),
        interval_cv=None if (cv := _interval_cv(orders)) is None else round(cv, 4),
        off_lot_orders=(sum(1 for s in sizes if not _is_lot_size(s, the_product)) / len(sizes)
                        if sizes else 0.0),
        changeover=round(float(changeover), 4),
        fixed_time=round(float(fixed), 4),
        order_run_time=round(float(run), 4),
        capacity_used=None if busiest is None else round(busiest, 4),
        steps=len(plant.routings[product]),
    )


def choose_auto(profile: ProductProfile) -> AutoChoice:
    """One-off or in lots, with the reason in the checklist's terms (see the module)."""
    tight = profile.capacity_used is not None and profile.capacity_used > TIGHT_CAPACITY
    small = SMALL_OVERHEAD / 2 if tight else SMALL_OVERHEAD
    facts = [profile.demand_text(), profile.overhead_text()]
    if profile.capacity_text():
        facts.append(profile.capacity_text())
    if profile.orders >= 2 and not profile.stable and profile.overhead_share < small:
        why = (f"one-off: {'; '.join(facts)}: grouping its orders would save little and "
               "make them wait")
        return AutoChoice(profile.product, Mode.ONE_OFF, why, profile)
    if profile.orders < 2:
        because = "a single order"
    elif profile.stable:
        because = "demand is stable enough for campaigns"
    else:
        because = "its setups are worth grouping orders for"
    why = (f"in lots: {'; '.join(facts)}: {because}; the optimizer sizes the lots against the "
           "due dates and streams them through the steps where that helps")
    return AutoChoice(profile.product, Mode.AUTO, why, profile)
