"""Time buckets of the lot-sizing model: where they lie, what each machine can
do in them, and the demand that falls due in each.

Bucket ``b`` covers ``[b * length, (b + 1) * length)`` in time units. An order
due at time ``t`` must be made in a bucket that ends by ``t``: bucket
``floor(t / length) - 1`` (a bucket that ends after the due date would make
it late).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Order, Plant

MIN_BUCKETS, TARGET_BUCKETS = 4, 30


@dataclass(frozen=True)
class BucketGrid:
    """Buckets of equal length from time 0."""

    length: int
    count: int

    def window(self, bucket: int) -> tuple[int, int]:
        """``[start, end)`` of a bucket in time units."""
        return bucket * self.length, (bucket + 1) * self.length

    def due_bucket(self, time: float | Fraction) -> int:
        """The last bucket ending by ``time`` (-1: none does)."""
        return min(self.count - 1, math.floor(time / self.length) - 1)

    def release_bucket(self, time: int) -> int:
        """The first bucket in which something released at ``time`` can run."""
        return max(0, time // self.length)


def capacity(plant: Plant, machine: str, grid: BucketGrid) -> list[int]:
    """Time units of each bucket the machine is available (calendar excluded)."""
    down = plant.downtimes_of(machine)
    out = []
    for b in range(grid.count):
        start, end = grid.window(b)
        lost = sum(max(0, min(end, e) - max(start, s)) for s, e in down)
        out.append(max(0, end - start - lost))
    return out


def default_length(plant: Plant) -> int:
    """A bucket length giving about 30 buckets up to the last due date (a day for
    date-time plants whose horizon spans more than a few days)."""
    horizon = _latest(plant.orders)
    if plant.time_axis.is_datetime and horizon >= 3 * 1440:
        return 1440
    return max(1, math.ceil(horizon / TARGET_BUCKETS))


def _latest(orders: tuple[Order, ...]) -> int:
    times = [o.release for o in orders]
    times += [math.ceil(o.due) for o in orders if o.due is not None]
    times += [o.deadline for o in orders if o.deadline is not None]
    return max([*times, 1])


def make_grid(plant: Plant, length: int | None, work: int) -> BucketGrid:
    """Buckets of ``length`` (default :func:`default_length`) reaching past the
    last due date by enough to make everything (``work``: time units of the
    busiest machine's whole load); up to the last deadline when every order
    has one."""
    length = length or default_length(plant)
    if all(o.deadline is not None for o in plant.orders):
        end = max(o.deadline for o in plant.orders if o.deadline is not None)
        return BucketGrid(length, max(1, math.ceil(end / length)))
    end = _latest(plant.orders) + work
    return BucketGrid(length, max(MIN_BUCKETS, math.ceil(end / length) + 1))
