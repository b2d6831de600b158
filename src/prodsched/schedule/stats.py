"""The typed sections of a solve's result: its status and the statistics that
every solve route records in kpis.json.

Each statistics record is a small frozen dataclass whose ``as_dict()`` is the
section exactly as kpis.json writes it (same keys, same order, same rounding)
and whose ``from_dict()`` reads that section back. :class:`SolveInfo
<prodsched.schedule.solve_info.SolveInfo>` holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, ClassVar


class SolveStatus(StrEnum):
    """How good a solve's schedule is known to be (kpis.json ``status``).

    A ``str``: ``status == "optimal"`` holds for :attr:`OPTIMAL`, and JSON
    writes the plain text.
    """

    OPTIMAL = "optimal"
    """No valid schedule of the plant has a better objective (a proof)."""
    FEASIBLE = "feasible"
    """A valid schedule, without a proof that none is better."""
    INFEASIBLE = "infeasible"
    """Proved: no schedule meets every constraint."""
    UNKNOWN = "unknown"
    """Neither a schedule nor a proof (the time ran out first)."""


class StageLimit(StrEnum):
    """What ended a CP-SAT stage (kpis.json ``stages[].limit``); a ``str``, like
    :class:`SolveStatus`."""

    DONE = "done"
    """Solved to the gap or to optimality (or proved infeasible)."""
    DETERMINISTIC = "deterministic"
    """The deterministic-time budget ran out."""
    WALL = "wall"
    """The wall-clock deadline; with a deterministic budget this makes a run
    unrepeatable."""
    STOPPED = "stopped"
    """``stop`` was requested or ``stop_search`` called."""
    SHARE = "share"
    """A stage before the last used its share of the time
    (:data:`prodsched.cpsat_runner.STAGE_SHARE`)."""


@dataclass(frozen=True)
class StageResult:
    """Outcome of one CP-SAT stage (one criterion of a lexicographic objective;
    kpis.json ``stages``).

    Parameters
    ----------
    name
        The stage's criterion (``feasibility`` for a search without one).
    status
        The stage's own status.
    objective, bound
        The stage's best value and proven bound (``None``: no solution).
    seconds
        Wall seconds of the stage.
    deterministic_seconds
        CP-SAT's deterministic time of the stage (rounded to 3 decimals).
    limit
        What ended it (:class:`StageLimit`).
    """

    name: str
    status: SolveStatus
    objective: float | None
    bound: float | None
    seconds: float
    deterministic_seconds: float = 0.0
    limit: StageLimit = StageLimit.DONE

    def as_dict(self) -> dict[str, Any]:
        """The stage as kpis.json writes it."""
        return {"name": self.name, "status": self.status.value, "objective": self.objective,
                "bound": self.bound, "seconds": self.seconds,
                "deterministic_seconds": self.deterministic_seconds, "limit": self.limit.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageResult:
        """A stage read back from :meth:`as_dict`."""
        return cls(**{**data, "status": SolveStatus(data["status"]),
                      "limit": StageLimit(data.get("limit", StageLimit.DONE))})


@dataclass(frozen=True)
class BudgetNotes:
    """How a solve spent its time limit (kpis.json ``budget``).

    Only the notes a solve set are written, in the order it set them: the
    full model learns the warm start's seconds before the search's budget,
    the large-plant route after it, and an early checkpoint of that route has
    no finish reserve yet. A note not set reads as its default.

    Parameters
    ----------
    time_limit
        Seconds for the whole solve.
    repeatable
        Decided from the plant and the limit only (one worker).
    warm_start_seconds
        Seconds from the start to the chosen warm start.
    warm_start_skipped
        The warm-start candidates skipped for lack of time.
    deterministic_seconds
        The search's budget in CP-SAT's deterministic time (``None``: wall
        clock only).
    wall_limit_hit
        A search ended on the wall clock rather than its deterministic budget.
    finish_reserve
        Seconds kept from the end of the limit to finish (validate, write).
    max_arcs_per_machine
        Sequencing arcs kept per machine in the full model (``None``: no
        time for a model).
    written
        The notes set, in the order they were set.
    """

    time_limit: float = 0.0
    repeatable: bool = False
    warm_start_seconds: float = 0.0
    warm_start_skipped: list[str] = field(default_factory=list)
    deterministic_seconds: float | None = None
    wall_limit_hit: bool = False
    finish_reserve: float = 0.0
    max_arcs_per_machine: int | None = None
    written: tuple[str, ...] = ()

    def updated(self, **notes: Any) -> BudgetNotes:
        """These notes with ``notes`` set (a new one is written after the others).

        Raises
        ------
        TypeError
            For a name that is not a note.
        """
        if "written" in notes:
            raise TypeError("'written' is not a note")
        new = tuple(name for name in notes if name not in self.written)
        return replace(self, **notes, written=self.written + new)

    def as_dict(self) -> dict[str, Any]:
        """The notes set, as kpis.json writes them."""
        return {name: getattr(self, name) for name in self.written}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BudgetNotes:
        """Notes read back from :meth:`as_dict`."""
        return cls().updated(**data)


@dataclass(frozen=True)
class DispatchStats:
    """The warm start of a solve (kpis.json ``dispatch``).

    Parameters
    ----------
    warm_start
        The candidate schedule the search started from.
    objectives
        Every candidate's objective values, by name (``None``: not yet known,
        in an early checkpoint of the large-plant route).
    seconds
        Seconds each candidate took, by name (large-plant route only).
    breaks_rules
        The best candidate meets every deadline but breaks a rule of the
        plant, so it was only a hint (full model only).
    """

    warm_start: str
    objectives: dict[str, list[float]] | None = None
    seconds: dict[str, float] | None = None
    breaks_rules: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The section as kpis.json writes it (absent parts left out)."""
        out: dict[str, Any] = {"warm_start": self.warm_start}
        if self.objectives is not None:
            out["objectives"] = self.objectives
        if self.seconds is not None:
            out["seconds"] = self.seconds
        if self.breaks_rules:
            out["breaks_rules"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DispatchStats:
        """The section read back from :meth:`as_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class ModelStats:
    """Size of the model a solve searched (kpis.json ``model``): one subclass per
    ``kind`` of model, whose fields follow ``kind`` in kpis.json."""

    kind: ClassVar[str] = ""

    def as_dict(self) -> dict[str, Any]:
        """The section as kpis.json writes it."""
        return {"kind": self.kind, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelStats:
        """The section read back from :meth:`as_dict`, of the class its ``kind`` names."""
        kind = MODEL_KINDS[data["kind"]]
        if not issubclass(kind, cls):
            raise ValueError(f"not a {cls.kind} model: {data['kind']!r}")
        return kind(**{k: v for k, v in data.items() if k != "kind"})


@dataclass(frozen=True)
class JobShopModelStats(ModelStats):
    """Size of the full job-shop model (kpis.json ``model``, kind ``jobshop``).

    Parameters
    ----------
    lots, operations
        Lots (slots included) and their steps in the model.
    circuit_machines, circuit_arcs
        Machines sequenced by a circuit, and their arcs.
    restricted_machines
        Machines whose sequencing arcs were pruned.
    horizon
        The model's time horizon.
    build_seconds
        Seconds to build the model (rounded to 3 decimals).
    """

    kind: ClassVar[str] = "jobshop"
    lots: int
    operations: int
    circuit_machines: int
    circuit_arcs: int
    restricted_machines: list[str]
    horizon: int
    build_seconds: float


@dataclass(frozen=True)
class LotSizingModelStats(ModelStats):
    """Size of the lot-sizing model (kpis.json ``model``, kind ``lotsizing``).

    Parameters
    ----------
    bucket_length, buckets
        Time units per bucket, and the number of buckets.
    items
        Items planned (a product's demand to a due date).
    lot_variables
        Lot variables of the model.
    build_seconds
        Seconds to build the model (rounded to 3 decimals).
    """

    kind: ClassVar[str] = "lotsizing"
    bucket_length: int
    buckets: int
    items: int
    lot_variables: int
    build_seconds: float


@dataclass(frozen=True)
class LnsModelStats(ModelStats):
    """Size of the large-plant route's schedule (kpis.json ``model``, kind ``lns``).

    Parameters
    ----------
    lots, operations
        Lots and steps of the start schedule.
    lot_seconds
        Seconds to plan the lots (rounded to 3 decimals).
    """

    kind: ClassVar[str] = "lns"
    lots: int
    operations: int
    lot_seconds: float


MODEL_KINDS: dict[str, type[ModelStats]] = {
    k.kind: k for k in (JobShopModelStats, LotSizingModelStats, LnsModelStats)}


@dataclass(frozen=True)
class LnsSearchStats:
    """What the large-plant route's neighbourhood search did (kpis.json ``lns``).

    Parameters
    ----------
    windows
        CP-SAT windows solved.
    improved
        Improvements kept (windows and lot moves).
    solved_optimal
        Windows solved to optimality.
    sub_seconds, build_seconds, deterministic_seconds
        Wall seconds in the windows' CP-SAT solves and in building their models,
        and the solves' deterministic time (rounded to 3 decimals).
    lot_moves, lot_moves_kept
        Lot moves re-timed, and rounds of them whose best move was kept.
    lot_windows, lot_windows_kept
        Windows that resized lots (:mod:`prodsched.lns.lot_window`), and those kept.
    delays_kept
        Passes that moved runs later towards their due dates
        (:mod:`prodsched.lns.towards_due`) and were kept.
    mean_window
        Mean operations per window (rounded to 1 decimal).
    trajectory
        ``(seconds, value of the first objective stage)`` at the start and at
        every improvement.
    """

    windows: int = 0
    improved: int = 0
    solved_optimal: int = 0
    sub_seconds: float = 0.0
    build_seconds: float = 0.0
    deterministic_seconds: float = 0.0
    lot_moves: int = 0
    lot_moves_kept: int = 0
    lot_windows: int = 0
    lot_windows_kept: int = 0
    delays_kept: int = 0
    mean_window: float = 0.0
    trajectory: tuple[tuple[float, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The section as kpis.json writes it."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["trajectory"] = [[t, v] for t, v in self.trajectory]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LnsSearchStats:
        """The section read back from :meth:`as_dict`."""
        trajectory = tuple((float(t), float(v)) for t, v in data.get("trajectory", ()))
        return cls(**{**data, "trajectory": trajectory})


@dataclass
class WindowSearchStats:
    """What the lot-sizing search did (kpis.json ``windows``).

    Parameters
    ----------
    windows, improved, proved
        Fix-and-optimise windows solved, those that gave a better plan, and
        those proved optimal.
    last_width
        Buckets in the last window.
    seconds
        Wall seconds in the windows (rounded to 3 decimals).
    proved_whole_horizon
        A window over every bucket was proved optimal.
    first_plan
        The backward first plan's value (its last objective stage); ``None``
        when it broke a rule of the model and the search started without it.
    mip
        Where the model is all linear (changeovers independent of the sequence)
        and the time limited, what the MIP (HiGHS) gave: ``proved`` (its plan is
        the result), ``plan`` (a plan, the search's start when better than the
        backward one), ``none`` (no plan in its time); ``None``: not tried.
    """

    windows: int = 0
    improved: int = 0
    proved: int = 0
    last_width: int = 0
    seconds: float = 0.0
    proved_whole_horizon: bool = False
    first_plan: float | None = None
    mip: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The section as kpis.json writes it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WindowSearchStats:
        """The section read back from :meth:`as_dict`."""
        return cls(**data)
