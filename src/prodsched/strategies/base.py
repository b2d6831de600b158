"""What a changeover strategy is: settings in, a :class:`Schedule` out, by name.

A strategy is any object with a ``name``, a one-line ``summary``, a ``kind``
(``heuristic`` or ``optimizer``) and a call ``strategy(plant, settings)``
returning a schedule of the plant in the plant format. Strategies register
themselves in :data:`REGISTRY` under their name; ``get_strategy("fixed-lot:4")``
returns the registered ``fixed-lot`` strategy with its parameter set to 4.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from prodsched.errors import UsageError
from prodsched.lots.lot import Lot
from prodsched.objective import Objective, parse_objective
from prodsched.plant.model import Plant
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule, SolveInfo
from prodsched.schedule.stats import SolveStatus

# The score of every strategy in the benchmark: one weighted sum of costs.
BENCH_OBJECTIVE = "weighted-tardiness=1,setup-cost=1,holding-cost=1"


@dataclass(frozen=True)
class StrategySettings:
    """What a strategy may be told besides the plant.

    Parameters
    ----------
    objective
        The score every strategy is measured by (and the optimizers minimise).
    time_limit
        Wall seconds for an optimizer (heuristics take what they take).
    workers
        CP-SAT search workers.
    seed
        CP-SAT random seed (heuristics are deterministic and ignore it).
    deterministic_seconds
        When set, CP-SAT is limited by deterministic time instead of wall
        time; with ``workers=1`` runs then repeat exactly.
    parameter
        The strategy's own parameter when given as ``name:value`` (for
        ``fixed-lot``: the lot size as a multiple of a product's mean order
        quantity); ``None`` means the strategy's default.
    """

    objective: str = BENCH_OBJECTIVE
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    deterministic_seconds: float | None = None
    parameter: float | None = None

    def parsed_objective(self) -> Objective:
        """The objective, parsed."""
        return parse_objective(self.objective)


@runtime_checkable
class Strategy(Protocol):
    """A way to schedule a plant."""

    @property
    def name(self) -> str:
        """The name it is registered and reported under."""
        ...

    @property
    def kind(self) -> str:
        """``heuristic`` or ``optimizer``."""
        ...

    @property
    def summary(self) -> str:
        """One line on how it works."""
        ...

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """A schedule of ``plant`` in the plant format."""
        ...


Build = Callable[[Plant, StrategySettings], tuple[list[Lot], list[PlacedOp]]]


@dataclass(frozen=True)
class HeuristicStrategy:
    """A heuristic: a pure function from plant and settings to lots and placed steps.

    The schedule's info records the objective value (the score) and the
    seconds the heuristic took; its status is ``feasible``.
    """

    name: str
    summary: str
    build: Build
    kind: str = "heuristic"

    def __call__(self, plant: Plant, settings: StrategySettings) -> Schedule:
        """Run the heuristic and wrap its lots and placed steps as a schedule."""
        started = time.monotonic()
        lots, ops = self.build(plant, settings)
        schedule = Schedule(plant, lots, ops)
        objective = settings.parsed_objective()
        value = objective.stages[0].value(schedule.kpis)
        schedule.info = SolveInfo(
            status=SolveStatus.FEASIBLE, objective=float(value), bound=None,
            objective_name=str(objective), solve_seconds=time.monotonic() - started,
            details={"strategy": self.name})
        return schedule


REGISTRY: dict[str, Strategy] = {}


def register(strategy: Strategy) -> Strategy:
    """Add ``strategy`` to :data:`REGISTRY` under its name (a name is taken once)."""
    if strategy.name in REGISTRY:
        raise ValueError(f"a strategy named {strategy.name!r} is already registered")
    REGISTRY[strategy.name] = strategy
    return strategy


def split_name(text: str) -> tuple[str, float | None]:
    """``"fixed-lot:4"`` → ``("fixed-lot", 4.0)``; ``"edd"`` → ``("edd", None)``."""
    name, sep, value = text.strip().partition(":")
    if not sep:
        return name, None
    try:
        return name, float(value)
    except ValueError:
        raise UsageError(f"strategy {text!r}: {value!r} is not a number") from None


def get_strategy(text: str) -> tuple[Strategy, float | None]:
    """The registered strategy named in ``text`` and its parameter, if any.

    Raises
    ------
    UsageError
        For a name that is not registered.
    """
    name, parameter = split_name(text)
    strategy = REGISTRY.get(name)
    if strategy is None:
        raise UsageError(f"unknown strategy {name!r}; known: {', '.join(REGISTRY)}")
    return strategy, parameter


def run_strategy(plant: Plant, text: str, settings: StrategySettings) -> Schedule:
    """Run the strategy named in ``text`` (``name`` or ``name:parameter``)."""
    strategy, parameter = get_strategy(text)
    if parameter is not None:
        settings = replace(settings, parameter=parameter)
    return strategy(plant, settings)
