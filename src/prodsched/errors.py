"""Errors that reach the user: bad input with its exact place, infeasibility.

Every problem found in a plant's files is a :class:`Problem` naming the file,
the 1-based line and the 1-based column; loading collects all of them and
raises one :class:`PlantError` that carries them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an input file.

    Parameters
    ----------
    file
        The file's path as the user gave it (or the sheet's name).
    line
        1-based line number (the header is line 1); ``None`` for the whole file.
    column
        1-based column position; ``None`` for the whole line.
    column_name
        The column's name, repeated in the message so it reads on its own.
    message
        What is wrong and, where useful, what was expected.
    """

    file: str
    line: int | None = None
    column: int | None = None
    column_name: str | None = None
    message: str = ""

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = f"{self.column_name}: {self.message}" if self.column_name else self.message
        return f"{place}: {text}"


class ProdschedError(Exception):
    """Base class of the errors prodsched raises on purpose."""


class PlantError(ProdschedError):
    """The plant's files have problems; carries every one of them.

    Parameters
    ----------
    problems
        All problems found, in file and line order.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_key)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one ``file:line:column: message`` per line."""
        return "\n".join(str(p) for p in self.problems)


def _problem_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line or 0, p.column or 0, p.message)


class UsageError(ProdschedError):
    """A command-line or API argument is wrong (for instance an unknown objective)."""


@dataclass
class Conflict:
    """One reason a plant has no valid schedule."""

    orders: tuple[str, ...]
    constraint: str
    detail: str

    def __str__(self) -> str:
        who = ", ".join(self.orders) if self.orders else "plant"
        return f"{who}: {self.constraint}: {self.detail}"


@dataclass
class InfeasibleError(ProdschedError):
    """No schedule meets the hard constraints (deadlines, calendars, eligibility)."""

    conflicts: list[Conflict] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.conflicts:
            return "the plant is infeasible: no schedule meets every deadline and calendar"
        lines = ["the plant is infeasible:"] + [f"  {c}" for c in self.conflicts]
        return "\n".join(lines)


class InvalidScheduleError(RuntimeError):
    """The solver produced a schedule the validator rejects (a bug; never written)."""


class NoScheduleError(InfeasibleError):
    """No schedule was found within the time limit (the plant is not proved infeasible).

    A subclass of :class:`~prodsched.errors.InfeasibleError` so that code
    catching that keeps working; the command line exits 3 instead of 4.
    """

    def __init__(self, reason: str):
        super().__init__([])
        self.reason = reason

    def __str__(self) -> str:
        return (f"no schedule meeting every deadline was found within the time limit "
                f"({self.reason}); give more time (--time-limit), or --relax-deadlines")


class NoPlacementError(NoScheduleError):
    """No dispatch rule could place some lot's steps within their ``max_wait``, so
    there is no schedule to start from (the command line exits 3); ``tried``: the
    rules that failed."""

    def __init__(self, tried: int):
        super().__init__(f"no dispatch rule placed every lot's steps within their "
                         f"max_wait ({tried} tried)")

    def __str__(self) -> str:
        return (f"no schedule was found: {self.reason}; check the max_wait of "
                f"routings.csv against the calendars and the resources")
