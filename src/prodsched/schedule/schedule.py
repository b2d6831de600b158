"""The :class:`Schedule`: the only output model (rows, orders report, KPIs)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from prodsched.atomic import write_files_atomically
from prodsched.lots.lot import Lot
from prodsched.plant.model import Plant
from prodsched.plant.values import format_number
from prodsched.schedule.changes import completion_moves, compute_changes
from prodsched.schedule.kpis import Kpis, OrderOutcome, compute_kpis, order_outcomes
from prodsched.schedule.product_kpis import (
    PRODUCT_COLUMNS,
    PRODUCTS_REPORT,
    ProductKpis,
    kpi_horizon,
    product_kpis,
)
from prodsched.schedule.resource_kpis import ResourceKpis, resource_kpis
from prodsched.schedule.rows import PlacedOp, ScheduleRow, rows_from_ops
from prodsched.schedule.solve_info import SolveInfo
from prodsched.schedule.stats import SolveStatus

SCHEDULE_COLUMNS = ("machine", "kind", "lot", "product", "mode", "step", "quantity", "orders",
                    "start", "end")
REPORT_COLUMNS = ("order_id", "product", "quantity", "due", "completion", "tardiness", "lots")
# with a previous plan, orders_report.csv says how each order's completion moved
MOVED_COLUMN = "completion_moved"
STATUSES = tuple(s.value for s in SolveStatus)


class Schedule:
    """A schedule of a plant: rows of schedule.csv, the orders report and KPIs.

    Parameters
    ----------
    plant
        The plant scheduled.
    lots
        The lots made.
    ops
        Every step of every lot, placed on a machine.
    info
        Status, objective and bound of the solve that found it.
    """

    def __init__(self, plant: Plant, lots: Iterable[Lot], ops: Iterable[PlacedOp],
                 info: SolveInfo | None = None):
        self.plant = plant
        self.lots = tuple(lots)
        self.ops = tuple(ops)
        self.info = info or SolveInfo()
        self.extra_files: dict[str, str] = {}
        self.rows: list[ScheduleRow] = rows_from_ops(plant, self.ops)
        self.outcomes: list[OrderOutcome] = order_outcomes(plant, self.rows)
        self.kpis: Kpis = compute_kpis(plant, self.rows, self.outcomes)
        self._products: tuple[int, int, dict[str, ProductKpis]] | None = None
        self._resources: tuple[int, dict[str, ResourceKpis]] | None = None

    @property
    def status(self) -> SolveStatus:
        """Solver status: optimal, feasible, infeasible or unknown."""
        return self.info.status

    @property
    def products(self) -> dict[str, ProductKpis]:
        """Per-product KPIs (:mod:`prodsched.schedule.product_kpis`), by product."""
        key = (id(self.rows), id(self.outcomes))
        if self._products is None or self._products[:2] != key:
            self._products = (*key, product_kpis(self.plant, self.rows, self.outcomes))
        return self._products[2]

    @property
    def resources(self) -> dict[str, ResourceKpis]:
        """Per-resource KPIs (:mod:`prodsched.schedule.resource_kpis`), by resource;
        empty for a plant without resources.csv."""
        if self._resources is None or self._resources[0] != id(self.rows):
            self._resources = (id(self.rows), resource_kpis(self.plant, self.rows))
        return self._resources[1]

    def kpis_dict(self) -> dict[str, Any]:
        """The content of kpis.json."""
        axis = self.plant.time_axis
        info = self.info
        out: dict[str, Any] = {
            "status": info.status.value,
            "objective": info.objective,
            "bound": info.bound,
            "gap": info.gap,
            "objective_name": info.objective_name,
        }
        out.update(self.kpis.as_dict())
        out["solve_seconds"] = round(info.solve_seconds, 3)
        out["orders"] = len(self.plant.orders)
        out["time_form"] = "datetime" if axis.is_datetime else "number"
        out["time_zero"] = axis.format(0)
        out["makespan_end"] = axis.format(self.kpis.makespan)
        out.update(info.details_dict())
        if self.plant.previous is not None:
            out["changes"] = compute_changes(self.plant, self.rows).as_dict()
        out["products_horizon"] = float(kpi_horizon(self.plant, self.rows))
        out["products"] = {name: p.as_dict() for name, p in self.products.items()}
        if self.plant.resources:
            out["resources"] = {name: r.as_dict() for name, r in self.resources.items()}
        return out

    def to_dataframe(self) -> pd.DataFrame:
        """schedule.csv as a DataFrame; times as Timestamps for date-time plants."""
        records = [self._row_record(r) for r in self.rows]
        frame = pd.DataFrame.from_records(records, columns=list(SCHEDULE_COLUMNS))
        if self.plant.time_axis.is_datetime:
            for col in ("start", "end"):
                frame[col] = pd.to_datetime(frame[col])
        return frame

    @property
    def report_columns(self) -> tuple[str, ...]:
        """The columns of orders_report.csv (``completion_moved`` with a previous plan)."""
        return REPORT_COLUMNS + ((MOVED_COLUMN,) if self.plant.previous is not None else ())

    def orders_dataframe(self) -> pd.DataFrame:
        """orders_report.csv as a DataFrame."""
        return pd.DataFrame.from_records(
            self._report_records(), columns=list(self.report_columns))

    def _report_records(self) -> list[dict[str, Any]]:
        records = [self._report_record(o) for o in self.outcomes]
        if self.plant.previous is not None:
            moves = completion_moves(self.plant,
                                     {o.order_id: o.completion for o in self.outcomes})
            for record in records:
                moved = moves[record["order_id"]]
                record[MOVED_COLUMN] = "" if moved is None else str(moved)
        return records

    def products_dataframe(self) -> pd.DataFrame:
        """products_report.csv as a DataFrame (one row per product made)."""
        return pd.DataFrame.from_records([_product_record(p) for p in self.products.values()],
                                         columns=list(PRODUCT_COLUMNS))

    def _row_record(self, r: ScheduleRow) -> dict[str, Any]:
        fmt = self.plant.time_axis.format
        return {
            "machine": r.machine, "kind": r.kind, "lot": r.lot, "product": r.product,
            "mode": r.mode, "step": r.step, "quantity": r.quantity, "orders": r.orders_text,
            "start": fmt(r.start), "end": fmt(r.end),
        }

    def _report_record(self, o: OrderOutcome) -> dict[str, Any]:
        fmt = self.plant.time_axis.format
        return {
            "order_id": o.order_id, "product": o.product, "quantity": o.quantity,
            "due": "" if o.due is None else fmt(o.due),
            "completion": "" if o.completion is None else fmt(o.completion),
            "tardiness": format_number(o.tardiness), "lots": ";".join(o.lots),
        }

    def render(self) -> dict[str, str]:
        """The text of schedule.csv, orders_report.csv, kpis.json and
        products_report.csv (and of any ``extra_files``, such as the lot-sizing
        model's plan.csv)."""
        return {
            "schedule.csv": _csv(SCHEDULE_COLUMNS, (self._row_record(r) for r in self.rows)),
            "orders_report.csv": _csv(self.report_columns, self._report_records()),
            "kpis.json": json.dumps(self.kpis_dict(), indent=2, default=_json_default) + "\n",
            PRODUCTS_REPORT: _csv(PRODUCT_COLUMNS,
                                  (_product_record(p) for p in self.products.values())),
            **self.extra_files,
        }

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write the schedule files into ``out_dir`` atomically; return their paths."""
        return write_files_atomically(Path(out_dir), self.render())

    def plot(self, view: str = "machines", *, color_by: str = "family",
             ax: Any = None) -> Any:
        """Draw the schedule as a Gantt chart (matplotlib).

        Parameters
        ----------
        view
            ``machines`` (one row per machine) or ``orders`` (one row per
            order, late orders in red, due dates marked).
        color_by
            ``family`` or ``product``.
        ax
            A matplotlib ``Axes`` to draw into; default: a new figure.

        Returns
        -------
        matplotlib.figure.Figure
            Shown by a notebook; ``fig.savefig("gantt.png")`` writes it.
        """
        from prodsched.gantt.figure import gantt_figure

        return gantt_figure(self, view=view, color_by=color_by, ax=ax)

    def __repr__(self) -> str:
        k = self.kpis
        return (f"Schedule({self.plant.name!r}, status={self.status.value!r}, "
                f"makespan={k.makespan}, weighted_tardiness={float(k.weighted_tardiness):g}, "
                f"setups={k.setup_count})")


def _csv(columns: tuple[str, ...], records: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})
    return buf.getvalue()


def _product_record(p: ProductKpis) -> dict[str, Any]:
    """A row of products_report.csv: numbers as a spreadsheet user reads them."""
    out: dict[str, Any] = {"product": p.product}
    for key, value in p.as_dict().items():
        out[key] = "" if value is None else (
            value if isinstance(value, str) else format_number(value))
    return out


def _json_default(value: object) -> object:
    from fractions import Fraction

    if isinstance(value, Fraction):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
