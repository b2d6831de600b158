"""The optimizer strategies: CP-SAT sequencing heuristic lots, and full CP-SAT.

- ``cpsat-lots`` runs every heuristic, keeps the lots of the best one (by the
  objective) and lets CP-SAT sequence only those
  (``SolveRequest.lot_plan = LotPlan(fixed=lots, groups=())``), warm started
  from that heuristic's schedule.
- ``cpsat-full`` is the pipeline's default: lots sized and sequenced together.

Both minimise the settings' objective within its time limit (counted from the
strategy's start); with ``deterministic_seconds`` and one worker, runs repeat
exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from prodsched.cpsat_runner import SolverSettings
from prodsched.lots.plan import LotPlan
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Plant
from prodsched.schedule.schedule import Schedule
from prodsched.strategies.base import StrategySettings, register
from prodsched.strategies.heuristics import HEURISTICS


def _request(settings: StrategySettings, started: float, **extra: object) -> SolveRequest:
    return SolveRequest(
        objective=settings.parsed_objective(), time_limit=settings.time_limit,
        started_at=started,
        settings=SolverSettings(workers=settings.workers, seed=settings.seed,
                                deterministic_seconds=settings.deterministic_seconds),
        **extra)  # type: ignore[arg-type]


def best_heuristic(plant: Plant, settings: StrategySettings) -> tuple[str, Schedule]:
    """Every heuristic run with its defaults; the one with the lowest objective."""
    default = StrategySettings(objective=settings.objective)
    runs = [(h.name, h(plant, default)) for h in HEURISTICS]
    return min(runs, key=lambda r: (r[1].info.objective, r[0]))


@dataclass(frozen=True)
class CpsatWithHeuristicLots:
    """CP-SAT sequencing the lots of the best heuristic."""

    name: str = "cpsat-lots"
    kind: str = "optimizer"
    summary: str = "CP-SAT sequences the lots of the best heuristic (warm started from it)"

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """Solve with the lots fixed; kpis.json names the heuristic the lots came from."""
        started = time.monotonic()
        name, seed = best_heuristic(plant, settings)
        lots = tuple(seed.lots)
        request = _request(settings, started, lot_plan=LotPlan(fixed=lots, groups=()),
                           warm_starts=[(name, list(seed.ops))])
        schedule = solve_request(plant, request)
        schedule.info.details["strategy"] = self.name
        schedule.info.details["lots_from"] = name
        return schedule


@dataclass(frozen=True)
class CpsatFull:
    """The pipeline's optimizer: lots sized and sequenced together."""

    name: str = "cpsat-full"
    kind: str = "optimizer"
    summary: str = "full CP-SAT: lots sized and sequenced together (pipeline default)"

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """Solve the plant as ``prodsched solve`` would, with the settings' objective."""
        schedule = solve_request(plant, _request(settings, time.monotonic()))
        schedule.info.details["strategy"] = self.name
        return schedule


register(CpsatWithHeuristicLots())
register(CpsatFull())
