"""The re-timer: earliest times for given machine sequences (pure).

Given the order of the runs on every machine and the steps of every lot,
each run starts as early as the shop allows (:class:`~prodsched.timeline.shop.Shop`:
the run before it on its machine and the changeover from its product,
calendars and pauses, resources, ``now``) after its lot's previous step
(whole-lot transfer or lot streaming). Runs are taken in a topological order
of the two precedences — among those free to go, the one that started first —
so a run moved later pushes what follows it, and a run never loses a shared
resource to one that started after it. Fixed
runs (fixed.csv) keep their times; a run sequenced before one must fit in
front of it.

``max_wait``: after a pass, every step that starts more than its
``max_wait`` after its lot's previous step gives that previous step a later
earliest end (the step's start less the wait), and the pass is repeated. The
bounds only rise, so the first pass without a late step gives the earliest
times that keep every ``max_wait``.

The move is refused (``None``) when the sequences contradict the lots' step
order (a cycle), a run does not fit before a fixed run sequenced after it, a
fixed step would have to move, or no times keep every ``max_wait`` within
:data:`MAX_ROUNDS` passes.

:func:`left_shift` re-times a schedule with its own sequences: no run starts
later, so no completion gets later either. :func:`delayed` is its mirror for
holding cost: runs move later, towards targets (their lots' due dates), by at
most the room the runs after them leave, and are then timed by :func:`retime`.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

from prodsched.lots.placed import PlacedOp
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.timeline.shop import Shop
from prodsched.timeline.steps import Routes, Run, bounds_after

# No limit on how much later a run may end (before its successors are counted).
UNBOUNDED = 1 << 62
# Passes that may raise earliest ends to keep max_wait before a move is refused.
MAX_ROUNDS = 50


def retime(plant: Plant, setups: SetupTable, ops: Sequence[PlacedOp],
           machines: Mapping[str, Iterable[int]], lots: Iterable[Sequence[int]],
           *, adjacent_setups: bool = False, min_ends: Mapping[int, int] | None = None
           ) -> list[PlacedOp] | None:
    """Every operation at its earliest start for the given sequences.

    Parameters
    ----------
    plant, setups
        The plant and its changeover lookup.
    ops
        The operations (their machine is kept; times and changeovers are
        recomputed, but fixed operations keep their times).
    machines
        Operation indices per machine, in the order they run.
    lots
        Operation indices per lot, in routing order.
    adjacent_setups
        Keep every setup row right before its run (see
        :data:`~prodsched.timeline.shop.MODEL_ADJACENT_SETUPS`).
    min_ends
        Earliest end per operation index, beyond what the sequences imply (a
        run kept from moving earlier than where it ends now, say).

    Returns
    -------
    list of PlacedOp or None
        The operations re-timed, in the same positions; ``None`` when the move
        is refused (see the module).
    """
    n = len(ops)
    chains = [list(chain) for chain in lots]
    after: list[list[int]] = [[] for _ in range(n)]
    waiting = [0] * n
    for chain in itertools.chain(machines.values(), chains):
        for a, b in itertools.pairwise(chain):
            after[a].append(b)
            waiting[b] += 1
    lot_before = [-1] * n
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            lot_before[b] = a
    routes = Routes.of(plant)
    runs = [routes.runs(op.lot)[routes.numbers(op.lot.product).index(op.step)][op.machine]
            for op in ops]
    waits = [(a, b, wait) for chain in chains for a, b in itertools.pairwise(chain)
             if (wait := runs[b].option.max_wait) is not None]
    min_end: dict[int, int] = dict(min_ends or {})
    for _ in range(MAX_ROUNDS):
        shop = Shop(plant, setups, [op for op in ops if op.fixed],
                    adjacent_setups=adjacent_setups)
        out = _pass(shop, ops, after, list(waiting), lot_before, runs, min_end)
        if out is None:
            return None
        late = False
        for a, b, wait in waits:
            if out[b].start - out[a].end > wait:
                if ops[a].fixed:
                    return None
                min_end[a] = max(min_end.get(a, 0), out[b].start - wait)
                late = True
        if not late:
            return out
    return None


def _pass(shop: Shop, ops: Sequence[PlacedOp], after: list[list[int]], waiting: list[int],
          lot_before: list[int], runs: list[Run], min_end: dict[int, int]
          ) -> list[PlacedOp] | None:
    """One topological pass on a fresh shop: every operation as early as its
    predecessors allow."""
    n = len(ops)
    out: list[PlacedOp | None] = [None] * n
    place, book = shop.place, shop.book
    ready_now = [(ops[k].start, k) for k in range(n) if waiting[k] == 0]
    heapq.heapify(ready_now)
    done = 0
    while ready_now:
        _, k = heapq.heappop(ready_now)
        done += 1
        op = ops[k]
        if op.fixed:
            line = shop.lines[op.machine]
            if line.cursor >= len(line.fixed) or line.fixed[line.cursor].op is not op:
                return None   # fixed runs out of their order on the machine
            shop.pass_fixed(op.machine)
            out[k] = op
        else:
            run, lot, before = runs[k], op.lot, lot_before[k]
            if before < 0:
                ready, end_bound = lot.release, None
            else:
                prev = out[before]
                assert prev is not None
                ready, end_bound = bounds_after(lot, prev.start, prev.end, runs[before].unit,
                                                run)
            bound = min_end.get(k)
            if bound is not None:
                end_bound = bound if end_bound is None else max(end_bound, bound)
            placement = place(op.machine, lot.product, run.option, run.work, ready, end_bound,
                              pass_fixed=False)
            if placement is None:
                return None
            book(placement)
            out[k] = PlacedOp(lot, op.step, op.machine, placement.start, placement.end,
                              placement.setup, placement.setup_start)
        for nxt in after[k]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready_now, (ops[nxt].start, nxt))
    if done < n:
        return None
    fixed = {(op.lot.lot_id, op.step): op for op in shop.fixed_ops()}
    result = []
    for placed in out:
        assert placed is not None
        result.append(fixed.get((placed.lot.lot_id, placed.step), placed) if placed.fixed
                      else placed)
    return result


def sequences(plant: Plant, ops: Sequence[PlacedOp]
              ) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """A schedule's operation indices per machine (in start order) and per lot (in
    routing order)."""
    routes = Routes.of(plant)
    position = {k: routes.numbers(op.lot.product).index(op.step) for k, op in enumerate(ops)}
    machines: dict[str, list[int]] = {}
    lots: dict[str, list[int]] = {}
    for k in sorted(range(len(ops)), key=lambda k: (ops[k].start, ops[k].end, position[k])):
        machines.setdefault(ops[k].machine, []).append(k)
    for k in sorted(range(len(ops)), key=lambda k: position[k]):
        lots.setdefault(ops[k].lot.lot_id, []).append(k)
    return machines, lots


def left_shift(plant: Plant, ops: Sequence[PlacedOp], setups: SetupTable,
               *, adjacent_setups: bool = False) -> list[PlacedOp]:
    """The same sequences with every run started as early as the rules allow
    (the operations unchanged when they cannot be re-timed)."""
    machines, lots = sequences(plant, ops)
    shifted = retime(plant, setups, ops, machines, lots.values(),
                     adjacent_setups=adjacent_setups)
    return list(ops) if shifted is None else shifted


def due_targets(ops: Sequence[PlacedOp], lots: Iterable[Sequence[int]]) -> dict[int, int]:
    """For :func:`delayed`: the last step of every lot with a due date, its lot's
    earliest due date."""
    targets = {}
    for chain in lots:
        due = ops[chain[-1]].lot.due
        if due is not None:
            targets[chain[-1]] = math.floor(due)
    return targets


def delay_to_due(plant: Plant, ops: Sequence[PlacedOp], setups: SetupTable,
                 *, adjacent_setups: bool = False) -> list[PlacedOp]:
    """The same sequences with runs moved later towards their lots' earliest due
    dates (:func:`delayed`; the operations unchanged when they cannot be re-timed)."""
    machines, lots = sequences(plant, ops)
    out = delayed(plant, setups, ops, machines, lots.values(), due_targets(ops, lots.values()),
                  adjacent_setups=adjacent_setups)
    return list(ops) if out is None else out


def delayed(plant: Plant, setups: SetupTable, ops: Sequence[PlacedOp],
            machines: Mapping[str, Sequence[int]], lots: Iterable[Sequence[int]],
            targets: Mapping[int, int], *, adjacent_setups: bool = False
            ) -> list[PlacedOp] | None:
    """The same sequences with runs moved later, towards ``targets``: no run ends
    earlier than now, and a lot's last step ends by its target if the runs
    after it leave room (a step already past its target stays).

    A backward pass over the two precedences gives each run how much later it may
    end: a last step up to its target; any step no more than its lot's next step
    moves (plus the gap between them), and no later than the changeover before the
    next run on its machine begins once that run has moved. Fixed runs and last
    steps without a target stay. Those ends are then earliest ends for
    :func:`retime`, so every rule of the shop holds; where a calendar pushes a run
    further than the pass assumed, what follows moves with it (the caller judges
    the result).

    Parameters
    ----------
    plant, setups, ops, machines, lots, adjacent_setups
        As for :func:`retime`.
    targets
        The latest end wanted per operation index (the last step of a lot: its
        earliest due date).

    Returns
    -------
    list of PlacedOp or None
        The operations re-timed, in the same positions; ``None`` when
        :func:`retime` refuses, or the sequences contain a cycle.
    """
    n = len(ops)
    chains = [list(chain) for chain in lots]
    next_on_machine = [-1] * n
    next_in_lot = [-1] * n
    before: list[list[int]] = [[] for _ in range(n)]
    for seq, successor in itertools.chain(((s, next_on_machine) for s in machines.values()),
                                          ((c, next_in_lot) for c in chains)):
        for a, b in itertools.pairwise(seq):
            successor[a] = b
            before[b].append(a)
    left = [(next_on_machine[k] >= 0) + (next_in_lot[k] >= 0) for k in range(n)]
    ready = [k for k in range(n) if left[k] == 0]
    later = [0] * n
    done = 0
    while ready:
        k = ready.pop()
        done += 1
        op = ops[k]
        room = targets[k] - op.end if k in targets else (0 if next_in_lot[k] < 0 else UNBOUNDED)
        if (b := next_in_lot[k]) >= 0:
            room = min(room, later[b] + max(0, ops[b].start - op.end))
        if (b := next_on_machine[k]) >= 0:
            room = min(room, ops[b].setup_begin + later[b] - op.end)
        later[k] = 0 if op.fixed else max(0, room)
        for a in before[k]:
            left[a] -= 1
            if left[a] == 0:
                ready.append(a)
    if done < n:
        return None
    min_ends = {k: op.end + later[k] for k, op in enumerate(ops) if not op.fixed}
    return retime(plant, setups, ops, machines, chains, adjacent_setups=adjacent_setups,
                  min_ends=min_ends)
