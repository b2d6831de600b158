"""The optimizer strategies: CP-SAT sequencing heuristic lots, and full CP-SAT.

- ``cpsat-lots`` runs every heuristic, keeps the lots of the best one (by the
  objective) and lets CP-SAT sequence only those
  (``SolveRequest.lot_plan = LotPlan(fixed=lots, groups=())``), warm started
  from that heuristic's schedule.
- ``cpsat-full`` is the pipeline's default: lots sized and sequenced together.
  It starts where ``cpsat-lots`` ends: :data:`LOTS_SHARE` of the limit goes
  to sequencing the best heuristic's lots, whose result (when the full
  model can make its lots) warm-starts the full model with every heuristic
  schedule; the better of the two schedules is returned, so the full
  optimizer is never worse than sequencing fixed lots for that share.

Both minimise the settings' objective within its time limit (counted from the
strategy's start); with ``deterministic_seconds`` and one worker, runs repeat
exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

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


# cpsat-full: share of the limit (and of a deterministic budget) spent
# sequencing the best heuristic's lots before the full model.
LOTS_SHARE = 0.4


def heuristic_runs(plant: Plant, settings: StrategySettings) -> list[tuple[str, Schedule]]:
    """Every heuristic run with its defaults, by name."""
    default = StrategySettings(objective=settings.objective)
    return [(h.name, h(plant, default)) for h in HEURISTICS]


def best_of(runs: list[tuple[str, Schedule]]) -> tuple[str, Schedule]:
    """The run with the lowest objective (ties: by name)."""
    return min(runs, key=lambda r: (r[1].info.objective, r[0]))


def best_heuristic(plant: Plant, settings: StrategySettings) -> tuple[str, Schedule]:
    """Every heuristic run with its defaults; the one with the lowest objective."""
    return best_of(heuristic_runs(plant, settings))


def _sequence_lots(plant: Plant, settings: StrategySettings, started: float, name: str,
                   seed: Schedule) -> Schedule:
    """CP-SAT sequencing ``seed``'s lots, warm started from ``seed``."""
    request = _request(settings, started, lot_plan=LotPlan(fixed=tuple(seed.lots), groups=()),
                       warm_starts=[(name, list(seed.ops))])
    return solve_request(plant, request)


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
        schedule = _sequence_lots(plant, settings, started, name, seed)
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
    from the best of the dispatch rules, of every heuristic strategy whose lots
    the model can make, and of CP-SAT sequencing the best heuristic's lots
    (see the module)."""

    name: str = "cpsat-full"
    kind: str = "optimizer"
    summary: str = ("full CP-SAT: lots sized and sequenced together, warm started from the "
                    "heuristics")

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """Solve the plant as ``prodsched solve`` would, with the settings' objective."""
        started = time.monotonic()
        plan = plan_lots(plant)
        runs = heuristic_runs(plant, settings)
        name, seed = best_of(runs)
        det = settings.deterministic_seconds
        first = _sequence_lots(plant, replace(
            settings, time_limit=LOTS_SHARE * settings.time_limit,
            deterministic_seconds=None if det is None else LOTS_SHARE * det), started, name, seed)
        seeds = [(n, list(s.ops)) for n, s in runs if lots_exist_in(plan, list(s.lots))]
        if lots_exist_in(plan, list(first.lots)):
            seeds.append(("cpsat-lots", list(first.ops)))
        rest = None if det is None else (1 - LOTS_SHARE) * det
        full = solve_request(plant, _request(replace(settings, deterministic_seconds=rest),
                                             started, warm_starts=seeds))
        objective = settings.parsed_objective()
        chosen = min((full, first), key=lambda s: objective.values(s.kpis))
        chosen.info.details["strategy"] = self.name
        chosen.info.details["phases"] = {
            "lots_from": name, "chosen": "full" if chosen is full else "lots",
            "lots": [float(v) for v in objective.values(first.kpis)],
            "full": [float(v) for v in objective.values(full.kpis)]}
        return chosen


register(CpsatWithHeuristicLots())
register(CpsatFull())
