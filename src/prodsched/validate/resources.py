"""Rule 10: at every moment, the runs and setups holding a resource hold at most its capacity.

A run holds the resources of its routing row (product, step, machine); a
setup row holds those of the setup rule that applies between the two runs
it lies between on its machine: the run after it, and the run before that
one (or the machine's initial state), found as :mod:`prodsched.validate.setups`
finds the rule. A row holds its resources over ``[start, end)`` (pauses
included); a row of length 0 holds nothing.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from prodsched.plant.model import Plant, ResourceUse
from prodsched.validate.read import SCHEDULE, Bar
from prodsched.validate.rules import by_machine, option_of
from prodsched.validate.setups import rule_before
from prodsched.validate.violation import Violation


@dataclass(frozen=True)
class Hold:
    """``amount`` of one resource held by one row of schedule.csv."""

    bar: Bar
    amount: int

    def describe(self) -> str:
        """``run of lot L step 1 on M1 (line 4)``; setups likewise, without a step."""
        step = f" step {self.bar.step}" if self.bar.kind == "run" else ""
        return (f"{self.bar.kind} of lot {self.bar.lot}{step} on {self.bar.machine} "
                f"(line {self.bar.line}, {self.amount})")


def holds(plant: Plant, bars: list[Bar]) -> dict[str, list[Hold]]:
    """Per resource, every row holding some of it and how much."""
    out: dict[str, list[Hold]] = defaultdict(list)

    def add(bar: Bar, uses: tuple[ResourceUse, ...]) -> None:
        if bar.length > 0:
            for use in uses:
                out[use.resource].append(Hold(bar, use.amount))

    for bar in bars:
        if bar.kind == "run" and bar.machine in plant.machines:
            option = option_of(plant, bar)
            if option is not None:
                add(bar, option.resources)
    runs = by_machine(plant, bars, "run")
    for machine, setups in by_machine(plant, bars, "setup").items():
        later = runs.get(machine, [])
        starts = [r.start for r in later]
        for setup in setups:
            i = bisect.bisect_left(starts, setup.end)
            if i == len(later):
                continue  # a setup followed by no run: rule 4
            previous = later[i - 1].product if i > 0 else None
            rule = rule_before(plant, machine, previous, later[i].product)
            if rule is not None:
                add(setup, rule.resources)
    return out


def check_resources(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rule 10: one violation per resource and stretch of time in which it is
    held beyond its capacity, at the row whose start first exceeds it."""
    for resource, held in holds(plant, bars).items():
        found = plant.resources.get(resource)
        if found is None:
            continue  # the loader refuses a resource resources.csv does not define
        events = sorted([(h.bar.end, 0, k) for k, h in enumerate(held)]
                        + [(h.bar.start, 1, k) for k, h in enumerate(held)])
        holding: set[int] = set()
        load = 0
        over = False
        for time, starts, k in events:
            if not starts:
                holding.discard(k)
                load -= held[k].amount
                over = over and load > found.capacity
                continue
            holding.add(k)
            load += held[k].amount
            if load > found.capacity and not over:
                over = True
                rows = sorted((held[j] for j in holding), key=lambda h: h.bar.line)
                out.append(Violation(
                    "10 resource", f"resource {resource} (capacity {found.capacity}) is held "
                    f"{load} at {plant.time_axis.format(Fraction(time))} by "
                    f"{', '.join(h.describe() for h in rows)}", SCHEDULE, held[k].bar.line))
