"""The generated plant in time: calendars, the load estimate, orders and due dates.

Load estimate
    Every step of every order is given, greedily, to the eligible machine
    where it ends the earliest on an empty plant (its duration divided by the
    machine's availability), with half a mean changeover added per lot. The
    most loaded machine's total is the estimated makespan ``M``; the plant's
    total work over the number of machines is the mean load.

Releases and due dates
    A quarter of the orders (and the first) are released at 0, the rest
    uniformly over the first half of ``M``. An order is due after its own work
    (on the fastest machines) plus a slack of ``(1 - 1.2 * due_tightness) * M``
    times a uniform factor in [0.2, 1.8] (never below 0). Loose plants (0)
    have slack up to beyond the makespan; at 0.5 an earliest-due-date
    dispatch leaves a few orders late and first-come-first-served many; from
    about 0.85 almost every order is late.

Deadlines
    ``release + own work on the slowest machines + 4 * max(mean load, M) /
    lowest availability + one calendar period + the longest changeover per
    step``, and never before the due date: a schedule that runs these orders
    first meets them with room to spare.

Calendars
    About half of the machines (at least one) stop periodically: nightly
    (6 h of every 24 h, 75 % available) or at weekends (48 h of every 7 days,
    71 %), always at the end of the period, so the first window is a full one.
    When the longest lot on a machine plus the longest changeover does not fit
    in a window, the pattern is stretched (periods of several days or weeks,
    same share of downtime), so every lot fits between two downtimes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from prodsched.generate.catalog import Catalog, ProductSpec, names
from prodsched.generate.config import GeneratorConfig

DAY, WEEK = 1440, 10080
PATTERNS: dict[str, tuple[int, int]] = {  # name → (period, downtime at its end), minutes
    "nightly": (DAY, 360),
    "weekend": (WEEK, 2880),
}
RELEASE_SPAN = 0.5  # releases spread over this share of the estimated makespan
SETUP_SHARE = 0.5  # share of lots that are expected to need a mean changeover
WEIGHTS = (1, 1, 1, 2, 3)


@dataclass(frozen=True)
class Pattern:
    """Periodic downtime of one machine: down ``[k*period + period - down, (k+1)*period)``."""

    machine: str
    period: int
    down: int

    @property
    def availability(self) -> float:
        """Share of time the machine is up."""
        return 1 - self.down / self.period

    def periods(self, until: int) -> list[tuple[int, int]]:
        """Every downtime ``(start, end)`` that starts before ``until``."""
        count = math.ceil(until / self.period)
        return [(k * self.period + self.period - self.down, (k + 1) * self.period)
                for k in range(max(1, count))]


@dataclass(frozen=True)
class OrderSpec:
    """One generated order (times in minutes from time 0)."""

    order_id: str
    product: str
    quantity: int
    release: int
    due: int
    weight: int
    deadline: int | None


@dataclass(frozen=True)
class LoadEstimate:
    """How busy the plant is: the basis of due dates and deadlines."""

    total_work: int
    mean_load: float
    makespan: float


def draw_calendar(config: GeneratorConfig, catalog: Catalog,
                  rng: random.Random) -> dict[str, Pattern]:
    """Downtime patterns of about half the machines (none unless ``config.calendar``)."""
    if not config.calendar:
        return {}
    chosen = set(rng.sample(list(catalog.machines), max(1, round(len(catalog.machines) / 2))))
    longest = _longest_lots(config, catalog)
    patterns = {}
    for machine in catalog.machines:
        if machine not in chosen:
            continue
        period, down = PATTERNS[rng.choice(list(PATTERNS))]
        need = longest.get(machine, 0) + catalog.longest_setup
        stretch = max(1, math.ceil(need / (period - down)))
        patterns[machine] = Pattern(machine, period * stretch, down * stretch)
    return patterns


def _longest_lots(config: GeneratorConfig, catalog: Catalog) -> dict[str, int]:
    """Longest possible lot (run only) per machine."""
    longest: dict[str, int] = {}
    for product in catalog.products:
        units = product.largest_lot(config.max_quantity)
        for step in product.steps:
            for choice in step:
                for machine in choice.machines:
                    longest[machine] = max(longest.get(machine, 0), choice.duration(units))
    return longest


def draw_orders(config: GeneratorConfig, catalog: Catalog, patterns: dict[str, Pattern],
                rng: random.Random) -> tuple[list[OrderSpec], LoadEstimate]:
    """Orders with releases, due dates and deadlines derived from the plant's load."""
    products = list(catalog.products)
    popularity = _cumulative([1 / (rank + 1) ** 0.7 for rank in range(len(products))])
    drawn = []
    for _ in range(config.orders):
        product = products[_pick(popularity, rng.random())]
        drawn.append((product, rng.randint(config.min_quantity, config.max_quantity)))
    load = estimate_load(config, catalog, patterns, drawn)
    lowest = min((p.availability for p in patterns.values()), default=1.0)
    longest_period = max((p.period for p in patterns.values()), default=0)
    deadline_slack = 4 * max(load.mean_load, load.makespan) / lowest + longest_period
    with_deadline = set(rng.sample(range(config.orders),
                                   round(config.deadline_share * config.orders)))
    center = (1.0 - 1.2 * config.due_tightness) * load.makespan
    ids = names("O", config.orders)
    orders = []
    for index, (product, quantity) in enumerate(drawn):
        release = 0
        if index > 0 and rng.random() >= 0.25:
            release = rng.randint(0, math.floor(RELEASE_SPAN * load.makespan))
        slack = max(0.0, center * rng.uniform(0.2, 1.8))
        due = release + product.work(quantity) + math.ceil(slack)
        deadline = None
        if index in with_deadline:
            chain = product.work(quantity, fastest=False)
            chain += len(product.steps) * catalog.longest_setup
            deadline = max(due, release + chain + math.ceil(deadline_slack))
        orders.append(OrderSpec(ids[index], product.name, quantity, release, due,
                                rng.choice(WEIGHTS), deadline))
    return orders, load


def estimate_load(config: GeneratorConfig, catalog: Catalog, patterns: dict[str, Pattern],
                  orders: list[tuple[ProductSpec, int]]) -> LoadEstimate:
    """Greedy assignment of every order step to the machine where it ends first."""
    available = {m: patterns[m].availability if m in patterns else 1.0
                 for m in catalog.machines}
    setup = SETUP_SHARE * config.setup_ratio * catalog.mean_lot_time
    busy = dict.fromkeys(catalog.machines, 0.0)
    total = 0
    for product, quantity in orders:
        for step, size in ((step, size) for step in product.steps
                           for size in product.lot_sizes(quantity)):
            best: tuple[float, str, int] | None = None
            for choice in step:
                minutes = choice.duration(size)
                for machine in choice.machines:
                    end = busy[machine] + (minutes + setup) / available[machine]
                    if best is None or end < best[0]:
                        best = (end, machine, minutes)
            assert best is not None
            busy[best[1]] = best[0]
            total += best[2]
    lots = sum(len(p.steps) * len(p.lot_sizes(q)) for p, q in orders)
    mean_load = (total + setup * lots) / len(catalog.machines)
    return LoadEstimate(total, mean_load, max(max(busy.values()), 1.0))


def _cumulative(weights: list[float]) -> list[float]:
    total, running, out = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        out.append(running)
    return out


def _pick(cumulative: list[float], draw: float) -> int:
    """Index of the first cumulative share above ``draw`` (bisection)."""
    low, high = 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] > draw:
            high = middle
        else:
            low = middle + 1
    return low


def downtime_rows(patterns: dict[str, Pattern], orders: list[OrderSpec],
                  load: LoadEstimate) -> list[tuple[str, int, int]]:
    """Calendar rows ``(machine, start, end)`` up to well after the last due date."""
    last = max(max(o.deadline or o.due for o in orders), math.ceil(3 * load.makespan))
    return [(machine, start, end)
            for machine, pattern in patterns.items()
            for start, end in pattern.periods(last + pattern.period)]
