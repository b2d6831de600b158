"""Choosing the warm start: every realization of the lots × every dispatch rule.

Every schedule comes from the one constructive scheduler
(:func:`prodsched.timeline.dispatch`); the best by the objective (missed
deadlines first) becomes the model's complete hint. Fixed work (fixed.csv)
is kept in every candidate and its lots are scheduled from their first step
that is not fixed. For auto products, the best schedule of each single
mode is kept as evidence for the mode the optimizer picks. On a plant whose
runs may pause, the best rule also runs with no run pausing (each such
schedule is valid there too): pausing fills the end of a shift with a run
that then waits overnight, which a dispatch rule cannot weigh against
starting it the next morning, so the start is never worse than the same
plant without pauses. Where holding cost counts, it also runs with lots
released towards their due dates (:mod:`prodsched.lots.release`): a rule
that starts every lot as soon as it may makes most of them far too early; and
the best schedule is tried with its early runs moved later towards their due
dates, keeping its sequences (:func:`prodsched.timeline.delay_to_due`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from prodsched.budget import COUNTED_SAFETY
from prodsched.errors import NoPlacementError
from prodsched.lots.cutting import make_lots, smallest_lot
from prodsched.lots.ids import distinct_lot_ids
from prodsched.lots.lot import Lot
from prodsched.lots.pinned import Pinned
from prodsched.lots.placed import lots_in
from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import Realization, slot_prefix
from prodsched.lots.release import planned_releases, with_own_lots
from prodsched.objective import Objective, cannot_improve, counts_holding
from prodsched.plant.model import Mode, Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.schedule.stats import DispatchStats
from prodsched.stop import NO_STOP, Stop
from prodsched.timeline.dispatch import dispatch
from prodsched.timeline.retime import delay_to_due
from prodsched.timeline.rules import RuleFactory, serial, setup_ties
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS
from prodsched.timeline.steps import PlacementError

# Where holding cost counts, the best rule also runs with lots released this many
# times their work before their due dates (:mod:`prodsched.lots.release`).
LEADS = (4, 8, 16)
# Above this many lots, only two dispatch rules run per realization.
MANY_LOTS = 400
# The warm start's rules (names as reported in kpis.json): ``plain-edd`` places
# lot by lot in EDD order; the others decide machine by machine over Giffler and
# Thompson's conflict sets, ties going to the smaller changeover.
WARM_RULES: dict[str, RuleFactory] = {
    "plain-edd": serial("edd"), "active-edd": setup_ties("edd"),
    "active-fifo": setup_ties("fifo"), "active-deadline-edd": setup_ties("deadline-edd")}


@dataclass
class Candidate:
    """One dispatch schedule."""

    name: str
    lots: list[Lot]
    ops: list[PlacedOp]
    schedule: Schedule
    values: tuple[Fraction, ...]
    missed_deadlines: int
    hintable: bool

    @property
    def key(self) -> tuple[Any, ...]:
        """Sort key: fewest missed deadlines, then the objective."""
        return (self.missed_deadlines, self.values)


@dataclass
class Warmstart:
    """The chosen warm start, every candidate's objective, auto-mode evidence, and
    the candidates skipped (for lack of time, or as one was already optimal)."""

    best: Candidate
    scores: dict[str, list[float]] = field(default_factory=dict)
    evidence: dict[str, Candidate] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def meets_deadlines(self) -> bool:
        """The warm start misses no deadline (so it is a valid schedule)."""
        return self.best.missed_deadlines == 0

    def summary(self) -> DispatchStats:
        """For kpis.json: the warm start used and every candidate's objective."""
        return DispatchStats(self.best.name, self.scores)


def missed_deadlines(plant: Plant, schedule: Schedule) -> int:
    """Orders completed after their hard deadline."""
    missed = 0
    for outcome in schedule.outcomes:
        order = plant.order_by_id[outcome.order_id]
        if order.deadline is not None and (outcome.completion or 0) > order.deadline:
            missed += 1
    return missed


def dispatch_rules(lot_count: int) -> list[str]:
    """Names of the rules worth running for this many lots."""
    rules = list(WARM_RULES)
    return rules if lot_count <= MANY_LOTS else rules[:2]


def run_rule(plant: Plant, lots: list[Lot], setups: SetupTable, rule: str,
             pinned: Pinned | None = None) -> list[PlacedOp]:
    """One named dispatch rule of :data:`WARM_RULES`; with ``pinned``, its fixed
    operations come first. Setup rows are placed as the CP-SAT model places them
    (:data:`~prodsched.timeline.shop.MODEL_ADJACENT_SETUPS`), so the schedule is its hint."""
    return dispatch(plant, setups, lots, WARM_RULES[rule], pinned=pinned,
                    adjacent_setups=MODEL_ADJACENT_SETUPS)


def choose_warm_start(plant: Plant, options: Sequence[Realization], setups: SetupTable,
                      objective: Objective,
                      extra: Sequence[tuple[str, list[PlacedOp]]] = (),
                      *, stop: Stop = NO_STOP,
                      plan: LotPlan | None = None, merge_seconds: float = 0.0,
                      merge_trials: int | None = None) -> Warmstart:
    """Schedule every realization with every rule; keep the best hintable one.

    Parameters
    ----------
    extra
        Complete schedules ``(name, placed operations)`` that compete too; an
        empty one (a start that could not be timed) is left out.
    stop
        Once its deadline has passed or it requests a stop (polled between
        candidates), no more candidates are scheduled once one can serve as the
        model's hint (the rest are listed in ``skipped``).
    plan, merge_seconds
        With the lot plan and a time budget, the best is then improved by
        merging neighbouring lots (:func:`merge_descent`).
    merge_trials
        Repeatable runs: at most this many merge trials, which then decide
        instead of ``merge_seconds`` (still positive: the clock stays a safety
        at :data:`~prodsched.budget.COUNTED_SAFETY` times it; see :func:`merge_descent`).

    Raises
    ------
    NoPlacementError
        When no rule could place every lot's steps within their ``max_wait``
        (:class:`~prodsched.timeline.steps.PlacementError`; a rule that cannot is
        left out) and no other schedule was given.
    """
    candidates: list[Candidate] = []
    skipped: list[str] = []
    failed = 0   # rules that could not place some lot's steps

    def consider(name: str, lots: list[Lot], ops: list[PlacedOp], hintable: bool) -> Candidate:
        schedule = Schedule(plant, lots, ops)
        c = Candidate(name, lots, ops, schedule, objective.values(schedule.kpis),
                      missed_deadlines(plant, schedule), hintable)
        candidates.append(c)
        return c

    for name, ops in extra:
        if not ops:  # no schedule: an empty one would score as if nothing were late
            continue
        lots = lots_in(ops)
        consider(name, lots, ops, True)
    evidence: dict[str, Candidate] = {}
    made_by: dict[str, tuple[Realization, str]] = {}
    for option in options:
        for rule in dispatch_rules(len(option.lots)):
            name = f"{option.name} / {rule}"
            # past the stop, or once a hint is optimal without a search (and, where
            # the option tells auto modes apart, so is its mode's evidence)
            settled = any(_optimal(c) for c in candidates) and (
                option.auto_mode is None or _at_zero(evidence.get(option.auto_mode.value)))
            if (stop.over() or settled) and any(c.hintable for c in candidates):
                skipped.append(name)
                continue
            try:
                ops = run_rule(plant, option.lots, setups, rule, option.pinned)
            except PlacementError:  # this rule cannot place some lot's steps within their max_wait
                failed += 1
                continue
            c = consider(name, option.all_lots, ops, option.hintable)
            made_by[name] = (option, rule)
            if option.auto_mode is not None:
                mode = option.auto_mode.value
                if mode not in evidence or c.key < evidence[mode].key:
                    evidence[mode] = c
    if not any(c.hintable for c in candidates):
        raise NoPlacementError(failed)
    best = min((c for c in candidates if c.hintable), key=lambda c: c.key)
    # nothing can be better: no variants (merging still runs: it keeps the objective
    # at 0 with fewer lots)
    if not _optimal(best) and best.name in made_by:  # the best rule on variants
        option, rule = made_by[best.name]
        base = best.name
        for suffix, variant, lots in _variants(plant, objective, option.lots):
            try:
                ops = with_own_lots(run_rule(variant, lots, setups, rule, option.pinned),
                                    option.lots)
            except PlacementError:
                continue
            best = min(best, consider(f"{base} / {suffix}", option.all_lots, ops,
                                      option.hintable), key=lambda c: c.key)
    if counts_holding(objective, plant) and not _optimal(best):
        # the best with its early runs moved towards their due dates (same sequences)
        ops = delay_to_due(plant, best.ops, setups, adjacent_setups=MODEL_ADJACENT_SETUPS)
        if ops != best.ops:
            best = min(best, consider(f"{best.name} / towards due", best.lots, ops,
                                      best.hintable), key=lambda c: c.key)
    if plan is not None and merge_seconds > 0:
        best = merge_descent(plant, plan, best, setups, consider, merge_seconds,
                             merge_trials)
    scores = {c.name: [float(v) for v in c.values] for c in candidates}
    return Warmstart(best, scores, evidence, skipped)


def _at_zero(candidate: Candidate | None) -> bool:
    """A schedule that meets every deadline with every stage of the objective at 0:
    nothing can be better (:func:`~prodsched.objective.cannot_improve`)."""
    return (candidate is not None and candidate.missed_deadlines == 0
            and cannot_improve(candidate.values))


def _optimal(candidate: Candidate) -> bool:
    """A hint nothing can be better than (:func:`_at_zero`)."""
    return candidate.hintable and _at_zero(candidate)


def _variants(plant: Plant, objective: Objective, lots: list[Lot]
              ) -> list[tuple[str, Plant, list[Lot]]]:
    """(name, plant to dispatch on, lots to dispatch) worth a try beside the plain
    dispatch: without pauses where runs may pause, lots released towards their due
    dates where holding counts (see the module)."""
    out: list[tuple[str, Plant, list[Lot]]] = []
    if plant.uses_pauses:
        out.append(("no pauses", plant.without_pauses(), lots))
    if counts_holding(objective, plant):
        out += [(f"lead {lead:g}", plant, planned_releases(plant, lots, lead))
                for lead in LEADS]
    return out


def merge_descent(plant: Plant, plan: LotPlan, start: Candidate, setups: SetupTable,
                  consider: Callable[[str, list[Lot], list[PlacedOp], bool], Candidate],
                  budget: float, trials: int | None = None) -> Candidate:
    """Merge neighbouring lots of a product while the objective does not get worse.

    First improvement, until no merge helps or ``budget`` seconds pass; with
    ``trials``, until that many trials are made instead (so that repeatable
    runs repeat), with :data:`~prodsched.budget.COUNTED_SAFETY` times ``budget`` on the clock as
    a safety for trials far slower than estimated. Each trial re-dispatches
    with the rule that made ``start``.
    """
    deadline = time.monotonic() + budget * (COUNTED_SAFETY if trials is not None else 1)
    left = trials if trials is not None else math.inf
    rule = start.name.rsplit(" / ", 1)[-1]
    if rule not in dispatch_rules(0):
        return start
    groups = {g.product.name: g for g in plan.groups}
    pinned = plan.pinned
    sizes: dict[str, list[int]] = {}
    modes: dict[str, Mode] = {}
    own = [lot for lot in start.lots if lot.lot_id not in pinned.next_step]
    for lot in own:
        group = groups.get(lot.product)
        if group is not None and lot.lot_id.startswith(slot_prefix(lot.product)):
            sizes.setdefault(lot.product, []).append(lot.quantity)
            modes[lot.product] = lot.mode
    fixed = [lot for lot in own if lot.product not in sizes]
    best, improved = start, True
    while improved and time.monotonic() < deadline and left > 0:
        improved = False
        for product, current in sizes.items():
            group = groups[product]
            _, high = group.product.lot_size_range()
            for k in range(len(current) - 1):
                merged = [*current[:k], current[k] + current[k + 1], *current[k + 2:]]
                if high is not None and merged[k] > high:
                    continue
                merged[-1] = smallest_lot(group.demand - sum(merged[:-1]), group.product)
                lots = list(fixed)
                for name, sz in {**sizes, product: merged}.items():
                    g = groups[name]
                    lots += make_lots(g.product, modes[name], g.orders, sz, slot_prefix(name))
                lots = distinct_lot_ids(lots, [], pinned.lots)[0]  # not a fixed lot's id
                trial = consider(f"merged / {rule}", [*pinned.lots, *lots],
                                 run_rule(plant, lots, setups, rule, pinned), True)
                left -= 1
                kept = trial.key <= best.key and len(merged) < len(current)
                if kept:
                    best, sizes[product], improved = trial, merged, True
                if time.monotonic() >= deadline or left <= 0:
                    return best
                if kept:
                    break
    return best
