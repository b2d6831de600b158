"""Spending a time limit over the pipeline: warm start, model build, search, finish.

The time limit covers the whole command, so each phase gets a share and the
expensive ones are sized to fit before they start:

- **warm start**: dispatch rules over every lot realization, until
  :data:`WARM_SHARE` of the limit has passed (at least one schedule usable as
  a hint is always made); the candidates left out are recorded;
- **finish**: decoding, left shift, validation and rendering, reserved from
  the end of the limit, estimated from the number of operations
  (:func:`finish_seconds`);
- **model build**: its duration is estimated from the lot plan before it
  starts (:func:`ModelSize.build_seconds`, mostly the changeover circuits'
  arcs); when the whole model would take more than :data:`BUILD_SHARE` of the
  time left, busy machines keep fewer arcs (``max_arcs_per_machine``); when
  even the smallest model would not fit, CP-SAT is skipped and the best
  dispatch schedule is returned;
- **search**: what is left, stopped early enough to finish.

Plants whose full model is too large to build and search in a planner's
time (:func:`is_large`) take another route (:mod:`prodsched.lns.route`): a
dispatch schedule written at once, then large-neighbourhood search with
small CP-SAT models of windows; it budgets its own start, search and finish.

With one worker the search is limited by CP-SAT's deterministic time,
:data:`DETERMINISTIC_PER_SECOND` per second of search the limit leaves, so
that runs repeat exactly; all the decisions above then depend on the plant
and the limit only, not on how fast the machine happens to be. The wall-clock
limits stay as a safety; when one fires, the run is marked as not
repeatable (``budget.wall_limit_hit`` in kpis.json). The constants were
measured by ``benchmarks/calibrate_budget.py`` (results in
``benchmarks/results/calibrate_budget.md``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from prodsched.lots.plan import LotPlan
from prodsched.lots.realize import Realization, slot_prefix
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.stats import BudgetNotes

# Shares of the time limit (see the module's text).
WARM_SHARE = 0.25
BUILD_SHARE = 0.4
# Model build: seconds per circuit arc, per operation, per order-and-slot coverage.
BUILD_PER_ARC = 25e-6
BUILD_PER_OP = 300e-6
BUILD_PER_COVER = 60e-6
# Finish (decode, left shift, validate, render, write): seconds, and per operation.
FINISH_BASE = 0.2
FINISH_PER_OP = 0.4e-3
# Below this many seconds left for the search, CP-SAT is not started.
MIN_SEARCH = 0.5
# Arcs per machine tried, largest first, when the full model does not fit.
ARC_STEPS = (20_000, 10_000, 5_000, 2_000, 1_000)
# One worker: CP-SAT deterministic seconds per wall second of search.
DETERMINISTIC_PER_SECOND = 0.2
# One worker: the share of the limit assumed for the search when deciding the
# deterministic budget (the rest goes to loading, warm start, build, finish).
DETERMINISTIC_SEARCH_SHARE = 0.5
# Above this many operations (or order-and-slot coverage literals) the full
# model is not built: the plant takes the large-plant route (prodsched.lns).
# Measured (benchmarks/results/route_ladder*.md, issue 23): on plants with
# 190-260 operations once lots are formed, the large-plant route beat the full
# model on every plant tried: batch/mass plants of 100, 150 and 200 orders under
# two objectives (1.3 to 14 times lower weighted tardiness; about 2 times lower
# tardiness + setup + holding cost) and two other generated plants (6 % and 10
# times lower weighted tardiness, 20 s). Below this the full model still wins
# some plants outright (zero tardiness where the large route found 1,236) and
# proves small optima, so below it the full model starts and hands over
# (HANDOVER_SHARE).
LARGE_OPERATIONS = 160
LARGE_COVERS = 100_000
# Below that threshold the full model's search gets this share of the limit;
# unless it proves its schedule optimal, the large-plant route gets the rest,
# started from that schedule (prodsched.handover). CP-SAT proves small optima at
# once, but on models it cannot prove it improves more slowly than the route's
# windows (benchmarks/results/route_spread*.md, docs/large-plants.md). A 40 %
# share was worse than the route alone on one of two plants (4,223 against
# 3,421); handing over only on a stall (nothing better for 15 % of the limit)
# kept the slow full model on the small ladder plants (20 s: 2,573 against 2,133
# at 20 orders, 2,838 against 2,358 at 30).
HANDOVER_SHARE = 0.15
# The hand-over needs at least this many seconds for the full model.
HANDOVER_MIN_SECONDS = 1.5
# Up to this many operations above the threshold, the large-plant route also
# starts from the full route's warm start (lots by due-date window, active EDD,
# merged), which it builds in about a second there. Its own dispatch rules
# start far worse on some of these plants: a 40-order plant of 189 operations
# started at a weighted tardiness of 10,486 against 2,870 (issue 23). Orders count
# too: the full route's per-order lots make a candidate cost as much as the plant
# has orders (a 1,500-order plant of 384 operations: 13.5 s of start at a 20 s
# limit, so the command overran).
FULL_START_OPERATIONS = 4 * LARGE_OPERATIONS


# Repeatable runs count the warm start's merge trials instead of timing them
# (seconds per operation of one trial: dispatch and evaluation; 52-152 µs
# measured on 117-253 operations, an AMD EPYC machine). Timed, the merge descent
# of a 253-operation plant stopped at different merges from run to run
# (weighted tardiness 7,185 and 7,332 after 1 s).
MERGE_TRIAL_PER_OP = 100e-6


# Counted work still stops after this many times its share on the clock: a
# safety for plants whose steps cost far more than estimated (merge trials of a
# 1,500-order plant: seconds per trial, 44 s of merging at a 20 s limit; start
# candidates of one of 28,000 placed operations: 0.15-2.3 s each, 10-15 s of
# start where 4 s were meant). The run then no longer repeats exactly.
COUNTED_SAFETY = 3.0


def counted_work(seconds: float, per_operation: float, operations: int) -> int:
    """How many steps of ``per_operation`` seconds per operation a repeatable run
    makes in place of ``seconds`` on the clock (at least one): the large-plant
    route's start candidates, the warm start's merge trials."""
    return max(1, int(seconds / (per_operation * max(1, operations))))


def repeatable_by_default(workers: int) -> bool:
    """Whether a run with ``workers`` CP-SAT workers repeats exactly unless asked
    otherwise: with one worker (the rule the heuristics of benchmark formats follow too)."""
    return workers == 1


@dataclass
class Budget:
    """The clock of one solve.

    Parameters
    ----------
    started
        ``time.monotonic()`` when the time limit started.
    limit
        Seconds for the solve.
    repeatable
        Decide from the plant and the limit only (one worker; see the module).
    notes
        What the solve records of its budget (kpis.json ``budget``).
    """

    started: float
    limit: float
    repeatable: bool = False
    notes: BudgetNotes = field(default_factory=BudgetNotes)

    def note(self, **notes: Any) -> None:
        """Set budget notes (see :class:`~prodsched.schedule.stats.BudgetNotes`)."""
        self.notes = self.notes.updated(**notes)

    @property
    def end(self) -> float:
        """``time.monotonic()`` at which the limit is reached."""
        return self.started + self.limit

    def left(self) -> float:
        """Seconds left (may be negative)."""
        return self.end - time.monotonic()

    def available(self, reserve: float) -> float:
        """Seconds for the build and the search, keeping ``reserve`` for finishing.

        When repeatable, the share of the limit the search and build are
        assumed to get, so that the same plant and limit give the same answer.
        """
        if self.repeatable:
            return max(0.0, self.limit * (1 - WARM_SHARE) - reserve)
        return max(0.0, self.left() - reserve)


@dataclass(frozen=True)
class ModelSize:
    """The size of the job-shop model a lot plan gives, known before building it."""

    ops: int
    covers: int
    nodes: dict[str, int]

    @classmethod
    def of(cls, plant: Plant, plan: LotPlan, setups: SetupTable) -> ModelSize:
        """Count operations per machine, and coverage literals, from the plan."""
        nodes: Counter[str] = Counter()
        ops = covers = 0
        for lot in plan.fixed:
            for step in plant.routings[lot.product]:
                ops += 1
                nodes.update(o.machine for o in step.options)
        for group in plan.groups:
            lots = group.slots + (len(group.orders) if group.one_off_option else 0)
            covers += group.slots * sum(1 for o in group.orders if o.due is not None
                                        or o.deadline is not None or o.release > 0)
            for step in plant.routings[group.product.name]:
                ops += lots
                for o in step.options:
                    nodes[o.machine] += lots
        circuit = {m: n for m, n in nodes.items() if setups.has_setups(m)}
        return cls(ops, covers, circuit)

    def arcs(self, max_arcs: int) -> int:
        """Circuit arcs with at most about ``max_arcs`` per machine (see the builder)."""
        total = 0
        for n in self.nodes.values():
            full = n * (n - 1)
            window = max(2, max_arcs // (2 * n)) if n else 0
            total += (full if full <= max_arcs else min(full, 2 * window * n)) + 2 * n
        return total

    def build_seconds(self, max_arcs: int) -> float:
        """Estimated seconds to build the model."""
        return (BUILD_PER_ARC * self.arcs(max_arcs) + BUILD_PER_OP * self.ops
                + BUILD_PER_COVER * self.covers)

    def finish_seconds(self) -> float:
        """Estimated seconds to decode, check and write a schedule of this model."""
        return FINISH_BASE + FINISH_PER_OP * self.ops

    def choose_arcs(self, seconds: float, wanted: int) -> int | None:
        """The most arcs per machine (up to ``wanted``) whose build fits ``seconds``."""
        for max_arcs in (wanted, *(a for a in ARC_STEPS if a < wanted)):
            if self.build_seconds(max_arcs) <= seconds:
                return max_arcs
        return None


def is_large(size: ModelSize) -> bool:
    """Whether a plant of this model size takes the large-plant route (see
    :mod:`prodsched.lns.route`): one CP-SAT model of it would not be built and
    searched in the time a planner waits."""
    return size.ops > LARGE_OPERATIONS or size.covers > LARGE_COVERS


def fitting(options: Sequence[Realization], plan: LotPlan) -> list[Realization]:
    """The realizations, marking as not hintable those with more lots than slots.

    A realization whose cut needs more lots of a product than the model has
    slots for cannot be the model's hint (its lots do not exist in the model).
    """
    from dataclasses import replace

    slots = {g.product.name: g.slots for g in plan.groups}
    out = []
    for option in options:
        counts = Counter(lot.product for lot in option.lots if lot.product in slots
                         and lot.lot_id.startswith(slot_prefix(lot.product)))
        fits = all(n <= slots[p] for p, n in counts.items())
        out.append(option if fits or not option.hintable else replace(option, hintable=False))
    return out
