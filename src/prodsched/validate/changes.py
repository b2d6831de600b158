"""Re-planning reports agree with schedule.csv and the previous plan.

When the plant carries the plan it re-plans (``Plant.previous``), kpis.json's
``changes`` (when present) and orders_report.csv's ``completion_moved``
column (when present) must be what the two plans imply. Written from the
definitions in docs/replanning.md ("Planning every morning"), not from the code that
writes the reports:

- runs are matched by lot id and step; the runs compared are the previous
  runs starting at or after ``now`` whose lot and step the schedule has;
- a compared run on another machine has moved machine; one on its machine
  whose previous predecessor there is on that machine and starts later is
  re-sequenced; ``runs_changed`` is their sum;
- start shifts: count, total and largest, earlier and later apart;
- ``new_lots`` / ``dropped_lots``: lots in one plan only;
- ``completion_moved``: completion minus the previous completion (the
  latest end of the previous runs carrying the order), empty without one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from prodsched.plant.model import FixedRow, Plant
from prodsched.plant.values import parse_number
from prodsched.validate.read import Bar, Time
from prodsched.validate.violation import Violation

KPIS = "kpis.json"
REPORT = "orders_report.csv"
MOVED_COLUMN = "completion_moved"


def expected_changes(plant: Plant, bars: list[Bar]) -> dict[str, int]:
    """kpis.json's ``changes`` as schedule.csv and the previous plan imply (see the module)."""
    assert plant.previous is not None
    old_runs: dict[tuple[str, int], FixedRow] = {
        (r.lot, r.step or 1): r for r in plant.previous.rows if r.kind == "run"}
    new_runs = {(b.lot, b.step or 1): b for b in bars if b.kind == "run"}
    on_machine: dict[str, list[FixedRow]] = defaultdict(list)
    for r in old_runs.values():
        on_machine[r.machine].append(r)
    before: dict[tuple[str, int], tuple[str, int]] = {}
    for rows in on_machine.values():
        rows.sort(key=lambda r: (r.start, r.end))
        for k in range(1, len(rows)):
            before[(rows[k].lot, rows[k].step or 1)] = (rows[k - 1].lot, rows[k - 1].step or 1)
    now = plant.now
    out = dict.fromkeys(("runs_compared", "runs_changed", "moved_machine", "resequenced",
                         "started_earlier", "started_later", "earlier_total", "later_total",
                         "shift_max"), 0)
    for key, old in old_runs.items():
        new = new_runs.get(key)
        if new is None or (now is not None and old.start < now):
            continue
        out["runs_compared"] += 1
        if new.machine != old.machine:
            out["moved_machine"] += 1
        elif key in before:
            pred = new_runs.get(before[key])
            if pred is not None and pred.machine == new.machine and pred.start > new.start:
                out["resequenced"] += 1
        shift = int(new.start) - old.start
        if shift:
            side = "earlier" if shift < 0 else "later"
            out[f"started_{side}"] += 1
            out[f"{side}_total"] += abs(shift)
        out["shift_max"] = max(out["shift_max"], abs(shift))
    out["runs_changed"] = out["moved_machine"] + out["resequenced"]
    old_lots = {lot for lot, _ in old_runs}
    new_lots = {lot for lot, _ in new_runs}
    out["new_lots"] = len(new_lots - old_lots)
    out["dropped_lots"] = len(old_lots - new_lots)
    return out


def check_changes(plant: Plant, kpis: dict[str, Any], bars: list[Bar],
                  out: list[Violation]) -> None:
    """kpis.json's ``changes`` agrees (checked when both it and the previous plan exist)."""
    if plant.previous is None or "changes" not in kpis:
        return
    given = kpis["changes"]
    if not isinstance(given, dict):
        out.append(Violation("9 report", "changes is not an object", KPIS, None))
        return
    for key, want in expected_changes(plant, bars).items():
        got = given.get(key)
        if got != want:
            out.append(Violation("9 report", f"changes.{key} is {got!r}; schedule.csv and the "
                                 f"previous plan give {want}", KPIS, None))
    if "runs_changed" in kpis and kpis["runs_changed"] != given.get("runs_changed"):
        out.append(Violation("9 report", f"runs_changed {kpis['runs_changed']!r} differs from "
                             f"changes.runs_changed {given.get('runs_changed')!r}", KPIS, None))


def previous_completions(plant: Plant) -> dict[str, int]:
    """Per order, the latest end of the previous plan's runs carrying it."""
    assert plant.previous is not None
    out: dict[str, int] = {}
    for r in plant.previous.rows:
        if r.kind == "run":
            for order_id, _ in r.allocations:
                out[order_id] = max(out.get(order_id, r.end), r.end)
    return out


def moved_problem(text: str, completion: Time | None, before: int | None) -> str | None:
    """The problem with one order's ``completion_moved`` cell, if any."""
    want = None if completion is None or before is None else completion - before
    if want is None:
        return None if text == "" else f"{MOVED_COLUMN} {text!r}, expected ''"
    try:
        got = parse_number(text)
    except ValueError:
        got = None
    if got != want:
        return f"{MOVED_COLUMN} {text!r}, expected {want}"
    return None
