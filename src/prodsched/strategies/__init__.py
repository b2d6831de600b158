"""Changeover strategies: heuristics and optimizers behind one call, by name.

Every strategy takes a plant and :class:`StrategySettings` and returns a
:class:`~prodsched.schedule.schedule.Schedule` in the plant format::

    from prodsched.strategies import StrategySettings, run_strategy
    schedule = run_strategy(plant, "atcs", StrategySettings())
    schedule = run_strategy(plant, "fixed-lot:4", StrategySettings())

:data:`REGISTRY` lists them, in the order they were registered: the
heuristics of :mod:`prodsched.strategies.heuristics`, then the optimizers of
:mod:`prodsched.strategies.optimizer`.
"""

from prodsched.strategies import heuristics as _heuristics  # noqa: F401  (registers)
from prodsched.strategies import optimizer as _optimizer  # noqa: F401  (registers)
from prodsched.strategies.base import (
    BENCH_OBJECTIVE,
    REGISTRY,
    HeuristicStrategy,
    Strategy,
    StrategySettings,
    get_strategy,
    register,
    run_strategy,
)

__all__ = [
    "BENCH_OBJECTIVE",
    "REGISTRY",
    "HeuristicStrategy",
    "Strategy",
    "StrategySettings",
    "get_strategy",
    "register",
    "run_strategy",
]
