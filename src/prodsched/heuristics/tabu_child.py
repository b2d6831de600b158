"""Entry point of a child process of :mod:`prodsched.heuristics.tabu_parallel`.

``python -m prodsched.heuristics.tabu_child`` reads one pickled search from stdin
(jobs, machines, start, deadline as ``time.time()``, floor, seed, iteration cap),
runs it, and writes the pickled ``(placement, makespan)`` to stdout.
"""

from __future__ import annotations

import math
import pickle
import sys
import time

from prodsched.heuristics.tabu_shop import tabu_search
from prodsched.stop import Stop


def main() -> None:
    jobs, n_machines, start, wall_deadline, floor, seed, max_iterations = pickle.load(
        sys.stdin.buffer)
    deadline = (wall_deadline if math.isinf(wall_deadline)
                else time.monotonic() + (wall_deadline - time.time()))
    placement, span, _ = tabu_search(jobs, n_machines, start, Stop(deadline), floor=floor,
                                     seed=seed, max_iterations=max_iterations)
    try:
        pickle.dump((placement, span), sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # the caller is gone (killed); nobody wants the result
        sys.stdout = None  # no second error when Python flushes at exit


if __name__ == "__main__":
    main()
