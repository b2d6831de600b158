"""The generated plant's structure: products, routings, machines, setup rules.

Processing times are scaled so that a lot of the mean order quantity takes
20–100 minutes per step, whatever the quantity range; alternatives of a step
share the first machine's speed (one ``M1|M2`` row) or run 0.6–1.6 times as
long (a row of their own). Every machine gets work when there are enough
steps: the first machine of each step is dealt from a shuffled deck of all
machines.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from prodsched.generate.config import GeneratorConfig
from prodsched.plant.model import Mode

LOT_MINUTES = (20, 100)  # per step, for a lot of the mean order quantity
SPEED_FACTORS = (0.6, 1.6)  # an alternative's time relative to the step's first row
LOT_MULTIPLES = (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000)


@dataclass(frozen=True)
class RoutingChoice:
    """One routing row: machines of the same speed, time per unit, fixed time per lot."""

    machines: tuple[str, ...]
    time_per_unit: Fraction
    fixed_time: int

    def duration(self, quantity: int) -> int:
        """Whole time units a lot of ``quantity`` takes (as the plant format defines)."""
        return math.ceil(self.fixed_time + quantity * self.time_per_unit)


@dataclass(frozen=True)
class ProductSpec:
    """A generated product: family, mode, lot rules and routing steps."""

    name: str
    family: str
    mode: Mode
    min_lot: int | None
    max_lot: int | None
    lot_multiple: int | None
    holding_cost: Fraction
    steps: tuple[tuple[RoutingChoice, ...], ...]

    def lot_sizes(self, quantity: int) -> list[int]:
        """Lots that make an order on its own: one lot, except where ``max_lot``
        forces several; rounded up to ``min_lot`` and ``lot_multiple``."""
        if self.mode not in (Mode.BATCH, Mode.MASS):
            return [quantity]
        k = self.lot_multiple or 1
        low = math.ceil((self.min_lot or 1) / k) * k
        high = ((self.max_lot or quantity) // k) * k
        full, rest = divmod(quantity, high) if quantity > high else (0, quantity)
        return [high] * full + ([max(low, math.ceil(rest / k) * k)] if rest else [])

    def work(self, quantity: int, *, fastest: bool = True) -> int:
        """Processing time of an order made on its own, on the fastest (or
        slowest) machine of every step."""
        pick = min if fastest else max
        return sum(pick(choice.duration(size) for choice in step)
                   for step in self.steps for size in self.lot_sizes(quantity))

    def largest_lot(self, max_quantity: int) -> int:
        """Most units one lot of this product can hold (an order or ``max_lot``)."""
        if self.mode in (Mode.BATCH, Mode.MASS) and self.max_lot is not None:
            return self.max_lot
        return max(max_quantity, self.max_lot or 0)


@dataclass(frozen=True)
class SetupSpec:
    """One row of setups.csv."""

    machine: str
    from_: str
    to: str
    time: int
    cost: int


@dataclass(frozen=True)
class Catalog:
    """Everything but the orders and the calendar."""

    products: tuple[ProductSpec, ...]
    families: tuple[str, ...]
    machines: tuple[str, ...]
    initial_states: dict[str, str]
    setups: tuple[SetupSpec, ...]
    mean_lot_time: float

    @property
    def longest_setup(self) -> int:
        """The longest changeover of any rule (0 without setups)."""
        return max((s.time for s in self.setups), default=0)


def names(prefix: str, count: int) -> list[str]:
    """``prefix`` + zero-padded numbers 1..count, at least two digits: ``M01``."""
    width = max(2, len(str(count)))
    return [f"{prefix}{n:0{width}d}" for n in range(1, count + 1)]


def per_unit(minutes: float) -> Fraction:
    """A time per unit rounded to 4 decimals, never 0."""
    return Fraction(max(1, round(minutes * 10_000)), 10_000)


def build_catalog(config: GeneratorConfig, rng: random.Random) -> Catalog:
    """Draw products, routings, machines and setup rules for ``config``."""
    machines = names("M", config.machines)
    families = names("F", config.families)
    mean_quantity = (config.min_quantity + config.max_quantity) / 2
    modes = _modes(config, rng)
    deck = _MachineDeck(machines, rng)
    products = []
    for index, name in enumerate(names("P", config.products)):
        family = families[index] if index < len(families) else rng.choice(families)
        steps = config.max_steps if index == 0 else rng.randint(1, config.max_steps)
        routing = tuple(_step(config, rng, deck, mean_quantity) for _ in range(steps))
        products.append(_lot_rules(config, rng, name, family, modes[index], routing))
    lot_times = [step[0].duration(round(mean_quantity)) for p in products for step in p.steps]
    mean_lot_time = sum(lot_times) / len(lot_times)
    setups = _setups(config, rng, products, families, machines, mean_lot_time)
    initial = _initial_states(rng, products, machines) if config.initial_states else {}
    return Catalog(tuple(products), tuple(families), tuple(machines), initial, tuple(setups),
                   mean_lot_time)


def _modes(config: GeneratorConfig, rng: random.Random) -> list[Mode]:
    """A mode per product: counts by largest remainder, each named mode at least once."""
    shares = config.mode_shares()
    counts = [math.floor(share * config.products) for _, share in shares]
    by_remainder = sorted(range(len(shares)),
                          key=lambda i: (-(shares[i][1] * config.products - counts[i]), i))
    for i in by_remainder[: config.products - sum(counts)]:
        counts[i] += 1
    for i in range(len(shares)):  # a named mode gets a product when it can take one
        donor = max(range(len(shares)), key=lambda j: (counts[j], -j))
        if counts[i] == 0 and counts[donor] > 1:
            counts[i], counts[donor] = 1, counts[donor] - 1
    modes = [mode for (mode, _), count in zip(shares, counts, strict=True) for _ in range(count)]
    rng.shuffle(modes)
    return modes


class _MachineDeck:
    """Deals the first machine of each step so that every machine gets used."""

    def __init__(self, machines: list[str], rng: random.Random):
        self.machines, self.rng = machines, rng
        self.cards: list[str] = []

    def deal(self) -> str:
        if not self.cards:
            self.cards = list(self.machines)
            self.rng.shuffle(self.cards)
        return self.cards.pop()

    def others(self, first: str, count: int) -> list[str]:
        chosen = [first]
        while len(chosen) < count + 1:
            candidate = self.machines[self.rng.randrange(len(self.machines))]
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen[1:]


def _step(config: GeneratorConfig, rng: random.Random, deck: _MachineDeck,
          mean_quantity: float) -> tuple[RoutingChoice, ...]:
    first = deck.deal()
    eligible = [first, *deck.others(first, rng.randint(1, config.alternatives) - 1)]
    lot_minutes = rng.uniform(*LOT_MINUTES)
    fixed = rng.randint(0, int(lot_minutes // 4))
    base = (lot_minutes - fixed) / mean_quantity
    same_speed = rng.randint(1, len(eligible))
    choices = [RoutingChoice(tuple(eligible[:same_speed]), per_unit(base), fixed)]
    for machine in eligible[same_speed:]:
        factor = rng.uniform(*SPEED_FACTORS)
        choices.append(RoutingChoice((machine,), per_unit(base * factor), fixed))
    return tuple(choices)


def _lot_rules(config: GeneratorConfig, rng: random.Random, name: str, family: str,
               mode: Mode, steps: tuple[tuple[RoutingChoice, ...], ...]) -> ProductSpec:
    if mode is Mode.ONE_OFF:
        return ProductSpec(name, family, mode, None, None, None, Fraction(0), steps)
    mean_quantity = (config.min_quantity + config.max_quantity) / 2
    fitting = [k for k in LOT_MULTIPLES if k <= max(1.0, mean_quantity / 4)]
    multiple = rng.choice(fitting)
    min_lot = multiple * max(1, round(mean_quantity * rng.uniform(0.1, 0.5) / multiple))
    stretch = rng.uniform(2.0, 4.0) if mode is Mode.MASS else rng.uniform(1.0, 2.5)
    max_lot = max(min_lot, multiple * math.ceil(config.max_quantity * stretch / multiple))
    unit_time = sum(float(step[0].time_per_unit) for step in steps)
    holding = Fraction(round(unit_time * rng.uniform(0.001, 0.005) * 10**6), 10**6)
    return ProductSpec(name, family, mode, min_lot, max_lot, multiple, holding, steps)


def _setups(config: GeneratorConfig, rng: random.Random, products: list[ProductSpec],
            families: list[str], machines: list[str], mean_lot_time: float) -> list[SetupSpec]:
    """Setup rules: a ``*`` default, 0 within a family, half of the family
    pairs (3 per family beyond 30 families), an exact product pair in 30 % of
    the families with several products, and two machines that are slow to
    change over from one family."""
    mean_setup = config.setup_ratio * mean_lot_time
    if mean_setup <= 0:
        return []

    def rule(machine: str, from_: str, to: str, factor: float) -> SetupSpec:
        time = max(1, round(mean_setup * factor)) if factor > 0 else 0
        return SetupSpec(machine, from_, to, time, time)

    rows = [rule("*", "*", "*", 1.0)]
    rows += [rule("*", family, family, 0) for family in families]
    pairs = [(f, g) for f in families for g in families if f != g]
    wanted = len(pairs) // 2 if len(families) <= 30 else 3 * len(families)
    for index in sorted(rng.sample(range(len(pairs)), wanted)):
        f, g = pairs[index]
        rows.append(rule("*", f, g, rng.uniform(0.3, 2.0)))
    members: dict[str, list[str]] = {}
    for product in products:
        members.setdefault(product.family, []).append(product.name)
    shared = [family for family in families if len(members.get(family, [])) >= 2]
    for index in sorted(rng.sample(range(len(shared)), math.ceil(0.3 * len(shared)))):
        a, b = rng.sample(members[shared[index]], 2)
        rows.append(rule("*", a, b, rng.uniform(0.1, 0.5)))
    for machine in rng.sample(machines, min(2, len(machines) - 1)):
        family = rng.choice(families)
        rows += [rule(machine, family, "*", rng.uniform(1.2, 1.8)),
                 rule(machine, family, family, 0)]
    return rows


def _initial_states(rng: random.Random, products: list[ProductSpec],
                    machines: list[str]) -> dict[str, str]:
    """About half of the machines start set up for a family they make."""
    made_on: dict[str, list[str]] = {}
    for product in products:
        for step in product.steps:
            for choice in step:
                for machine in choice.machines:
                    fams = made_on.setdefault(machine, [])
                    if product.family not in fams:
                        fams.append(product.family)
    return {m: rng.choice(made_on[m]) for m in machines
            if m in made_on and rng.random() < 0.5}
