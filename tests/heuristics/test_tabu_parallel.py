"""Parallel tabu searches: the best of the independent searches, feasible, and every
child process ended when the caller stops or a search reaches the lower bound."""

from __future__ import annotations

import math
import multiprocessing
import random
import time

from prodsched.bench.check import check_solution
from prodsched.heuristics.makespan_rules import giffler_thompson, lower_bound
from prodsched.heuristics.tabu_parallel import parallel_tabu_search
from prodsched.heuristics.tabu_shop import tabu_search
from tests.heuristics.test_tabu_shop import flexible_jobs, instance_of


def test_keeps_the_best_of_the_seeded_searches():
    rng = random.Random(21)
    child_won = 0
    for _ in range(3):
        jobs = flexible_jobs(rng, 8, 4)
        start, start_span = giffler_thompson(jobs, 4)
        placement, span = parallel_tabu_search(jobs, 4, start, math.inf, seed=5, workers=3,
                                               max_iterations=150)
        alone = [tabu_search(jobs, 4, start, math.inf, seed=s, max_iterations=150)[1]
                 for s in (5, 6, 7)]
        assert span == min(alone) <= start_span
        assert check_solution(instance_of(jobs, 4), placement, span) == []
        child_won += span < alone[0]
    assert child_won > 0  # a child's result is taken when it is better (third instance)
    assert multiprocessing.active_children() == []


def test_one_worker_is_the_plain_search():
    rng = random.Random(3)
    jobs = flexible_jobs(rng, 6, 3)
    start, _ = giffler_thompson(jobs, 3)
    placement, span = parallel_tabu_search(jobs, 3, start, math.inf, seed=2, workers=1,
                                           max_iterations=200)
    alone, alone_span, _ = tabu_search(jobs, 3, start, math.inf, seed=2, max_iterations=200)
    assert (placement, span) == (alone, alone_span)


def test_stop_ends_every_search_at_once():
    rng = random.Random(9)
    jobs = flexible_jobs(rng, 12, 5)
    start, start_span = giffler_thompson(jobs, 5)
    asked = time.monotonic() + 0.5
    placement, span = parallel_tabu_search(jobs, 5, start, time.monotonic() + 60, seed=1,
                                           workers=2, stop=lambda: time.monotonic() > asked)
    assert time.monotonic() - asked < 2.0
    assert span <= start_span
    assert check_solution(instance_of(jobs, 5), placement, span) == []
    assert multiprocessing.active_children() == []


def test_a_start_at_the_lower_bound_returns_without_waiting_for_the_deadline():
    jobs = [[[(0, 4)], [(1, 3)]], [[(1, 2)], [(0, 1)]]]
    start, start_span = giffler_thompson(jobs, 2)
    assert start_span == lower_bound(jobs, 2)
    began = time.monotonic()
    placement, span = parallel_tabu_search(jobs, 2, start, began + 60, floor=start_span,
                                           workers=2)
    assert time.monotonic() - began < 10.0  # spawning the child included
    assert (placement, span) == (start, start_span)
    assert multiprocessing.active_children() == []
