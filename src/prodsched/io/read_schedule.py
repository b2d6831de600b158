"""Reading a written schedule back: schedule.csv (and kpis.json) → :class:`Schedule`.

The rows are read by the validator's reader (every format rule of
schedule.csv applies, with the line of each problem) and kept exactly as
written: a Gantt chart of a read schedule shows the file, bar for bar. The
lots and placed operations are rebuilt from the run rows (a lot keeps its id
and allocations across its steps), the orders report and the KPIs are
recomputed from the rows, and the solve's status, objective and bound come
from kpis.json when there is one. Setup costs, which schedule.csv does not
hold, are looked up in the plant's setup rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prodsched.errors import PlantError, Problem
from prodsched.lots.lot import STOCK, Lot
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import NO_CHANGEOVER, Changeover, SetupTable
from prodsched.schedule.kpis import Kpis, compute_kpis, order_outcomes
from prodsched.schedule.rows import PlacedOp, ScheduleRow
from prodsched.schedule.schedule import STATUSES, Schedule, SolveInfo
from prodsched.schedule.solve_info import details_from_json
from prodsched.schedule.stats import SolveStatus
from prodsched.validate.read import Bar, Time
from prodsched.validate.read import read_schedule as read_bars
from prodsched.validate.violation import Violation

SCHEDULE_FILE = "schedule.csv"
KPIS_FILE = "kpis.json"


class ScheduleFileError(PlantError):
    """A schedule file that cannot be read back; carries every problem (file:line: message)."""


def _problems(violations: Iterable[Violation], file: str) -> list[Problem]:
    return [Problem(file, v.line, None, None, v.message) for v in violations]


def info_from_kpis(kpis: dict[str, Any]) -> SolveInfo:
    """The :class:`SolveInfo` recorded in kpis.json (status, objective, bound, details;
    a status that is not one of :class:`SolveStatus` reads as ``unknown``)."""
    known = set(Kpis().__dict__) | {"status", "objective", "bound", "gap", "objective_name",
                                    "solve_seconds", "orders", "time_form", "time_zero",
                                    "makespan_end"}
    status = kpis.get("status")
    return SolveInfo(
        status=SolveStatus(status) if status in STATUSES else SolveStatus.UNKNOWN,
        objective=_float(kpis.get("objective")),
        bound=_float(kpis.get("bound")),
        objective_name=str(kpis.get("objective_name") or ""),
        solve_seconds=_float(kpis.get("solve_seconds")) or 0.0,
        details=details_from_json({k: v for k, v in kpis.items() if k not in known}),
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def schedule_from_csv(plant: Plant, text: str, info: SolveInfo | None = None, *,
                      file: str = SCHEDULE_FILE) -> Schedule:
    """A schedule from the text of schedule.csv.

    Parameters
    ----------
    plant
        The plant it schedules (loaded as when it was solved).
    text
        The text of schedule.csv.
    info
        Status, objective and bound to attach (see :func:`info_from_kpis`).
    file
        The name used in problems.

    Returns
    -------
    Schedule
        Its ``rows`` are the file's rows, in the file's order.

    Raises
    ------
    ScheduleFileError
        When a row cannot be read (each problem with its line).
    """
    violations: list[Violation] = []
    bars = read_bars(plant, text, violations)
    if violations or bars is None:
        if not violations:
            violations.append(Violation("format", "the file cannot be read", file, None))
        raise ScheduleFileError(_problems(violations, file))
    problems: list[Problem] = []
    rows = _rows(plant, bars, file, problems)
    if problems:
        raise ScheduleFileError(problems)
    return schedule_from_rows(plant, rows, info)


def _whole(value: Time, bar: Bar, column: str, file: str, problems: list[Problem]) -> int:
    if value.denominator != 1:
        problems.append(Problem(file, bar.line, None, column, "not a whole time unit"))
    return int(value)


def _rows(plant: Plant, bars: list[Bar], file: str, problems: list[Problem]) -> list[ScheduleRow]:
    setups = SetupTable(plant)
    state: dict[str, str | None] = {m: plant.machines[m].initial_state for m in plant.machines}
    rows = []
    for bar in bars:
        start = _whole(bar.start, bar, "start", file, problems)
        end = _whole(bar.end, bar, "end", file, problems)
        if bar.kind == "run":
            state[bar.machine] = bar.product
            rows.append(ScheduleRow(bar.machine, "run", start, end, bar.lot, bar.product,
                                    bar.mode, bar.step, bar.quantity, bar.orders))
        elif bar.kind == "setup":
            cost = setups.between(bar.machine, state.get(bar.machine), bar.product).cost
            rows.append(ScheduleRow(bar.machine, "setup", start, end, bar.lot, bar.product,
                                    cost=cost))
        else:
            rows.append(ScheduleRow(bar.machine, "down", start, end))
    return rows


def _lot(plant: Plant, row: ScheduleRow) -> Lot:
    orders = [plant.order_by_id[o] for o, _ in row.orders
              if o != STOCK and o in plant.order_by_id]
    dues = [o.due for o in orders if o.due is not None]
    deadlines = [o.deadline for o in orders if o.deadline is not None]
    return Lot(row.lot, row.product, Mode(row.mode), row.orders,
               release=max((o.release for o in orders), default=0),
               due=min(dues) if dues else None,
               deadline=min(deadlines) if deadlines else None)


def schedule_from_rows(plant: Plant, rows: list[ScheduleRow],
                       info: SolveInfo | None = None) -> Schedule:
    """A :class:`Schedule` whose rows are exactly ``rows``.

    Lots and placed operations are rebuilt from the run rows (the setup
    before a run is the setup row of the same lot that ends where the run
    starts on its machine); the orders report and KPIs come from the rows.
    """
    lots: dict[str, Lot] = {}
    setup_before: dict[tuple[str, str, int], ScheduleRow] = {}
    for row in rows:
        if row.kind == "setup":
            setup_before[(row.machine, row.lot, row.end)] = row
        elif row.kind == "run" and row.lot not in lots:
            lots[row.lot] = _lot(plant, row)
    ops = []
    for row in rows:
        if row.kind != "run":
            continue
        setup = setup_before.get((row.machine, row.lot, row.start))
        change = NO_CHANGEOVER if setup is None else Changeover(setup.end - setup.start,
                                                                setup.cost)
        ops.append(PlacedOp(lots[row.lot], row.step or 0, row.machine, row.start, row.end,
                            change))
    schedule = Schedule(plant, lots.values(), ops, info)
    schedule.rows = list(rows)
    schedule.outcomes = order_outcomes(plant, schedule.rows)
    schedule.kpis = compute_kpis(plant, schedule.rows, schedule.outcomes)
    return schedule


def read_schedule(plant: Plant, out_dir: str | Path) -> Schedule:
    """Read the schedule that ``prodsched solve`` wrote into ``out_dir``.

    Parameters
    ----------
    plant
        The plant it schedules (loaded as when it was solved).
    out_dir
        The folder holding schedule.csv (and kpis.json, optional).

    Returns
    -------
    Schedule
        Rows as in schedule.csv; status, objective and bound from kpis.json.

    Raises
    ------
    ScheduleFileError
        When schedule.csv is missing or cannot be read, or kpis.json is not JSON.
    """
    folder = Path(out_dir)
    path = folder / SCHEDULE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScheduleFileError([Problem(str(path), None, None, None,
                                         "file not found (run prodsched solve first)")]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScheduleFileError([Problem(str(path), None, None, None,
                                         f"cannot read the file: {err}")]) from None
    info = None
    kpis_path = folder / KPIS_FILE
    if kpis_path.is_file():
        try:
            kpis = json.loads(kpis_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ScheduleFileError([Problem(str(kpis_path), None, None, None,
                                             f"cannot read the file: {err}")]) from None
        if isinstance(kpis, dict):
            info = info_from_kpis(kpis)
    return schedule_from_csv(plant, text, info, file=str(path))
