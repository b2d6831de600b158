"""Lower bounds on when an order can be complete, with and without calendars.

Every bound here holds for *every* schedule the model allows, so a bound
beyond an order's deadline proves the plant infeasible. Setups and other
orders are ignored (they only delay); calendars are respected: a run must fit
in a free window of its machine, and runs are never interrupted.

An order is made in one of a few *cases* (its lots, in each way the lot plan
allows): one-off lots hold the whole order; slot lots (batch, mass, auto)
hold at least the product's smallest lot size. A lot's steps follow each
other, or overlap when streamed (mass, auto).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from prodsched.lots.cutting import smallest_lot
from prodsched.lots.fixed import order_lots
from prodsched.lots.plan import LotPlan
from prodsched.plant.model import Mode, Order, Plant, RoutingOption


@dataclass(frozen=True)
class LotCase:
    """Lots that carry units of an order: their size, whether streamed, their release.

    ``units`` is how many of the order's units such lots make together when
    they may be several (slot lots); 0 for a single lot.
    """

    size: int
    streaming: bool
    release: int
    units: int = 0


@dataclass(frozen=True)
class StepTrace:
    """How the bound passed one step: the machine, and how long its calendar held it up."""

    step: int
    machine: str
    start: int
    end: int
    waited: int


def fit(downtimes: list[tuple[int, int]], earliest: int, length: int) -> int:
    """The earliest start ``>= earliest`` of a run of ``length`` that no downtime overlaps.

    ``downtimes`` are ``[start, end)`` periods sorted by start.
    """
    t = earliest
    if length <= 0:
        return t
    for start, end in downtimes:
        if end <= t:
            continue
        if start >= t + length:
            break
        t = end
    return t


class Bounds:
    """Earliest completions of the orders of one plant and lot plan.

    Parameters
    ----------
    plant
        The plant.
    plan
        The lot plan the model uses (its fixed lots and slot groups).
    """

    def __init__(self, plant: Plant, plan: LotPlan):
        self.plant = plant
        self.plan = plan

    @cached_property
    def _down(self) -> dict[str, list[tuple[int, int]]]:
        return {m: self.plant.downtimes_of(m) for m in self.plant.machines}

    @cached_property
    def cases(self) -> dict[str, list[list[LotCase]]]:
        """Per order, the ways it may be made; each way is the lots that all carry it."""
        out: dict[str, list[list[LotCase]]] = defaultdict(list)
        fixed: dict[str, list[LotCase]] = defaultdict(list)
        for lot in self.plan.fixed:
            for order_id in lot.order_ids:
                fixed[order_id].append(LotCase(lot.quantity, lot.mode is Mode.MASS, lot.release))
        for order_id, lots in fixed.items():
            out[order_id].append(lots)
        for group in self.plan.groups:
            low, _ = group.product.lot_size_range()
            if group.slots == 1:  # one lot makes the whole demand
                low = smallest_lot(group.demand, group.product)
            for order in group.orders:
                out[order.order_id].append([LotCase(max(1, low), group.streaming, order.release,
                                                    units=order.quantity)])
                if group.one_off_option:
                    out[order.order_id].append([
                        LotCase(lot.quantity, False, order.release)
                        for lot in order_lots(order, group.product, Mode.ONE_OFF)])
        return out

    def lot_end(self, product: str, case: LotCase, calendar: bool = True
                ) -> tuple[int, list[StepTrace]]:
        """Earliest end of a lot's last step, and how each step was passed."""
        t = case.release
        end = case.release
        trace: list[StepTrace] = []
        for step in self.plant.routings[product]:
            earliest = case.release if case.streaming else t
            best: tuple[int, int, RoutingOption] | None = None
            for opt in step.options:
                length = opt.duration(case.size)
                down = self._down.get(opt.machine, []) if calendar else []
                start = fit(down, earliest, length)
                if best is None or start + length < best[0] + best[1]:
                    best = (start, length, opt)
            assert best is not None
            start, length, opt = best
            step_end = start + length
            if case.streaming:
                unit = min(math.ceil(o.time_per_unit) for o in step.options)
                step_end = max(step_end, end + unit) if trace else step_end
            trace.append(StepTrace(step.number, opt.machine, start, step_end, start - earliest))
            t = end = step_end if not case.streaming else max(end, step_end)
        if case.units > case.size:
            end = max(end, self.work_end(product, case))
        return end, trace

    def work_end(self, product: str, case: LotCase) -> int:
        """Earliest end when ``case.units`` units pass every step, in lots of ``case.size``.

        Some step ``s`` makes all the units, on its machines side by side; before
        it the first lot passes the earlier steps, after it the last lot passes
        the later ones (for streamed lots: one unit's time per step).
        """
        steps = self.plant.routings[product]

        def passing(step_index: int) -> int:
            options = steps[step_index].options
            if case.streaming:
                return min(math.ceil(o.time_per_unit) for o in options)
            return min(o.duration(case.size) for o in options)

        best = 0
        for s, step in enumerate(steps):
            options = step.options
            if len(options) == 1:
                work = options[0].duration(case.units)
            else:
                work = math.ceil(case.units * min(o.time_per_unit for o in options)
                                 / len(options))
            before = sum(passing(j) for j in range(s))
            after = sum(passing(j) for j in range(s + 1, len(steps)))
            best = max(best, before + work + after)
        return case.release + best

    def order_end(self, order: Order, calendar: bool = True
                  ) -> tuple[int, list[StepTrace], LotCase | None]:
        """Earliest completion of an order (its best case), that case's trace and lot."""
        best: tuple[int, list[StepTrace], LotCase | None] = (order.release, [], None)
        found = False
        for lots in self.cases.get(order.order_id, []):
            ends = [(*self.lot_end(order.product, case, calendar), case) for case in lots]
            worst = max(ends, key=lambda e: e[0])
            if not found or worst[0] < best[0]:
                best, found = worst, True
        return best
