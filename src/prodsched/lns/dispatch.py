"""A dispatch rule for thousands of lots: machine events, per-product queues (pure).

The Giffler–Thompson schemes of :mod:`prodsched.heuristics.dispatch` and
:mod:`prodsched.strategies.dispatcher` look at every unscheduled lot at every
decision, which is quadratic: a minute and more for 10,000 lots. This one is
event driven and takes ``O(n log n)``:

- each machine has a heap of the steps that will become ready for it (by the
  earliest time they can start) and, for the ready ones, one queue per
  product, most urgent first (the lot's due date less the fastest time of its
  later steps);
- the machine that can start next decides among the heads of its product
  queues (and, with ``lookahead``, the steps that become ready before the
  first of them would end, as Giffler and Thompson's conflict set);
- the step then goes to the eligible machine where it ends first (ties: the
  smaller changeover), as a planner would.

Two ways to decide (:class:`QueueRule`):

- **ATCS** (``urgency=None``): the largest apparent tardiness cost with
  setups, as :func:`prodsched.strategies.rules.atcs_rule`;
- **setup first** (``urgency=u``): a step is *urgent* when its slack (due
  date less run time less now) is below ``u`` mean run times; urgent steps go
  first (ATCS among them), otherwise the one with the smallest changeover
  from the machine's set-up, earliest due date first. With ``lazy``, a
  machine that would need a changeover for non-urgent work waits instead —
  until a step of its current set-up arrives or one becomes urgent — so
  products and families run in campaigns as long as due dates allow.

Changeovers, calendars, releases and lot streaming of ``mass`` lots are
respected (:class:`~prodsched.heuristics.timeline.Timeline`), so the schedule
satisfies the plant format's rules (deadlines aside).
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prodsched.heuristics.timeline import Timeline, timelines
from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp

INF = math.inf


@dataclass(frozen=True)
class QueueRule:
    """How a machine chooses its next step (see the module).

    Parameters
    ----------
    urgency
        ``None``: ATCS; else slack, in mean run times, below which a step is urgent.
    lookahead
        Also consider steps that become ready before the first candidate ends.
    lazy
        Wait rather than change over for work that is not urgent.
    """

    urgency: float | None = None
    lookahead: bool = False
    lazy: bool = False


@dataclass(frozen=True)
class _Run:
    """A step on one eligible machine: its duration and the time of one unit."""

    option: RoutingOption
    duration: int
    unit: int


@dataclass
class _Lot:
    """Where a lot stands: its next step, and the run of its previous one."""

    step: int = 0
    start: int = 0
    end: int = 0
    unit: int | None = None   # unit time of the previous step's machine (None: no step yet)


class _Dispatcher:
    """The state of one :func:`queue_dispatch` run."""

    def __init__(self, plant: Plant, lots: Sequence[Lot], setups: SetupTable, rule: QueueRule):
        from prodsched.strategies.rules import atcs_scales, due_key

        self.plant, self.lots, self.setups, self.rule = plant, lots, setups, rule
        self.runs: list[list[dict[str, _Run]]] = []
        self.step_due: list[list[float]] = []
        known: dict[tuple[int, int], _Run] = {}

        def run_of(option: RoutingOption, quantity: int) -> _Run:
            key = (id(option), quantity)
            found = known.get(key)
            if found is None:
                found = known[key] = _Run(option, option.duration(quantity),
                                          math.ceil(option.time_per_unit))
            return found

        for lot in lots:
            quantity = lot.quantity
            steps = [{o.machine: run_of(o, quantity) for o in step.options}
                     for step in plant.routings[lot.product]]
            self.runs.append(steps)
            due, tail, dues = due_key(lot), 0, []
            for step in reversed(steps):   # the lot's due date less its later steps
                dues.append(due - tail)
                tail += min(r.duration for r in step.values())
            self.step_due.append(dues[::-1])
        self.streaming = [lot.mode is Mode.MASS for lot in lots]
        self.weights = [max(1e-9, float(sum(plant.order_by_id[o].weight for o in lot.order_ids)))
                        for lot in lots]
        fastest = [min(r.duration for r in step.values()) for steps in self.runs
                   for step in steps]
        self.mean_run = max(1e-9, statistics.fmean(fastest)) if fastest else 1.0
        scales = atcs_scales(plant, lots, setups)
        self.k1 = max(1e-9, scales.k1) * self.mean_run
        self.mean_setup = scales.mean_setup
        self.k2 = max(1e-9, scales.k2) * max(scales.mean_setup, 1e-9)
        self.lines: dict[str, Timeline] = timelines(plant)
        self.progress = [_Lot() for _ in lots]
        self.pending: dict[str, list[tuple[int, int, int]]] = {m: [] for m in plant.machines}
        self.queues: dict[str, dict[str, list[tuple[float, int, int]]]] = {
            m: {} for m in plant.machines}
        self.event_at: dict[str, float] = dict.fromkeys(plant.machines, INF)
        self.events: list[tuple[float, str]] = []

    # -- events ---------------------------------------------------------------
    def schedule_event(self, machine: str, t: float) -> None:
        if t < self.event_at[machine]:
            self.event_at[machine] = t
            heapq.heappush(self.events, (t, machine))

    def enlist(self, i: int) -> None:
        """Announce lot ``i``'s next step to its eligible machines."""
        prog = self.progress[i]
        if prog.unit is None:
            ready = self.lots[i].release
        elif self.streaming[i]:
            ready = prog.start + prog.unit
        else:
            ready = prog.end
        for machine in self.runs[i][prog.step]:
            heapq.heappush(self.pending[machine], (ready, i, prog.step))
            self.schedule_event(machine, max(ready, self.lines[machine].free))

    def ready(self, i: int, run: _Run) -> int:
        """Earliest start of lot ``i``'s next step on ``run``'s machine."""
        prog = self.progress[i]
        if prog.unit is None:
            return self.lots[i].release
        if self.streaming[i]:
            return max(prog.start + prog.unit, prog.end + run.unit - run.duration, prog.start)
        return prog.end

    def admit(self, machine: str, until: float) -> None:
        """Move the steps ready by ``until`` into the machine's product queues."""
        waiting, queues = self.pending[machine], self.queues[machine]
        while waiting and waiting[0][0] <= until:
            _, i, k = heapq.heappop(waiting)
            if self.progress[i].step == k:
                heapq.heappush(queues.setdefault(self.lots[i].product, []),
                               (self.step_due[i][k], i, k))

    # -- deciding ---------------------------------------------------------------
    def choose(self, machine: str, now: float) -> tuple[tuple[Any, ...] | None, float, float]:
        """The best head of the machine's queues (a sort key ending with the lot),
        the earliest end of any head, and when the first non-urgent head becomes urgent."""
        line, rule = self.lines[machine], self.rule
        best: tuple[Any, ...] | None = None
        horizon = wake = INF
        threshold = None if rule.urgency is None else rule.urgency * self.mean_run
        for product, heap in self.queues[machine].items():
            while heap and self.progress[heap[0][1]].step != heap[0][2]:
                heapq.heappop(heap)
            if not heap:
                continue
            due, i, k = heap[0]
            run = self.runs[i][k][machine]
            p = run.duration
            change = self.setups.between(machine, line.state, product)
            start = line.earliest_start(self.ready(i, run), change.time, p)
            horizon = min(horizon, start + p)
            index = math.log(self.weights[i] / max(p, 1))
            index -= max(due - p - now, 0.0) / self.k1 if due < INF else INF
            if self.mean_setup > 0:
                index -= change.time / self.k2
            if threshold is None:
                key: tuple[Any, ...] = (-index, due, i)
            else:
                urgent = due - p - now < threshold
                wake = min(wake, due - p - threshold)
                key = (0, -index, due, i) if urgent else (1, change.time, due, i)
            if best is None or key < best:
                best = key
        return best, horizon, wake

    def decide(self, machine: str, t: float) -> None:
        """The machine's event at ``t``: start its next step, wait, or sleep."""
        line, rule, waiting = self.lines[machine], self.rule, self.pending[machine]
        now = max(t, line.free)
        self.admit(machine, now)
        best, horizon, wake = self.choose(machine, now)
        if rule.lookahead and best is not None and waiting and waiting[0][0] < horizon:
            self.admit(machine, horizon - 1)
            best, _, wake = self.choose(machine, now)
        if best is None:
            if waiting:
                self.schedule_event(machine, max(waiting[0][0], line.free))
            return
        if rule.lazy and best[0] == 1 and best[1] > 0:
            # nothing urgent, and a changeover needed: wait for work of the current
            # set-up, or until something becomes urgent
            wait = min(wake, waiting[0][0] if waiting else INF)
            if wait > now:
                self.schedule_event(machine, wait)
                return
        self.place(best[-1])
        for m in self._touched:
            rest = 0 if any(self.queues[m].values()) else (
                self.pending[m][0][0] if self.pending[m] else INF)
            if rest < INF:
                self.schedule_event(m, max(rest, self.lines[m].free))

    def place(self, i: int) -> None:
        """Put lot ``i``'s next step where it ends first (ties: smaller changeover)."""
        lot, prog = self.lots[i], self.progress[i]
        best = None
        for machine, run in self.runs[i][prog.step].items():
            line = self.lines[machine]
            change = self.setups.between(machine, line.state, lot.product)
            start = line.earliest_start(self.ready(i, run), change.time, run.duration)
            key = (start + run.duration, change.time, start)
            if best is None or key < best[0]:
                best = (key, machine, run, change, start)
        assert best is not None
        _, machine, run, change, start = best
        end = start + run.duration
        self.lines[machine].book(end, lot.product)
        step = self.plant.routings[lot.product][prog.step]
        self.placed.append(PlacedOp(lot, step.number, machine, start, end, change))
        prog.start, prog.end, prog.unit = start, end, run.unit
        prog.step += 1
        if prog.step < len(self.runs[i]):
            self.enlist(i)
        self._touched = {self.placed[-1].machine, self._deciding}

    def run(self) -> list[PlacedOp]:
        self.placed: list[PlacedOp] = []
        for i in range(len(self.lots)):
            self.enlist(i)
        while self.events:
            t, machine = heapq.heappop(self.events)
            if t != self.event_at[machine]:
                continue  # superseded
            self.event_at[machine] = INF
            self._deciding = machine
            self._touched = set()
            self.decide(machine, t)
        return self.placed


def queue_dispatch(plant: Plant, lots: Sequence[Lot], setups: SetupTable,
                   rule: QueueRule = QueueRule()) -> list[PlacedOp]:
    """Every step of every lot, placed by machine events (see the module).

    Parameters
    ----------
    plant
        The plant.
    lots
        The lots to make (their ids unique).
    setups
        The plant's changeover lookup.
    rule
        How a machine chooses its next step.

    Returns
    -------
    list of PlacedOp
        Every step of every lot.
    """
    return _Dispatcher(plant, lots, setups, rule).run()
