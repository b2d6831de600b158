"""Rule 11: every row of fixed.csv appears in schedule.csv unchanged; every other
run and setup starts no earlier than the plant's ``now``.

A fixed run matches a run row with the same machine, lot, product, mode,
step, quantity, allocations (in any order), start and end; a fixed setup a
setup row with the same machine, lot, product, start and end. Each row of
schedule.csv matches at most one fixed row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from prodsched.plant.model import FixedRow, Plant
from prodsched.validate.read import SCHEDULE, Bar
from prodsched.validate.violation import Violation

FIXED = "fixed.csv"


def _fixed_key(row: FixedRow) -> Hashable:
    if row.kind == "setup":
        return ("setup", row.machine, row.lot, row.product, row.start, row.end)
    mode = None if row.mode is None else row.mode.value
    return ("run", row.machine, row.lot, row.product, mode, row.step, row.quantity,
            frozenset(row.allocations), row.start, row.end)


def _bar_key(bar: Bar) -> Hashable:
    if bar.kind == "setup":
        return ("setup", bar.machine, bar.lot, bar.product, bar.start, bar.end)
    return ("run", bar.machine, bar.lot, bar.product, bar.mode, bar.step, bar.quantity,
            frozenset(bar.orders), bar.start, bar.end)


def check_fixed(plant: Plant, bars: list[Bar], out: list[Violation]) -> None:
    """Rule 11 (nothing to check for a plant without fixed.csv and ``now``)."""
    if not plant.fixed and plant.now is None:
        return
    fmt = plant.time_axis.format
    unmatched: dict[Hashable, list[Bar]] = defaultdict(list)
    for bar in bars:
        if bar.kind in ("run", "setup"):
            unmatched[_bar_key(bar)].append(bar)
    kept: set[int] = set()
    for row in plant.fixed:
        candidates = unmatched.get(_fixed_key(row))
        if candidates:
            kept.add(candidates.pop(0).line)
            continue
        step = f" step {row.step}" if row.kind == "run" else ""
        same = [b for b in bars if b.kind == row.kind and b.lot == row.lot
                and (row.kind == "setup" or b.step == row.step) and b.line not in kept]
        found = ("; schedule.csv has no such row" if not same else
                 "; schedule.csv has it " + ", ".join(
                     f"on {b.machine} [{fmt(b.start)}, {fmt(b.end)}) at line {b.line}"
                     for b in same[:3]))
        out.append(Violation("11 fixed", f"the fixed {row.kind} of lot {row.lot}{step} on "
                             f"{row.machine} [{fmt(row.start)}, {fmt(row.end)}) "
                             f"({FIXED} line {row.line}) is not kept unchanged{found}",
                             SCHEDULE, None))
    if plant.now is None:
        return
    for bar in bars:
        if bar.kind in ("run", "setup") and bar.line not in kept and bar.start < plant.now:
            out.append(Violation("11 now", f"{bar.kind} of lot {bar.lot} on {bar.machine} "
                                 f"starts at {fmt(bar.start)}, before now ({fmt(plant.now)}), "
                                 f"and is not in {FIXED}", SCHEDULE, bar.line))
