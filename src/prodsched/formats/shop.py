"""A shop benchmark as read from its file, and its translation into a Plant.

The three benchmark families (job shop, flexible job shop, permutation flow
shop with setups) share one shape: jobs made of operations in route order,
each operation with its eligible machines and durations, optionally setup
times per machine between consecutive jobs. :class:`ShopInstance` holds that
shape with 0-based indices; :func:`to_plant` turns it into the project's
:class:`Plant` (one order per job, quantity 1, product = job, one-off mode,
one routing step per operation), so a benchmark is scheduled by the same
model and checked by the same validator as a user's plant.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from prodsched.plant.model import (
    Machine,
    Mode,
    Order,
    Plant,
    Product,
    RoutingOption,
    SetupRule,
    Step,
)

# (machine index, duration) of one eligible machine of an operation
Option = tuple[int, int]
# the eligible machines of one operation
Operation = tuple[Option, ...]


@dataclass(frozen=True)
class ShopInstance:
    """A shop-scheduling benchmark instance, 0-based throughout.

    Parameters
    ----------
    name
        The instance's name (the file's stem).
    n_machines
        Number of machines.
    jobs
        Per job, its operations in route order; per operation its options
        ``(machine, duration)``.
    setups
        ``setups[k][i][j]``: the setup on machine ``k`` when job ``j`` directly
        follows job ``i`` (anticipatory; the first job needs none). ``None``
        when the instance has no setups.
    permutation
        True when every machine must process the jobs in the same order.
    numbering
        0 or 1: how the file numbers jobs and machines, used for the names
        (``J0``/``M0`` or ``J1``/``M1``) so that schedules read like the file.
    """

    name: str
    n_machines: int
    jobs: tuple[tuple[Operation, ...], ...]
    setups: tuple[tuple[tuple[int, ...], ...], ...] | None = None
    permutation: bool = False
    numbering: int = 0

    @property
    def n_jobs(self) -> int:
        """Number of jobs."""
        return len(self.jobs)

    def job_name(self, job: int) -> str:
        """The order, lot and product name of job ``job`` (0-based)."""
        return f"J{job + self.numbering}"

    def machine_name(self, machine: int) -> str:
        """The plant's name of machine ``machine`` (0-based)."""
        return f"M{machine + self.numbering}"

    def setup(self, machine: int, before: int, after: int) -> int:
        """Setup time on ``machine`` when job ``after`` directly follows ``before``."""
        return 0 if self.setups is None else self.setups[machine][before][after]


def to_plant(instance: ShopInstance, source: Path | None = None) -> Plant:
    """The instance as a plant: one order (quantity 1) per job, product = job.

    Every product is one-off; operation ``i`` of a job is routing step
    ``i + 1`` with one :class:`RoutingOption` per eligible machine; setups
    become one :class:`SetupRule` per machine and ordered pair of jobs with
    a positive time (no rule means no setup, and machines start empty, so the
    first job needs none).
    """
    orders, products, routings = [], {}, {}
    for j, operations in enumerate(instance.jobs):
        name = instance.job_name(j)
        orders.append(Order(order_id=name, product=name, quantity=1))
        products[name] = Product(name=name, family=name, mode=Mode.ONE_OFF)
        routings[name] = tuple(
            Step(number=i + 1, options=tuple(
                RoutingOption(instance.machine_name(k), Fraction(d)) for k, d in operation))
            for i, operation in enumerate(operations))
    machines = {instance.machine_name(k): Machine(instance.machine_name(k))
                for k in range(instance.n_machines)}
    rules: list[SetupRule] = []
    if instance.setups is not None:
        for k, block in enumerate(instance.setups):
            machine = instance.machine_name(k)
            for i, row in enumerate(block):
                for j, time in enumerate(row):
                    if i != j and time > 0:
                        rules.append(SetupRule(machine, instance.job_name(i),
                                               instance.job_name(j), Fraction(time)))
    return Plant(orders=tuple(orders), products=products, routings=routings, machines=machines,
                 setup_rules=tuple(rules), name=instance.name, source=source)
