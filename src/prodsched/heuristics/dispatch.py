"""Dispatch rules: fast constructive schedules (pure functions).

Two schemes place every step of every lot:

- :func:`serial_dispatch` takes lots one by one in priority order and puts
  each step on the eligible machine where it finishes first (the plain rule a
  planner applies by hand);
- :func:`active_dispatch` (Giffler–Thompson) repeatedly finds the operation
  that could finish first, and among the operations competing for that
  machine before then, runs the one with the best priority; ties go to the
  smaller changeover, so it is setup-aware.

Both account for changeovers, calendars, releases and mass-mode streaming, so
every schedule they return satisfies the plant format's rules (deadlines
aside: a rule cannot promise those).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from prodsched.heuristics.timeline import Timeline, timelines
from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.schedule.rows import PlacedOp

PriorityKey = Callable[[Lot, int], tuple[float, ...]]
INF = math.inf

# Above this many lots the Giffler–Thompson scheme (quadratic) falls back to serial.
ACTIVE_MAX_LOTS = 600


def _due_key(lot: Lot) -> float:
    due = float(lot.due) if lot.due is not None else INF
    return min(due, lot.deadline) if lot.deadline is not None else due


def edd(lot: Lot, index: int) -> tuple[float, ...]:
    """Earliest due date (deadline when earlier), then release, then input order."""
    return (_due_key(lot), lot.release, index)


def fifo(lot: Lot, index: int) -> tuple[float, ...]:
    """First in, first out: release, then input order."""
    return (lot.release, index)


def weighted_edd(lot: Lot, index: int) -> tuple[float, ...]:
    """Earliest due date with deadlines first (hard before soft)."""
    return (0 if lot.deadline is not None else 1, _due_key(lot), lot.release, index)


PRIORITIES: dict[str, PriorityKey] = {"edd": edd, "fifo": fifo, "deadline-edd": weighted_edd}


@dataclass(frozen=True)
class Choice:
    machine: str
    option: RoutingOption
    start: int
    end: int
    setup: Changeover


@dataclass
class LotProgress:
    """Where a lot stands: its next step, and when and where its previous step ran."""

    step_index: int = 0
    start: int = 0
    end: int = 0
    option: RoutingOption | None = None


def _ready_time(lot: Lot, prog: LotProgress, option: RoutingOption, duration: int) -> int:
    if prog.step_index == 0 or prog.option is None:
        return lot.release
    if lot.mode is Mode.MASS:
        return max(prog.start + math.ceil(prog.option.time_per_unit),
                   prog.end + math.ceil(option.time_per_unit) - duration,
                   prog.start)
    return prog.end


def _duration(option: RoutingOption, quantity: int,
              cache: dict[tuple[RoutingOption, int], int]) -> int:
    key = (option, quantity)
    found = cache.get(key)
    if found is None:
        found = cache[key] = option.duration(quantity)
    return found


def best_choice(plant: Plant, lot: Lot, prog: LotProgress, lines: dict[str, Timeline],
                setups: SetupTable, durations: dict[tuple[RoutingOption, int], int]
                ) -> Choice:
    """The eligible machine where the lot's next step finishes first (ties: smaller
    changeover), with its changeover, start and end."""
    step = plant.routings[lot.product][prog.step_index]
    best: Choice | None = None
    for option in step.options:
        line = lines[option.machine]
        change = setups.between(option.machine, line.state, lot.product)
        duration = _duration(option, lot.quantity, durations)
        ready = _ready_time(lot, prog, option, duration)
        start = line.earliest_start(ready, change.time, duration)
        choice = Choice(option.machine, option, start, start + duration, change)
        if best is None or (choice.end, change.time, choice.start) < (
                best.end, best.setup.time, best.start):
            best = choice
    assert best is not None
    return best


def commit_choice(lot: Lot, prog: LotProgress, choice: Choice, lines: dict[str, Timeline],
                  plant: Plant) -> PlacedOp:
    """Book the choice on its machine and advance the lot to its next step."""
    step = plant.routings[lot.product][prog.step_index]
    lines[choice.machine].book(choice.end, lot.product)
    prog.step_index += 1
    prog.start, prog.end, prog.option = choice.start, choice.end, choice.option
    return PlacedOp(lot, step.number, choice.machine, choice.start, choice.end, choice.setup)


def serial_dispatch(plant: Plant, lots: list[Lot], setups: SetupTable,
                    priority: PriorityKey = edd) -> list[PlacedOp]:
    """Lots in priority order, each step on the machine where it finishes first."""
    lines = timelines(plant)
    placed: list[PlacedOp] = []
    durations: dict[tuple[RoutingOption, int], int] = {}
    order = sorted(range(len(lots)), key=lambda i: priority(lots[i], i))
    for i in order:
        lot, prog = lots[i], LotProgress()
        for _ in plant.routings[lot.product]:
            choice = best_choice(plant, lot, prog, lines, setups, durations)
            placed.append(commit_choice(lot, prog, choice, lines, plant))
    return placed


def active_dispatch(plant: Plant, lots: list[Lot], setups: SetupTable,
                    priority: PriorityKey = edd) -> list[PlacedOp]:
    """Giffler–Thompson active schedule with a priority rule and setup-aware ties."""
    if len(lots) > ACTIVE_MAX_LOTS:
        return serial_dispatch(plant, lots, setups, priority)
    lines = timelines(plant)
    progress = {i: LotProgress() for i in range(len(lots))}
    keys = {i: priority(lots[i], i) for i in range(len(lots))}
    cache: dict[int, Choice] = {}
    durations: dict[tuple[RoutingOption, int], int] = {}
    eligible: dict[str, set[int]] = {m: set() for m in plant.machines}

    def enlist(i: int) -> None:
        step = plant.routings[lots[i].product][progress[i].step_index]
        for opt in step.options:
            eligible[opt.machine].add(i)

    for i in progress:
        enlist(i)
    placed: list[PlacedOp] = []
    while progress:
        for i in progress:
            if i not in cache:
                cache[i] = best_choice(plant, lots[i], progress[i], lines, setups,
                                        durations)
        first = min(progress, key=lambda i: (cache[i].end, keys[i]))
        machine, horizon = cache[first].machine, cache[first].end
        conflict = [i for i in progress
                    if cache[i].machine == machine and cache[i].start < horizon] or [first]
        pick = min(conflict, key=lambda i: (keys[i][0], cache[i].setup.time, *keys[i][1:]))
        choice = cache.pop(pick)
        lot, prog = lots[pick], progress[pick]
        step = plant.routings[lot.product][prog.step_index]
        for opt in step.options:
            eligible[opt.machine].discard(pick)
        placed.append(commit_choice(lot, prog, choice, lines, plant))
        for i in eligible[machine]:
            cache.pop(i, None)
        if prog.step_index == len(plant.routings[lot.product]):
            del progress[pick]
        else:
            enlist(pick)
    return placed
