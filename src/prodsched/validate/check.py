"""The check every schedule passes before anyone sees it: the independent validator
run on the very files the schedule would write."""

from __future__ import annotations

from collections.abc import Sequence

from prodsched.errors import InvalidScheduleError
from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant
from prodsched.schedule.schedule import Schedule
from prodsched.validate import Violation, validate_texts

__all__ = ["check_schedule", "follows_rules", "schedule_violations"]


def _file_violations(plant: Plant, files: dict[str, str]) -> list[Violation]:
    """The validator on the files a schedule renders (schedule.csv, the orders report,
    kpis.json)."""
    return validate_texts(plant, files["schedule.csv"], files["orders_report.csv"],
                          files["kpis.json"])


def schedule_violations(schedule: Schedule) -> list[Violation]:
    """Every rule the files this schedule would write break (empty: valid)."""
    return _file_violations(schedule.plant, schedule.render())


def check_schedule(schedule: Schedule) -> dict[str, str]:
    """Run the independent validator on the files this schedule would write; return them.

    Raises
    ------
    InvalidScheduleError
        Listing every violation; such a schedule is never written.
    """
    files = schedule.render()
    violations = _file_violations(schedule.plant, files)
    if violations:
        listing = "\n".join(str(v) for v in violations[:20])
        raise InvalidScheduleError(
            f"internal error: the schedule breaks {len(violations)} rule(s):\n{listing}")
    return files


def follows_rules(plant: Plant, lots: list[Lot], ops: Sequence[PlacedOp]) -> bool:
    """Whether a schedule made by a heuristic (a warm start, a left shift, a dispatch
    start) follows every rule of the plant.

    On a plant with rules of spec v2
    (:attr:`~prodsched.plant.model.Plant.uses_v2_rules`) their schedules are
    checked by the validator before they are used, so that one breaking a rule
    stays a hint (the timeline books those rules; this keeps a slip of it from
    failing a solve). Plants without v2 rules are not checked here.
    """
    if not plant.uses_v2_rules:
        return True
    return not schedule_violations(Schedule(plant, lots, list(ops)))
