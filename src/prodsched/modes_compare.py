"""Which production mode fits a plant: the same plant solved with every product
one-off, in batches, in mass (streamed campaigns), and with the optimizer
choosing (auto), side by side."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import Any

from prodsched.cpsat_runner import SolverSettings
from prodsched.errors import InfeasibleError
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant.model import Mode, Plant
from prodsched.schedule.schedule import Schedule

MODES = (Mode.ONE_OFF, Mode.BATCH, Mode.MASS, Mode.AUTO)
COLUMNS = ("mode", "status", "objective", "makespan", "setups", "setup_time", "setup_cost",
           "holding_cost", "total_tardiness", "weighted_tardiness", "on_time_rate", "lots",
           "average_lot_size", "units_to_stock")


@dataclass
class ModeResult:
    """One mode's schedule (``None`` when it has none, with the reason)."""

    mode: Mode
    schedule: Schedule | None
    reason: str = ""

    def row(self) -> dict[str, Any]:
        """A row of the comparison table."""
        if self.schedule is None:
            return {"mode": self.mode.value, "status": self.reason}
        k, info = self.schedule.kpis, self.schedule.info
        return {"mode": self.mode.value, "status": info.status, "objective": info.objective,
                "makespan": k.makespan, "setups": k.setup_count, "setup_time": k.total_setup_time,
                "setup_cost": float(k.total_setup_cost), "holding_cost": float(k.holding_cost),
                "total_tardiness": float(k.total_tardiness),
                "weighted_tardiness": float(k.weighted_tardiness),
                "on_time_rate": round(k.on_time_rate, 4), "lots": k.lot_count,
                "average_lot_size": round(k.average_lot_size, 2),
                "units_to_stock": k.units_to_stock}


def with_mode(plant: Plant, mode: Mode) -> Plant:
    """The plant with every product in ``mode`` (lot rules kept)."""
    products = {name: replace(p, mode=mode) for name, p in plant.products.items()}
    return replace(plant, products=products)


def compare_modes(plant: Plant, *, objective: str = DEFAULT_OBJECTIVE,
                  time_limit: float = 30.0, settings: SolverSettings | None = None,
                  modes: tuple[Mode, ...] = MODES) -> list[ModeResult]:
    """Solve the plant once per mode (``time_limit`` seconds each)."""
    results = []
    for mode in modes:
        request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                               settings=settings or SolverSettings())
        try:
            results.append(ModeResult(mode, solve_request(with_mode(plant, mode), request)))
        except InfeasibleError as err:
            results.append(ModeResult(mode, None, f"no schedule: {err}"))
    return results


def table_csv(results: list[ModeResult]) -> str:
    """The comparison as CSV."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in results:
        writer.writerow(r.row())
    return buf.getvalue()


def table_text(results: list[ModeResult]) -> str:
    """The comparison as an aligned text table (one column per mode)."""
    rows = [r.row() for r in results]
    width = max(len(c) for c in COLUMNS)
    lines = []
    for column in COLUMNS:
        cells = [_cell(row.get(column)) for row in rows]
        lines.append(f"{column:<{width}}  " + "  ".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.3e}"
    return str(value)[:14]
