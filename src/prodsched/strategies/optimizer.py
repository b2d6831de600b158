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
from prodsched.lots.fixed import order_lots
from prodsched.lots.lot import Lot
from prodsched.lots.plan import LotPlan, plan_lots
from prodsched.lots.realize import slot_prefix
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Mode, Plant
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


def lots_exist_in(plan: LotPlan, lots: list[Lot]) -> bool:
    """Whether every lot is one the model of ``plan`` can make, so that a
    schedule of them can be its warm start: a fixed lot (or the one-off lot of
    an auto product that may be made one-off), or a product's slot lot
    (``P#k``) within its number of slots."""
    ids = {lot.lot_id for lot in plan.fixed}
    slots = {}
    for group in plan.groups:
        slots[group.product.name] = group.slots
        if group.one_off_option:
            ids |= {lot.lot_id for o in group.orders
                    for lot in order_lots(o, group.product, Mode.ONE_OFF)}
    counts: dict[str, int] = {}
    for lot in lots:
        if lot.lot_id in ids:
            continue
        if lot.product not in slots or not lot.lot_id.startswith(slot_prefix(lot.product)):
            return False
        counts[lot.product] = counts.get(lot.product, 0) + 1
    return all(n <= slots[p] for p, n in counts.items())


@dataclass(frozen=True)
class CpsatFull:
    """The pipeline's optimizer: lots sized and sequenced together, warm started
    from the best of the dispatch rules and of every heuristic strategy whose
    lots the model can make."""

    name: str = "cpsat-full"
    kind: str = "optimizer"
    summary: str = ("full CP-SAT: lots sized and sequenced together, warm started from the "
                    "heuristics")

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """Solve the plant as ``prodsched solve`` would, with the settings' objective."""
        started = time.monotonic()
        plan = plan_lots(plant)
        default = StrategySettings(objective=settings.objective)
        seeds = [(h.name, list(s.ops)) for h in HEURISTICS
                 if lots_exist_in(plan, list((s := h(plant, default)).lots))]
        schedule = solve_request(plant, _request(settings, started, warm_starts=seeds))
        schedule.info.details["strategy"] = self.name
        return schedule


register(CpsatWithHeuristicLots())
register(CpsatFull())
