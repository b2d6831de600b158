"""Independent tabu searches in parallel processes; the best schedule wins.

Tabu search is pure Python, so one search keeps one core busy. With a budget of
several workers the searches beside the caller's run as child processes
(``python -m prodsched.heuristics.tabu_child``: no re-import of the caller's
main script, unlike :mod:`multiprocessing`'s spawn), each from the same start
with its own seed. Children run in their own session, so Ctrl-C reaches only
the caller, whose search polls the user's ``stop`` and then ends every child;
the caller also stops early when a child reports a schedule at the lower bound.
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from prodsched.heuristics.tabu_shop import Jobs, Placement, tabu_search
from prodsched.stop import Stop

# How long after the deadline the caller waits for a child's result before ending it.
GRACE_SECONDS = 2.0
# At most this many searches: each child process imports prodsched (about 130 MB), and
# more seeds add little.
MAX_SEARCHES = 8


def parallel_tabu_search(jobs: Jobs, n_machines: int, start: Placement, stop: Stop, *,
                         floor: int = 0, seed: int = 0, workers: int = 1,
                         max_iterations: int | None = None) -> tuple[Placement, int]:
    """The best of ``workers`` tabu searches from ``start`` (seeds ``seed``, ``seed + 1``, …).

    Parameters
    ----------
    jobs, n_machines, start, floor, max_iterations
        As for :func:`prodsched.heuristics.tabu_shop.tabu_search`, for every search.
    stop
        Its deadline ends every search. Its stop flag is polled by the caller's
        search; once it is true every search ends and the best schedule found so
        far by the caller's search is returned (with any child result that had
        already arrived).
    seed
        The caller's search uses ``seed``; child ``k`` uses ``seed + k``.
    workers
        Searches in all, the caller's included, at most ``MAX_SEARCHES``; 1 runs
        no child process, 0 one per core (as CP-SAT reads 0 workers). A child
        that cannot start or fails only leaves its search out.

    Returns
    -------
    tuple of (Placement, int)
        The best schedule of all searches that reported, and its makespan.
    """
    workers = min(workers or os.cpu_count() or 1, MAX_SEARCHES)
    children: list[_Child] = []
    try:
        for k in range(1, workers):
            child = _Child.started((jobs, n_machines, start, _wall_clock(stop), floor,
                                    seed + k, max_iterations))
            if child is not None:
                children.append(child)
        finished = _finished(stop, children, floor)
        best, best_span, _ = tabu_search(jobs, n_machines, start,
                                         finished if children else stop, floor=floor,
                                         seed=seed, max_iterations=max_iterations)
        done = finished() or best_span <= floor
        for child in children:
            child.collect(0.0 if done else _until(stop))
            if child.result is not None and child.result[1] < best_span:
                best, best_span = child.result
    finally:
        for child in children:
            child.end()
    return best, best_span


def tabu_beside(jobs: Jobs, n_machines: int, start: Placement, stop: Stop,
                other: Callable[[Stop], tuple[Placement, int]], *,
                floor: int = 0, seed: int = 0
                ) -> tuple[tuple[Placement, int] | None, tuple[Placement, int]]:
    """A tabu search from ``start`` in a child process while the caller runs ``other``.

    Parameters
    ----------
    jobs, n_machines, start, floor, seed
        As for :func:`prodsched.heuristics.tabu_shop.tabu_search`, for the child's search.
    stop
        Its deadline ends the child's search; once a stop is requested the
        child's result is not waited for.
    other
        The caller's own search, given ``stop`` with a stop also requested once
        the child reports a schedule at ``floor``; it should end by that stop's
        deadline.

    Returns
    -------
    tuple
        The child's ``(placement, makespan)`` (``None`` when it could not start,
        failed or was not waited for) and what ``other`` returned.
    """
    child = _Child.started((jobs, n_machines, start, _wall_clock(stop), floor, seed, None))
    try:
        finished = _finished(stop, [child] if child is not None else [], floor)
        mine = other(finished)
        if child is None:
            return None, mine
        child.collect(0.0 if finished() or mine[1] <= floor else _until(stop))
        return child.result, mine
    finally:
        if child is not None:
            child.end()


def _finished(stop: Stop, children: list[_Child], floor: int) -> Stop:
    """``stop``, requested also once a child reports a schedule at ``floor``."""
    return stop.or_when(lambda: any(c.collect(0.0) <= floor for c in children))


class _Child:
    """A search in a child process; a thread feeds it and waits for its result."""

    def __init__(self, process: subprocess.Popen[bytes], payload: bytes) -> None:
        self.process = process
        self.result: tuple[Placement, int] | None = None
        self._thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self._thread.start()

    @classmethod
    def started(cls, payload: tuple[object, ...]) -> _Child | None:
        """The child running the search of ``payload``; None when it cannot start."""
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding prodsched
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH"))
                                            if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "prodsched.heuristics.tabu_child"], env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        except OSError:
            return None
        return cls(process, pickle.dumps(payload))

    def _talk(self, payload: bytes) -> None:
        try:
            out, _ = self.process.communicate(payload)
        except (OSError, ValueError):  # ended while writing or reading
            return
        if self.process.returncode == 0:
            try:
                self.result = pickle.loads(out)
            except (pickle.UnpicklingError, EOFError):  # not a result: leave it out
                return

    def collect(self, wait: float | None) -> float:
        """Wait up to ``wait`` seconds (``None``: no limit) for the result; the
        makespan reported, or infinity while there is none."""
        self._thread.join(wait)
        return math.inf if self.result is None else self.result[1]

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self._thread.join()


def _wall_clock(stop: Stop) -> float:
    """``stop``'s deadline as ``time.time()``, which other processes share."""
    return stop.deadline if math.isinf(stop.deadline) else time.time() + stop.left()


def _until(stop: Stop) -> float | None:
    """Seconds to wait for a child that stops at ``stop``'s deadline; ``None`` for none."""
    if math.isinf(stop.deadline):
        return None
    return max(0.0, stop.left()) + GRACE_SECONDS
