"""The check every schedule passes before anyone sees it: the independent validator
run on the very files the schedule would write."""

from __future__ import annotations

from prodsched.errors import InvalidScheduleError
from prodsched.schedule.schedule import Schedule
from prodsched.validate import validate_texts

__all__ = ["check_schedule"]


def check_schedule(schedule: Schedule) -> dict[str, str]:
    """Run the independent validator on the files this schedule would write; return them.

    Raises
    ------
    InvalidScheduleError
        Listing every violation; such a schedule is never written.
    """
    files = schedule.render()
    violations = validate_texts(schedule.plant, files["schedule.csv"],
                                files["orders_report.csv"], files["kpis.json"])
    if violations:
        listing = "\n".join(str(v) for v in violations[:20])
        raise InvalidScheduleError(
            f"internal error: the schedule breaks {len(violations)} rule(s):\n{listing}")
    return files
