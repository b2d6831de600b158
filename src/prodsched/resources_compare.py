"""How many of a shared resource does a plant need: the plant solved once per capacity.

The planner's question "how many setup crews (operators, moulds) do we
need?": the same plant, the same objective and time limit, with one
resource's capacity set to each value asked for, side by side — objective,
tardiness, setups, makespan, and how busy that resource is (utilisation and
peak, :mod:`prodsched.schedule.resource_kpis`). Like ``compare-modes``
(:mod:`prodsched.modes_compare`) for production modes.

The capacities are solved from the smallest up, and each solve also starts
from the schedules found with less of the resource (each is valid with more
of it): so more of a resource never shows a worse objective than less, which
independent searches of the same length could (a planner would read noise
as "a third crew hurts"). The route the smallest capacity took (full model or
large plant) is kept for the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from prodsched.cpsat_runner import SolverSettings
from prodsched.errors import InfeasibleError, UsageError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.pipeline import solve_request
from prodsched.plant.model import Plant, Resource
from prodsched.request import SolveRequest
from prodsched.schedule.schedule import Schedule
from prodsched.schedule.stats import LnsModelStats

COLUMNS = ("capacity", "status", "objective", "weighted_tardiness", "total_tardiness",
           "late_orders", "setups", "setup_time", "makespan", "utilization", "peak",
           "time_at_peak")


@dataclass
class CapacityResult:
    """The plant solved with ``resource`` at ``capacity`` (``schedule`` is ``None``
    when there is none, with the reason)."""

    resource: str
    capacity: int
    schedule: Schedule | None
    reason: str = ""

    @property
    def label(self) -> str:
        """``setup_crew-2``: the folder name of this run's schedule."""
        return f"{self.resource}-{self.capacity}"

    def row(self) -> dict[str, Any]:
        """A row of the comparison table."""
        if self.schedule is None:
            return {"capacity": self.capacity, "status": self.reason}
        k, info = self.schedule.kpis, self.schedule.info
        use = self.schedule.resources[self.resource]
        return {"capacity": self.capacity, "status": info.status, "objective": info.objective,
                "weighted_tardiness": float(k.weighted_tardiness),
                "total_tardiness": float(k.total_tardiness), "late_orders": k.late_orders,
                "setups": k.setup_count, "setup_time": k.total_setup_time,
                "makespan": k.makespan, "utilization": round(use.utilization, 4),
                "peak": use.peak, "time_at_peak": use.time_at_peak}


def parse_capacities(text: str) -> tuple[int, ...]:
    """``"1,2,3"`` → ``(1, 2, 3)``: whole numbers >= 1, each once, in the order given.

    Raises
    ------
    UsageError
        When a value is not a whole number >= 1, or there is none.
    """
    out: list[int] = []
    for cell in text.split(","):
        cell = cell.strip()
        try:
            value = int(cell)
        except ValueError:
            value = 0
        if value < 1:
            raise UsageError(f"--capacity: {cell!r} is not a whole number >= 1 (write e.g. "
                             "1,2,3)")
        if value not in out:
            out.append(value)
    return tuple(out)


def with_capacity(plant: Plant, resource: str, capacity: int) -> Plant:
    """The plant with ``resource`` at ``capacity`` (everything else as it is).

    Raises
    ------
    UsageError
        When resources.csv does not define ``resource``.
    """
    if resource not in plant.resources:
        known = ", ".join(plant.resources) or "none (the plant has no resources.csv)"
        raise UsageError(f"the plant has no resource {resource!r}; its resources are {known}")
    resources = {**plant.resources, resource: Resource(resource, capacity)}
    return replace(plant, resources=resources)


def compare_resources(plant: Plant, resource: str, capacities: Iterable[int], *,
                      objective: str = DEFAULT_OBJECTIVE, time_limit: float = 30.0,
                      settings: SolverSettings | None = None) -> list[CapacityResult]:
    """Solve the plant once per capacity of ``resource`` (``time_limit`` seconds each).

    Parameters
    ----------
    plant
        The plant.
    resource
        A resource of its resources.csv.
    capacities
        The capacities to try.
    objective, time_limit, settings
        As for :func:`prodsched.solve`, the same for every run.

    Raises
    ------
    UsageError
        When the plant has no such resource, or a capacity is below 1.
    """
    wanted = tuple(capacities)
    for capacity in wanted:
        if capacity < 1:
            raise UsageError(f"a capacity of {capacity}: capacities are whole numbers >= 1")
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           settings=settings or SolverSettings())
    found: dict[int, CapacityResult] = {}
    for capacity in sorted(wanted):
        variant = with_capacity(plant, resource, capacity)
        try:
            schedule = solve_request(variant, request)
        except InfeasibleError as err:
            found[capacity] = CapacityResult(resource, capacity, None, f"no schedule: {err}")
            continue
        found[capacity] = CapacityResult(resource, capacity, schedule)
        # the next capacities start from this schedule too, on the same route
        large = isinstance(schedule.info.model, LnsModelStats)
        request = replace(request, large=True if large else request.large,
                          warm_starts=[*request.warm_starts,
                                       (f"{resource}-{capacity}", list(schedule.ops))])
    return [found[c] for c in wanted]


def table_csv(results: list[CapacityResult]) -> str:
    """The comparison as CSV (one row per capacity)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in results:
        writer.writerow(r.row())
    return buf.getvalue()


def table_text(results: list[CapacityResult]) -> str:
    """The comparison as an aligned text table, one row per capacity; a run without
    a schedule shows its reason in full below the table."""
    rows = [r.row() for r in results]
    widths = {c: max(len(c), *(len(_cell(row.get(c))) for row in rows)) for c in COLUMNS}
    lines = ["  ".join(f"{c:>{widths[c]}}" for c in COLUMNS)]
    lines += ["  ".join(f"{_cell(row.get(c)):>{widths[c]}}" for c in COLUMNS) for row in rows]
    lines += [f"capacity {r.capacity}: {r.reason}" for r in results if r.schedule is None]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.3e}"
    text = str(value)
    return text if len(text) <= 14 else text[:13] + "…"
