"""Per-resource KPIs: how much of each shared resource a schedule uses, and when.

Computed from the schedule's rows and the plant alone, so that anyone can
recompute them from schedule.csv (which names no resource: the resources of a
row follow from the plant). A run holds the resources of its routing row
(product, step, machine) from its start to its end, pauses included; a setup
row holds those of the setup rule between the run it precedes on its machine
and the run before that one (or the machine's initial state). A row of length
0 holds nothing. Definitions (also in docs/resources.md, "Shared resources"); times
are time units (minutes for date-time plants):

- ``capacity``: how many units of the resource exist (resources.csv).
- ``held``: the amount held × the time it is held, summed over the rows.
- ``utilization``: ``held / (capacity × makespan)``, the horizon of the
  machine utilisation KPI (``[0, makespan)``); 0 when the makespan is 0.
- ``peak``: the most held at any moment; ``time_at_peak``: how long, in all,
  that much is held; ``peak_start``: the first moment it is (``None`` when
  the resource is never held).
- ``runs``, ``setups``: how many run and setup rows hold some of it.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from prodsched.plant.model import Plant, ResourceUse
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import ScheduleRow


@dataclass(frozen=True)
class ResourceHold:
    """``amount`` of one resource held by one schedule row over ``[row.start, row.end)``."""

    row: ScheduleRow
    amount: int


@dataclass(frozen=True)
class LoadStep:
    """A stretch ``[start, end)`` in which a resource's load does not change.

    ``holds`` are the rows holding it then (empty when ``load`` is 0).
    """

    start: int
    end: int
    load: int
    holds: tuple[ResourceHold, ...]


@dataclass(frozen=True)
class ResourceKpis:
    """The KPIs of one resource in one schedule (see the module docstring)."""

    resource: str
    capacity: int
    held: int
    utilization: float
    peak: int
    time_at_peak: int
    peak_start: int | None
    runs: int
    setups: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values, without the resource's name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "resource"}


def resource_holds(plant: Plant, rows: Iterable[ScheduleRow]) -> dict[str, list[ResourceHold]]:
    """Per resource of the plant (resources.csv order), every row holding some of it.

    Parameters
    ----------
    plant
        The plant (routing rows and setup rules name the resources).
    rows
        The schedule's rows (as in schedule.csv).

    Returns
    -------
    dict[str, list[ResourceHold]]
        Resource name → the rows holding it, by start then machine; every
        resource of ``plant.resources`` is a key (with no rows when unused).
    """
    out: dict[str, list[ResourceHold]] = {name: [] for name in plant.resources}
    runs: dict[str, list[ScheduleRow]] = defaultdict(list)
    setups: list[ScheduleRow] = []
    for row in rows:
        if row.kind == "run":
            runs[row.machine].append(row)
            _add(out, row, _run_uses(plant, row))
        elif row.kind == "setup":
            setups.append(row)
    table = SetupTable(plant)
    for on_machine in runs.values():
        on_machine.sort(key=lambda r: (r.start, r.end))
    starts = {machine: [r.start for r in on_machine] for machine, on_machine in runs.items()}
    for setup in setups:
        later = runs.get(setup.machine, [])
        i = bisect.bisect_left(starts.get(setup.machine, []), setup.end)
        if i == len(later):
            continue  # no run after it: no rule says what it holds
        before = later[i - 1].product if i > 0 else None
        if before is None:
            changeover = table.initial(setup.machine, later[i].product)
        else:
            changeover = table.between(setup.machine, before, later[i].product)
        _add(out, setup, changeover.resources)
    for held in out.values():
        held.sort(key=lambda h: (h.row.start, h.row.machine, h.row.end))
    return out


def load_profile(holds: list[ResourceHold]) -> list[LoadStep]:
    """The load of one resource over time: the stretches between its changes,
    from the first row's start to the last row's end (stretches of load 0
    between rows included)."""
    events: dict[int, list[tuple[bool, int]]] = defaultdict(list)
    for k, h in enumerate(holds):
        events[h.row.start].append((True, k))
        events[h.row.end].append((False, k))
    moments = sorted(events)
    active: dict[int, ResourceHold] = {}
    steps: list[LoadStep] = []
    for start, end in itertools.pairwise(moments):
        for starts, k in events[start]:
            if starts:
                active[k] = holds[k]
            else:
                active.pop(k, None)
        holding = tuple(active.values())
        load = sum(h.amount for h in holding)
        if steps and steps[-1].load == load and steps[-1].holds == holding:
            steps[-1] = LoadStep(steps[-1].start, end, load, holding)
        else:
            steps.append(LoadStep(start, end, load, holding))
    return steps


def resource_kpis(plant: Plant, rows: list[ScheduleRow]) -> dict[str, ResourceKpis]:
    """Every resource's KPIs (resources.csv order); empty for a plant without resources.

    Parameters
    ----------
    plant
        The plant (resources, routings, setup rules, initial states).
    rows
        The schedule's rows (as in schedule.csv).
    """
    makespan = max((r.end for r in rows if r.kind == "run"), default=0)
    out: dict[str, ResourceKpis] = {}
    for name, holds in resource_holds(plant, rows).items():
        capacity = plant.resources[name].capacity
        held = sum(h.amount * (h.row.end - h.row.start) for h in holds)
        profile = load_profile(holds)
        peak = max((s.load for s in profile), default=0)
        at_peak = [s for s in profile if s.load == peak] if peak > 0 else []
        utilization = float(Fraction(held, capacity * makespan)) if makespan > 0 else 0.0
        out[name] = ResourceKpis(
            resource=name, capacity=capacity, held=held, utilization=utilization, peak=peak,
            time_at_peak=sum(s.end - s.start for s in at_peak),
            peak_start=at_peak[0].start if at_peak else None,
            runs=sum(1 for h in holds if h.row.kind == "run"),
            setups=sum(1 for h in holds if h.row.kind == "setup"))
    return out


def _run_uses(plant: Plant, row: ScheduleRow) -> tuple[ResourceUse, ...]:
    for step in plant.routings.get(row.product, ()):
        if step.number == row.step:
            option = step.option(row.machine)
            return () if option is None else option.resources
    return ()


def _add(out: dict[str, list[ResourceHold]], row: ScheduleRow,
         uses: tuple[ResourceUse, ...]) -> None:
    if row.end > row.start:
        for use in uses:
            if use.resource in out:
                out[use.resource].append(ResourceHold(row, use.amount))
