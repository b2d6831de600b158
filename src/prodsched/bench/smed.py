"""SMED sweep: what shorter changeovers do to lot sizes, cost and on-time delivery.

SMED (single-minute exchange of die) shortens changeovers. The sweep scales
every setup rule of a plant by a factor (1.0 … 0.1) and reruns strategies;
:func:`smed_table` then reports, per factor, the lot size that scores best
among the fixed-lot-size runs, its score and on-time rate, and the same for
the other strategies run. Changeover *cost* is scaled with the time (a
changeover's cost is mostly the machine and crew time it takes), so economic
lot sizes shrink with the square root of the factor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pandas as pd

from prodsched.plant.model import Plant
from prodsched.strategies.heuristics import DEFAULT_LOT_FACTOR

DEFAULT_SCALES = (1.0, 0.75, 0.5, 0.25, 0.1)
DEFAULT_LOT_FACTORS = (0.5, 1.0, 2.0, 4.0, 8.0)


def scale_setups(plant: Plant, factor: float) -> Plant:
    """The plant with every changeover's time and cost multiplied by ``factor``."""
    if factor == 1:
        return plant
    if factor < 0:
        raise ValueError(f"a setup scale must be >= 0, not {factor}")
    exact = Fraction(str(factor))
    rules = tuple(replace(r, time=r.time * exact, cost=r.cost * exact) for r in plant.setup_rules)
    return replace(plant, setup_rules=rules, name=f"{plant.name} (setups x{factor:g})")


def lot_strategies(factors: Sequence[float] = DEFAULT_LOT_FACTORS) -> list[str]:
    """The fixed-lot strategies of a sweep: ``fixed-lot:F`` for every factor."""
    return [f"fixed-lot:{f:g}" for f in factors]


def smed_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Per setup scale: the best fixed lot size and what it achieves, averaged over plants.

    Parameters
    ----------
    rows
        Benchmark rows with columns plant, strategy, setup_scale, score,
        average_lot_size, on_time_rate, total_setup_time, valid.

    Returns
    -------
    pandas.DataFrame
        One row per (setup scale, strategy group): ``strategy`` is
        ``best fixed-lot`` (per plant, the fixed lot size that scored best)
        or the name of another strategy; the mean lot factor (fixed-lot
        only), average lot size, score, on-time rate and setup time.
    """
    ok = rows[rows["valid"].astype(bool)].copy()
    ok["lot_factor"] = ok["strategy"].map(_lot_factor)
    fixed = ok[ok["lot_factor"].notna()]
    best = fixed.loc[fixed.groupby(["setup_scale", "plant"])["score"].idxmin()].copy()
    best["strategy"] = "best fixed-lot"
    others = ok[ok["lot_factor"].isna()]
    both = pd.concat([best, others], ignore_index=True)
    table = both.groupby(["setup_scale", "strategy"], sort=False).agg(
        plants=("plant", "nunique"), lot_factor=("lot_factor", "mean"),
        average_lot_size=("average_lot_size", "mean"), score=("score", "mean"),
        on_time_rate=("on_time_rate", "mean"), total_setup_time=("total_setup_time", "mean"),
    ).reset_index()
    return table.sort_values(["strategy", "setup_scale"], ascending=[True, False],
                             ignore_index=True)


def _lot_factor(strategy: Any) -> float | None:
    name, _, value = str(strategy).partition(":")
    if name != "fixed-lot":
        return None
    return float(value) if value else DEFAULT_LOT_FACTOR
