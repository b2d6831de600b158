"""Large-neighbourhood search: improve a complete schedule one window at a time.

Each iteration frees a window (:mod:`prodsched.lns.window`), solves its
CP-SAT model (:mod:`prodsched.jobshop.window`: the full model's constraint
functions with everything outside the window fixed) from the current
schedule as hint, puts the window's new machines, order and times into the schedule,
re-times everything (:func:`~prodsched.timeline.retime.retime`, which also
recomputes every changeover from the actual sequence; on plants with spec v2's
rules, and where holding cost counts, the window's own placement is kept instead,
:meth:`~prodsched.jobshop.window.WindowModel.placed`, valid by the window
model's constraints) and keeps
the result only when the objective, evaluated exactly over the whole plant,
improves. So the current schedule is always complete and valid, and never
gets worse.

Every :data:`LOT_EVERY` windows comes a round of lot moves
(:mod:`prodsched.lns.lot_moves`: lots split, merged, or units moved between
neighbouring lots of a product), kept on the same terms. A round that keeps
nothing doubles the windows until the next one (up to :data:`MAX_LOT_EVERY`),
one that keeps a move brings it back to :data:`LOT_EVERY`: where resizing
lots does not pay (an overloaded plant, say) the time goes to the windows.

Where holding cost does not count, some windows also resize lots
(:mod:`prodsched.lns.lot_window`: CP-SAT chooses the sizes of a few neighbouring
lots of a product with their sequence); how many is :class:`Mix`'s choice, by
what each kind of window gained per second so far.

Window sizes adapt so that a sub-solve takes about :data:`TARGET_SECONDS`:
a window solved to optimality well before its limit grows, one that runs
out of time shrinks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from prodsched.budget import DETERMINISTIC_PER_SECOND
from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.jobshop.window import Resize, WindowModel
from prodsched.lns.evaluate import Evaluator
from prodsched.lns.lot_moves import Values, move_round
from prodsched.lns.lot_window import lot_window
from prodsched.lns.state import Indexed
from prodsched.lns.towards_due import towards_due
from prodsched.lns.window import Neighbourhoods, Window
from prodsched.lots.lot import Lot
from prodsched.lots.placed import lots_in
from prodsched.objective import Objective, cannot_improve
from prodsched.plant.model import Plant
from prodsched.plant.setups import SetupTable
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.stats import LnsSearchStats
from prodsched.stop import Stop
from prodsched.timeline.retime import retime
from prodsched.timeline.shop import MODEL_ADJACENT_SETUPS

# Seconds one sub-solve should take, and its limit.
TARGET_SECONDS = 0.4
SUB_LIMIT = 0.5
# Share of a sub-solve's time for a stage that is not the last.
STAGE_SHARE = 0.5
# Repeatable runs: the clock limit of a sub-solve is this many times its
# deterministic budget's worth, so the deterministic budget decides.
WALL_SAFETY = 4.0
# Operations per window: first, fewest, most.
START_SIZE = 60
MIN_SIZE = 20
MAX_SIZE = 600
# Every this many windows, one is taken around a late lot (when there are late lots),
# and one around the route of a costly lot (when lots run on several machines).
LATE_EVERY = 3
ROUTE_AT = 1
# Windows between two rounds of lot moves (:mod:`prodsched.lns.lot_moves`): at first
# and after a round that kept a move; doubled after one that kept none, up to the most.
LOT_EVERY = 4
MAX_LOT_EVERY = 32
# Share of windows that resize lots (:mod:`prodsched.lns.lot_window`): at first, and
# the bounds of the share :class:`Mix` sets from what each kind gained per second.
RESIZE_SHARE = 0.25
RESIZE_SHARE_RANGE = (0.05, 0.5)
# Windows of each kind the share waits for before it follows their gains (the first
# windows' gains are chance), and how much of a kind's record each of its windows
# keeps (older windows count less).
MIN_RECORDS = 4
RECORD_DECAY = 0.9
# Repeatable runs: deterministic seconds charged per operation re-timed by a lot move
# (about what CP-SAT counts for the same wall time).
MOVE_DET_PER_OP = 2e-6
# Cost per time unit of pushing a lot's next step (outside the window) later;
# None: the next step stays where it is.
SOFT: float | None = 0.1

Improved = Callable[[list[PlacedOp], Values], None]


@dataclass
class SearchStats:
    """What the search did, for kpis.json."""

    windows: int = 0
    improved: int = 0
    solved_optimal: int = 0
    cycles: int = 0
    sub_seconds: float = 0.0
    build_seconds: float = 0.0
    deterministic_seconds: float = 0.0
    lot_moves: int = 0
    lot_moves_kept: int = 0
    lot_windows: int = 0
    lot_windows_kept: int = 0
    delays_kept: int = 0
    sizes: list[int] = field(default_factory=list)
    trajectory: list[tuple[float, float]] = field(default_factory=list)

    def result(self) -> LnsSearchStats:
        """The record kpis.json writes (``lns``)."""
        return LnsSearchStats(
            windows=self.windows, improved=self.improved, solved_optimal=self.solved_optimal,
            sub_seconds=round(self.sub_seconds, 3), build_seconds=round(self.build_seconds, 3),
            deterministic_seconds=round(self.deterministic_seconds, 3),
            lot_moves=self.lot_moves, lot_moves_kept=self.lot_moves_kept,
            lot_windows=self.lot_windows, lot_windows_kept=self.lot_windows_kept,
            delays_kept=self.delays_kept,
            mean_window=round(sum(self.sizes) / len(self.sizes), 1) if self.sizes else 0,
            trajectory=tuple((round(t, 2), v) for t, v in self.trajectory))


class Mix:
    """How often a window resizes lots: as often as that has paid, per second of
    solving, against the other windows (an adaptive large-neighbourhood search's
    choice of neighbourhood, by running averages of each kind's gain per second).

    A window's gain is how much it lowered the first objective stage it changed, as
    a share of that stage's value (so that with lexicographic stages, improvements
    of a later stage count where the first one stays, at 0 say). A kind's rate is
    its gains over its seconds, older windows counting less (:data:`RECORD_DECAY`);
    the share follows the rates once each kind has :data:`MIN_RECORDS` windows.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.gains = {True: 0.0, False: 0.0}
        self.seconds = {True: 0.0, False: 0.0}
        self.records = {True: 0, False: 0}

    def rate(self, resized: bool) -> float:
        """The kind's gain per second (0 before any window)."""
        return self.gains[resized] / self.seconds[resized] if self.seconds[resized] else 0.0

    def resize_next(self) -> bool:
        """Whether the next window resizes lots."""
        lots, other = self.rate(True), self.rate(False)
        share = RESIZE_SHARE
        if min(self.records.values()) >= MIN_RECORDS and lots + other > 0:
            low, high = RESIZE_SHARE_RANGE
            share = min(high, max(low, lots / (lots + other)))
        return self.rng.random() < share

    def record(self, resized: bool, before: Values, after: Values, seconds: float) -> None:
        """A window's objective values before and after it, and its solve's seconds."""
        changed = next(((b, a) for b, a in zip(before, after, strict=True) if a != b), None)
        gain = 0.0
        if changed is not None and changed[0] > 0 and changed[1] < changed[0]:
            gain = float(changed[0] - changed[1]) / float(changed[0])
        self.gains[resized] = RECORD_DECAY * self.gains[resized] + gain
        self.seconds[resized] = RECORD_DECAY * self.seconds[resized] + max(seconds, 1e-3)
        self.records[resized] += 1


def improve(plant: Plant, setups: SetupTable, objective: Objective, lots: list[Lot],
            ops: list[PlacedOp], stop: Stop, settings: SolverSettings,
            on_improve: Improved | None = None, t0: float | None = None
            ) -> tuple[list[PlacedOp], tuple[Fraction, ...], SearchStats]:
    """Improve ``ops`` window by window until a limit, or until every stage of the
    objective is 0 (:func:`~prodsched.objective.cannot_improve`); return the best
    and its values.

    Parameters
    ----------
    plant, setups, objective
        The plant, its changeover lookup, what is minimised.
    lots, ops
        A complete, valid schedule.
    stop
        When to stop: the clock deadline, and with a deterministic budget the
        sum of the sub-solves' deterministic time bounds the search instead
        (with one worker, the same plant then gives the same schedule; the
        clock still holds).
    settings
        CP-SAT workers and seed for the sub-solves.
    on_improve
        Called with every new best schedule and its values.
    t0
        ``time.monotonic()`` the trajectory's times count from.
    """
    t0 = time.monotonic() if t0 is None else t0
    evaluator = Evaluator(plant, objective)
    values = evaluator.values(ops)
    state = Indexed(plant, lots, ops)
    hoods = Neighbourhoods(plant, seed=settings.seed)
    stats = SearchStats(trajectory=[(time.monotonic() - t0, float(values[0]))])
    size = START_SIZE
    det_left = stop.deterministic_seconds
    # plants with spec v2's rules: the window's own placement is taken as it is, valid
    # by the window model's constraints (next steps outside it stay put); so too where
    # holding cost counts, as re-timing everything as early as possible would undo
    # every lot the window delays towards its due date
    exact = plant.uses_v2_rules or evaluator.counts_holding
    rng = random.Random(settings.seed)
    lot_every, next_round = LOT_EVERY, LOT_EVERY - 1
    # lot windows only where holding cost does not count: there they mostly solve to
    # optimality within a window's time; where it counts they mostly run out of it
    # and lost on a paired benchmark (benchmarks/results/lot_windows_c775e04.md)
    mix = None if evaluator.counts_holding else Mix(rng)

    def keep(found: tuple[list[PlacedOp], Values]) -> None:
        nonlocal ops, values, state
        ops, values = found
        state = Indexed(plant, lots_in(ops), ops)
        stats.improved += 1
        stats.trajectory.append((time.monotonic() - t0, float(values[0])))
        if on_improve is not None:
            on_improve(ops, values)

    def delay() -> None:
        # where holding cost counts: the runs left early (by the start, the windows,
        # the lot moves) moved towards their due dates, whenever that pays
        nonlocal det_left
        if evaluator.counts_holding and not stop.over() and not cannot_improve(values):
            if det_left is not None:
                det_left -= MOVE_DET_PER_OP * len(ops)
            found = towards_due(plant, setups, evaluator, state, values)
            if found is not None:
                keep(found)
                stats.delays_kept += 1

    delay()
    while not stop() and not cannot_improve(values):
        left = stop.left()
        if left < 0.2 or (det_left is not None and det_left <= 0):
            break
        if stats.windows >= next_round:
            # a round takes about as long as a window; its clock limit is a window's
            round_stop = stop.within(SUB_LIMIT if det_left is None else WALL_SAFETY * SUB_LIMIT)
            found, tried = move_round(plant, setups, evaluator, state, values, rng, round_stop)
            lot_every = LOT_EVERY if found is not None else min(MAX_LOT_EVERY, 2 * lot_every)
            next_round = stats.windows + lot_every
            stats.lot_moves += tried
            if det_left is not None:
                det_left -= MOVE_DET_PER_OP * tried * len(ops)
            if found is not None:
                keep(found)
                stats.lot_moves_kept += 1
            delay()
            continue
        resize: Resize | None = None
        if mix is not None and mix.resize_next():
            # a window resizing a few lots of one product (CP-SAT chooses the sizes)
            found_window = lot_window(plant, state, evaluator, rng, size)
            if found_window is not None:
                window, resize = found_window
                stats.lot_windows += 1
        if resize is None:
            next_window = _next_window(hoods, state, evaluator, size, stats.windows)
            if next_window is None:
                break
            window = next_window
        stats.windows += 1
        started = time.monotonic()
        wm = WindowModel(plant, setups, objective, state, window,
                         soft=None if exact or resize is not None else SOFT, resize=resize)
        stats.build_seconds += time.monotonic() - started
        stats.sizes.append(len(wm.free))
        solve_started = time.monotonic()
        # a complete hint and a small model: presolve would cost more than it saves
        sub = SolverSettings(workers=settings.workers, seed=settings.seed, presolve=False)
        if det_left is None:
            window_stop = stop.within(SUB_LIMIT)
        else:  # repeatable: deterministic time decides, the clock is only a safety
            window_stop = stop.within(WALL_SAFETY * SUB_LIMIT).with_budget(
                min(det_left, DETERMINISTIC_PER_SECOND * SUB_LIMIT))
        run = run_stages(wm.model, wm.stages(), sub, window_stop, stage_share=STAGE_SHARE)
        seconds = time.monotonic() - solve_started
        stats.sub_seconds += seconds
        det = run.deterministic_seconds
        stats.deterministic_seconds += det
        if det_left is not None:
            det_left -= det
            seconds = det / DETERMINISTIC_PER_SECOND
        if resize is None:
            size = _adapt(size, run.status, seconds)
        before = values
        if run.status == "optimal":
            stats.solved_optimal += 1
        shifted = None if run.values is None else _put_back(
            plant, setups, state, window, wm, run.value, exact, stats)
        new = values if shifted is None else evaluator.values(shifted)
        kept = shifted is not None and new < values and evaluator.meets_deadlines(shifted)
        if mix is not None:
            mix.record(resize is not None, before, new if kept else before, seconds)
        if shifted is not None and kept:
            values, ops = new, shifted
            if resize is None:
                state = Indexed(plant, state.lots, ops)
            else:
                state = Indexed(plant, lots_in(ops), ops)
                stats.lot_windows_kept += 1
            stats.improved += 1
            stats.trajectory.append((time.monotonic() - t0, float(values[0])))
            if on_improve is not None:
                on_improve(ops, values)
    return ops, values, stats


def _put_back(plant: Plant, setups: SetupTable, state: Indexed, window: Window,
              wm: WindowModel, value: Callable[[object], int], exact: bool,
              stats: SearchStats) -> list[PlacedOp] | None:
    """The schedule with a window's solution in it (``None``: nothing moved, or the
    re-timing found a cycle)."""
    if wm.resize is not None:
        return wm.resized(value)
    if exact:
        return placed_in(state, wm.placed(value))
    moved = apply_moves(state, window, wm.moves(value))
    if moved is None:
        return None
    shifted = retime(plant, setups, moved[0], moved[1], state.by_lot.values(),
                     adjacent_setups=MODEL_ADJACENT_SETUPS)
    if shifted is None:
        stats.cycles += 1
    return shifted


def _next_window(hoods: Neighbourhoods, state: Indexed, evaluator: Evaluator, size: int,
                 count: int) -> Window | None:
    window = None
    if count % LATE_EVERY == LATE_EVERY - 1:
        window = hoods.late(state, _late_ops(state, evaluator), size)
    elif count % LATE_EVERY == ROUTE_AT:
        window = hoods.route(state, *_costly_routes(state, evaluator), size)
    return window if window is not None else hoods.sliding(state, size)


def _costly_routes(state: Indexed, evaluator: Evaluator) -> tuple[list[str], list[float]]:
    """Lots made on more than one machine whose last step costs something
    (:meth:`~prodsched.lns.evaluate.Evaluator.lot_cost`), and that cost."""
    lots, costs = [], []
    ops = state.ops
    for lot_id, chain in state.by_lot.items():
        if len({ops[k].machine for k in chain}) > 1:
            cost = evaluator.lot_cost(ops[chain[-1]])
            if cost > 0:
                lots.append(lot_id)
                costs.append(cost)
    return lots, costs


def _late_ops(state: Indexed, evaluator: Evaluator) -> list[int]:
    """Last steps of lots that complete some order late."""
    out = []
    for chain in state.by_lot.values():
        op = state.ops[chain[-1]]
        if any(o in evaluator.due and op.end > evaluator.due[o] for o in op.lot.order_ids):
            out.append(chain[-1])
    return out


def _adapt(size: int, status: str, seconds: float) -> int:
    if status == "optimal" and seconds < TARGET_SECONDS / 2:
        return min(MAX_SIZE, int(size * 1.25) + 1)
    if status != "optimal" and seconds >= TARGET_SECONDS:
        return max(MIN_SIZE, int(size * 0.8))
    return size


def placed_in(state: Indexed, placed: dict[int, PlacedOp]) -> list[PlacedOp]:
    """The schedule's operations with those of ``placed`` replaced."""
    ops = list(state.ops)
    for k, op in placed.items():
        ops[k] = op
    return ops


def apply_moves(state: Indexed, window: Window, moves: dict[int, tuple[str, int, int]]
           ) -> tuple[list[PlacedOp], dict[str, list[int]]] | None:
    """The operations with the window's moved, and every machine's new sequence
    (``None``: nothing moved)."""
    ops = list(state.ops)
    changed = False
    for k, (machine, start, end) in moves.items():
        op = ops[k]
        if op.fixed:
            continue  # fixed work (fixed.csv) never moves
        if (op.machine, op.start, op.end) != (machine, start, end):
            changed = True
            ops[k] = PlacedOp(op.lot, op.step, machine, start, end, op.setup)
    if not changed:
        return None
    machines = dict(state.by_machine)
    for m, (i, j) in window.segments.items():
        seq = state.by_machine[m]
        inside = sorted((k for k, (machine, _, _) in moves.items() if machine == m),
                        key=lambda k: (ops[k].start, ops[k].end))
        machines[m] = seq[:i] + inside + seq[j:]
    return ops, machines
