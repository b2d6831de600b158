"""The heuristic strategies: a lot policy and a sequencing rule each (pure functions).

Lots, then sequence (every sequence by the one constructive scheduler,
:func:`prodsched.timeline.dispatch`, with a rule of :mod:`prodsched.timeline.rules`):

- ``fifo``, ``edd``, ``spt``, ``atcs``, ``nearest-setup``: one lot per order
  (lot rules kept), dispatched with that rule;
- ``family-campaigns``: one lot per order; a machine stays on its family
  while that has work, then takes the next family by earliest due date;
- ``fixed-lot``: lots of ``F`` × the product's mean order quantity
  (``fixed-lot:F``, default 2), EDD;
- ``eoq``: the economic production quantity of each product, EDD;
- ``common-cycle``: ``d T`` per product, ``T`` its main machine's common
  cycle; rotation: the cycle of the due date, then the place on the wheel;
- ``product-wheel``: what falls due in each turn of the wheel; turn, then
  the product's place on the wheel.

Fixed work (fixed.csv) is kept: lots are cut from the units it does not
make, and its lots continue from their first step that is not fixed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import replace

from prodsched.lots import policies as lotting
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import open_orders, pinned_work
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.strategies import cyclic, economic
from prodsched.strategies.base import HeuristicStrategy, StrategySettings, register
from prodsched.timeline.context import due_key
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.rules import RULES, RuleFactory, campaign_rule, rank_rule

DEFAULT_LOT_FACTOR = 2.0
# Economic lots are never below this share of a product's mean order quantity
# (bounds the number of lots when changeovers are nearly free).
SMALLEST_ECONOMIC_SHARE = 0.25
# A wheel or rotation turns at most this many times over the planning horizon.
MAX_TURNS = 50

Result = tuple[list[Lot], list[PlacedOp]]


def open_plant(plant: Plant) -> Plant:
    """The plant with only the units fixed work does not make (itself without fixed.csv)."""
    return replace(plant, orders=open_orders(plant)) if plant.fixed else plant


def _dispatched(plant: Plant, lots: list[Lot], rule: RuleFactory,
                setups: SetupTable | None = None) -> Result:
    """The lots (and the fixed work's) and their schedule by ``rule``."""
    setups = setups or SetupTable(plant)
    pinned = pinned_work(plant, setups)
    # exact at any size, as the strategies always were: above the large-plant start's
    # limits the event-driven way is 2-8 times worse (5,000 orders, issue 8's plant)
    ops = dispatch(plant, setups, lots, rule, pinned=pinned, any_size=True)
    return [*pinned.lots, *lots], ops


def per_order_lots(plant: Plant) -> list[Lot]:
    """One lot per order (split or merged only where the lot rules force it)."""
    return lotting.plant_lots(open_plant(plant), lotting.per_order)


def dispatch_strategy(name: str) -> Callable[[Plant, StrategySettings], Result]:
    """Lots per order, sequenced by Giffler–Thompson with the rule ``name``."""

    def build(plant: Plant, settings: StrategySettings) -> Result:
        return _dispatched(plant, per_order_lots(plant), RULES[name])

    return build


def family_campaigns(plant: Plant, settings: StrategySettings) -> Result:
    """Lots per order; each family back to back, families by earliest due date.

    A machine keeps to the family it is set up for while a lot of it can
    start there; only then does it change to the next family of the plan.
    """
    lots = per_order_lots(plant)
    return _dispatched(plant, lots, campaign_rule(cyclic.campaign_order(plant, lots)))


def fixed_lot(plant: Plant, settings: StrategySettings) -> Result:
    """Lots of ``F`` × each product's mean order quantity, EDD with setup-aware ties."""
    factor = settings.parameter if settings.parameter is not None else DEFAULT_LOT_FACTOR
    lots = lotting.plant_lots(open_plant(plant), lotting.fixed_size(factor))
    return _dispatched(plant, lots, RULES["edd"])


def _floored(plant: Plant, sizes: dict[str, float]) -> dict[str, float]:
    """Economic sizes, never below a quarter of the mean order (``0`` sizes dropped)."""
    out = {}
    for name, orders in lotting.orders_by_product(plant).items():
        if name not in sizes or not sizes[name] > 0:
            continue
        mean = sum(o.quantity for o in orders) / len(orders)
        out[name] = max(sizes[name], SMALLEST_ECONOMIC_SHARE * mean)
    return out


def eoq_lots(plant: Plant, setups: SetupTable) -> list[Lot]:
    """Every product in lots of its economic production quantity."""
    sizes = economic.eoq_sizes(economic.lot_items(plant, setups))
    return lotting.plant_lots(open_plant(plant), lotting.of_sizes(_floored(plant, sizes)))


def eoq(plant: Plant, settings: StrategySettings) -> Result:
    """EPQ lots per product, EDD with setup-aware ties."""
    setups = SetupTable(plant)
    return _dispatched(plant, eoq_lots(plant, setups), RULES["edd"], setups)


def _first_dues(lots: Sequence[Lot]) -> dict[str, float]:
    out: dict[str, float] = {}
    for lot in lots:
        out[lot.product] = min(out.get(lot.product, math.inf), due_key(lot))
    return out


def common_cycle(plant: Plant, settings: StrategySettings) -> Result:
    """Lots of ``d T`` for each main machine's common cycle ``T``, made in rotation."""
    setups = SetupTable(plant)
    items = economic.lot_items(plant, setups)
    cycles = economic.cycle_times(items)
    horizon = economic.planning_horizon(plant)
    sizes = economic.cycle_sizes(items, cycles)
    lots = lotting.plant_lots(open_plant(plant), lotting.of_sizes(_floored(plant, sizes)))
    wheel = cyclic.wheel_order(plant, setups, sorted({lot.product for lot in lots}),
                               _first_dues(lots))
    rank = {p: k for k, p in enumerate(wheel)}
    start = min((o.release for o in plant.orders), default=0)
    finite = [t for t in cycles.values() if math.isfinite(t) and t > 0]
    default = min(horizon, statistics.median(finite)) if finite else horizon

    def cycle_of(lot: Lot) -> float:
        own = items.get(lot.product)
        t = cycles[own.machine] if own is not None else default
        t = max(horizon / MAX_TURNS, min(t, horizon)) if math.isfinite(t) else horizon
        due = due_key(lot)
        return math.floor((due - start) / t) * t if math.isfinite(due) else math.inf

    order = sorted(range(len(lots)), key=lambda i: (cycle_of(lots[i]), rank[lots[i].product],
                                                    due_key(lots[i]), i))
    return _dispatched(plant, lots, rank_rule(order), setups)


def wheel_turn(plant: Plant, setups: SetupTable, parameter: float | None) -> float:
    """The wheel's turn: the parameter, or the median common cycle of the machines.

    Without economic data (only one-off products): a quarter of the horizon.
    Kept between ``horizon / MAX_TURNS`` and the horizon.
    """
    horizon = economic.planning_horizon(plant)
    if parameter is not None:
        turn = parameter
    else:
        cycles = [t for t in economic.cycle_times(economic.lot_items(plant, setups)).values()
                  if math.isfinite(t) and t > 0]
        turn = statistics.median(cycles) if cycles else horizon / 4
    return max(horizon / MAX_TURNS, min(turn, horizon))


def product_wheel(plant: Plant, settings: StrategySettings) -> Result:
    """A fixed cyclic product sequence; each turn makes what falls due in it."""
    setups = SetupTable(plant)
    turn = wheel_turn(plant, setups, settings.parameter)
    start = min((o.release for o in plant.orders), default=0)
    turns = max(1, math.ceil(economic.planning_horizon(plant) / turn))
    starts = [start + k * turn for k in range(turns)]
    lots = lotting.plant_lots(open_plant(plant), lotting.due_windows(starts))
    wheel = cyclic.wheel_order(plant, setups, sorted({lot.product for lot in lots}),
                               _first_dues(lots))
    order = cyclic.turn_order(lots, wheel, start, turn, turns)
    return _dispatched(plant, lots, rank_rule(order), setups)


HEURISTICS: tuple[HeuristicStrategy, ...] = (
    HeuristicStrategy("fifo", "lots per order, first in first out (release, then order)",
                      dispatch_strategy("fifo")),
    HeuristicStrategy("edd", "lots per order, earliest due date first", dispatch_strategy("edd")),
    HeuristicStrategy("spt", "lots per order, shortest run first", dispatch_strategy("spt")),
    HeuristicStrategy("atcs", "lots per order, apparent tardiness cost with setups",
                      dispatch_strategy("atcs")),
    HeuristicStrategy("nearest-setup", "lots per order, smallest changeover next",
                      dispatch_strategy("nearest-setup")),
    HeuristicStrategy("family-campaigns", "lots per order, families back to back (by due date)",
                      family_campaigns),
    HeuristicStrategy("fixed-lot", "lots of F x the mean order (fixed-lot:F, default 2), EDD",
                      fixed_lot),
    HeuristicStrategy("eoq", "economic production quantity lots, EDD", eoq),
    HeuristicStrategy("common-cycle", "lots for a common cycle per machine, in rotation",
                      common_cycle),
    HeuristicStrategy("product-wheel", "a fixed cyclic product sequence, turn by turn",
                      product_wheel),
)

for _strategy in HEURISTICS:
    register(_strategy)
