"""A schedule's outputs as spreadsheet and columnar files: .xlsx and Parquet.

- :func:`schedule_workbook` — one workbook with the sheets ``schedule``,
  ``orders_report`` and ``kpis``, times as date-time cells (the plant's
  wall-clock time; Excel has no time zones, so the zone is noted on the kpis
  sheet) or numbers;
- :func:`schedule_parquet` — ``schedule.parquet`` and ``orders_report.parquet``
  (pyarrow), typed columns (nullable integers, numbers or time-zone-aware
  timestamps), with kpis.json in the files' metadata under ``prodsched.kpis``.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from prodsched.errors import UsageError
from prodsched.io.plant_tables import number, time_value
from prodsched.io.xlsx import workbook_bytes
from prodsched.schedule.schedule import REPORT_COLUMNS, SCHEDULE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from prodsched.schedule.schedule import Schedule


def _wall_clock(value: Any) -> Any:
    """A date-time as the plant's wall-clock time, without its zone (for Excel)."""
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def schedule_rows(schedule: Schedule) -> list[tuple[Any, ...]]:
    """The rows of schedule.csv as typed values (times as numbers or date-times)."""
    axis = schedule.plant.time_axis
    return [(r.machine, r.kind, r.lot or None, r.product or None, r.mode or None, r.step,
             r.quantity, r.orders_text or None, time_value(axis, r.start),
             time_value(axis, r.end)) for r in schedule.rows]


def report_rows(schedule: Schedule) -> list[tuple[Any, ...]]:
    """The rows of orders_report.csv as typed values."""
    axis = schedule.plant.time_axis
    return [(o.order_id, o.product, o.quantity, time_value(axis, o.due),
             time_value(axis, o.completion), number(o.tardiness), ";".join(o.lots) or None)
            for o in schedule.outcomes]


def _kpi_rows(schedule: Schedule) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in schedule.kpis_dict().items():
        if isinstance(value, dict) and all(isinstance(v, int | float | str) for v in
                                           value.values()):
            out += [(f"{key}[{k}]", v) for k, v in value.items()]
        elif isinstance(value, dict | list):
            out.append((key, json.dumps(value, default=float)))
        elif isinstance(value, Fraction):
            out.append((key, number(value)))
        else:
            out.append((key, value))
    zone = schedule.plant.time_axis.zone
    if zone is not None:
        out.append(("time_zone", str(zone)))
    return out


def schedule_workbook(schedule: Schedule) -> bytes:
    """The schedule as an .xlsx workbook: sheets schedule, orders_report and kpis."""
    return workbook_bytes([
        ("schedule", SCHEDULE_COLUMNS,
         [tuple(_wall_clock(v) for v in row) for row in schedule_rows(schedule)]),
        ("orders_report", REPORT_COLUMNS,
         [tuple(_wall_clock(v) for v in row) for row in report_rows(schedule)]),
        ("kpis", ("kpi", "value"), _kpi_rows(schedule)),
    ])


def typed_frame(columns: tuple[str, ...], rows: list[tuple[Any, ...]], integers: tuple[str, ...],
                times: tuple[str, ...], datetimes: bool) -> pd.DataFrame:
    """A DataFrame of typed rows: nullable integers, numbers or Timestamps, strings.

    Parameters
    ----------
    columns
        Column names.
    rows
        Typed rows (see :func:`schedule_rows`).
    integers
        Columns of whole numbers (nullable ``Int64``).
    times
        Columns of times: Timestamps when ``datetimes``, else ``Float64``.
    datetimes
        Whether the plant's times are date-times.
    """
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for column in integers:
        frame[column] = frame[column].astype("Int64")
    for column in times:
        frame[column] = pd.to_datetime(frame[column]) if datetimes else \
            frame[column].astype("Float64")
    for column in columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    return frame


def schedule_table_frame(schedule: Schedule) -> pd.DataFrame:
    """schedule.csv as a typed DataFrame (see :func:`prodsched.io.frames.schedule_frame`)."""
    return typed_frame(SCHEDULE_COLUMNS, schedule_rows(schedule), ("step", "quantity"),
                       ("start", "end"), schedule.plant.time_axis.is_datetime)


def report_frame(schedule: Schedule) -> pd.DataFrame:
    """orders_report.csv as a typed DataFrame (tardiness in time units, as a number)."""
    frame = typed_frame(REPORT_COLUMNS, report_rows(schedule), ("quantity",),
                        ("due", "completion"), schedule.plant.time_axis.is_datetime)
    frame["tardiness"] = frame["tardiness"].astype("Float64")
    return frame


def schedule_parquet(schedule: Schedule) -> dict[str, bytes]:
    """``schedule.parquet`` and ``orders_report.parquet`` (file name → content).

    Raises
    ------
    UsageError
        When pyarrow is not installed (``pip install 'prodsched[parquet]'``).
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("writing Parquet needs pyarrow: pip install 'prodsched[parquet]'"
                         ) from None
    kpis = json.dumps(schedule.kpis_dict(), default=float)
    frames = {
        "schedule.parquet": schedule_table_frame(schedule),
        "orders_report.parquet": report_frame(schedule),
    }
    out = {}
    for name, frame in frames.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = dict(table.schema.metadata or {})
        metadata[b"prodsched.kpis"] = kpis.encode("utf-8")
        table = table.replace_schema_metadata(metadata)
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        out[name] = buffer.getvalue()
    return out
