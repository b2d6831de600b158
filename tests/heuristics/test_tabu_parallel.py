"""Parallel tabu searches: the best of the independent searches, feasible, and every
child process ended when the caller stops or a search reaches the lower bound."""

from __future__ import annotations

import random
import time

import pytest

from prodsched.bench.check import check_solution
from prodsched.heuristics import tabu_parallel
from prodsched.heuristics.makespan_rules import giffler_thompson, lower_bound
from prodsched.heuristics.tabu_parallel import parallel_tabu_search, tabu_beside
from prodsched.heuristics.tabu_shop import tabu_search
from prodsched.stop import Stop
from tests.heuristics.test_tabu_shop import flexible_jobs, instance_of


@pytest.fixture
def children(monkeypatch) -> list:
    """Every child process the searches start."""
    made: list = []
    started = tabu_parallel._Child.started.__func__

    def recording(cls, payload):
        child = started(cls, payload)
        made.append(child)
        return child

    monkeypatch.setattr(tabu_parallel._Child, "started", classmethod(recording))
    return made


def all_ended(children: list) -> bool:
    return all(child is not None and child.process.poll() is not None for child in children)


def test_keeps_the_best_of_the_seeded_searches(children):
    rng = random.Random(21)
    child_won = 0
    for _ in range(3):
        jobs = flexible_jobs(rng, 8, 4)
        start, start_span = giffler_thompson(jobs, 4)
        placement, span = parallel_tabu_search(jobs, 4, start, Stop(), seed=5, workers=3,
                                               max_iterations=150)
        alone = [tabu_search(jobs, 4, start, Stop(), seed=s, max_iterations=150)[1]
                 for s in (5, 6, 7)]
        assert span == min(alone) <= start_span
        assert check_solution(instance_of(jobs, 4), placement, span) == []
        child_won += span < alone[0]
    assert child_won > 0  # a child's result is taken when it is better (third instance)
    assert len(children) == 6 and all_ended(children)


def test_one_worker_is_the_plain_search(children):
    rng = random.Random(3)
    jobs = flexible_jobs(rng, 6, 3)
    start, _ = giffler_thompson(jobs, 3)
    placement, span = parallel_tabu_search(jobs, 3, start, Stop(), seed=2, workers=1,
                                           max_iterations=200)
    alone, alone_span, _ = tabu_search(jobs, 3, start, Stop(), seed=2, max_iterations=200)
    assert (placement, span) == (alone, alone_span)
    assert children == []


def test_stop_ends_every_search_at_once(children):
    rng = random.Random(9)
    jobs = flexible_jobs(rng, 12, 5)
    start, start_span = giffler_thompson(jobs, 5)
    asked = time.monotonic() + 0.5
    stop = Stop.make(time.monotonic() + 60, requested=lambda: time.monotonic() > asked)
    placement, span = parallel_tabu_search(jobs, 5, start, stop, seed=1, workers=2)
    assert time.monotonic() - asked < 2.0
    assert span <= start_span
    assert check_solution(instance_of(jobs, 5), placement, span) == []
    assert len(children) == 1 and all_ended(children)


def test_a_start_at_the_lower_bound_returns_without_waiting_for_the_deadline(children):
    jobs = [[[(0, 4)], [(1, 3)]], [[(1, 2)], [(0, 1)]]]
    start, start_span = giffler_thompson(jobs, 2)
    assert start_span == lower_bound(jobs, 2)
    began = time.monotonic()
    placement, span = parallel_tabu_search(jobs, 2, start, Stop(began + 60), floor=start_span,
                                           workers=2)
    assert time.monotonic() - began < 2.0
    assert (placement, span) == (start, start_span)
    assert len(children) == 1 and all_ended(children)


def test_a_child_that_cannot_start_leaves_the_callers_search(monkeypatch):
    def failing(*args, **kwargs):
        raise OSError("no such interpreter")

    monkeypatch.setattr(tabu_parallel.subprocess, "Popen", failing)
    rng = random.Random(5)
    jobs = flexible_jobs(rng, 6, 3)
    start, _ = giffler_thompson(jobs, 3)
    got = parallel_tabu_search(jobs, 3, start, Stop(), seed=4, workers=2, max_iterations=100)
    alone, alone_span, _ = tabu_search(jobs, 3, start, Stop(), seed=4, max_iterations=100)
    assert got == (alone, alone_span)


def test_a_child_whose_search_fails_is_left_out(monkeypatch):
    rng = random.Random(6)
    jobs = flexible_jobs(rng, 6, 3)
    start, _ = giffler_thompson(jobs, 3)
    broken = [[(99, 0, 1)]]  # the child cannot read this start: it exits with an error
    payloads: list = []
    started = tabu_parallel._Child.started.__func__

    def corrupting(cls, payload):
        payloads.append(payload)
        return started(cls, (payload[0], payload[1], broken, *payload[3:]))

    monkeypatch.setattr(tabu_parallel._Child, "started", classmethod(corrupting))
    got = parallel_tabu_search(jobs, 3, start, Stop(), seed=4, workers=2, max_iterations=100)
    alone, alone_span, _ = tabu_search(jobs, 3, start, Stop(), seed=4, max_iterations=100)
    assert len(payloads) == 1 and got == (alone, alone_span)


def test_beside_the_callers_search_a_child_runs_tabu_search(children):
    rng = random.Random(14)
    jobs = flexible_jobs(rng, 8, 4)
    start, start_span = giffler_thompson(jobs, 4)
    polls: list = []

    def other(finished):
        polls.append(finished())
        return start, start_span

    child, mine = tabu_beside(jobs, 4, start, Stop(time.monotonic() + 1.0), other, seed=3)
    assert mine == (start, start_span) and polls == [False]
    assert child is not None
    placement, span = child
    assert span <= start_span
    assert check_solution(instance_of(jobs, 4), placement, span) == []
    assert len(children) == 1 and all_ended(children)


def test_beside_a_stop_ends_both_searches(children):
    jobs = flexible_jobs(random.Random(9), 12, 5)
    start, start_span = giffler_thompson(jobs, 5)
    asked = time.monotonic() + 0.5

    def other(finished):
        while not finished():
            time.sleep(0.01)
        return start, start_span

    stop = Stop.make(time.monotonic() + 60, requested=lambda: time.monotonic() > asked)
    child, mine = tabu_beside(jobs, 5, start, stop, other)
    assert time.monotonic() - asked < 2.0
    assert mine == (start, start_span)
    assert child is None  # not waited for
    assert len(children) == 1 and all_ended(children)


def test_beside_a_child_at_the_lower_bound_ends_the_callers_search(children):
    jobs = [[[(0, 4)], [(1, 3)]], [[(1, 2)], [(0, 1)]]]
    start, start_span = giffler_thompson(jobs, 2)
    began = time.monotonic()

    def other(finished):
        while not finished():
            time.sleep(0.01)
        return [], 99

    child, mine = tabu_beside(jobs, 2, start, Stop(began + 60), other, floor=start_span)
    assert time.monotonic() - began < 5.0
    assert child == (start, start_span) and mine == ([], 99)
    assert all_ended(children)
