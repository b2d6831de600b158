"""A violation of the schedule format or of one of the rules every schedule satisfies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

FILE_ORDER = ("schedule.csv", "orders_report.csv", "kpis.json")


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a schedule.

    Parameters
    ----------
    rule
        The rule broken: ``"1 quantities"``, ``"2 eligibility"``,
        ``"2 duration"``, ``"2 pause"``, ``"3 overlap"``, ``"4 setup"``,
        ``"5 precedence"``, ``"5 max_wait"``, ``"6 release"``, ``"7 lot size"``,
        ``"8 deadline"``, ``"9 report"``, ``"10 resource"``, ``"11 fixed"``,
        ``"11 now"``, ``"calendar"`` or ``"format"``.
    message
        What is wrong, naming the lot, order or machine and the numbers involved.
    file
        ``"schedule.csv"``, ``"orders_report.csv"`` or ``"kpis.json"``.
    line
        1-based line in that file (the header is line 1) when the violation
        is about one row, else ``None``.
    """

    rule: str
    message: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{place}: [{self.rule}] {self.message}"


def sort_key(v: Violation) -> tuple[int, int, str]:
    """Order of a report: file, then line (whole-file violations first)."""
    rank = FILE_ORDER.index(v.file) if v.file in FILE_ORDER else len(FILE_ORDER)
    return (rank, v.line or 0, v.rule)


def format_report(violations: Iterable[Violation]) -> str:
    """One violation per line and a summary line, for the command line.

    Parameters
    ----------
    violations
        As returned by :func:`~prodsched.validate.validate_texts`.

    Returns
    -------
    str
        The report; its last line says how many violations of which rule
        were found, or that the schedule is valid.
    """
    found = list(violations)
    if not found:
        return "valid: no violations found"
    counts = Counter(v.rule for v in found)
    summary = ", ".join(f"{n} [{rule}]" for rule, n in sorted(counts.items()))
    noun = "violation" if len(found) == 1 else "violations"
    return "\n".join([*(str(v) for v in found), f"{len(found)} {noun}: {summary}"])
