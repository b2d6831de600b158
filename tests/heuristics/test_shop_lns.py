"""Large neighbourhood search on (flexible) job shops: feasible, never worse than its
start, optimal on instances CP-SAT proves, stoppable; kept operations keep their machine
and order; and what each neighbourhood frees."""

from __future__ import annotations

import random
import time

import pytest

from prodsched.bench.check import check_solution
from prodsched.heuristics import shop_lns as lns
from prodsched.heuristics.makespan_rules import giffler_thompson
from prodsched.heuristics.shop_lns import shop_lns
from prodsched.stop import Stop
from tests.heuristics.test_tabu_shop import flexible_jobs, instance_of, proven_optima


def span_of(placement: list) -> int:
    return max((end for ops in placement for _, _, end in ops), default=0)


@pytest.mark.parametrize("zero", [False, True])
def test_results_are_feasible_and_never_worse_than_the_start(zero):
    rng = random.Random(12)
    for _ in range(12):
        m = rng.randint(1, 4)
        jobs = flexible_jobs(rng, rng.randint(1, 6), m, zero=zero)
        start, start_span = giffler_thompson(jobs, m)
        placement, span = shop_lns(jobs, m, start, Stop(time.monotonic() + 0.3),
                                   seed=rng.randint(0, 99))
        assert check_solution(instance_of(jobs, m), placement, span) == []
        assert span == span_of(placement) <= start_span


def test_reaches_the_optimum_cp_sat_proves():
    improved = 0
    for jobs, instance, optimum in proven_optima(6):
        start, start_span = giffler_thompson(jobs, 3)
        began = time.monotonic()
        placement, span = shop_lns(jobs, 3, start, Stop(began + 30), floor=optimum, seed=1)
        assert check_solution(instance, placement, span) == []
        assert span == optimum
        assert time.monotonic() - began < 29  # ended at the optimum, not the deadline
        improved += span < start_span
    assert improved > 0  # the instances are not all solved by the start already


def test_stop_returns_the_start_at_once():
    jobs = flexible_jobs(random.Random(9), 6, 4)
    start, start_span = giffler_thompson(jobs, 4)
    began = time.monotonic()
    stop = Stop.make(began + 60, requested=lambda: True)
    assert shop_lns(jobs, 4, start, stop) == (start, start_span)
    assert time.monotonic() - began < 1.0


def test_a_stop_ends_the_live_neighbourhood_solve(monkeypatch):
    monkeypatch.setattr(lns, "NEIGHBOURHOOD_SECONDS", 30.0)
    monkeypatch.setattr(lns, "START_SHARE", 0.8)  # a neighbourhood CP-SAT cannot close fast
    jobs = flexible_jobs(random.Random(2), 30, 6)
    start, start_span = giffler_thompson(jobs, 6)
    asked = time.monotonic() + 0.5
    stop = Stop.make(time.monotonic() + 60, requested=lambda: time.monotonic() > asked)
    placement, span = shop_lns(jobs, 6, start, stop)
    assert time.monotonic() - asked < 1.5
    assert check_solution(instance_of(jobs, 6), placement, span) == []
    assert span <= start_span


def test_kept_operations_keep_their_machine_and_order():
    rng = random.Random(7)
    jobs = flexible_jobs(rng, 8, 3)
    start, start_span = giffler_thompson(jobs, 3)
    free = {(0, i) for i in range(len(jobs[0]))}
    found = lns._solve_neighbourhood(jobs, 3, start, free, 5.0, 1, 1, Stop())
    assert found is not None
    placement, proved = found
    assert proved and span_of(placement) <= start_span
    assert check_solution(instance_of(jobs, 3), placement, span_of(placement)) == []
    before = lns._kept_sequences(start, 3, free)
    after = lns._kept_sequences(placement, 3, free)
    assert before == after  # same machines, same order on each


@pytest.mark.parametrize("seed", range(5))
def test_each_neighbourhood_frees_at_least_its_size_as_a_window_jobs_or_machines(seed):
    rng = random.Random(seed)
    jobs = flexible_jobs(rng, 7, 3)
    placement, _ = giffler_thompson(jobs, 3)
    ops = [(j, i) for j, row in enumerate(placement) for i in range(len(row))]
    size = rng.randint(1, len(ops))
    window = lns._time_window(placement, 3, size, rng)
    assert len(window) == size
    starts = sorted(placement[j][i][1] for j, i in window)
    outside = [placement[j][i][1] for j, i in ops if (j, i) not in window]
    # a window of start times: nothing outside starts strictly inside it
    assert not any(starts[0] < s < starts[-1] for s in outside)
    some_jobs = lns._some_jobs(placement, 3, size, rng)
    assert len(some_jobs) >= size
    assert all((j, i) in some_jobs for j, _ in some_jobs for i in range(len(jobs[j])))
    machines = lns._some_machines(placement, 3, size, rng)
    on = {placement[j][i][0] for j, i in machines}
    assert {(j, i) for j, i in ops if placement[j][i][0] in on} == machines
    assert len(machines) >= min(size, len(ops))
