"""Which production mode fits a plant: the same plant solved with every product
one-off, in batches, in mass (streamed campaigns), and with the optimizer
choosing (auto), side by side. Per product, and with a recommended mix, see
:mod:`prodsched.modes_advice`."""

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
    """One mode's schedule (``None`` when it has none, with the reason).

    ``modes`` is set for a mix (a mode per product, such as the recommended
    hybrid plan), whose ``name`` labels it; ``mode`` is then ``AUTO``, meaning
    "per product".
    """

    mode: Mode
    schedule: Schedule | None
    reason: str = ""
    name: str = ""
    modes: dict[str, Mode] | None = None

    @property
    def label(self) -> str:
        """``one-off``, ``batch``, ``mass``, ``auto``, or the mix's name."""
        return self.name or self.mode.value

    def row(self) -> dict[str, Any]:
        """A row of the comparison table."""
        if self.schedule is None:
            return {"mode": self.label, "status": self.reason}
        k, info = self.schedule.kpis, self.schedule.info
        return {"mode": self.label, "status": info.status, "objective": info.objective,
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


def with_modes(plant: Plant, modes: dict[str, Mode]) -> Plant:
    """The plant with each product named in ``modes`` in that mode (the others as they are)."""
    products = {name: replace(p, mode=modes.get(name, p.mode))
                for name, p in plant.products.items()}
    return replace(plant, products=products)


def solve_plant(plant: Plant, mode: Mode, *, objective: str = DEFAULT_OBJECTIVE,
                time_limit: float = 30.0, settings: SolverSettings | None = None,
                modes: dict[str, Mode] | None = None, name: str = "") -> ModeResult:
    """Solve the plant with every product in ``mode``, or with ``modes`` per product."""
    request = SolveRequest(objective=parse_objective(objective), time_limit=time_limit,
                           settings=settings or SolverSettings())
    variant = with_modes(plant, modes) if modes is not None else with_mode(plant, mode)
    try:
        return ModeResult(mode, solve_request(variant, request), name=name, modes=modes)
    except InfeasibleError as err:
        return ModeResult(mode, None, f"no schedule: {err}", name=name, modes=modes)


def compare_modes(plant: Plant, *, objective: str = DEFAULT_OBJECTIVE,
                  time_limit: float = 30.0, settings: SolverSettings | None = None,
                  modes: tuple[Mode, ...] = MODES) -> list[ModeResult]:
    """Solve the plant once per mode (``time_limit`` seconds each)."""
    return [solve_plant(plant, mode, objective=objective, time_limit=time_limit,
                        settings=settings) for mode in modes]


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
