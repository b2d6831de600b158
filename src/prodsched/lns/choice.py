"""Which window the search takes next: as often as each kind has paid per second.

An adaptive large-neighbourhood search chooses its neighbourhoods by what
each gained so far. A window's gain is how much it lowered the first objective
stage it changed, as a share of that stage's value (so that with lexicographic
stages, improvements of a later stage count where the first one stays, at 0
say). A kind's rate is its gains over its seconds of solving, older windows
counting less (:data:`RECORD_DECAY`); a share follows the rates once every
kind it weighs has :data:`MIN_RECORDS` windows, within bounds, so that no kind
dies out (a kind that stopped paying may pay again once the others have moved
the schedule).

Two choices are made this way:

- :class:`Mix`: whether a window resizes lots (:mod:`prodsched.lns.lot_window`)
  or keeps them;
- :class:`Kinds`: among the windows that keep lots, a machine group sliding
  along the horizon, the stretch around a late lot, or a costly lot's whole
  route (:class:`~prodsched.lns.window.Neighbourhoods`). Which pays depends on
  the plant and the objective (no late lot where due dates are loose, no route
  where every product has one step, a makespan that only sliding windows
  shorten), and on how far the search has come, so a fixed rotation wastes
  the time of the kinds that do not pay.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

# Share of windows that resize lots: at first, and the bounds of the share
# :class:`Mix` sets from what each kind gained per second.
RESIZE_SHARE = 0.25
RESIZE_SHARE_RANGE = (0.05, 0.5)
# The kinds of windows that keep lots, and the bounds of each one's share.
KINDS = ("sliding", "late", "route")
KIND_SHARE_RANGE = (0.1, 0.6)
# Windows of each kind a share waits for before it follows their gains (the first
# windows' gains are chance), and how much of a kind's record each of its windows
# keeps (older windows count less).
MIN_RECORDS = 4
RECORD_DECAY = 0.9

Values = tuple[Fraction, ...]


def gain(before: Values, after: Values) -> float:
    """How much ``after`` lowered the first stage that changed, as a share of it."""
    changed = next(((b, a) for b, a in zip(before, after, strict=True) if a != b), None)
    if changed is not None and changed[0] > 0 and changed[1] < changed[0]:
        return float(changed[0] - changed[1]) / float(changed[0])
    return 0.0


@dataclass
class Record:
    """One kind's decayed gains and seconds, and how many windows it had."""

    gains: float = 0.0
    seconds: float = 0.0
    windows: int = 0

    def add(self, gained: float, seconds: float) -> None:
        """One more window: its gain and its solve's seconds."""
        self.gains = RECORD_DECAY * self.gains + gained
        self.seconds = RECORD_DECAY * self.seconds + max(seconds, 1e-3)
        self.windows += 1

    @property
    def rate(self) -> float:
        """Gain per second (0 before any window)."""
        return self.gains / self.seconds if self.seconds else 0.0


def shares(records: Sequence[Record], first: Sequence[float], low: float, high: float
           ) -> list[float]:
    """Each kind's share of the next windows: ``first`` until each has
    :data:`MIN_RECORDS` windows (or while none gained), then in proportion to the
    rates, each within ``low`` to ``high`` (weights for a draw, not normalised)."""
    rates = [r.rate for r in records]
    total = sum(rates)
    if min(r.windows for r in records) < MIN_RECORDS or total <= 0:
        return list(first)
    return [min(high, max(low, rate / total)) for rate in rates]


class Mix:
    """How often a window resizes lots: as often as that has paid, per second of
    solving, against the other windows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.records = {True: Record(), False: Record()}

    def rate(self, resized: bool) -> float:
        """The kind's gain per second (0 before any window)."""
        return self.records[resized].rate

    def resize_next(self) -> bool:
        """Whether the next window resizes lots."""
        low, high = RESIZE_SHARE_RANGE
        share = shares([self.records[True], self.records[False]],
                       [RESIZE_SHARE, 1 - RESIZE_SHARE], low, high)[0]
        return self.rng.random() < share

    def record(self, resized: bool, before: Values, after: Values, seconds: float) -> None:
        """A window's objective values before and after it, and its solve's seconds."""
        self.records[resized].add(gain(before, after), seconds)


class Kinds:
    """Which kind of window (of :data:`KINDS`) comes next, by each one's gain per
    second; equal shares at first.

    A kind drawn that has no window to offer (no late lot, say) gives way to a
    sliding window, which is recorded as sliding; so a kind that never applies
    keeps fewer than :data:`MIN_RECORDS` windows, and the shares stay equal, as a
    fixed rotation would have them.
    """

    def __init__(self, rng: random.Random, kinds: Sequence[str] | None = None):
        self.rng = rng
        self.kinds = tuple(KINDS if kinds is None else kinds)
        self.records: dict[str, Record] = {k: Record() for k in self.kinds}

    def next(self) -> str:
        """The kind of the next window."""
        low, high = KIND_SHARE_RANGE
        weights = shares([self.records[k] for k in self.kinds],
                         [1.0] * len(self.kinds), low, high)
        return self.rng.choices(self.kinds, weights)[0]

    def record(self, kind: str, before: Values, after: Values, seconds: float) -> None:
        """A window of ``kind``: the objective's values before and after, its seconds."""
        if kind in self.records:
            self.records[kind].add(gain(before, after), seconds)
