"""Constructive schedules with state-dependent rules (pure functions).

:func:`rule_dispatch` is Giffler–Thompson with a *dynamic* rule: each lot's
next step is placed, in thought, on the machine where it would finish first
(changeover and calendar included, :class:`~prodsched.heuristics.timeline.Timeline`);
the machine of the step that finishes first is the one decided next, and
among the steps competing for it (those whose changeover could begin there
before that finish) the rule picks one, knowing the machine's current set-up and the time.
That lets setup-aware rules (ATCS, nearest setup) see the changeover each
choice costs.

A fixed sequence (a campaign plan, a product wheel) is a rule too: the lot
earliest in the sequence wins each conflict, so machines never idle waiting
for the sequence's next lot while another could run.

It honours releases, calendars, changeovers and lot streaming of ``mass``
lots, so the schedules satisfy the plant format's rules (deadlines aside).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prodsched.heuristics.timeline import Timeline, timelines
from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.schedule.rows import PlacedOp


@dataclass(frozen=True)
class Choice:
    """A lot's next step placed, in thought, on one machine.

    Parameters
    ----------
    lot_index
        Index of the lot in the dispatcher's input.
    step_index
        0-based index of the step in the lot's routing.
    option
        The machine and its speed.
    start, end
        The run.
    setup
        The changeover before it, from the machine's current set-up.
    state
        What the machine is set up for before this step (``None``: nothing).
    """

    lot_index: int
    step_index: int
    option: RoutingOption
    start: int
    end: int
    setup: Changeover
    state: str | None

    @property
    def machine(self) -> str:
        """The machine."""
        return self.option.machine

    @property
    def duration(self) -> int:
        """Length of the run."""
        return self.end - self.start


# rule(choice, decision time) -> sort key; the smallest key is dispatched.
Rule = Callable[[Choice, int], tuple[float, ...]]


@dataclass
class _Progress:
    step_index: int = 0
    last: PlacedOp | None = None
    last_option: RoutingOption | None = None


def ready_time(lot: Lot, progress: _Progress, option: RoutingOption, duration: int) -> int:
    """Earliest start of the lot's next step on ``option`` (release, precedence, streaming)."""
    last, before = progress.last, progress.last_option
    if last is None or before is None:
        return lot.release
    if lot.mode is Mode.MASS:
        return max(last.start + math.ceil(before.time_per_unit),
                   last.end + math.ceil(option.time_per_unit) - duration, last.start)
    return last.end


def _choices(plant: Plant, lots: Sequence[Lot], i: int, progress: _Progress,
             lines: dict[str, Timeline], setups: SetupTable) -> list[Choice]:
    lot = lots[i]
    step = plant.routings[lot.product][progress.step_index]
    out = []
    for option in step.options:
        line = lines[option.machine]
        change = setups.between(option.machine, line.state, lot.product)
        duration = option.duration(lot.quantity)
        start = line.earliest_start(ready_time(lot, progress, option, duration), change.time,
                                    duration)
        out.append(Choice(i, progress.step_index, option, start, start + duration, change,
                          line.state))
    return out


def _best(choices: list[Choice]) -> Choice:
    return min(choices, key=lambda c: (c.end, c.setup.time, c.start))


def _commit(plant: Plant, lots: Sequence[Lot], choice: Choice, progress: _Progress,
            lines: dict[str, Timeline]) -> PlacedOp:
    lot = lots[choice.lot_index]
    step = plant.routings[lot.product][choice.step_index]
    lines[choice.machine].book(choice.end, lot.product)
    op = PlacedOp(lot, step.number, choice.machine, choice.start, choice.end, choice.setup)
    progress.step_index += 1
    progress.last, progress.last_option = op, choice.option
    return op


def rule_dispatch(plant: Plant, lots: Sequence[Lot], setups: SetupTable,
                  rule: Rule) -> list[PlacedOp]:
    """Giffler–Thompson active schedule; ``rule`` picks among the competing steps."""
    lines = timelines(plant)
    progress = {i: _Progress() for i in range(len(lots))}
    best: dict[int, Choice] = {}
    placed: list[PlacedOp] = []
    while progress:
        for i in progress:
            if i not in best:
                best[i] = _best(_choices(plant, lots, i, progress[i], lines, setups))
        first = min(progress, key=lambda i: (best[i].end, i))
        machine, horizon = best[first].machine, best[first].end
        # a step competes when the machine could begin its changeover before then
        competing = [best[i] for i in progress if best[i].machine == machine
                     and best[i].start - best[i].setup.time < horizon]
        now = min(c.start - c.setup.time for c in competing)
        pick = min(competing, key=lambda c: (*rule(c, now), c.lot_index))
        i = pick.lot_index
        placed.append(_commit(plant, lots, pick, progress[i], lines))
        # every cached choice on this machine is stale; so is the picked lot's
        for j in [j for j, c in best.items() if c.machine == machine or j == i]:
            del best[j]
        if progress[i].step_index == len(plant.routings[lots[i].product]):
            del progress[i]
    return placed
