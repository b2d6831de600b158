"""The constructive scheduler: a priority rule decides, machine by machine.

A machine decides which of the steps competing for it runs next; the rule
(:mod:`prodsched.timeline.rules`) ranks them, each placed in thought on the
machine (its start, end and the changeover from the machine's set-up). The
chosen step goes to the eligible machine where it ends first (ties: the
smaller changeover), as a planner would; steps linked to it by ``max_wait``
(and, for ``whole_lot`` rules, all its remaining steps) are placed with it
(:func:`prodsched.timeline.steps.place_chain`). Every placement comes from
the shop (:class:`~prodsched.timeline.shop.Shop`), so every rule of the plant
format holds (deadlines aside: a rule cannot promise those). Fixed work
(fixed.csv) is booked first and returned unchanged; pinned lots continue from
their first step that is not fixed.

Which steps compete, and which machine decides next:

- **events** (``O(n log n)``; any plant, and every plant above
  :data:`EXACT_MAX_LOTS` lots): each machine has a heap of the steps that will
  become ready for it and, for the ready ones, one queue per product in the
  rule's order (:meth:`Rule.order`). The machine that can start next decides
  among the heads of its product queues; with ``lookahead``, steps that become
  ready before the first head would end join them. A lazy rule may let the
  machine wait instead.
- **exact** (Giffler–Thompson, quadratic; up to :data:`EXACT_MAX_LOTS` lots,
  for rules that are not lazy nor ``conflicts="machine"``): every unscheduled
  lot's next step is placed on the machine where it ends first; the machine of
  the step that ends first decides among the steps whose best machine it is.

Under both, the rule says which candidates compete (:attr:`Rule.conflicts`):
those that could start (or begin their changeover) before the first of them
ends — Giffler and Thompson's conflict set — or all of them; exactly, ``all``
makes the scheduler serial (every lot's next step competes, wherever it runs).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

from prodsched.lots.lot import Lot
from prodsched.lots.pinned import Pinned
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.timeline.context import INF, Context
from prodsched.timeline.rules import RULES, Candidate, Rule, RuleFactory
from prodsched.timeline.shop import Shop, option_of
from prodsched.timeline.steps import (
    LotState,
    Routes,
    best_placement,
    bounds,
    place_chain,
    ready_of,
)

# Up to this many lots, rules that allow it decide over every unscheduled lot
# (Giffler–Thompson, quadratic: about a second at 1,000 lots); above it, by events.
EXACT_MAX_LOTS = 2000
# Deciding exactly re-places, after each step, every lot that may run on the
# machine just booked: about the sum over machines of (steps eligible there)²
# placements. Above this many, events decide (2,000 one-unit lots on one machine
# would be 4 M placements, about 13 s).
EXACT_MAX_WORK = 1_000_000


class _Scheduler:
    """What both ways of deciding share: the lots, where they stand, and placing them."""

    def __init__(self, shop: Shop, routes: Routes, lots: Sequence[Lot], rule: Rule,
                 states: list[LotState]):
        self.shop, self.routes, self.lots, self.rule, self.states = (
            shop, routes, lots, rule, states)
        self.runs = [routes.runs(lot) for lot in lots]
        self.placed: list[PlacedOp] = []

    def open(self, i: int) -> bool:
        """Whether lot ``i`` has steps left."""
        return self.states[i].step < len(self.runs[i])

    def conflict_set(self, found: list[Candidate]) -> tuple[list[Candidate], int]:
        """The candidates that compete (:attr:`Rule.conflicts`), and the decision's
        time (the earliest moment one of them could begin its changeover)."""
        conflicts = self.rule.conflicts
        if conflicts in ("run", "setup"):
            horizon = min(c.end for c in found)
            if conflicts == "run":
                found = [c for c in found if c.start < horizon] or found
            else:
                found = [c for c in found if c.start - c.setup.time < horizon] or found
        return found, min(c.start - c.setup.time for c in found)

    def pick(self, competing: list[Candidate], at: int) -> Candidate:
        """The rule's choice (ties: the lot's position)."""
        key = self.rule.key
        return min(competing, key=lambda c: (key(c, at), c.lot))

    def place(self, i: int) -> set[str]:
        """Place lot ``i``'s next step (and the steps chained to it) where each ends
        first; return the machines booked."""
        lot, state = self.lots[i], self.states[i]
        last = (len(self.runs[i]) - 1 if self.rule.whole_lot
                else self.routes.chain_end(lot.product, state.step))
        first = state.step
        numbers = self.routes.numbers(lot.product)
        touched = set()
        for k, (placement, _) in enumerate(place_chain(self.shop, self.routes, lot, state, last),
                                           start=first):
            self.placed.append(Shop.placed(lot, numbers[k], placement))
            touched.add(placement.machine)
        return touched


class _Exact(_Scheduler):
    """Giffler–Thompson over every unscheduled lot (see the module)."""

    def best(self, i: int) -> Candidate:
        """Lot ``i``'s next step on the machine where it ends first."""
        lot, state = self.lots[i], self.states[i]
        placement, run, _ = best_placement(self.shop, lot, self.runs[i][state.step], state)
        return Candidate(i, state.step, placement, run)

    def run(self) -> list[PlacedOp]:
        left = {i for i in range(len(self.lots)) if self.open(i)}
        cache: dict[int, Candidate] = {}
        # the lots whose next step may run on each machine
        eligible: dict[str, set[int]] = {m: set() for m in self.shop.lines}
        for i in left:
            for m in self.runs[i][self.states[i].step]:
                eligible[m].add(i)
        while left:
            for i in left:
                if i not in cache:
                    cache[i] = self.best(i)
            if self.rule.conflicts == "all":
                found = [cache[i] for i in left]
            else:
                first = min(left, key=lambda i: (cache[i].end, i))
                machine = cache[first].machine
                found = [cache[i] for i in left if cache[i].machine == machine]
            competing, at = self.conflict_set(found)
            i = self.pick(competing, at).lot
            for m in self.runs[i][self.states[i].step]:
                eligible[m].discard(i)
            touched = self.place(i)
            cache.pop(i, None)
            if self.open(i):
                for m in self.runs[i][self.states[i].step]:
                    eligible[m].add(i)
            else:
                left.discard(i)
            # a booked machine changed for every step that may run there (its set-up
            # too, so it may now be a step's best machine); with shared resources,
            # every machine did
            if self.shop.pool:
                cache.clear()
            for m in touched:
                for j in eligible[m]:
                    cache.pop(j, None)
        return self.placed


class _Events(_Scheduler):
    """Machine events and per-product queues (see the module)."""

    def __init__(self, shop: Shop, routes: Routes, lots: Sequence[Lot], rule: Rule,
                 states: list[LotState]):
        super().__init__(shop, routes, lots, rule, states)
        machines = list(shop.lines)
        self.pending: dict[str, list[tuple[int, int, int]]] = {m: [] for m in machines}
        self.queues: dict[str, dict[str, list[tuple[tuple[float, ...], int, int]]]] = {
            m: {} for m in machines}
        self.event_at: dict[str, float] = dict.fromkeys(machines, INF)
        self.events: list[tuple[float, str]] = []

    def schedule_event(self, machine: str, t: float) -> None:
        """Have ``machine`` decide at ``t`` (its own time: a machine idle since before
        the event being handled decides as of then)."""
        if t < self.event_at[machine]:
            self.event_at[machine] = t
            heapq.heappush(self.events, (t, machine))

    def enlist(self, i: int) -> None:
        """Announce lot ``i``'s next step to its eligible machines."""
        state = self.states[i]
        ready = ready_of(self.lots[i], state)
        for machine in self.runs[i][state.step]:
            heapq.heappush(self.pending[machine], (ready, i, state.step))
            self.schedule_event(machine, max(ready, self.shop.free(machine)))

    def admit(self, machine: str, until: float) -> None:
        """Move the steps ready by ``until`` into the machine's product queues."""
        waiting, queues = self.pending[machine], self.queues[machine]
        order = self.rule.order
        while waiting and waiting[0][0] <= until:
            _, i, k = heapq.heappop(waiting)
            if self.states[i].step == k:
                heapq.heappush(queues.setdefault(self.lots[i].product, []),
                               (order(i, k, machine), i, k))

    def heads(self, machine: str) -> list[Candidate]:
        """The head of each of the machine's product queues, placed in thought on it."""
        out = []
        states, lots, runs, place = self.states, self.lots, self.runs, self.shop.place
        queues = self.queues[machine]
        empty = []
        for product, heap in queues.items():
            while heap and states[heap[0][1]].step != heap[0][2]:
                heapq.heappop(heap)
            if not heap:
                empty.append(product)
                continue
            _, i, k = heap[0]
            run = runs[i][k][machine]
            ready, min_end = bounds(lots[i], states[i], run)
            placement = place(machine, product, run.option, run.work, ready, min_end)
            assert placement is not None
            out.append(Candidate(i, k, placement, run))
        for product in empty:
            del queues[product]
        return out

    def decide(self, machine: str, t: float) -> None:
        """The machine's event at ``t``: start its next step, wait, or sleep."""
        waiting = self.pending[machine]
        now = max(t, self.shop.free(machine))
        self.admit(machine, now)
        found = self.heads(machine)
        if self.rule.lookahead and found and waiting:
            horizon = min(c.end for c in found)
            if waiting[0][0] < horizon:
                self.admit(machine, horizon - 1)
                found = self.heads(machine)
        if not found:
            if waiting:
                self.schedule_event(machine, max(waiting[0][0], self.shop.free(machine)))
            return
        competing, at = self.conflict_set(found)
        if self.rule.conflicts == "machine":
            at = int(now)   # queue rules decide at the machine's event
        pick = self.pick(competing, at)
        wake = self.rule.wait(pick, found, at)
        if wake is not None:
            wait = min(wake, waiting[0][0] if waiting else INF)
            # a wait with no end (no due date, nothing arriving) would leave the
            # machine idle for ever and its work undone: the pick runs now
            if now < wait < INF:
                self.schedule_event(machine, wait)
                return
        touched = self.place(pick.lot) | {machine}
        if self.open(pick.lot):
            self.enlist(pick.lot)
        for m in touched:
            pending = self.pending[m]
            rest = 0 if any(self.queues[m].values()) else (pending[0][0] if pending else INF)
            if rest < INF:
                self.schedule_event(m, max(rest, self.shop.free(m)))

    def run(self) -> list[PlacedOp]:
        for i in range(len(self.lots)):
            if self.open(i):
                self.enlist(i)
        while self.events:
            t, machine = heapq.heappop(self.events)
            if t != self.event_at[machine]:
                continue  # superseded
            self.event_at[machine] = INF
            self.decide(machine, t)
        return self.placed


def pinned_states(plant: Plant, pinned: Pinned) -> dict[str, LotState]:
    """Where each pinned lot with steps left stands: its first step that is not
    fixed, after its last fixed one."""
    out = {}
    for lot in pinned.open_lots:
        k = pinned.next_step[lot.lot_id]
        state = LotState(step=k)
        if k > 0:
            number = plant.routings[lot.product][k - 1].number
            last = next(op for op in pinned.ops_of(lot.lot_id) if op.step == number)
            unit = math.ceil(option_of(plant, last).time_per_unit)
            state = LotState(k, last.start, last.end, unit)
        out[lot.lot_id] = state
    return out


def exact_work(routes: Routes, lots: Sequence[Lot], states: Sequence[LotState]) -> int:
    """Placements the exact scheduler would try, about: per machine, the square of
    the remaining steps that may run there (see :data:`EXACT_MAX_WORK`)."""
    eligible: Counter[str] = Counter()
    for lot, state in zip(lots, states, strict=True):
        for runs in routes.runs(lot)[state.step:]:
            eligible.update(runs.keys())
    return sum(n * n for n in eligible.values())


def dispatch(plant: Plant, setups: SetupTable, lots: Sequence[Lot],
             rule: str | RuleFactory = "edd", *, pinned: Pinned | None = None,
             shop: Shop | None = None, states: dict[str, LotState] | None = None,
             exact: bool | None = None, adjacent_setups: bool = False,
             any_size: bool = False) -> list[PlacedOp]:
    """Every remaining step of every lot, placed by a priority rule (see the module).

    Parameters
    ----------
    plant, setups
        The plant and its changeover lookup.
    lots
        The lots to make (ids unique), without the pinned ones.
    rule
        A name of :data:`~prodsched.timeline.rules.RULES` or a rule factory
        (``Context -> Rule``).
    pinned
        Fixed work: booked first, returned unchanged (but for changeover costs
        that follow what runs before it); its lots with steps left are
        scheduled from their first step that is not fixed.
    shop
        A shop with work already booked (default: a new one with ``pinned``'s
        operations); its fixed runs are then the caller's to return.
    states
        Where lots stand, by lot id (default: before their first step).
    exact
        Decide over every unscheduled lot (default: for rules that allow it, up
        to :data:`EXACT_MAX_LOTS` lots); ``False``: by events.
    adjacent_setups
        Keep every setup row right before its run (for a CP-SAT hint, see
        :data:`~prodsched.timeline.shop.MODEL_ADJACENT_SETUPS`).
    any_size
        Decide exactly, where the rule allows it, at any number of lots, not only
        up to :data:`EXACT_MAX_LOTS` (quadratic time: for the changeover strategies,
        whose schedules are compared). Off by default.

    Returns
    -------
    list of PlacedOp
        The fixed operations (when ``pinned`` is given and ``shop`` is not),
        then every step placed.
    """
    own_shop = shop is None
    if shop is None:
        shop = Shop(plant, setups, pinned.ops if pinned else (),
                    adjacent_setups=adjacent_setups)
    everything = list(lots)
    start = dict(states or {})
    if pinned:
        everything += pinned.open_lots
        start.update(pinned_states(plant, pinned))
    routes = Routes.of(plant)
    made = (RULES[rule] if isinstance(rule, str) else rule)(
        Context(plant, setups, everything, routes))
    lot_states = [start.get(lot.lot_id) or LotState() for lot in everything]
    if exact is None:
        exact = (made.conflicts != "machine" and not made.lazy
                 and (any_size or (len(everything) <= EXACT_MAX_LOTS and exact_work(
                     routes, everything, lot_states) <= EXACT_MAX_WORK)))
    scheduler = _Exact if exact else _Events
    placed = scheduler(shop, routes, everything, made, lot_states).run()
    if pinned and own_shop:
        return shop.fixed_ops() + placed
    return placed
