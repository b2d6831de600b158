"""The independent validator: checks a written schedule against its plant.

It re-derives everything (durations, setups, completions, KPIs) from the
plant format and the plant's raw data, sharing no code with the model
builder or the schedule writer, and reports every violation it finds: the
file format, the eleven rules every valid schedule satisfies (spec v2), and
the calendar.

Time 0 is the plant's as loaded; every time is compared as an absolute time.
Only ``makespan`` in kpis.json is relative to the solve's time 0, which is
kpis.json's ``time_zero`` when present.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from prodsched.plant.model import Plant
from prodsched.validate.fixed import check_fixed
from prodsched.validate.read import SCHEDULE, read_schedule
from prodsched.validate.reports import KPIS, REPORT, check_kpis, check_report, load_kpis, time_zero
from prodsched.validate.resources import check_resources
from prodsched.validate.rules import (
    check_calendar,
    check_deadlines,
    check_lots,
    check_overlaps,
    check_quantities,
    check_runs,
    check_setups,
    completions,
)
from prodsched.validate.setups import required_setup, setup_rule
from prodsched.validate.violation import Violation, format_report, sort_key

__all__ = [
    "Violation",
    "format_report",
    "required_setup",
    "setup_rule",
    "validate_dir",
    "validate_texts",
]


def validate_texts(plant: Plant, schedule_csv: str, orders_report_csv: str | None = None,
                   kpis_json: str | None = None) -> list[Violation]:
    """Check the text of a schedule's files against the plant.

    Parameters
    ----------
    plant
        The plant the schedule is for (as loaded; its time axis reads the times).
    schedule_csv
        The text of schedule.csv.
    orders_report_csv
        The text of orders_report.csv; not checked when ``None``.
    kpis_json
        The text of kpis.json; not checked when ``None``.

    Returns
    -------
    list of Violation
        Every violation found, by file and line; empty for a valid schedule.
    """
    out: list[Violation] = []
    kpis = None if kpis_json is None else load_kpis(kpis_json, out)
    zero = Fraction(0) if kpis is None else time_zero(plant, kpis, out)
    bars = read_schedule(plant, schedule_csv, out)
    if bars is None:
        return sorted(out, key=sort_key)
    check_quantities(plant, bars, out)
    check_runs(plant, bars, out)
    check_overlaps(plant, bars, out)
    check_calendar(plant, bars, out)
    setup_cost = check_setups(plant, bars, zero, out)
    check_lots(plant, bars, out)
    check_resources(plant, bars, out)
    check_fixed(plant, bars, out)
    done = completions(plant, bars)
    check_deadlines(plant, done, out)
    if orders_report_csv is not None:
        check_report(plant, orders_report_csv, bars, done, out)
    if kpis is not None:
        check_kpis(plant, kpis, bars, done, setup_cost, zero, out)
    return sorted(out, key=sort_key)


def validate_dir(plant: Plant, out_dir: str | Path) -> list[Violation]:
    """Check schedule.csv, orders_report.csv and kpis.json in ``out_dir``.

    Parameters
    ----------
    plant
        The plant the schedule is for.
    out_dir
        The folder the schedule was written to.

    Returns
    -------
    list of Violation
        Every violation found; a missing or unreadable file is one.
    """
    folder = Path(out_dir)
    texts: dict[str, str] = {}
    out: list[Violation] = []
    for name in (SCHEDULE, REPORT, KPIS):
        path = folder / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            out.append(Violation("format", f"missing file {path}", name, None))
        except (OSError, UnicodeDecodeError) as err:
            out.append(Violation("format", f"cannot read {path}: {err}", name, None))
    if SCHEDULE in texts:
        out += validate_texts(plant, texts[SCHEDULE], texts.get(REPORT), texts.get(KPIS))
    return sorted(out, key=sort_key)
