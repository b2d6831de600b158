"""The shop: every machine's timeline and the plant-wide resources, in one place.

:meth:`Shop.place` answers the one question every constructive scheduler and
the re-timer ask — *where does this step of this lot fit on machine m, ready
at t?* — and :meth:`Shop.book` books the answer. Every shop-floor rule is
decided here and nowhere else:

- the changeover from the machine's set-up (initial state, the last run, or
  a fixed run it passed) into the product (:class:`SetupTable`);
- the calendar: a run that may not pause avoids every unavailable period; one
  that may (``can_pause``) starts and ends outside them and ends when its
  working time reaches its duration;
- the setup row lies between the previous run's end and the run's start,
  avoids unavailable time and holds its changeover's resources; it is placed
  as late as it fits (usually right before the run; before the night when the
  run starts with the morning shift);
- shared resources: the run holds its routing row's resources from start to
  end (pauses included), at most each resource's capacity at every moment;
- fixed work (fixed.csv) is booked first; new work goes before a fixed run
  only when it fits in front of it (:class:`~prodsched.timeline.machine.FixedBlock`);
- nothing new starts before the plant's ``now``;
- lower bounds from the lot (release, the previous step, lot streaming,
  ``max_wait`` delays) arrive as ``ready`` and ``min_end``.

A placement is found by raising the run's start until every rule holds at
once: each rule that fails says from when it could hold, so every jump is
safe (no feasible start is skipped) and the first start where all hold is the
earliest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from prodsched.lots.lot import Lot
from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant, ResourceUse, RoutingOption
from prodsched.plant.setups import Changeover, SetupTable
from prodsched.timeline.cache import per_plant
from prodsched.timeline.calendar import Calendar
from prodsched.timeline.machine import FixedBlock, MachineLine
from prodsched.timeline.resources import Pool

# The CP-SAT models (jobshop/, lns/submodel.py) keep each setup row right
# before its run on machines without unavailable time or resource-holding
# changeovers (one interval covers both, jobshop.shop.Shop.split_setups), and
# place it freely elsewhere. Schedules that hint them or that they re-solve
# (warm starts, the large-plant route) keep setups adjacent everywhere, which
# both kinds of machine accept; a per-machine choice (setups before a night
# where the model splits them) is not built.
MODEL_ADJACENT_SETUPS = True


class Placement(NamedTuple):
    """Where one run (and its changeover) fits on one machine.

    Parameters
    ----------
    machine
        The machine.
    product
        The product run.
    option
        The routing row used (speed, pauses, resources, max_wait).
    start, end
        The run (``end`` includes pauses of a ``can_pause`` run).
    setup
        The changeover before it.
    setup_begin
        Where the setup row begins (it ends by ``start``).
    cursor
        How many of the machine's fixed runs lie before it.
    state
        What the machine was set up for before the changeover.
    """

    machine: str
    product: str
    option: RoutingOption
    start: int
    end: int
    setup: Changeover
    setup_begin: int
    cursor: int
    state: str | None

    @property
    def setup_start(self) -> int | None:
        """The setup row's start as :class:`PlacedOp` stores it (``None``: right before)."""
        return None if self.setup_begin == self.start - self.setup.time else self.setup_begin


@dataclass
class Booking:
    """What :meth:`Shop.book` changed, so that :meth:`Shop.unbook` can undo it."""

    placement: Placement
    free: int
    state: str | None
    cursor: int
    entered: list[str | None] = field(default_factory=list)


class Shop:
    """Every machine's timeline and every shared resource of a plant.

    Parameters
    ----------
    plant
        The plant (machines, calendars, resources, ``now``).
    setups
        Its changeover lookup.
    fixed
        Work kept exactly (placed operations with ``fixed=True``, usually
        :attr:`Pinned.ops <prodsched.lots.pinned.Pinned.ops>`), booked first.
    adjacent_setups
        Keep every setup row right before its run (the v1 rule of the CP-SAT
        model) instead of as late as it fits.
    """

    def __init__(self, plant: Plant, setups: SetupTable, fixed: Iterable[PlacedOp] = (),
                 *, adjacent_setups: bool = False):
        self.plant = plant
        self.setups = setups
        self.earliest = plant.earliest
        self.adjacent_setups = adjacent_setups
        self.pool = Pool(plant.resources)
        calendars = machine_calendars(plant)
        self.lines = {name: MachineLine(name, calendars[name], state=m.initial_state)
                      for name, m in plant.machines.items()}
        for op in sorted(fixed, key=lambda op: (op.start, op.end)):
            self.lines[op.machine].fixed.append(FixedBlock(op))
            option = option_of(plant, op)
            self.pool.book(option.resources, op.start, op.end)
            self.pool.book(op.setup.resources, op.setup_begin, op.setup_end)

    # -- questions -------------------------------------------------------------
    def state(self, machine: str) -> str | None:
        """What ``machine`` is set up for at its frontier."""
        return self.lines[machine].state

    def free(self, machine: str) -> int:
        """The end of the last run booked on ``machine`` (its frontier)."""
        return self.lines[machine].free

    def place(self, machine: str, product: str, option: RoutingOption, work: int, ready: int,
              min_end: int | None = None, *, pass_fixed: bool = True,
              loose: bool = False) -> Placement | None:
        """The earliest placement of a run of ``product`` on ``machine`` (not booked).

        Parameters
        ----------
        machine, product, option
            Where, what, and the routing row (``option.machine == machine``).
        work
            The run's duration (working time, for a run that pauses).
        ready
            The run starts no earlier (release, the lot's previous step).
        min_end
            The run ends no earlier (lot streaming, ``max_wait`` delays).
        pass_fixed
            Go past fixed runs the work does not fit before (``False``: return
            ``None`` instead, for a sequence that puts it before them).
        loose
            Place the setup row as late as it fits even where the shop keeps setups
            adjacent (for a chain of steps that cannot be placed otherwise, see
            :func:`~prodsched.timeline.steps.place_chain`).
        """
        line = self.lines[machine]
        free, state, k = line.free, line.state, line.cursor
        blocks = line.fixed
        earliest = self.earliest
        if k == len(blocks):   # nothing fixed ahead: the usual case
            change = self.setups.between(machine, state, product)
            low = free if free > earliest else earliest
            setup_begin, start, end = self._fit(
                line.calendar, change, option, work, max(ready, low + change.time), low, min_end,
                loose)
            return Placement(machine, product, option, start, end, change, setup_begin, k,
                             state)
        while True:
            change = self.setups.between(machine, state, product)
            low = max(free, earliest)
            setup_begin, start, end = self._fit(
                line.calendar, change, option, work, max(ready, low + change.time), low, min_end,
                loose)
            if k == len(blocks):
                break
            block = blocks[k]
            if end <= block.begin and block.takes_after(
                    self.setups.between(machine, product, block.product)):
                break
            if not pass_fixed:
                return None
            free, state, k = max(free, block.op.end), block.product, k + 1
        return Placement(machine, product, option, start, end, change, setup_begin, k, state)

    def _fit(self, calendar: Calendar, change: Changeover, option: RoutingOption, work: int,
             start: int, low: int, min_end: int | None, loose: bool = False
             ) -> tuple[int, int, int]:
        """``(setup_begin, start, end)``: the earliest run start from ``start`` where
        calendar, resources and a setup slot in ``[low, start)`` all fit."""
        pool = self.pool
        uses = option.resources if pool.profiles else ()
        pause = option.can_pause and bool(calendar.periods)
        length = change.time
        if not (uses or pause or min_end is not None or length):   # the usual case
            start = calendar.clear_from(start, work)
            return start, start, start + work
        while True:
            if pause:
                start = calendar.up_from(start)
                end = calendar.advance(start, work)
            else:
                start = calendar.clear_from(start, work)
                end = start + work
            if min_end is not None and end < min_end:
                start = (calendar.advance(start, calendar.work(start, min_end - 1) - work + 1)
                         if pause else min_end - work)
                continue
            if uses:
                blocked = pool.clear_from(uses, start, end)
                if blocked is not None:
                    start = blocked
                    continue
            if length == 0:
                return start, start, end
            latest = start - length
            if self.adjacent_setups and not loose:
                begin = self._slot_from(calendar, change.resources, latest, length)
                if begin == latest:
                    return begin, start, end
                start = begin + length
                continue
            found = self._slot_until(calendar, change.resources, low, latest, length)
            if found is not None:
                return found, start, end
            start = self._slot_from(calendar, change.resources, latest + 1, length) + length

    def _slot_until(self, calendar: Calendar, uses: tuple[ResourceUse, ...], low: int,
                    begin: int, length: int) -> int | None:
        """The latest setup slot beginning in ``[low, begin]`` (``None``: none)."""
        pool = self.pool
        while True:
            begin = calendar.clear_until(begin, length)
            if begin < low:
                return None
            if uses and pool:
                blocked = pool.clear_until(uses, begin, begin + length)
                if blocked is not None:
                    begin = blocked - length
                    continue
            return begin

    def _slot_from(self, calendar: Calendar, uses: tuple[ResourceUse, ...], begin: int,
                   length: int) -> int:
        """The earliest setup slot beginning at ``begin`` or later."""
        pool = self.pool
        while True:
            begin = calendar.clear_from(begin, length)
            if uses and pool:
                blocked = pool.clear_from(uses, begin, begin + length)
                if blocked is not None:
                    begin = blocked
                    continue
            return begin

    # -- booking ---------------------------------------------------------------
    def book(self, placement: Placement) -> Booking:
        """Book a placement: the machine is busy until its end, set up for its product,
        and its resources are held."""
        line = self.lines[placement.machine]
        booking = Booking(placement, line.free, line.state, line.cursor)
        state = line.state
        for block in line.fixed[line.cursor:placement.cursor]:
            booking.entered.append(block.entered_from)
            block.entered_from = state
            state = block.product
        line.free = max(line.free, placement.end)
        line.state = placement.product
        line.cursor = placement.cursor
        self._hold(placement, 1)
        return booking

    def unbook(self, booking: Booking) -> None:
        """Undo a booking (the last one on its machine)."""
        placement = booking.placement
        line = self.lines[placement.machine]
        for block, entered in zip(line.fixed[booking.cursor:placement.cursor], booking.entered,
                                  strict=True):
            block.entered_from = entered
        line.free, line.state, line.cursor = booking.free, booking.state, booking.cursor
        self._hold(placement, -1)

    def _hold(self, placement: Placement, sign: int) -> None:
        if not self.pool:
            return
        self.pool.book(placement.option.resources, placement.start, placement.end, sign)
        setup = placement.setup
        self.pool.book(setup.resources, placement.setup_begin,
                       placement.setup_begin + setup.time, sign)

    def pass_fixed(self, machine: str) -> PlacedOp:
        """Move ``machine``'s frontier past its next fixed run (the re-timer's sequence
        reached it); return that run."""
        line = self.lines[machine]
        block = line.fixed[line.cursor]
        block.entered_from = line.state
        line.free = max(line.free, block.op.end)
        line.state = block.product
        line.cursor += 1
        return block.op

    def fixed_ops(self) -> list[PlacedOp]:
        """Every fixed run, unchanged but for its changeover cost, which follows what
        actually ran before it."""
        return [op for line in self.lines.values() for op in line.fixed_ops(self.setups)]

    @staticmethod
    def placed(lot: Lot, step: int, placement: Placement) -> PlacedOp:
        """The placed operation of a placement of ``lot``'s step number ``step``."""
        return PlacedOp(lot, step, placement.machine, placement.start, placement.end,
                        placement.setup, placement.setup_start)


def machine_calendars(plant: Plant) -> dict[str, Calendar]:
    """Every machine's calendar, built once per plant (shared: read them, never change them)."""
    return per_plant(plant, "calendars", _calendars)


def _calendars(plant: Plant) -> dict[str, Calendar]:
    """Every machine's calendar."""
    return {name: Calendar(plant.unavailable(name)) for name in plant.machines}


def option_of(plant: Plant, op: PlacedOp) -> RoutingOption:
    """The routing row of a placed operation."""
    for step in plant.routings[op.lot.product]:
        if step.number == op.step:
            found = step.option(op.machine)
            if found is not None:
                return found
    raise ValueError(f"lot {op.lot.lot_id}: machine {op.machine} is not eligible for step "
                     f"{op.step} of {op.lot.product}")
