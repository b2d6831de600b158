"""The start of the large-plant route: lot plans × dispatch rules, best first.

Each candidate aggregates the orders into lots with one window
(:func:`prodsched.lns.lots.aggregated_lots`; windows in mean run times, so
they scale with the plant) and dispatches them with one rule
(:func:`prodsched.timeline.dispatch`, looking at the head of each product's
queue only, as befits thousands of lots). Fixed work (fixed.csv) is kept in
every candidate; its lots continue from their first step that is not fixed.
The first schedule handed on (the command line writes it) is the better of
the first :data:`FIRST_PORTFOLIO` candidates: ATCS on lots of nearby due
dates, a rule made for weighted tardiness with setups that is never far off,
and lazy-30 on one lot per order, a campaign rule that often wins by far on
setups but can leave orders days late. Their failures are opposite (a
thousand-order shift plant: ATCS weighted tardiness 0, lazy-30 937,335; the
10,000-order plant of issue 8: ATCS 322,271, lazy-30 59,403), so the
better of the two is never the erratic one, at the price of one more
dispatch before the first write. The others follow, most promising first,
while time allows. Where holding cost counts, each candidate is judged with its
early runs moved towards their due dates (:mod:`prodsched.lns.towards_due`).
The best candidate — fewest missed deadlines, then the objective — is the
search's start.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from prodsched.errors import NoPlacementError
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lots import aggregated_lots
from prodsched.lns.state import Indexed
from prodsched.lns.towards_due import towards_due
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import pinned_work
from prodsched.lots.placed import lots_in
from prodsched.lots.release import planned_releases, with_own_lots
from prodsched.objective import cannot_improve
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.stats import DispatchStats
from prodsched.stop import NO_STOP, Stop
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.rules import QueueRule
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
from prodsched.timeline.steps import PlacementError

RULES: dict[str, QueueRule] = {
    "lazy-10": QueueRule(urgency=10, lookahead=True, lazy=True),
    "lazy-30": QueueRule(urgency=30, lookahead=True, lazy=True),
    "lazy-100": QueueRule(urgency=100, lookahead=True, lazy=True),
    "lazy-300": QueueRule(urgency=300, lookahead=True, lazy=True),
    "setup-aware": QueueRule(urgency=3, lookahead=True),
    "atcs": QueueRule(),
}
# (rule, lot window in mean run times): the robust one first, then the most promising.
CANDIDATES: tuple[tuple[str, float], ...] = (
    ("atcs", 25), ("lazy-30", 0), ("lazy-100", 0), ("setup-aware", 0), ("lazy-30", 25),
    ("atcs", 0), ("lazy-10", 0), ("atcs", 5), ("lazy-300", 0), ("setup-aware", 25),
    ("lazy-100", 25), ("lazy-30", 5),
)
# When finished units cost holding (the objective counts it and some product
# has a rate): candidates whose lots are released their work times ``lead``
# before their due date (:func:`~prodsched.lots.release.planned_releases`), tried
# right after the first portfolio: (rule, lot window, lead).
HOLDING_CANDIDATES: tuple[tuple[str, float, float], ...] = (
    ("atcs", 25, 8), ("atcs", 5, 8), ("atcs", 25, 16), ("lazy-30", 25, 8), ("atcs", 0, 8),
    ("lazy-30", 5, 16), ("atcs", 5, 16), ("atcs", 25, 4))
# The first schedule handed on is the best of this many first candidates.
FIRST_PORTFOLIO = 2
# Repeatable runs decide how many candidates fit from this estimate (seconds
# per operation of one candidate: dispatch and evaluation).
CANDIDATE_PER_OP = 60e-6


@dataclass
class Candidate:
    """One dispatch schedule: its lots, placed steps and sort key."""

    name: str
    lots: list[Lot]
    ops: list[PlacedOp]
    key: tuple[int, tuple[Fraction, ...]]

    @property
    def meets_deadlines(self) -> bool:
        """Whether it misses no deadline (so it is a valid schedule)."""
        return self.key[0] == 0


@dataclass
class Start:
    """The best candidate, every candidate's objective, and those left out."""

    best: Candidate
    scores: dict[str, list[float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    lot_seconds: float = 0.0

    def summary(self) -> DispatchStats:
        """For kpis.json."""
        return DispatchStats(self.best.name, self.scores,
                             {k: round(v, 3) for k, v in self.seconds.items()})


def mean_run(plant: Plant) -> float:
    """Mean time of one step of one order on its fastest machine."""
    times = [min(o.duration(order.quantity) for o in step.options)
             for order in plant.orders for step in plant.routings[order.product]]
    return statistics.fmean(times) if times else 1.0


def candidates(plant: Plant, evaluator: Evaluator
               ) -> list[tuple[str, float, float | None]]:
    """(rule, lot window, lead or ``None``) of every candidate, in the order tried."""
    plain: list[tuple[str, float, float | None]] = [(r, w, None) for r, w in CANDIDATES]
    if not evaluator.counts_holding:
        return plain
    return [*plain[:FIRST_PORTFOLIO], *HOLDING_CANDIDATES, *plain[FIRST_PORTFOLIO:]]


def _candidate(plant: Plant, setups: SetupTable, name: str, lots: list[Lot],
               ops: list[PlacedOp], evaluator: Evaluator) -> Candidate:
    """A schedule as a candidate (where holding cost counts, with its early runs moved
    towards their due dates when that is better, :mod:`prodsched.lns.towards_due`):
    its key is missed deadlines first, then the objective."""
    values = evaluator.values(ops)
    if evaluator.counts_holding:
        found = towards_due(plant, setups, evaluator, Indexed(plant, lots, ops), values)
        if found is not None:
            ops, values = found
    return Candidate(name, lots, ops, (0 if evaluator.meets_deadlines(ops) else 1, values))


def choose_start(plant: Plant, setups: SetupTable, evaluator: Evaluator, *,
                 stop: Stop = NO_STOP, count: int | None = None,
                 modes: dict[str, Mode] | None = None,
                 on_best: Callable[[Candidate], None] | None = None,
                 given: Sequence[tuple[str, list[PlacedOp]]] = ()) -> Start:
    """Run the candidates; return the best.

    Parameters
    ----------
    stop
        Past its deadline no candidate starts once one meets every order's
        deadline (``NO_STOP``: no clock); once it requests a stop (polled
        between candidates) none starts. Nor does one once a candidate meets
        every deadline with every stage of the objective at 0 (nothing can be
        better: :func:`~prodsched.objective.cannot_improve`).
    count
        Run at most this many candidates (the first always runs).
    modes
        Products' modes overriding the plant's.
    on_best
        Called with the best of the first :data:`FIRST_PORTFOLIO` candidates,
        then with every new best one as soon as it exists.
    given
        Complete schedules ``(name, placed operations)`` that compete too (e.g.
        ``SolveRequest.warm_starts``), considered before the dispatch rules.
    """
    unit = mean_run(plant)
    pinned = pinned_work(plant, setups)
    plans: dict[float, list[Lot]] = {}
    start: Start | None = None
    for name, ops in given:
        lots = lots_in(ops)
        candidate = _candidate(plant, setups, name, lots, list(ops), evaluator)
        if start is None:
            start = Start(candidate)
        elif candidate.key < start.best.key:
            start.best = candidate
        start.scores[name] = [float(v) for v in candidate.key[1]]
    shown = False  # on_best called
    failed = 0  # rules that could not place some lot's steps
    for n, (rule, window, lead) in enumerate(candidates(plant, evaluator)):
        name = f"{rule} / lots {window:g}" + ("" if lead is None else f" / lead {lead:g}")
        if start is not None and n > 0 and (
                (count is not None and n >= count) or stop()
                or (start.best.meets_deadlines and (
                    stop.left() < 0 or cannot_improve(start.best.key[1])))):
            start.skipped.append(name)
            continue
        began = time.monotonic()
        if window not in plans:
            plans[window] = aggregated_lots(plant, window * unit, modes)
            start_lots = time.monotonic() - began
        else:
            start_lots = 0.0
        lots = [*pinned.lots, *plans[window]]
        try:
            ops = dispatch(plant, setups, plans[window] if lead is None
                           else planned_releases(plant, plans[window], lead),
                           RULES[rule], pinned=pinned, exact=False,
                           adjacent_setups=MODEL_ADJACENT_SETUPS)
        except PlacementError:  # this rule cannot place some lot's steps within their max_wait
            failed += 1
            continue
        if lead is not None:  # dispatched with planned releases, kept with the lots' own
            ops = with_own_lots(ops, plans[window])
        candidate = _candidate(plant, setups, name, lots, ops, evaluator)
        better = start is None or candidate.key < start.best.key
        if start is None:
            start = Start(candidate)
        elif better:
            start.best = candidate
        start.lot_seconds += start_lots
        if on_best is not None and n + 1 >= FIRST_PORTFOLIO and (better or not shown):
            on_best(start.best)
            shown = True
        start.scores[name] = [float(v) for v in candidate.key[1]]
        start.seconds[name] = time.monotonic() - began
    if start is None:
        raise NoPlacementError(failed)
    if on_best is not None and not shown:  # fewer than FIRST_PORTFOLIO ran
        on_best(start.best)
    return start
