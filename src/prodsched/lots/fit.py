"""Lots that fit the plant's shifts: the most units one run can make between
two unavailable periods of its machines.

A run that may not pause (``can_pause`` no) must lie inside one window
between its machine's unavailable periods. When every option of some step of
a product is such a run, no lot of the product can hold more units than the
widest such window lets its fastest option make: a 1,500-unit lot on a press
that runs 16 hours a day cannot be made at 1 min/unit on a day, so it waits
for the first window long enough (after the last night, if any). The lot
plan gives such a product at least as many lot slots as its demand needs in
lots of that size (:func:`prodsched.lots.plan.slot_count`).

Only windows that begin before the product's last due date (or deadline)
count: the endless window after the calendar's last downtime would make any
lot fit, but only late. A product without due dates, or a plant without
calendars, has no such limit (``None``), so v1 plants keep their slot counts.
"""

from __future__ import annotations

import math

from prodsched.plant.model import Order, Plant, Product, RoutingOption


def up_windows(plant: Plant, machine: str, begin: int, end: int) -> list[int]:
    """Lengths of the machine's available periods within ``[begin, end)``
    (clipped at both ends)."""
    lengths: list[int] = []
    free_from = begin
    for start, stop in plant.unavailable(machine):
        if stop <= free_from:
            continue
        if start > free_from:
            lengths.append(min(start, end) - free_from)
        free_from = max(free_from, stop)
        if free_from >= end:
            break
    if free_from < end:
        lengths.append(end - free_from)
    return [length for length in lengths if length > 0]


def option_fit(option: RoutingOption, window: int, product: Product) -> int:
    """Most units (a multiple of the lot multiple) one run of ``option`` makes
    within ``window`` time units; 0 when not even the fixed time fits."""
    if option.time_per_unit <= 0:
        return 10**12 if option.fixed_time <= window else 0
    units = int((window - option.fixed_time) / option.time_per_unit)
    while units > 0 and option.duration(units) > window:  # ceil of the duration
        units -= 1
    return max(0, units // product.lot_multiple * product.lot_multiple)


def shift_fit(plant: Plant, product: Product, orders: list[Order]) -> int | None:
    """The most units one lot of ``product`` can hold and still have every
    non-pausing step run inside one available window of some machine before
    the product's last due date; ``None`` when the calendar sets no such limit.
    """
    if not plant.downtimes:
        return None
    dues = [math.ceil(o.due) for o in orders if o.due is not None]
    dues += [o.deadline for o in orders if o.deadline is not None]
    if not dues:
        return None
    begin = max(plant.earliest, min(o.release for o in orders))
    end = max(dues)
    fit: int | None = None
    for step in plant.routings[product.name]:
        if any(option.can_pause for option in step.options):
            continue
        if any(not plant.unavailable(option.machine) for option in step.options):
            continue  # a machine that is always up: no limit from this step
        step_fit = max((option_fit(option, max(windows), product)
                        for option in step.options
                        if (windows := up_windows(plant, option.machine, begin, end))),
                       default=0)
        if step_fit > 0:  # 0: nothing fits before the due dates; lateness decides
            fit = step_fit if fit is None else min(fit, step_fit)
    return fit
