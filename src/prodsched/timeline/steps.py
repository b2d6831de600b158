"""A lot's steps on the shop: when each may start, and placing them (pure over a :class:`Shop`).

- :class:`Routes`: each lot's steps, with the run (duration, unit time) on
  every eligible machine;
- :func:`bounds`: the earliest start and end of a lot's next step from its
  previous one (whole-lot transfer, or lot streaming for ``mass`` lots: the
  next step starts one unit after the previous one starts and ends one unit
  after it ends);
- :func:`place_chain`: a lot's next steps, each on the eligible machine where
  it ends first, booked together. Steps linked by ``max_wait`` (the row of
  step ``s+1`` limits ``start(s+1) - end(s)``) are always placed in one
  chain: when a step cannot start in time after its predecessor, the
  predecessor gets a later earliest end — as late as the step's start less
  its ``max_wait`` — and the chain is placed again from its first step. Every
  round only raises lower bounds, so it ends with the earliest chain that
  keeps every ``max_wait`` (a lot is never cut by the night when its next step
  may not wait). The delays can chase each other: where a shared resource (a
  setup crew) is busy up to the predecessor's own changeover, delaying the
  predecessor delays that changeover and the step with it, by the same amount.
  A chain whose shortfall stays the same from one round to the next is therefore
  placed again once from the end of everything booked, with room before it for
  every step's changeover, where only its own steps hold the machines and
  resources; where the shop keeps setups right before their runs, a changeover
  longer than the step before it plus the wait cannot share a crew with that
  step's own (neither fits before nor after it), so the chain is then placed
  with its setups as late as they fit instead (each one before the changeover
  of the step before). :class:`PlacementError` is raised when that fails too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from prodsched.lots.lot import Lot
from prodsched.plant.model import Mode, Plant, RoutingOption
from prodsched.timeline.cache import per_plant
from prodsched.timeline.shop import Booking, Placement, Shop

# Rounds of delaying a chain's steps before giving up; rounds with the same shortfall
# in a row before the chain is placed again from the end of everything booked.
MAX_DELAYS = 500
MAX_CHASE = 3


class PlacementError(RuntimeError):
    """No placement of a lot's steps keeps every ``max_wait``."""


@dataclass(frozen=True)
class Run:
    """A step on one eligible machine: its routing row, duration and unit time."""

    option: RoutingOption
    work: int
    unit: int


class Routes:
    """Each lot's steps with their runs per eligible machine, cached by product and size.

    :meth:`of` gives the plant's one instance, so that schedulers and the
    re-timer, called again and again on one plant, compute each only once.

    Parameters
    ----------
    plant
        The plant.
    """

    @classmethod
    def of(cls, plant: Plant) -> Routes:
        """The routes of ``plant`` (one instance per plant object, while it lives)."""
        return per_plant(plant, "routes", cls)

    def __init__(self, plant: Plant):
        self.routings = plant.routings    # not the plant: the cache must not keep it alive
        self._runs: dict[tuple[str, int], list[dict[str, Run]]] = {}
        self._linked: dict[str, list[bool]] = {}
        self._numbers: dict[str, list[int]] = {}

    def runs(self, lot: Lot) -> list[dict[str, Run]]:
        """Per step of the lot's routing: its run on each eligible machine (in file order)."""
        key = (lot.product, lot.quantity)
        found = self._runs.get(key)
        if found is None:
            found = [{o.machine: Run(o, o.duration(key[1]), math.ceil(o.time_per_unit))
                      for o in step.options} for step in self.routings[lot.product]]
            self._runs[key] = found
        return found

    def numbers(self, product: str) -> list[int]:
        """The step numbers of a product's routing."""
        found = self._numbers.get(product)
        if found is None:
            found = self._numbers[product] = [s.number for s in self.routings[product]]
        return found

    def linked(self, product: str) -> list[bool]:
        """Per step index: whether some row of that step limits the wait before it
        (``max_wait``), so it is placed together with the step before it."""
        found = self._linked.get(product)
        if found is None:
            steps = self.routings[product]
            found = [k > 0 and any(o.max_wait is not None for o in step.options)
                     for k, step in enumerate(steps)]
            self._linked[product] = found
        return found

    def chain_end(self, product: str, k: int) -> int:
        """The last step index placed together with step index ``k``."""
        linked = self.linked(product)
        while k + 1 < len(linked) and linked[k + 1]:
            k += 1
        return k


@dataclass
class LotState:
    """Where a lot stands: its next step index and its previous step's run.

    ``prev_start``/``prev_end`` are ``None`` before the first step; ``prev_unit``
    is the previous machine's time per unit, rounded up (for lot streaming).
    """

    step: int = 0
    prev_start: int | None = None
    prev_end: int | None = None
    prev_unit: int = 0

    def advance(self, start: int, end: int, unit: int) -> None:
        """Record a placed step and move to the next."""
        self.step += 1
        self.prev_start, self.prev_end, self.prev_unit = start, end, unit


def bounds(lot: Lot, state: LotState, run: Run) -> tuple[int, int | None]:
    """``(ready, min_end)`` of the lot's next step on ``run``'s machine."""
    if state.prev_start is None or state.prev_end is None:
        return lot.release, None
    return bounds_after(lot, state.prev_start, state.prev_end, state.prev_unit, run)


def ready_of(lot: Lot, state: LotState) -> int:
    """The earliest start of the lot's next step on any machine."""
    if state.prev_start is None or state.prev_end is None:
        return lot.release
    return state.prev_start + state.prev_unit if lot.mode is Mode.MASS else state.prev_end


def bounds_after(lot: Lot, prev_start: int, prev_end: int, prev_unit: int, run: Run
                 ) -> tuple[int, int | None]:
    """``(ready, min_end)`` of a step on ``run``'s machine after the lot's step that ran
    ``[prev_start, prev_end)`` on a machine taking ``prev_unit`` per unit."""
    if lot.mode is Mode.MASS:
        return prev_start + prev_unit, prev_end + run.unit
    return prev_end, None


def best_placement(shop: Shop, lot: Lot, runs: dict[str, Run], state: LotState,
                   min_end: int | None = None, only: str | None = None, ready: int = 0,
                   loose: bool = False) -> tuple[Placement, Run, int | None]:
    """The eligible machine where the lot's next step ends first (ties: the smaller
    changeover, then the earlier start), keeping ``max_wait`` when some machine can.

    Returns the placement, its run, and — when no machine keeps the step's
    ``max_wait`` — the earliest end of the previous step that would (else ``None``).
    ``only`` restricts the step to one machine, ``ready`` is a further earliest start.
    """
    best: tuple[tuple[int, int, int], Placement, Run] | None = None
    late: tuple[tuple[int, int], Placement, Run, int] | None = None
    prev_end = state.prev_end
    for machine, run in runs.items():
        if only is not None and machine != only:
            continue
        at, end_bound = bounds(lot, state, run)
        if min_end is not None:
            end_bound = min_end if end_bound is None else max(end_bound, min_end)
        placement = shop.place(machine, lot.product, run.option, run.work, max(at, ready),
                               end_bound, loose=loose)
        assert placement is not None
        wait = run.option.max_wait
        if prev_end is not None and wait is not None and placement.start - prev_end > wait:
            need = placement.start - wait
            if late is None or (need, placement.end) < late[0]:
                late = ((need, placement.end), placement, run, need)
            continue
        key = (placement.end, placement.setup.time, placement.start)
        if best is None or key < best[0]:
            best = (key, placement, run)
    if best is not None:
        return best[1], best[2], None
    assert late is not None, f"no eligible machine for lot {lot.lot_id}"
    return late[1], late[2], late[3]


def place_chain(shop: Shop, routes: Routes, lot: Lot, state: LotState, last: int,
                only: str | None = None, ready: int = 0) -> list[tuple[Placement, Run]]:
    """Place and book the lot's steps from ``state.step`` to index ``last`` (see the
    module); ``only`` restricts the first of them to one machine and ``ready`` is a
    further earliest start of it. ``state`` is advanced.

    Raises
    ------
    PlacementError
        When no chain keeps every ``max_wait`` of its steps.
    """
    try:
        return _place_chain(shop, routes, lot, state, last, only, ready)
    except _Chase:
        pass
    # past every booking, with room before the first step for every step's changeover:
    # only the chain's own steps compete (see the module)
    runs = routes.runs(lot)
    room = sum(max(shop.setups.between(m, shop.state(m), lot.product).time for m in runs[k])
               for k in range(state.step, last + 1))
    everything = max(ready, max(shop.free(m) for m in shop.lines) + room)
    for loose in (False, True) if shop.adjacent_setups else (False,):
        try:
            return _place_chain(shop, routes, lot, state, last, only, everything, loose)
        except _Chase:
            pass
    raise PlacementError(f"lot {lot.lot_id}: no placement of steps {state.step + 1}-"
                         f"{last + 1} of {lot.product} keeps their max_wait")


class _Chase(Exception):
    """The chain's delays chase each other, or ran out."""


def _place_chain(shop: Shop, routes: Routes, lot: Lot, state: LotState, last: int,
                 only: str | None, ready: int, loose: bool = False
                 ) -> list[tuple[Placement, Run]]:
    runs = routes.runs(lot)
    first = state.step
    min_end: dict[int, int] = {}
    shortfall, same = None, 0
    for _ in range(MAX_DELAYS):
        here = LotState(state.step, state.prev_start, state.prev_end, state.prev_unit)
        booked: list[Booking] = []
        out: list[tuple[Placement, Run]] = []
        delay: tuple[int, int] | None = None
        for k in range(first, last + 1):
            placement, run, need = best_placement(
                shop, lot, runs[k], here, min_end.get(k), only if k == first else None,
                ready if k == first else 0, loose)
            if need is not None and k > first:
                assert here.prev_end is not None
                delay = (k - 1, need)
                gap = (k, need - here.prev_end)
                same = same + 1 if gap == shortfall else 0
                shortfall = gap
                break
            booked.append(shop.book(placement))
            out.append((placement, run))
            here.advance(placement.start, placement.end, run.unit)
        if delay is None:
            state.step, state.prev_start, state.prev_end, state.prev_unit = (
                here.step, here.prev_start, here.prev_end, here.prev_unit)
            return out
        for booking in reversed(booked):
            shop.unbook(booking)
        if same >= MAX_CHASE:
            raise _Chase
        k, need = delay
        min_end[k] = max(min_end.get(k, need), need)
    raise _Chase
