"""Permutation flow shop with sequence-dependent setups: NEH and iterated greedy.

Pure functions on arrays. A :class:`FlowShop` holds processing times
``p[j, k]`` (job ``j`` on machine ``k``; every job visits machines
``0..m-1`` in order), setups ``setup[i, j, k]`` (on machine ``k`` when job
``j`` directly follows job ``i``) and initial setups ``first[j, k]`` (when
``j`` is the first job on ``k``). Setups are anticipatory: job ``b`` after
``a`` starts on machine ``k`` at ``max(C[b, k-1], C[a, k] + setup[a, b, k])``.

Evaluation uses Taillard's acceleration, extended to setups: with the heads
``e`` (completion times of a sequence) and tails ``q`` (longest path from an
operation's start to the end), the makespans of inserting a job at every
position are computed at once. Each row of heads or tails is a cumulative
maximum, so both are vectorised over machines.

- :func:`neh`: Nawaz–Enscore–Ham insertion (jobs by decreasing total work);
- :func:`iterated_greedy`: Ruiz and Stützle's iterated greedy (destruction,
  greedy reinsertion, insertion local search, simulated-annealing-like
  acceptance), until a deadline or a number of iterations.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from prodsched.stop import Stop

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class FlowShop:
    """A permutation flow shop instance as arrays.

    Parameters
    ----------
    p
        Processing times, shape ``(n, m)``.
    setup
        Setup times, shape ``(n, n, m)``: ``setup[i, j, k]`` when ``j`` follows ``i`` on ``k``.
    first
        Setup before the first job, shape ``(n, m)``; zeros when machines start empty.
    """

    p: IntArray
    setup: IntArray
    first: IntArray

    @classmethod
    def from_lists(cls, p: Sequence[Sequence[int]], setup: Sequence[Sequence[Sequence[int]]],
                   first: Sequence[Sequence[int]] | None = None) -> FlowShop:
        """From nested lists; ``setup`` indexed ``[machine][from][to]`` as in SDST files."""
        times = np.asarray(p, dtype=np.int64)
        n, m = times.shape
        by_pair = np.transpose(np.asarray(setup, dtype=np.int64).reshape(m, n, n), (1, 2, 0))
        start = np.zeros((n, m), dtype=np.int64) if first is None else np.asarray(
            first, dtype=np.int64)
        return cls(times, np.ascontiguousarray(by_pair), start)

    @cached_property
    def cumulative(self) -> IntArray:
        """``p`` summed over machines ``0..k``, per job."""
        return np.cumsum(self.p, axis=1)

    @cached_property
    def exclusive(self) -> IntArray:
        """``p`` summed over machines ``0..k-1``, per job."""
        return self.cumulative - self.p

    @cached_property
    def cumulative_back(self) -> IntArray:
        """``p`` summed over machines from the last down to ``k``, machines reversed."""
        return np.cumsum(self.p[:, ::-1], axis=1)

    @cached_property
    def exclusive_back(self) -> IntArray:
        """Like :attr:`cumulative_back` without machine ``k`` itself."""
        return self.cumulative_back - self.p[:, ::-1]

    @property
    def n(self) -> int:
        """Number of jobs."""
        return int(self.p.shape[0])

    @property
    def m(self) -> int:
        """Number of machines."""
        return int(self.p.shape[1])


def heads(fs: FlowShop, perm: Sequence[int], prefix: IntArray | None = None) -> IntArray:
    """Completion times ``C[position, machine]`` of the sequence ``perm``.

    ``prefix``: the known completion times of the first ``len(prefix)`` positions.
    """
    out = np.empty((len(perm), fs.m), dtype=np.int64)
    done = 0 if prefix is None else len(prefix)
    if prefix is not None and done:
        out[:done] = prefix
    cum, exclusive, setup, accumulate = fs.cumulative, fs.exclusive, fs.setup, np.maximum.accumulate
    for pos in range(done, len(perm)):
        job = perm[pos]
        ready = fs.first[job] if pos == 0 else out[pos - 1] + setup[perm[pos - 1], job]
        out[pos] = cum[job] + accumulate(ready - exclusive[job])
    return out


def tails(fs: FlowShop, perm: Sequence[int], suffix: IntArray | None = None) -> IntArray:
    """Longest path ``q[position, machine]`` from an operation's start to the schedule's end.

    ``suffix``: the known tails of the last ``len(suffix)`` positions.
    """
    length = len(perm)
    out = np.empty((length, fs.m), dtype=np.int64)
    known = 0 if suffix is None else len(suffix)
    if suffix is not None and known:
        out[length - known:] = suffix
    cum, exclusive, setup, accumulate = (fs.cumulative_back, fs.exclusive_back, fs.setup,
                                         np.maximum.accumulate)
    # computed on reversed machine order, where a tail is a head
    for pos in range(length - known - 1, -1, -1):
        job = perm[pos]
        if pos == length - 1:
            out[pos] = cum[job][::-1]
            continue
        after = (out[pos + 1] + setup[job, perm[pos + 1]])[::-1]
        out[pos] = (cum[job] + accumulate(after - exclusive[job]))[::-1]
    return out


def makespan(fs: FlowShop, perm: Sequence[int]) -> int:
    """Makespan of the permutation schedule ``perm`` (0 for an empty sequence)."""
    if not perm:
        return 0
    return int(heads(fs, perm)[-1, -1])


def insertion_makespans(fs: FlowShop, perm: Sequence[int], job: int,
                        e: IntArray | None = None, q: IntArray | None = None) -> IntArray:
    """Makespan of ``perm`` with ``job`` inserted before position ``t``, for every ``t``.

    Position ``len(perm)`` appends the job. ``e`` and ``q`` are the heads and
    tails of ``perm`` (computed when not given).
    """
    length = len(perm)
    if length == 0:
        return np.asarray([makespan(fs, [job])], dtype=np.int64)
    e = heads(fs, perm) if e is None else e
    q = tails(fs, perm) if q is None else q
    seq = np.asarray(perm, dtype=np.int64)
    cum, exclusive = fs.cumulative[job], fs.exclusive[job]
    ready = np.empty((length + 1, fs.m), dtype=np.int64)
    ready[0] = fs.first[job]
    ready[1:] = e + fs.setup[seq, job]
    done = cum + np.maximum.accumulate(ready - exclusive, axis=1)
    rest = np.zeros((length + 1, fs.m), dtype=np.int64)
    rest[:length] = q + fs.setup[job, seq]
    return np.max(done + rest, axis=1)


def best_insertion(fs: FlowShop, perm: list[int], job: int,
                   e: IntArray | None = None, q: IntArray | None = None) -> tuple[int, int]:
    """The first position where inserting ``job`` gives the least makespan, and that makespan."""
    spans = insertion_makespans(fs, perm, job, e, q)
    t = int(np.argmin(spans))
    return t, int(spans[t])


def neh(fs: FlowShop, order: Sequence[int] | None = None) -> list[int]:
    """NEH: insert jobs one by one at their best position.

    Parameters
    ----------
    order
        The insertion order; default: decreasing total processing time plus
        mean setup to the job (ties by index).
    """
    if order is None:
        weight = fs.p.sum(axis=1) + fs.setup.mean(axis=(0, 2)) * fs.m
        order = sorted(range(fs.n), key=lambda j: (-weight[j], j))
    perm: list[int] = []
    for job in order:
        t, _ = best_insertion(fs, perm, job)
        perm.insert(t, job)
    return perm


def _local_search(fs: FlowShop, perm: list[int], value: int, rng: random.Random,
                  stop: Stop | None) -> tuple[list[int], int]:
    """Insertion local search: move jobs to their best position until none improves."""
    e, q = heads(fs, perm), tails(fs, perm)
    improved = True
    while improved:
        improved = False
        jobs = list(perm)
        rng.shuffle(jobs)
        for job in jobs:
            if stop is not None and stop.over():
                return perm, value
            t = perm.index(job)
            rest = perm[:t] + perm[t + 1:]
            # heads before t and tails after t do not change when job leaves
            t_best, span = best_insertion(fs, rest, job, heads(fs, rest, e[:t]),
                                          tails(fs, rest, q[t + 1:]))
            if span < value:
                rest.insert(t_best, job)
                perm, value, improved = rest, span, True
                e, q = heads(fs, perm), tails(fs, perm)
    return perm, value


def iterated_greedy(fs: FlowShop, start: list[int] | None = None, *, seed: int = 0,
                    stop: Stop | None = None, max_iterations: int | None = None,
                    destroy: int = 4, temperature: float = 0.5) -> tuple[list[int], int]:
    """Ruiz–Stützle iterated greedy with insertion local search.

    Parameters
    ----------
    start
        The first sequence (default: :func:`neh`).
    seed
        Seed of the random choices (same seed and iterations, same result).
    stop
        Ends the search at its deadline or once it requests a stop
        (``None``: only ``max_iterations`` does).
    max_iterations
        Stop after this many destruction–reconstruction rounds.
    destroy
        Jobs removed and reinserted per round.
    temperature
        Acceptance of worse sequences, as a share of the mean operation
        length (with setups) divided by 10, as in Ruiz and Stützle.

    Returns
    -------
    tuple of (list of int, int)
        The best sequence found and its makespan.
    """
    if stop is None and max_iterations is None:
        raise ValueError("give a deadline or a number of iterations")
    rng = random.Random(seed)
    current = list(start) if start is not None else neh(fs)
    value = makespan(fs, current)
    current, value = _local_search(fs, current, value, rng, stop)
    best, best_value = list(current), value
    mean_op = (float(fs.p.sum()) + float(fs.setup.mean(axis=0).sum())) / (fs.n * fs.m)
    threshold = temperature * mean_op / 10
    iteration = 0
    while (max_iterations is None or iteration < max_iterations) and (
            stop is None or not stop.over()):
        iteration += 1
        partial = list(current)
        removed = [partial.pop(rng.randrange(len(partial)))
                   for _ in range(min(destroy, len(partial) - 1))]
        for job in removed:
            t, _ = best_insertion(fs, partial, job)
            partial.insert(t, job)
        candidate, span = _local_search(fs, partial, makespan(fs, partial), rng, stop)
        if span < value:
            current, value = candidate, span
            if span < best_value:
                best, best_value = list(candidate), span
        elif threshold > 0 and rng.random() <= math.exp(-(span - value) / threshold):
            current, value = candidate, span
    return best, best_value
