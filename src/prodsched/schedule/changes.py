"""What changed against the previous plan (a plant with ``previous``).

Runs are matched by lot id and step. The runs **compared** are the previous
plan's runs that start at or after the plant's ``now`` (all of them without
one) and whose lot and step are in the new schedule. A compared run:

- **moved machine** when it runs on another machine;
- is **re-sequenced** when it stays on its machine but the run right before
  it there in the previous plan (its predecessor) is still on that machine
  and now starts after it; new lots put in between, and a predecessor that
  moved away, re-sequence nothing;
- **changed** when either holds: the criterion ``changes`` counts these
  (:attr:`~prodsched.schedule.kpis.Kpis.runs_changed`);
- started earlier or later: the start's shift in time units.

``new_lots``: lots of the schedule that the previous plan did not have;
``dropped_lots``: lots of the previous plan that the schedule does not have.
An order's ``completion_moved`` is its completion minus its completion in
the previous plan (the latest end of the previous runs carrying it); empty
when it lacks a completion in one of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from prodsched.plant.model import Plant
from prodsched.schedule.rows import ScheduleRow


@dataclass(frozen=True)
class Changes:
    """The changes against the previous plan (times in time units)."""

    runs_compared: int = 0
    runs_changed: int = 0
    moved_machine: int = 0
    resequenced: int = 0
    started_earlier: int = 0
    started_later: int = 0
    earlier_total: int = 0
    later_total: int = 0
    shift_max: int = 0
    new_lots: int = 0
    dropped_lots: int = 0

    def as_dict(self) -> dict[str, int]:
        """For kpis.json."""
        return asdict(self)


def compute_changes(plant: Plant, rows: list[ScheduleRow]) -> Changes:
    """The changes of a schedule's rows against ``plant.previous`` (none without it)."""
    previous = plant.previous
    if previous is None:
        return Changes()
    runs = {(r.lot, r.step or 1): r for r in rows if r.kind == "run"}
    moved = reseq = earlier = later = earlier_total = later_total = shift_max = compared = 0
    for old in previous.replanned(plant.now):
        key = (old.lot, old.step or 1)
        new = runs.get(key)
        if new is None:
            continue
        compared += 1
        if new.machine != old.machine:
            moved += 1
        else:
            before = previous.predecessors.get(key)
            other = runs.get(before) if before is not None else None
            if other is not None and other.machine == new.machine and other.start > new.start:
                reseq += 1
        shift = new.start - old.start
        if shift < 0:
            earlier, earlier_total = earlier + 1, earlier_total - shift
        elif shift > 0:
            later, later_total = later + 1, later_total + shift
        shift_max = max(shift_max, abs(shift))
    lots = {lot for lot, _ in runs}
    return Changes(compared, moved + reseq, moved, reseq, earlier, later, earlier_total,
                   later_total, shift_max, len(lots - set(previous.lots)),
                   len(set(previous.lots) - lots))


def completion_moves(plant: Plant, completions: dict[str, int | None]
                     ) -> dict[str, int | None]:
    """Per order (its completion given), that completion minus its completion in
    the previous plan."""
    before = plant.previous.completions() if plant.previous is not None else {}
    out: dict[str, int | None] = {}
    for order_id, done in completions.items():
        old = before.get(order_id)
        out[order_id] = None if done is None or old is None else done - old
    return out
