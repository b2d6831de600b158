"""The :class:`SolveInfo`: how a schedule was found (status, objective, bound,
and the sections of kpis.json that say how the solve went)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, cast, overload

from prodsched.schedule.stats import (
    BudgetNotes,
    DispatchStats,
    LnsSearchStats,
    ModelStats,
    SolveStatus,
    StageResult,
    WindowSearchStats,
)

T = TypeVar("T")


def _same(value: Any) -> Any:
    return value


class Section(Generic[T]):
    """A typed section of kpis.json: an attribute of :class:`SolveInfo` kept in
    its ``details`` under the attribute's name, where kpis.json writes it.

    Parameters
    ----------
    to_json
        The section as kpis.json writes it (default: as it is).
    from_json
        The section read back from kpis.json (default: as it is).
    """

    def __init__(self, to_json: Callable[[T], Any] = _same,
                 from_json: Callable[[Any], T] = _same):
        self.to_json, self.from_json = to_json, from_json
        self.key = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.key = name

    @overload
    def __get__(self, info: None, owner: type[Any]) -> Section[T]: ...

    @overload
    def __get__(self, info: SolveInfo, owner: type[Any]) -> T | None: ...

    def __get__(self, info: SolveInfo | None, owner: type[Any]) -> Section[T] | T | None:
        if info is None:
            return self
        return cast("T | None", info.details.get(self.key))

    def __set__(self, info: SolveInfo, value: T) -> None:
        info.details[self.key] = value


@dataclass
class SolveInfo:
    """How a schedule was found.

    kpis.json writes ``status``, ``objective``, ``bound``, ``gap`` and
    ``objective_name`` first, then the KPIs, then :attr:`details`.

    Parameters
    ----------
    status
        :class:`~prodsched.schedule.stats.SolveStatus` (``optimal``,
        ``feasible``, ``infeasible`` or ``unknown``; text is converted).
    objective, bound
        The objective's value and the best proven lower bound (for a
        lexicographic objective: of its first criterion).
    objective_name
        The objective as the user wrote it.
    solve_seconds
        Wall seconds from the start of the solve to the schedule.
    details
        The sections kpis.json writes after the KPIs, in the order the solve
        recorded them (which differs by route). The sections every route
        records are typed attributes kept here (:attr:`dispatch`,
        :attr:`budget`, :attr:`model`, :attr:`stages`, :attr:`objective_values`,
        :attr:`restricted`, :attr:`restricted_model_bound`,
        :attr:`interrupted`, the large-plant route's :attr:`lns` and the
        lot-sizing search's :attr:`windows`; ``None`` when not recorded): read
        and set them through the attributes. The other keys are one route's
        own, as JSON values: ``source``, ``left_shifted``, ``delayed_to_due``, ``modes``,
        ``relaxed_deadlines`` (full model); ``first_schedule_seconds``,
        ``provisional``, ``rejected``, ``rejected_final`` (large-plant route);
        ``handed_over`` (the full model's share before the large-plant route
        took over: its seconds, objective values, status and source);
        ``plan_lots``, ``objective_note`` (lot sizing); ``strategy``,
        ``lots_from``, ``phases`` (strategies).
    """

    status: SolveStatus = SolveStatus.UNKNOWN
    objective: float | None = None
    bound: float | None = None
    objective_name: str = ""
    solve_seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    dispatch = Section[DispatchStats](DispatchStats.as_dict, DispatchStats.from_dict)
    """The warm start and its candidates."""
    budget = Section[BudgetNotes](BudgetNotes.as_dict, BudgetNotes.from_dict)
    """How the solve spent its time limit."""
    model = Section[ModelStats](ModelStats.as_dict, ModelStats.from_dict)
    """Size of the model searched."""
    stages = Section[list[StageResult]](
        lambda stages: [s.as_dict() for s in stages],
        lambda data: [StageResult.from_dict(s) for s in data])
    """Every CP-SAT stage (absent when CP-SAT did not run)."""
    objective_values = Section[list[float | None]]()
    """The value of every criterion of the objective, most important first."""
    restricted = Section[list[str]]()
    """What restricts the model solved (its proof holds for the restricted model only)."""
    restricted_model_bound = Section[float | None]()
    """With ``restricted``: the restricted model's bound (``bound`` is then ``None``)."""
    interrupted = Section[bool | str]()
    """The solve was stopped (by the caller, or the signal's name on the command line)."""
    lns = Section[LnsSearchStats](LnsSearchStats.as_dict, LnsSearchStats.from_dict)
    """The large-plant route's neighbourhood search: windows, lot moves, trajectory."""
    windows = Section[WindowSearchStats](WindowSearchStats.as_dict, WindowSearchStats.from_dict)
    """The lot-sizing search: its first plan and fix-and-optimise windows."""

    def __post_init__(self) -> None:
        self.status = SolveStatus(self.status)

    @property
    def gap(self) -> float | None:
        """Relative gap ``(objective - bound) / objective`` (0 when both are 0)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def copy(self) -> SolveInfo:
        """A copy whose ``details`` can change without changing these."""
        return replace(self, details=dict(self.details))

    def details_dict(self) -> dict[str, Any]:
        """:attr:`details` as kpis.json writes them (typed sections as their dicts)."""
        return {key: SECTIONS[key].to_json(value) if key in SECTIONS else value
                for key, value in self.details.items()}


SECTIONS: dict[str, Section[Any]] = {
    name: value for name, value in vars(SolveInfo).items() if isinstance(value, Section)}


def details_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """:attr:`SolveInfo.details` read back from kpis.json: typed sections as their
    types; a section that does not read as its type (a hand-edited or older
    file) is left out."""
    details = {}
    for key, value in data.items():
        section = SECTIONS.get(key)
        if section is None:
            details[key] = value
            continue
        try:
            details[key] = section.from_json(value)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return details
