"""Paired benchmarks: the same plants solved with one piece of the search off and on.

Shared by ``towards_due.py`` and ``route_windows.py``: the plants (generated
batch/mass plants of ``route_ladder.py`` and random plants of ``sweep.py``),
one validated solve, and the summary of the pairs (how many lower, how many
higher, the geometric mean of on / off in the first objective stage where they
differ, lexicographic objectives compared as tuples).
"""

from __future__ import annotations

import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from route_ladder import OBJECTIVE, config
from sweep import draw

from prodsched import load_plant
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import parse_objective
from prodsched.pipeline import solve_request
from prodsched.plant.model import Plant
from prodsched.request import SolveRequest
from prodsched.schedule.schedule import Schedule
from prodsched.validate.check import schedule_violations


@dataclass(frozen=True)
class Case:
    """A plant to generate and the objective it is solved under."""

    name: str
    config: GeneratorConfig
    objective: str


def cases(ladder: str, seeds: str, sweep: int, sizes: str, sweep_seed: int = 23,
          sweep_objectives: bool = False) -> list[Case]:
    """Route-ladder plants (``ladder`` orders × ``seeds``, e.g. ``"1-2"``) and ``sweep``
    random plants of ``sizes`` orders; the sweep's plants take the objective it drew
    for them when ``sweep_objectives``, else :data:`route_ladder.OBJECTIVE`."""
    first, _, last = seeds.partition("-")
    out = [Case(f"ladder {n} / {s}", config(int(n), s), OBJECTIVE)
           for n in filter(None, ladder.split(","))
           for s in range(int(first), int(last or first) + 1)]
    rng = random.Random(sweep_seed)
    for k in range(sweep):
        cfg, objective = draw(rng, [int(n) for n in sizes.split(",")], sweep_seed * 1000 + k)
        out.append(Case(f"sweep {k} ({cfg.orders})", cfg,
                        objective if sweep_objectives else OBJECTIVE))
    return out


def solve(plant: Plant, objective: str, time_limit: float, workers: int,
          large: bool | None = None) -> tuple[Schedule, float]:
    """One solve (the default route unless ``large`` says), checked by the validator;
    the schedule and its seconds."""
    began = time.monotonic()
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           started_at=began, large=large,
                           settings=SolverSettings(workers=workers, seed=1))
    schedule = solve_request(plant, request)
    violations = schedule_violations(schedule)
    assert not violations, violations[:3]
    return schedule, round(time.monotonic() - began, 1)


def values_of(schedule: Schedule) -> tuple[float, ...]:
    """The schedule's objective value per stage."""
    return tuple(float(v or 0) for v in schedule.info.objective_values or [])


def summary(pairs: list[tuple[tuple[float, ...], tuple[float, ...]]]) -> tuple[int, int, float]:
    """Of (off, on) values: how many pairs on is lower, higher, and the geometric mean
    of on / off in the first stage where they differ (pairs where that stage is 0 on
    either side left out)."""
    logs = []
    for off, on in pairs:
        differ = next(((a, b) for a, b in zip(off, on, strict=True) if a != b), None)
        if differ is not None and differ[0] > 0 and differ[1] > 0:
            logs.append(math.log(differ[1] / differ[0]))
    lower = sum(on < off for off, on in pairs)
    higher = sum(on > off for off, on in pairs)
    return lower, higher, math.exp(sum(logs) / len(logs)) if logs else 1.0


def summary_line(pairs: list[tuple[tuple[float, ...], tuple[float, ...]]]) -> str:
    """:func:`summary` in words."""
    lower, higher, mean = summary(pairs)
    return (f"On lower on {lower} plants, higher on {higher}, of {len(pairs)}; geometric "
            f"mean of on / off (first stage where they differ): {mean:.3f}.")


def row_of(case: Case, plant: Plant, variant: str, schedule: Schedule, seconds: float,
           **extra: Any) -> dict[str, Any]:
    """A result row: the plant, the variant, objective, its stages and main parts."""
    kpis = schedule.kpis
    lns = schedule.info.details.get("lns")
    return {"plant": case.name, "orders": len(plant.orders), "objective_text": case.objective,
            "variant": variant, "objective": float(schedule.info.objective or 0),
            "values": " / ".join(f"{v:g}" for v in values_of(schedule)),
            "weighted_tardiness": float(kpis.weighted_tardiness),
            "holding_cost": float(kpis.holding_cost),
            "route": "large" if lns is not None else "full", "seconds": seconds, **extra}


def run_pair(case: Case, switch: Callable[[bool], None], time_limit: float, workers: int,
             extra: Callable[[Schedule], dict[str, Any]], large: bool | None = None
             ) -> list[dict[str, Any]]:
    """One plant solved with the piece off (``switch(False)``) then on, the piece left on
    after; a row each (:func:`row_of` and the columns ``extra`` reads off the schedule).
    ``large``: the route, as :func:`solve` takes it."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        plant = load_plant(write_plant(case.config, Path(tmp) / "plant"))
        for variant in ("off", "on"):
            switch(variant == "on")
            try:
                schedule, seconds = solve(plant, case.objective, time_limit, workers, large)
            finally:
                switch(True)
            row = row_of(case, plant, variant, schedule, seconds, **extra(schedule))
            print(row, flush=True)
            out.append(row)
    return out


def by_plant(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The rows by plant, then by variant (``off``, ``on``)."""
    pairs: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        pairs.setdefault(r["plant"], {})[r["variant"]] = r
    return pairs


if __name__ == "__main__":
    sys.exit("paired.py is a helper of towards_due.py and search_moves.py: run one of those")
