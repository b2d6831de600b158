"""The plant: the only input model every later layer reads.

Plain, immutable, typed data. All times are in time units from time 0
(minutes for date-time plants); releases, deadlines and calendar periods are
whole units, rounded so that a schedule meeting them also meets the file's
values. Due dates stay exact so that tardiness is reported as the spec
defines it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from prodsched.plant.values import TimeAxis


class Mode(StrEnum):
    """Production mode of a product (see the plant format)."""

    ONE_OFF = "one-off"
    BATCH = "batch"
    MASS = "mass"
    AUTO = "auto"


@dataclass(frozen=True)
class Order:
    """A customer or stock order for one product."""

    order_id: str
    product: str
    quantity: int
    due: Fraction | None = None
    release: int = 0
    weight: Fraction = Fraction(1)
    deadline: int | None = None


@dataclass(frozen=True)
class Product:
    """A product's family, production mode and lot rules."""

    name: str
    family: str
    mode: Mode = Mode.AUTO
    min_lot: int = 1
    max_lot: int | None = None
    lot_multiple: int = 1
    holding_cost: Fraction = Fraction(0)
    unit_value: Fraction | None = None

    def lot_size_range(self) -> tuple[int, int | None]:
        """Smallest and largest lot quantity allowed by min_lot, max_lot and lot_multiple.

        ``high`` is ``None`` when there is no maximum; ``low > high`` means no
        lot size is allowed.
        """
        k = self.lot_multiple
        low = math.ceil(self.min_lot / k) * k
        high = None if self.max_lot is None else (self.max_lot // k) * k
        return low, high


@dataclass(frozen=True)
class ResourceUse:
    """``amount`` units of a shared resource, held over a whole row."""

    resource: str
    amount: int = 1


@dataclass(frozen=True)
class Resource:
    """A shared resource (setup crew, operator pool, tool, mould) and how many exist."""

    name: str
    capacity: int = 1


@dataclass(frozen=True)
class RoutingOption:
    """One eligible machine for a routing step, with its speed and time rules.

    Parameters
    ----------
    machine
        The machine.
    time_per_unit, fixed_time
        A lot of ``q`` units takes ``ceil(fixed_time + q * time_per_unit)``.
    can_pause
        The run may stop for the machine's unavailable time and go on after it.
    resources
        Shared resources held from the run's start to its end (pauses included).
    max_wait
        Longest wait, in whole time units, between the end of the lot's previous
        step and the start of this one (``None``: no limit; ignored on step 1).
    """

    machine: str
    time_per_unit: Fraction
    fixed_time: Fraction = Fraction(0)
    can_pause: bool = False
    resources: tuple[ResourceUse, ...] = ()
    max_wait: int | None = None

    def duration(self, quantity: int) -> int:
        """Whole time units a lot of ``quantity`` units takes on this machine."""
        return math.ceil(self.fixed_time + quantity * self.time_per_unit)


@dataclass(frozen=True)
class Step:
    """One routing step: the machines that can do it."""

    number: int
    options: tuple[RoutingOption, ...]

    def option(self, machine: str) -> RoutingOption | None:
        """The option on ``machine``, if that machine is eligible."""
        for opt in self.options:
            if opt.machine == machine:
                return opt
        return None


@dataclass(frozen=True)
class Machine:
    """A machine and what it is set up for at time 0 (a product or a family)."""

    name: str
    initial_state: str | None = None
    cost_per_hour: Fraction = Fraction(0)


@dataclass(frozen=True)
class SetupRule:
    """One row of setups.csv; ``*`` is the wildcard."""

    machine: str
    from_: str
    to: str
    time: Fraction
    cost: Fraction = Fraction(0)
    resources: tuple[ResourceUse, ...] = ()


@dataclass(frozen=True)
class Downtime:
    """An unavailable period ``[start, end)`` of one machine (``*``: all)."""

    machine: str
    start: int
    end: int


@dataclass(frozen=True)
class FixedRow:
    """One row of fixed.csv: a run or setup the schedule keeps exactly.

    Times are whole time units from time 0. ``line`` is the row's line in
    fixed.csv (for messages). Setup rows carry no mode, step, quantity or
    allocations.
    """

    machine: str
    kind: str                       # "run" or "setup"
    lot: str
    product: str
    start: int
    end: int
    mode: Mode | None = None
    step: int | None = None
    quantity: int | None = None
    allocations: tuple[tuple[str, int], ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class PreviousPlan:
    """The plan a re-plan starts from (``solve --previous``): its run and setup rows.

    Rows are :class:`FixedRow` records (the columns of schedule.csv) in this
    plant's time units; ``line`` is the row's line in ``source``. A run is
    known by its lot id and step (lots keep their ids across plans, see
    docs/replanning.md, "Planning every morning").
    """

    rows: tuple[FixedRow, ...]
    source: str = "schedule.csv"

    @cached_property
    def runs(self) -> dict[tuple[str, int], FixedRow]:
        """The run rows by ``(lot, step)``."""
        return {(r.lot, r.step or 1): r for r in self.rows if r.kind == "run"}

    @cached_property
    def predecessors(self) -> dict[tuple[str, int], tuple[str, int]]:
        """For each run, the run right before it on its machine (by start, then end)."""
        by_machine: dict[str, list[FixedRow]] = {}
        for r in self.runs.values():
            by_machine.setdefault(r.machine, []).append(r)
        out: dict[tuple[str, int], tuple[str, int]] = {}
        for rows in by_machine.values():
            rows.sort(key=lambda r: (r.start, r.end))
            for a, b in itertools.pairwise(rows):
                out[(b.lot, b.step or 1)] = (a.lot, a.step or 1)
        return out

    @cached_property
    def lots(self) -> dict[str, FixedRow]:
        """Each lot's first run row (its product, mode, quantity and allocations)."""
        out: dict[str, FixedRow] = {}
        for r in sorted(self.runs.values(), key=lambda r: (r.step or 1, r.start)):
            out.setdefault(r.lot, r)
        return out

    def completions(self) -> dict[str, int]:
        """Per order, the latest end of the runs that carry its units."""
        out: dict[str, int] = {}
        for r in self.runs.values():
            for order_id, _ in r.allocations:
                out[order_id] = max(out.get(order_id, r.end), r.end)
        return out

    def replanned(self, now: int | None) -> list[FixedRow]:
        """The runs planned again: those starting at or after ``now`` (all without it)."""
        return [r for r in self.runs.values() if now is None or r.start >= now]


@dataclass(frozen=True)
class Plant:
    """A validated, immutable plant.

    Parameters
    ----------
    orders
        The orders in file order.
    products
        Every product that has a routing, by name (defaults filled in).
    routings
        The steps of each product in increasing step number.
    machines
        Every machine, by name, in the order first named.
    setup_rules
        The rows of setups.csv.
    downtimes
        The rows of calendar.csv, in whole time units.
    time_axis
        How times map to time units and back.
    name
        A short name (the folder's name for a plant folder).
    source
        Where the plant was read from, if from files.
    warnings
        Things the loader let pass but the user should know (unknown columns).
    bucket_length
        The plant's natural planning period in time units, when it has one
        (benchmark lot-sizing instances); the lot-sizing model's default.
    resources
        Shared resources (resources.csv), by name.
    fixed
        Work already decided (fixed.csv), kept exactly by every schedule.
    now
        The moment of planning (plant.csv): no other run or setup starts
        before it (``None``: no such moment).
    previous
        The plan this one re-plans (``solve --previous``), if any: lots of it
        after ``now`` are preferred on their machine and place (criterion
        ``changes``), and the reports say what changed.
    """

    orders: tuple[Order, ...]
    products: dict[str, Product]
    routings: dict[str, tuple[Step, ...]]
    machines: dict[str, Machine]
    setup_rules: tuple[SetupRule, ...] = ()
    downtimes: tuple[Downtime, ...] = ()
    time_axis: TimeAxis = field(default_factory=TimeAxis)
    name: str = "plant"
    source: Path | None = None
    warnings: tuple[str, ...] = ()
    bucket_length: int | None = None
    resources: dict[str, Resource] = field(default_factory=dict)
    fixed: tuple[FixedRow, ...] = ()
    now: int | None = None
    previous: PreviousPlan | None = None

    @cached_property
    def order_by_id(self) -> dict[str, Order]:
        """Orders by id."""
        return {o.order_id: o for o in self.orders}

    @cached_property
    def families(self) -> frozenset[str]:
        """Every family name."""
        return frozenset(p.family for p in self.products.values())

    def downtimes_of(self, machine: str) -> list[tuple[int, int]]:
        """Unavailable periods of ``machine`` (its own and the ``*`` rows), sorted."""
        return sorted(
            (d.start, d.end) for d in self.downtimes if d.machine in (machine, "*")
        )

    def unavailable(self, machine: str) -> list[tuple[int, int]]:
        """The machine's unavailable periods with overlapping or touching ones
        joined: sorted, disjoint ``[start, end)`` periods."""
        out: list[tuple[int, int]] = []
        for start, end in self.downtimes_of(machine):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    @cached_property
    def uses_v2_rules(self) -> bool:
        """Whether any rule beyond the v1 format is in force (pauses, waits,
        resources, fixed rows, a planning moment)."""
        return bool(self.fixed or self.now is not None or self.uses_resources
                    or any(o.can_pause or o.max_wait is not None
                           for steps in self.routings.values()
                           for st in steps for o in st.options))

    @cached_property
    def uses_resources(self) -> bool:
        """Whether some routing or setup row holds a shared resource."""
        return any(o.resources for steps in self.routings.values()
                   for st in steps for o in st.options) or any(
            r.resources for r in self.setup_rules)

    @cached_property
    def uses_pauses(self) -> bool:
        """Whether some routing row's runs may pause (``can_pause``)."""
        return any(o.can_pause for steps in self.routings.values()
                   for st in steps for o in st.options)

    def without_pauses(self) -> Plant:
        """The same plant with no run allowed to pause: each of its schedules is one
        of this plant's too (a run that may pause need not)."""
        routings = {product: tuple(Step(st.number, tuple(replace(o, can_pause=False)
                                                         for o in st.options))
                                   for st in steps)
                    for product, steps in self.routings.items()}
        return replace(self, routings=routings)

    @property
    def earliest(self) -> int:
        """The earliest time new work may start (``now``, else 0)."""
        return max(0, self.now or 0)

    def steps(self, product: str) -> tuple[Step, ...]:
        """Routing steps of ``product``."""
        return self.routings[product]

    def iter_options(self, product: str) -> Iterator[tuple[Step, RoutingOption]]:
        """Every (step, option) of a product's routing."""
        for step in self.routings[product]:
            for opt in step.options:
                yield step, opt
