"""NEH and iterated greedy for the SDST flow shop: accelerated evaluation equals
step-by-step simulation; the search reaches the enumerated optimum."""

from __future__ import annotations

import itertools
import random

import pytest

from prodsched.heuristics.flowshop import (
    FlowShop,
    heads,
    insertion_makespans,
    iterated_greedy,
    makespan,
    neh,
    tails,
)
from tests.formats.sdst_tiny import brute_force_makespan


def random_shop(rng: random.Random, n: int, m: int) -> tuple[FlowShop, list, list]:
    p = [[rng.randint(0, 9) for _ in range(m)] for _ in range(n)]
    s = [[[0 if i == j else rng.randint(0, 9) for j in range(n)] for i in range(n)]
         for _ in range(m)]
    return FlowShop.from_lists(p, s), p, s


def test_makespan_and_every_insertion_match_simulation():
    rng = random.Random(7)
    for _ in range(150):
        n, m = rng.randint(2, 7), rng.randint(1, 5)
        fs, p, s = random_shop(rng, n, m)
        perm = list(range(n))
        rng.shuffle(perm)
        assert makespan(fs, perm) == brute_force_makespan(p, s, perm)
        t = rng.randrange(n)
        job, rest = perm[t], perm[:t] + perm[t + 1:]
        e, q = heads(fs, perm), tails(fs, perm)
        # reused prefix heads and suffix tails give the same as computing afresh
        spans = insertion_makespans(fs, rest, job, heads(fs, rest, e[:t]),
                                    tails(fs, rest, q[t + 1:]))
        assert list(spans) == [brute_force_makespan(p, s, [*rest[:u], job, *rest[u:]])
                               for u in range(n)]


def test_initial_setups_delay_the_first_job():
    fs = FlowShop.from_lists([[3, 2]], [[[0]], [[0]]], first=[[4, 10]])
    # machine 0: setup [0,4), run [4,7); machine 1: setup [0,10), run [10,12)
    assert makespan(fs, [0]) == 12


def test_neh_is_a_permutation_no_worse_than_the_identity_on_average():
    rng = random.Random(3)
    wins = 0
    for _ in range(20):
        fs, _, _ = random_shop(rng, 8, 4)
        perm = neh(fs)
        assert sorted(perm) == list(range(8))
        wins += makespan(fs, perm) <= makespan(fs, list(range(8)))
    assert wins >= 15


def test_iterated_greedy_is_repeatable_and_finds_the_optimum_of_small_instances():
    rng = random.Random(11)
    for _ in range(5):
        fs, p, s = random_shop(rng, 6, 3)
        best = min(brute_force_makespan(p, s, list(x)) for x in itertools.permutations(range(6)))
        perm, value = iterated_greedy(fs, seed=1, max_iterations=60)
        assert value == makespan(fs, perm) == best
        assert iterated_greedy(fs, seed=1, max_iterations=60) == (perm, value)


def test_iterated_greedy_needs_a_stopping_rule():
    fs, _, _ = random_shop(random.Random(0), 3, 2)
    with pytest.raises(ValueError, match="deadline or a number of iterations"):
        iterated_greedy(fs)
