"""What each product was made as, and for auto products why.

For every product: its mode, its lots and their average size. For products
in ``auto`` mode, the evidence: the objective the dispatch rules reached with
every auto product one-off, in batches, or in mass (streamed) lots, beside the
optimized schedule's objective and the mode the optimizer chose.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from prodsched.heuristics.warmstart import Warmstart
from prodsched.lots.plan import LotPlan
from prodsched.objective import Objective
from prodsched.plant.model import Mode
from prodsched.schedule.schedule import Schedule


def mode_report(plan: LotPlan, schedule: Schedule, warm: Warmstart,
                objective: Objective) -> dict[str, Any]:
    """Modes used per product and, for auto products, the objective of each mode."""
    lots: dict[str, list[int]] = defaultdict(list)
    used: dict[str, str] = {}
    for lot in schedule.lots:
        lots[lot.product].append(lot.quantity)
        used[lot.product] = lot.mode.value
    planned = plan.product_modes
    products: dict[str, Any] = {}
    for product, sizes in lots.items():
        products[product] = {
            "planned": planned.get(product, Mode.ONE_OFF).value,
            "mode": used[product],
            "lots": len(sizes),
            "average_lot_size": round(sum(sizes) / len(sizes), 2),
        }
    out: dict[str, Any] = {"products": products}
    auto = sorted(p for p, m in planned.items() if m is Mode.AUTO)
    if auto:
        optimized = [float(v) for v in objective.values(schedule.kpis)]
        seen = {mode: [float(v) for v in c.values] for mode, c in warm.evidence.items()}
        chosen = {p: used[p] for p in auto if p in used}
        out["auto"] = {
            "products": chosen,
            "objective": str(objective),
            "dispatch_estimate_by_mode": seen,
            "optimized": optimized,
            "why": _why(chosen, seen, optimized),
        }
    return out


def _why(chosen: dict[str, str], seen: dict[str, list[float]], optimized: list[float]) -> str:
    """One sentence a planner can read."""
    modes = sorted(set(chosen.values()))
    parts = [f"{mode}: {', '.join(v for v in map(_fmt, [seen[mode]]))}" for mode in seen]
    return (f"auto products made as {', '.join(modes)}; with every auto product in one mode "
            f"the dispatch rules reached {'; '.join(parts)}; the optimized mix reached "
            f"{_fmt(optimized)} (objective values, lower is better)")


def _fmt(values: list[float]) -> str:
    return " > ".join(f"{v:g}" for v in values)
