"""The schedule: rows of schedule.csv, KPIs, the orders report, and their files."""

from prodsched.schedule.kpis import Kpis, OrderOutcome, compute_kpis, order_outcomes
from prodsched.schedule.resource_kpis import ResourceKpis, resource_kpis
from prodsched.schedule.rows import PlacedOp, ScheduleRow, rows_from_ops
from prodsched.schedule.schedule import REPORT_COLUMNS, SCHEDULE_COLUMNS, Schedule
from prodsched.schedule.solve_info import SolveInfo
from prodsched.schedule.stats import (
    BudgetNotes,
    DispatchStats,
    JobShopModelStats,
    LnsModelStats,
    LnsSearchStats,
    LotSizingModelStats,
    ModelStats,
    SolveStatus,
    StageLimit,
    StageResult,
    WindowSearchStats,
)

__all__ = [
    "REPORT_COLUMNS",
    "SCHEDULE_COLUMNS",
    "BudgetNotes",
    "DispatchStats",
    "JobShopModelStats",
    "Kpis",
    "LnsModelStats",
    "LnsSearchStats",
    "LotSizingModelStats",
    "ModelStats",
    "OrderOutcome",
    "PlacedOp",
    "ResourceKpis",
    "Schedule",
    "ScheduleRow",
    "SolveInfo",
    "SolveStatus",
    "StageLimit",
    "StageResult",
    "WindowSearchStats",
    "compute_kpis",
    "order_outcomes",
    "resource_kpis",
    "rows_from_ops",
]
