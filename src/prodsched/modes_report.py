"""What each product was made as, and for auto products why (kpis.json ``modes``).

For every product: its planned mode, the mode it was made in, its lots and
their average size. For each product in ``auto`` mode, the decision taken
from the plant's figures (:mod:`prodsched.lots.auto`: one-off, or in lots
whose sizes and streaming the optimizer chooses), the figures behind it, and
the mode its lots came out as. Where auto products are made in lots, the
objective the dispatch rules reached with all of them one-off, in batches or
in mass (streamed) lots is kept as evidence, beside the optimized one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from prodsched.heuristics.warmstart import Warmstart
from prodsched.lots.auto import AutoChoice
from prodsched.lots.plan import LotPlan
from prodsched.objective import Objective
from prodsched.plant.model import Mode
from prodsched.schedule.schedule import Schedule


def mode_report(plan: LotPlan, schedule: Schedule, warm: Warmstart,
                objective: Objective) -> dict[str, Any]:
    """Modes used per product and, for auto products, the decision and why."""
    lots: dict[str, list[int]] = defaultdict(list)
    used: dict[str, str] = {}
    for lot in schedule.lots:
        lots[lot.product].append(lot.quantity)
        used[lot.product] = lot.mode.value
    planned = plan.product_modes
    choices = plan.auto_choices
    products: dict[str, Any] = {}
    for product, sizes in lots.items():
        products[product] = {
            "planned": planned.get(product, Mode.ONE_OFF).value,
            "mode": used[product],
            "lots": len(sizes),
            "average_lot_size": round(sum(sizes) / len(sizes), 2),
        }
        if product in choices:
            products[product]["auto"] = _auto_entry(choices[product], used[product], sizes)
    out: dict[str, Any] = {"products": products}
    auto = sorted(p for p in choices if p in used)
    if auto:
        chosen = {p: used[p] for p in auto}
        out["auto"] = {
            "products": chosen,
            "objective": str(objective),
            "optimized": [float(v) for v in objective.values(schedule.kpis)],
            "why": {p: products[p]["auto"]["why"] for p in auto},
        }
        if warm.evidence:
            out["auto"]["dispatch_estimate_by_mode"] = {
                mode: [float(v) for v in c.values] for mode, c in warm.evidence.items()}
            out["auto"]["evidence"] = (
                "objective values (lower is better) the dispatch rules reached with every "
                "auto product made in lots one-off, in batches or in mass lots")
    return out


def _auto_entry(choice: AutoChoice, made: str, sizes: list[int]) -> dict[str, Any]:
    figures = asdict(choice.profile)
    figures.pop("product")
    figures["overhead_share"] = round(choice.profile.overhead_share, 4)
    figures["stable"] = choice.profile.stable
    return {"decision": choice.label, "why": choice.reason + _made(choice, made, sizes),
            "figures": figures}


def _made(choice: AutoChoice, made: str, sizes: list[int]) -> str:
    if choice.mode is not Mode.AUTO:
        return ""
    how = ("its lots' steps overlap (units stream on as they are made)" if made == "mass"
           else "no lot's steps overlap (lots move whole)")
    return (f"; made as {made} ({len(sizes)} lot{'s' if len(sizes) != 1 else ''} of "
            f"{sum(sizes) / len(sizes):,.4g} units on average): {how}")
