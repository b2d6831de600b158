"""Independent tabu searches in parallel processes; the best schedule wins.

Tabu search is pure Python, so one search keeps one core busy. With a budget of
several workers the searches beside the caller's run in child processes
(``spawn``: safe in a process with threads, as the CLI's solve is), each from
the same start with its own seed. The caller's own search polls the user's
``stop`` and ends every search when it is asked to stop or when a child reports
a schedule at the lower bound.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from prodsched.heuristics.tabu_shop import Jobs, Placement, tabu_search

# How long after the deadline the caller waits for a child's result before ending it.
GRACE_SECONDS = 2.0
# At most this many searches: each child process imports prodsched (about 130 MB), and more
# seeds add little.
MAX_SEARCHES = 8


def parallel_tabu_search(jobs: Jobs, n_machines: int, start: Placement, deadline: float, *,
                         floor: int = 0, seed: int = 0, workers: int = 1,
                         max_iterations: int | None = None,
                         stop: Callable[[], bool] | None = None) -> tuple[Placement, int]:
    """The best of ``workers`` tabu searches from ``start`` (seeds ``seed``, ``seed + 1``, …).

    Parameters
    ----------
    jobs, n_machines, start, deadline, floor, max_iterations
        As for :func:`prodsched.heuristics.tabu_shop.tabu_search`, for every search.
    seed
        The caller's search uses ``seed``; child ``k`` uses ``seed + k``.
    workers
        Searches in all, the caller's included, at most ``MAX_SEARCHES``; 1 runs
        no child process, 0 one per core (as CP-SAT reads 0 workers).
    stop
        Polled by the caller's search; when it returns True every search ends
        and the best schedule found so far by the caller's search is returned
        (with any child result that had already arrived).

    Returns
    -------
    tuple of (Placement, int)
        The best schedule of all searches that reported, and its makespan.
    """
    workers = min(workers or os.cpu_count() or 1, MAX_SEARCHES)
    if workers <= 1:
        placement, span, _ = tabu_search(jobs, n_machines, start, deadline, floor=floor,
                                         seed=seed, max_iterations=max_iterations, stop=stop)
        return placement, span
    context = multiprocessing.get_context("spawn")
    children: list[_Child] = []
    try:
        for k in range(1, workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_search_and_send, daemon=True,
                args=(send, jobs, n_machines, start, deadline, floor, seed + k, max_iterations))
            process.start()
            children.append(_Child(process, receive))
            send.close()

        def finished() -> bool:
            return bool(stop and stop()) or any(c.collect(0.0) <= floor for c in children)

        best, best_span, _ = tabu_search(jobs, n_machines, start, deadline, floor=floor,
                                         seed=seed, max_iterations=max_iterations, stop=finished)
        done = finished() or best_span <= floor
        for child in children:
            child.collect(0.0 if done else _until(deadline))
            if child.result is not None and child.result[1] < best_span:
                best, best_span = child.result
    finally:
        for child in children:
            child.end()
    return best, best_span


@dataclass
class _Child:
    """A child process's search and, once it has arrived, its result."""

    process: BaseProcess
    receive: Connection
    result: tuple[Placement, int] | None = field(default=None)

    def collect(self, wait: float | None) -> float:
        """Take the result if it arrives within ``wait`` seconds (``None``: no limit);
        the makespan reported, or infinity while there is none."""
        if self.result is None and not self.receive.closed and self.receive.poll(wait):
            try:
                placement, span = self.receive.recv()
            except EOFError:  # the child died without a result
                self.receive.close()
            else:
                self.result = (placement, span)
        return math.inf if self.result is None else self.result[1]

    def end(self) -> None:
        self.process.terminate()
        self.process.join()
        self.receive.close()


def _until(deadline: float) -> float | None:
    """Seconds to wait for a child that stops at ``deadline``; ``None`` for no deadline."""
    if math.isinf(deadline):
        return None
    return max(0.0, deadline - time.monotonic()) + GRACE_SECONDS


def _search_and_send(send: Connection, jobs: Jobs, n_machines: int, start: Placement,
                     deadline: float, floor: int, seed: int, max_iterations: int | None) -> None:
    """One search in a child process; sends ``(placement, makespan)`` when it ends.

    Ctrl-C reaches the whole process group; the caller decides for its children
    (it ends them), so the child ignores SIGINT instead of printing a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    placement, span, _ = tabu_search(jobs, n_machines, start, deadline, floor=floor, seed=seed,
                                     max_iterations=max_iterations)
    send.send((placement, span))
    send.close()
