"""Benchmark sets and their best-known solutions (``bks.csv``).

A benchmark folder holds one folder per set (``jssp/``, ``fjsp/``,
``sdst_pfsp/``), each with ``instances/`` and ``bks.csv`` (columns
``instance,objective,best_known_upper,lower_bound,optimal,source``).
"""

from __future__ import annotations

import csv
import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from prodsched.errors import UsageError
from prodsched.formats.fjsp import parse_fjsp
from prodsched.formats.jssp import parse_jssp
from prodsched.formats.sdst_pfsp import parse_sdst_pfsp
from prodsched.formats.shop import ShopInstance


@dataclass(frozen=True)
class BenchmarkSet:
    """A set of instances in one benchmark format.

    Parameters
    ----------
    name
        The set's folder name.
    format_name
        The registered :class:`~prodsched.formats.InstanceFormat` that reads
        its files into a plant.
    parse
        The same file as a :class:`ShopInstance`, for the plain model and the
        feasibility check.
    """

    name: str
    format_name: str
    parse: Callable[[Path], ShopInstance]


SETS: dict[str, BenchmarkSet] = {s.name: s for s in (
    BenchmarkSet("jssp", "jssp", parse_jssp),
    BenchmarkSet("fjsp", "fjsp", parse_fjsp),
    BenchmarkSet("sdst_pfsp", "sdst-pfsp", parse_sdst_pfsp),
)}


def get_set(name: str) -> BenchmarkSet:
    """The set called ``name`` (its folder name or its format's name)."""
    for s in SETS.values():
        if name in (s.name, s.format_name):
            return s
    raise UsageError(f"unknown benchmark set {name!r}; known: {', '.join(SETS)}")


@dataclass(frozen=True)
class BestKnown:
    """Best-known upper bound and proven lower bound of one instance."""

    upper: float | None
    lower: float | None
    optimal: bool


def read_bks(path: Path) -> dict[str, BestKnown]:
    """The rows of a ``bks.csv``, by instance name (empty cells read as ``None``)."""
    out: dict[str, BestKnown] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["instance"]] = BestKnown(
                upper=_number(row.get("best_known_upper")),
                lower=_number(row.get("lower_bound")),
                optimal=(row.get("optimal") or "").strip().lower() == "yes")
    return out


def _number(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def instance_files(set_dir: Path, patterns: Sequence[str] = ()) -> list[Path]:
    """The set's instance files whose name (without extension) matches a glob pattern.

    Files are sorted by name; no pattern selects them all. Patterns may be
    comma-separated (``la0[1-5],ta01``).
    """
    globs = [p.strip() for pattern in patterns for p in pattern.split(",") if p.strip()]
    files = sorted(f for f in (set_dir / "instances").iterdir() if f.is_file())
    if not globs:
        return files
    return [f for f in files if any(fnmatch.fnmatchcase(f.stem, g) for g in globs)]


def pct_above(value: float | None, reference: float | None) -> float | None:
    """``100 * (value - reference) / reference`` (``None`` when either is unknown or 0)."""
    if value is None or not reference:
        return None
    return 100.0 * (value - reference) / reference


def pct_gap(value: float | None, bound: float | None) -> float | None:
    """``100 * (value - bound) / value``: how far the proof is from the solution."""
    if value is None or bound is None or not value:
        return None
    return max(0.0, 100.0 * (value - bound) / value)
