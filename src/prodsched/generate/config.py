"""What a generated plant looks like: :class:`GeneratorConfig` (pydantic, checked).

Every field has a default, so ``GeneratorConfig(orders=200, seed=7)`` is a
complete request. Fields are plain values (numbers, booleans, a mode mix that
may be given as text like ``"batch=0.6,mass=0.4"``) so that a command line can
pass its options straight through.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from prodsched.plant.model import Mode

DEFAULT_START = datetime(2026, 1, 5, 6, 0)  # a Monday, 06:00


def parse_mode_mix(text: str) -> dict[Mode, float]:
    """Read a mode mix written as text.

    Parameters
    ----------
    text
        ``mode=share`` pairs joined by commas (``"batch=0.6,mass=0.4"``), or a
        single mode name (``"one-off"``: every product in that mode).

    Raises
    ------
    ValueError
        On an unknown mode, a share that is not a number, or a mode named twice.
    """
    mix: dict[Mode, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, share = part.partition("=")
        mode = _mode(name)
        if mode in mix:
            raise ValueError(f"mode {mode.value!r} is named twice in {text!r}")
        try:
            mix[mode] = float(share) if share.strip() else 1.0
        except ValueError:
            raise ValueError(f"{share!r} is not a share (a number) in {text!r}") from None
    if not mix:
        raise ValueError("the mode mix is empty; give for example 'batch=0.5,mass=0.5'")
    return mix


def _mode(name: str) -> Mode:
    try:
        return Mode(name.strip().lower())
    except ValueError:
        choices = ", ".join(m.value for m in Mode)
        raise ValueError(f"{name.strip()!r} is not a production mode; use {choices}") from None


class GeneratorConfig(BaseModel):
    """Size, structure and difficulty of a generated plant.

    Parameters
    ----------
    orders
        Number of orders.
    products
        Number of products (each gets a routing).
    families
        Number of setup families (at most ``products``); every family has a product.
    machines
        Number of machines (all listed in machines.csv).
    max_steps
        Routing length of a product is drawn from 1..max_steps (one product
        has exactly ``max_steps``).
    alternatives
        Largest number of eligible machines of a step (at most ``machines``);
        alternatives may run at different speeds.
    setup_ratio
        Mean changeover between families relative to the mean processing time
        of a lot (0: no setups.csv).
    due_tightness
        0 = loose (a good schedule meets every due date) .. 1 = tight (most
        orders are late whatever the schedule).
    mode_mix
        Share of products per production mode (normalized), default all ``auto``.
        Text such as ``"batch=0.6,mass=0.4"`` is accepted.
    calendar
        Add periodic downtime (nightly or weekend) to about half of the machines.
    datetimes
        Write times as ISO 8601 date-times from ``start`` instead of numbers.
    start
        Time 0 of a date-time plant.
    deadline_share
        Share of orders that get a (feasible) hard deadline.
    min_quantity, max_quantity
        Range of order quantities (units).
    initial_states
        Give about half of the machines an ``initial_state`` (a family they run).
    shifts
        0: no shift calendar; 1, 2 or 3 shifts a weekday for every machine
        (see :mod:`prodsched.generate.shopfloor`; replaces ``calendar``).
    pause_share
        Share of routing rows whose runs may pause over unavailable time.
    max_wait_share
        Share of steps after the first with a longest wait from the step before.
    setup_crews
        Capacity of a ``setup_crew`` resource held by every changeover (0: none).
    operators
        Capacity of an ``operator`` pool held by every run (0: none).
    seed
        Seed of the random draws; the same config gives the same files.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    orders: int = Field(default=50, ge=1, le=200_000)
    products: int = Field(default=8, ge=1, le=20_000)
    families: int = Field(default=3, ge=1)
    machines: int = Field(default=5, ge=1, le=5_000)
    max_steps: int = Field(default=3, ge=1, le=50)
    alternatives: int = Field(default=2, ge=1)
    setup_ratio: float = Field(default=0.3, ge=0, le=20, allow_inf_nan=False)
    due_tightness: float = Field(default=0.5, ge=0, le=1, allow_inf_nan=False)
    mode_mix: dict[Mode, float] = Field(default_factory=lambda: {Mode.AUTO: 1.0})
    calendar: bool = False
    datetimes: bool = False
    start: datetime = DEFAULT_START
    deadline_share: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    min_quantity: int = Field(default=1, ge=1, le=10_000_000)
    max_quantity: int = Field(default=100, ge=1, le=10_000_000)
    initial_states: bool = False
    shifts: int = Field(default=0, ge=0, le=3)
    pause_share: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    max_wait_share: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    setup_crews: int = Field(default=0, ge=0, le=1000)
    operators: int = Field(default=0, ge=0, le=100_000)
    seed: int = 0

    @field_validator("start")
    @classmethod
    def _whole_minute(cls, start: datetime) -> datetime:
        return start.replace(second=0, microsecond=0)

    @field_validator("mode_mix", mode="before")
    @classmethod
    def _mode_mix_from_text(cls, value: Any) -> Any:
        return parse_mode_mix(value) if isinstance(value, str) else value

    @field_validator("mode_mix")
    @classmethod
    def _mode_mix_shares(cls, mix: dict[Mode, float]) -> dict[Mode, float]:
        for mode, share in mix.items():
            if not math.isfinite(share) or share < 0:
                raise ValueError(f"the share of {mode.value!r} must be a number >= 0")
        if sum(mix.values()) <= 0:
            raise ValueError("the mode mix needs a share > 0 for some mode")
        return mix

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.families > self.products:
            raise ValueError(f"families ({self.families}) cannot exceed products "
                             f"({self.products}): every family needs a product")
        if self.alternatives > self.machines:
            raise ValueError(f"alternatives ({self.alternatives}) cannot exceed machines "
                             f"({self.machines})")
        if self.min_quantity > self.max_quantity:
            raise ValueError(f"min_quantity ({self.min_quantity}) is above max_quantity "
                             f"({self.max_quantity})")
        return self

    def mode_shares(self) -> list[tuple[Mode, float]]:
        """The positive shares of the mode mix, normalized to sum 1, in mode order."""
        total = sum(self.mode_mix.values())
        return [(mode, self.mode_mix[mode] / total) for mode in Mode
                if self.mode_mix.get(mode, 0) > 0]
