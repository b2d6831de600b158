"""Shop-floor rules of a generated plant (spec v2): shifts, pauses, waits, crews.

Shifts
    ``shifts = 1`` works 06:00–14:00, ``2`` works 06:00–22:00, each Monday to
    Friday; ``3`` works around the clock from Monday 06:00 to Saturday 06:00.
    Time 0 is a Monday 06:00 (the generator's default start), and every
    machine follows the same calendar (``*`` rows in calendar.csv).
Pauses
    Each routing row may pause (``can_pause = yes``) with probability
    ``pause_share``; the draw is made for every row whatever the share, so
    plants generated with shares 0 and 1 differ only in that column.
Longest waits
    A step after the first gets a ``max_wait`` with probability
    ``max_wait_share``, when the longest lots of it and of its previous step
    fit in half a shift together (so a lot can always be made in one
    stretch): half to twice the previous step's lot time for the mean order.
Crews and operators
    ``setup_crews > 0`` adds the resource ``setup_crew`` with that capacity,
    held by every changeover that takes time; ``operators > 0`` adds the
    resource ``operator`` with that capacity, held by every run.

The draws use their own random stream (from the seed), so a plant without
these rules is the same as before they existed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from prodsched.generate.catalog import Catalog, ProductSpec, RoutingChoice
from prodsched.generate.config import GeneratorConfig

DAY, WEEK = 1440, 10080
# shifts → minutes worked per day (days Monday..Friday)
SHIFT_MINUTES = {1: 480, 2: 960, 3: DAY}
MAX_WAIT_RANGE = (0.5, 2.0)


@dataclass(frozen=True)
class RowRules:
    """The v2 cells of one routing row."""

    can_pause: bool
    max_wait: int | None


def shift_window(shifts: int) -> int:
    """Longest stretch of working time, in minutes (a week's for three shifts)."""
    return 5 * DAY if shifts == 3 else SHIFT_MINUTES[shifts]


def availability(shifts: int) -> float:
    """Share of a week the machines work."""
    return 5 * SHIFT_MINUTES[shifts] / WEEK


def shift_downtime(shifts: int, until: int) -> list[tuple[int, int]]:
    """Unavailable periods ``[start, end)`` from time 0 (a Monday 06:00) to past ``until``."""
    out: list[tuple[int, int]] = []
    weeks = max(1, math.ceil(until / WEEK) + 1)
    for week in range(weeks):
        base = week * WEEK
        if shifts == 3:
            out.append((base + 5 * DAY, base + WEEK))
            continue
        worked = SHIFT_MINUTES[shifts]
        for day in range(4):  # Monday..Thursday nights
            out.append((base + day * DAY + worked, base + (day + 1) * DAY))
        out.append((base + 4 * DAY + worked, base + WEEK))  # Friday evening to Monday
    return out


def row_rules(config: GeneratorConfig, catalog: Catalog) -> dict[tuple[str, int, int], RowRules]:
    """``(product, step index, choice index)`` → its can_pause and max_wait."""
    rng = random.Random(f"shopfloor:{config.seed}")
    mean_quantity = round((config.min_quantity + config.max_quantity) / 2)
    window = shift_window(config.shifts) if config.shifts else None
    out: dict[tuple[str, int, int], RowRules] = {}
    for product in catalog.products:
        for s, step in enumerate(product.steps):
            wait_draw, wait_factor = rng.random(), rng.uniform(*MAX_WAIT_RANGE)
            max_wait = None
            if s > 0 and wait_draw < config.max_wait_share and _fits(
                    product, s, config.max_quantity, window):
                previous = product.steps[s - 1][0].duration(mean_quantity)
                max_wait = max(1, round(wait_factor * previous))
            for c, _ in enumerate(step):
                out[product.name, s, c] = RowRules(rng.random() < config.pause_share, max_wait)
    return out


def _fits(product: ProductSpec, s: int, max_quantity: int, window: int | None) -> bool:
    """The longest lots of steps ``s - 1`` and ``s`` fit in half a shift together."""
    if window is None:
        return True
    units = product.largest_lot(max_quantity)

    def longest(step: tuple[RoutingChoice, ...]) -> int:
        return max(choice.duration(units) for choice in step)

    return longest(product.steps[s - 1]) + longest(product.steps[s]) <= window // 2


def resource_rows(config: GeneratorConfig) -> list[tuple[str, int]]:
    """Rows of resources.csv."""
    rows = []
    if config.setup_crews:
        rows.append(("setup_crew", config.setup_crews))
    if config.operators:
        rows.append(("operator", config.operators))
    return rows
