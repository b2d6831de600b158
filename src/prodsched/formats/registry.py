"""Instance formats other than a plant folder (benchmark files), by name.

Each reader turns one file into the project's own :class:`Plant`, so every
benchmark runs through the same model and validator as a user's plant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from prodsched.errors import UsageError
from prodsched.jobshop.builder import ModelExtension
from prodsched.plant.model import Plant
from prodsched.schedule.rows import PlacedOp
from prodsched.stop import NO_STOP, Stop


class WarmStarts(Protocol):
    """``warm_starts(plant, time_limit, seed=..., workers=..., stop=...)``: complete
    schedules ``(name, placed operations)``; ``seed`` is the solve's random seed (that of
    the heuristics' random choices); ``workers`` is the solve's worker count (heuristics
    may run that many searches in parallel); ``stop`` (a :class:`~prodsched.stop.Stop`,
    its flag polled by long heuristics) asks them to return what they have, and its
    deadline, if any, ends them."""

    def __call__(self, plant: Plant, time_limit: float, *, seed: int = 0, workers: int = 1,
                 stop: Stop = NO_STOP) -> list[tuple[str, list[PlacedOp]]]:
        ...


def no_warm_starts(plant: Plant, time_limit: float, *, seed: int = 0, workers: int = 1,
                   stop: Stop = NO_STOP) -> list[tuple[str, list[PlacedOp]]]:
    """The default of a format without heuristics of its own: none."""
    return []


@dataclass(frozen=True)
class InstanceFormat:
    """A benchmark file format.

    Parameters
    ----------
    name
        The ``--format`` value.
    description
        One line for ``--help``.
    read
        File → Plant; raises :class:`~prodsched.errors.PlantError` (with
        file, line and column) on bad input.
    objective
        The objective the format's benchmarks are measured by.
    model
        ``"jobshop"`` or ``"lotsizing"``.
    extensions
        Constraints the format adds to the job-shop model (for example one
        job order on every machine).
    warm_starts
        ``warm_starts(plant, time_limit, seed=0, workers=1, stop=NO_STOP)``: complete
        schedules ``(name, placed operations)`` that compete with the dispatch rules
        as the warm start (see :class:`~prodsched.pipeline.SolveRequest`). It may
        use part of ``time_limit`` (the whole solve's seconds) and returns early,
        with what it has, once ``stop`` requests it or at its deadline.
    """

    name: str
    description: str
    read: Callable[[Path], Plant]
    objective: str = "makespan"
    model: str = "jobshop"
    extensions: Callable[[Plant], list[ModelExtension]] = field(default=lambda plant: [])
    warm_starts: WarmStarts = field(default=no_warm_starts)


FORMATS: dict[str, InstanceFormat] = {}


def register(fmt: InstanceFormat) -> InstanceFormat:
    """Make a format available to ``prodsched solve --format``."""
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> InstanceFormat:
    """The format called ``name``.

    Raises
    ------
    UsageError
        When no such format is registered.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; known: {', '.join(sorted(FORMATS))}") from None
