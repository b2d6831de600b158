"""Rule 10: at every moment, the runs and setups holding a resource hold at most its capacity.

A run holds the resources of its routing row (product, step, machine); a
setup row holds those of the setup rule that applies between the two runs
it lies between on its machine: the run after it, and the run before that
one (or the machine's initial state), found as :mod:`prodsched.validate.setups`
finds the rule. A row holds its resources over ``[start, end)`` (pauses
included); a row of length 0 holds nothing.

kpis.json ``resources`` (per-resource figures) is checked here too, from the
same holds.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from prodsched.plant.model import Plant, ResourceUse
from prodsched.validate.read import SCHEDULE, Bar, Time
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


RESOURCE_FIGURES = ("capacity", "held", "utilization", "peak", "time_at_peak", "peak_start",
                    "runs", "setups")
"""The figures of kpis.json ``resources`` that the validator re-derives."""


def expected_resource_figures(plant: Plant, bars: list[Bar],
                              zero: Fraction) -> dict[str, dict[str, Fraction | int | None]]:
    """Per resource of resources.csv, the figures kpis.json ``resources`` must give
    (the definitions in docs/resources.md, "Shared resources"): the amount held × time,
    utilisation over ``[0, makespan)``, the peak load, how long it lasts in all and
    when it first begins (relative to time 0 ``zero``), and the rows holding it."""
    makespan = max((b.end for b in bars if b.kind == "run"), default=zero) - zero
    held_by = holds(plant, bars)
    out: dict[str, dict[str, Fraction | int | None]] = {}
    for name, resource in plant.resources.items():
        held = held_by.get(name, [])
        total = sum((h.amount * h.bar.length for h in held), Fraction(0))
        change: dict[Time, int] = defaultdict(int)
        for h in held:
            change[h.bar.start] += h.amount
            change[h.bar.end] -= h.amount
        moments = sorted(change)
        load, peak, at_peak, first = 0, 0, Fraction(0), None
        for time, after in itertools.pairwise(moments):
            load += change[time]
            if load > peak:
                peak, at_peak, first = load, Fraction(0), time
            if load == peak and peak > 0:
                at_peak += after - time
        out[name] = {
            "capacity": resource.capacity,
            "held": total,
            "utilization": total / (resource.capacity * makespan) if makespan > 0 else Fraction(0),
            "peak": peak,
            "time_at_peak": at_peak,
            "peak_start": None if first is None else first - zero,
            "runs": sum(1 for h in held if h.bar.kind == "run"),
            "setups": sum(1 for h in held if h.bar.kind == "setup"),
        }
    return out


def check_resource_kpis(plant: Plant, kpis: dict[str, Any], bars: list[Bar], zero: Fraction,
                        close: Callable[[float | Fraction, float | Fraction], bool],
                        bad: Callable[[str], None]) -> None:
    """kpis.json ``resources`` (when given): one entry per resource of resources.csv,
    whose figures agree with schedule.csv and the plant."""
    given = kpis.get("resources")
    if given is None:
        return
    if not isinstance(given, dict):
        bad("resources is not an object of resource: figures")
        return
    for name in given:
        if name not in plant.resources:
            bad(f"resources lists {name!r}, which resources.csv does not define")
    for name, want in expected_resource_figures(plant, bars, zero).items():
        figures = given.get(name)
        if not isinstance(figures, dict):
            bad(f"resources has no figures for {name}, which resources.csv defines")
            continue
        for key in RESOURCE_FIGURES:
            if key not in figures:
                continue
            got, target = figures[key], want[key]
            if target is None or got is None:
                if target is not got:
                    bad(f"resources[{name}].{key} is {got!r}; schedule.csv gives "
                        f"{'none' if target is None else f'{float(target):g}'}")
                continue
            if isinstance(got, bool) or not isinstance(got, int | float) or not close(got,
                                                                                       target):
                bad(f"resources[{name}].{key} is {got!r}; schedule.csv gives "
                    f"{float(target):g}")
