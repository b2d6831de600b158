"""Tabu search on the disjunctive graph of a (flexible) job shop, for makespan.

A solution is a machine and a position for every operation: per machine the
sequence of its operations. Its makespan is the longest path of the
disjunctive graph (job arcs plus the arcs between consecutive operations of a
machine), found with *heads* (earliest starts) and *tails* (the work that
must follow an operation's end).

Every iteration looks at one critical path, cut into *blocks* (runs of
consecutive operations on one machine) and weighs two kinds of moves:

- within a block, move its first or last operation inside it, or an inner
  operation to its front or back (the N7 neighbourhood of the job shop);
- move a critical operation to another of its eligible machines, at the
  position whose longest path through the operation is shortest
  (Mastrolilli and Gambardella's insertion).

Moves are weighed by estimates made from the current heads and tails, never
by rebuilding the graph, and are applied only when they keep it acyclic
(checked with heads and tails too, so no move is ever undone). The best move
that is not tabu is taken, or a tabu one that promises a new best. A move
makes tabu the orders it reverses (same machine) or the machine it leaves.
After a long run without a new best the search restarts from the best
solution, shaken by a few random moves.

Everything here is pure Python on plain lists; :func:`tabu_search` is the
entry point and takes the same per-job operation lists as
:mod:`prodsched.heuristics.makespan_rules`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from prodsched.stop import Stop

# per job, per operation: (machine, duration) options
Jobs = Sequence[Sequence[Sequence[tuple[int, int]]]]
# per job, per operation: (machine, start, end)
Placement = list[list[tuple[int, int, int]]]

# Iterations without a new best before restarting from the best solution.
STALL_ITERATIONS = 3000
# Random moves that shake the best solution at a restart.
SHAKE_MOVES = 4


@dataclass
class _Graph:
    """The fixed part of the disjunctive graph: operations and job arcs."""

    job_pred: list[int]
    job_succ: list[int]
    options: list[list[tuple[int, int]]]
    n_machines: int

    @classmethod
    def of_jobs(cls, jobs: Jobs, n_machines: int) -> _Graph:
        job_pred: list[int] = []
        job_succ: list[int] = []
        options: list[list[tuple[int, int]]] = []
        for ops in jobs:
            first = len(options)
            for i, opts in enumerate(ops):
                job_pred.append(first + i - 1 if i > 0 else -1)
                job_succ.append(first + i + 1 if i + 1 < len(ops) else -1)
                options.append(list(opts))
        return cls(job_pred, job_succ, options, n_machines)


@dataclass
class _Times:
    """Heads, tails and machine neighbours of one solution."""

    head: list[int]
    tail: list[int]
    mach_pred: list[int]
    mach_succ: list[int]
    makespan: int


def _evaluate(graph: _Graph, seqs: list[list[int]], dur: list[int]) -> _Times | None:
    """Heads and tails of the solution ``seqs``; ``None`` when its graph has a cycle."""
    n = len(dur)
    mp = [-1] * n
    ms = [-1] * n
    for seq in seqs:
        for a, b in pairwise(seq):
            ms[a] = b
            mp[b] = a
    jp, js = graph.job_pred, graph.job_succ
    indeg = [(jp[o] >= 0) + (mp[o] >= 0) for o in range(n)]
    order = [o for o in range(n) if indeg[o] == 0]
    head = [0] * n
    i = 0
    while i < len(order):
        o = order[i]
        i += 1
        end = head[o] + dur[o]
        for s in (js[o], ms[o]):
            if s >= 0:
                if head[s] < end:
                    head[s] = end
                indeg[s] -= 1
                if indeg[s] == 0:
                    order.append(s)
    if len(order) < n:
        return None
    tail = [0] * n
    for o in reversed(order):
        t = 0
        s = js[o]
        if s >= 0:
            t = dur[s] + tail[s]
        s = ms[o]
        if s >= 0 and dur[s] + tail[s] > t:
            t = dur[s] + tail[s]
        tail[o] = t
    makespan = max((head[o] + dur[o] for o in range(n)), default=0)
    return _Times(head, tail, mp, ms, makespan)


def _critical_blocks(times: _Times, dur: list[int], graph: _Graph,
                     rng: random.Random) -> list[list[int]]:
    """One critical path (ties broken at random) cut into machine blocks."""
    head, tail, ms, js = times.head, times.tail, times.mach_succ, graph.job_succ
    span = times.makespan
    starts = [o for o in range(len(dur)) if head[o] == 0 and dur[o] + tail[o] == span]
    if not starts:
        return []
    o = rng.choice(starts)
    blocks: list[list[int]] = [[o]]
    while True:
        end = head[o] + dur[o]
        nexts = [s for s in (ms[o], js[o])
                 if s >= 0 and head[s] == end and dur[s] + tail[s] == tail[o]]
        if not nexts:
            return blocks
        s = rng.choice(nexts)
        if s == ms[o]:
            blocks[-1].append(s)
        else:
            blocks.append([s])
        o = s


@dataclass(frozen=True)
class _Move:
    """Move ``op`` to ``machine`` directly after ``after`` (-1: first)."""

    estimate: int
    op: int
    machine: int
    after: int
    passed: tuple[int, ...]  # same-machine ops whose order with ``op`` reverses
    forward: bool  # same machine: ``op`` moves later


class _Search:
    """State of one tabu search: the current solution and the tabu lists.

    A move stays tabu for a number of iterations drawn per move from
    ``[2 + n / 2m, 6 + n / m]`` (``n`` operations, ``m`` machines).
    """

    def __init__(self, graph: _Graph, seqs: list[list[int]], mach: list[int], dur: list[int],
                 rng: random.Random) -> None:
        self.graph = graph
        self.seqs = seqs
        self.mach = mach
        self.dur = dur
        self.rng = rng
        self.order_tabu: dict[tuple[int, int], int] = {}
        self.machine_tabu: dict[tuple[int, int], int] = {}
        self.iteration = 0
        n = len(dur)
        per_machine = n // max(graph.n_machines, 1)
        self.tenure = (2 + per_machine // 2, 6 + per_machine)

    # -- estimates ---------------------------------------------------------

    def _segment_estimate(self, times: _Times, segment: list[int], before: int,
                          after: int) -> int:
        """Longest path through ``segment``: a block in its new order, between the
        machine neighbours ``before`` and ``after`` (-1: none)."""
        head, tail, dur = times.head, times.tail, self.dur
        jp, js = self.graph.job_pred, self.graph.job_succ
        new_head: list[int] = []
        prev_end = head[before] + dur[before] if before >= 0 else 0
        for o in segment:
            p = jp[o]
            h = head[p] + dur[p] if p >= 0 else 0
            if prev_end > h:
                h = prev_end
            new_head.append(h)
            prev_end = h + dur[o]
        best = 0
        next_tail = dur[after] + tail[after] if after >= 0 else 0
        for k in range(len(segment) - 1, -1, -1):
            o = segment[k]
            s = js[o]
            t = dur[s] + tail[s] if s >= 0 else 0
            if next_tail > t:
                t = next_tail
            through = new_head[k] + dur[o] + t
            if through > best:
                best = through
            next_tail = dur[o] + t
        return best

    def _block_moves(self, times: _Times, block: list[int]) -> list[_Move]:
        """N7 moves inside one block; only those that keep the graph acyclic."""
        head, tail, dur = times.head, times.tail, self.dur
        jp, js = self.graph.job_pred, self.graph.job_succ
        machine = self.mach[block[0]]
        before, after = times.mach_pred[block[0]], times.mach_succ[block[-1]]
        moves: list[_Move] = []
        last = len(block) - 1

        def forward(i: int, j: int) -> None:  # block[i] to just after block[j], i < j
            o, target = block[i], block[j]
            s = js[o]
            if s >= 0 and (target == s or head[target] >= head[s] + dur[s]):
                return
            segment = [*block[:i], *block[i + 1:j + 1], o, *block[j + 1:]]
            moves.append(_Move(self._segment_estimate(times, segment, before, after), o,
                               machine, target,
                               tuple(block[i + 1:j + 1]), True))

        def backward(i: int, j: int) -> None:  # block[i] to just before block[j], j < i
            o, target = block[i], block[j]
            p = jp[o]
            if p >= 0 and (target == p or tail[target] >= tail[p] + dur[p]):
                return
            segment = [*block[:j], o, *block[j:i], *block[i + 1:]]
            moves.append(_Move(self._segment_estimate(times, segment, before, after), o,
                               machine, times.mach_pred[target], tuple(block[j:i]), False))

        if last < 1:
            return moves
        for j in range(1, last + 1):
            forward(0, j)
        for j in range(0, last):
            backward(last, j)
        for i in range(1, last):
            forward(i, last)
            backward(i, 0)
        return moves

    def _reassignments(self, times: _Times, o: int) -> list[_Move]:
        """Best insertion of ``o`` on each other eligible machine.

        The hottest loop of the search: comparisons are written out instead of
        calling ``max`` (same values, about a quarter less time).
        """
        head, tail, dur = times.head, times.tail, self.dur
        p, s = self.graph.job_pred[o], self.graph.job_succ[o]
        ready = head[p] + dur[p] if p >= 0 else 0
        rest = dur[s] + tail[s] if s >= 0 else 0
        # insertions after an op that starts at or after ``s``'s end, or before one whose
        # tail covers ``p``, would close a cycle
        limit_head = head[s] + dur[s] if s >= 0 else -1
        limit_tail = tail[p] + dur[p] if p >= 0 else -1
        moves: list[_Move] = []
        for machine, d in self.graph.options[o]:
            if machine == self.mach[o]:
                continue
            seq = self.seqs[machine]
            best_value, best_after = -1, -1
            for k in range(len(seq) + 1):
                u = seq[k - 1] if k > 0 else -1
                w = seq[k] if k < len(seq) else -1
                if u >= 0 and limit_head >= 0 and (u == s or head[u] >= limit_head):
                    break
                if w >= 0 and limit_tail >= 0 and (w == p or tail[w] >= limit_tail):
                    continue
                start = ready
                if u >= 0:
                    end = head[u] + dur[u]
                    if end > start:
                        start = end
                after = rest
                if w >= 0:
                    q = dur[w] + tail[w]
                    if q > after:
                        after = q
                value = start + d + after
                if best_value < 0 or value < best_value:
                    best_value, best_after = value, u
            if best_value >= 0:
                moves.append(_Move(best_value, o, machine, best_after, (), False))
        return moves

    # -- tabu --------------------------------------------------------------

    def is_tabu(self, move: _Move) -> bool:
        """Whether the move restores an order or a machine made tabu."""
        now = self.iteration
        if move.machine != self.mach[move.op]:
            return self.machine_tabu.get((move.op, move.machine), -1) > now
        if move.forward:
            pairs = ((x, move.op) for x in move.passed)
        else:
            pairs = ((move.op, x) for x in move.passed)
        return any(self.order_tabu.get(pair, -1) > now for pair in pairs)

    def apply(self, move: _Move) -> _Times:
        """Carry out ``move``, make its reversal tabu; the new heads and tails."""
        o = move.op
        old = self.mach[o]
        until = self.iteration + self.rng.randint(*self.tenure)
        if move.machine != old:
            self.machine_tabu[o, old] = until
        elif move.forward:
            for x in move.passed:
                self.order_tabu[o, x] = until
        else:
            for x in move.passed:
                self.order_tabu[x, o] = until
        self.relocate(o, move.machine, move.after)
        times = _evaluate(self.graph, self.seqs, self.dur)
        if times is None:  # the acyclicity checks of the moves make this unreachable
            raise AssertionError("a tabu move made the machine orders cyclic")
        return times

    def relocate(self, o: int, machine: int, after: int) -> None:
        """Put ``o`` on ``machine`` right after ``after`` (-1: first)."""
        old = self.mach[o]
        self.seqs[old].remove(o)
        seq = self.seqs[machine]
        seq.insert(seq.index(after) + 1 if after >= 0 else 0, o)
        if machine != old:
            self.mach[o] = machine
            self.dur[o] = next(d for m, d in self.graph.options[o] if m == machine)

    def neighbours(self, times: _Times) -> list[_Move]:
        """The moves of one critical path."""
        moves: list[_Move] = []
        for block in _critical_blocks(times, self.dur, self.graph, self.rng):
            moves += self._block_moves(times, block)
            for o in block:
                if len(self.graph.options[o]) > 1:
                    moves += self._reassignments(times, o)
        return moves


def _start_solution(graph: _Graph, placement: Placement) -> tuple[list[list[int]], list[int],
                                                                   list[int]]:
    """Machine sequences, machines and durations of a placed schedule."""
    seqs: list[list[int]] = [[] for _ in range(graph.n_machines)]
    mach: list[int] = []
    dur: list[int] = []
    starts: list[int] = []
    for ops in placement:
        for machine, start, end in ops:
            mach.append(machine)
            dur.append(end - start)
            starts.append(start)
    for o in sorted(range(len(mach)), key=lambda o: (starts[o], dur[o] > 0, o)):
        seqs[mach[o]].append(o)
    return seqs, mach, dur


def _placement(jobs: Jobs, mach: list[int], dur: list[int],
               head: list[int]) -> Placement:
    """Per job and operation ``(machine, start, end)`` from the heads."""
    out: Placement = []
    o = 0
    for ops in jobs:
        row = []
        for _ in ops:
            row.append((mach[o], head[o], head[o] + dur[o]))
            o += 1
        out.append(row)
    return out


@dataclass
class _Snapshot:
    """A solution kept aside: machine sequences, machines, durations and times."""

    seqs: list[list[int]]
    mach: list[int]
    dur: list[int]
    times: _Times

    @classmethod
    def of(cls, search: _Search, times: _Times) -> _Snapshot:
        return cls([list(s) for s in search.seqs], list(search.mach), list(search.dur), times)


def tabu_search(jobs: Jobs, n_machines: int, start: Placement, stop: Stop, *,
                floor: int = 0, seed: int = 0, max_iterations: int | None = None
                ) -> tuple[Placement, int, int]:
    """Improve the schedule ``start`` by tabu search until ``stop`` ends it.

    Parameters
    ----------
    jobs
        Per job, per operation, its ``(machine, duration)`` options.
    n_machines
        Machines are ``0..n_machines-1``.
    start
        A feasible schedule of ``jobs``: per job and operation ``(machine,
        start, end)`` (for example from Giffler–Thompson).
    stop
        Its deadline ends the search, and so does a stop it requests (polled every
        iteration; Ctrl-C).
    floor
        A lower bound on the makespan; the search stops on reaching it.
    seed
        Seed of the tie-breaking, tenures and restarts.
    max_iterations
        Stop after this many moves too (for tests).

    Returns
    -------
    tuple of (Placement, int, int)
        The best schedule found (semi-active: every operation starts as early
        as its job and machine predecessors allow), its makespan and the
        number of iterations made.

    Raises
    ------
    ValueError
        When ``start`` orders two operations of a machine against their jobs'
        order (its machine sequences make a cycle).
    """
    graph = _Graph.of_jobs(jobs, n_machines)
    seqs, mach, dur = _start_solution(graph, start)
    rng = random.Random(seed)
    times = _evaluate(graph, seqs, dur)
    if times is None:
        raise ValueError("the start schedule's machine orders form a cycle")
    search = _Search(graph, seqs, mach, dur, rng)
    best = _Snapshot.of(search, times)
    stall = 0
    while best.times.makespan > floor and not stop.over():
        if max_iterations is not None and search.iteration >= max_iterations:
            break
        search.iteration += 1
        moves = search.neighbours(times)
        if not moves:
            break
        allowed = [m for m in moves if m.estimate < best.times.makespan or not search.is_tabu(m)]
        pool = allowed or moves
        low = min(m.estimate for m in pool)
        times = search.apply(rng.choice([m for m in pool if m.estimate == low]))
        if times.makespan < best.times.makespan:
            best = _Snapshot.of(search, times)
            stall = 0
            continue
        stall += 1
        if stall >= STALL_ITERATIONS:
            stall = 0
            times = _restart(search, best)
    return (_placement(jobs, best.mach, best.dur, best.times.head), best.times.makespan,
            search.iteration)


def _restart(search: _Search, best: _Snapshot) -> _Times:
    """Back to the best solution, shaken by a few random critical moves."""
    search.seqs = [list(s) for s in best.seqs]
    search.mach = list(best.mach)
    search.dur = list(best.dur)
    search.order_tabu.clear()
    search.machine_tabu.clear()
    times = best.times
    for _ in range(SHAKE_MOVES):
        moves = search.neighbours(times)
        if not moves:
            break
        times = search.apply(search.rng.choice(moves))
    return times
