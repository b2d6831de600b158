"""Giffler–Thompson with most-work-remaining: active, feasible schedules of job
shops and flexible job shops, usable as warm starts."""

from __future__ import annotations

import itertools
import random

from prodsched.bench.check import check_solution
from prodsched.formats.fjsp import parse_fjsp
from prodsched.formats.jssp import parse_jssp, read_jssp
from prodsched.formats.sdst_pfsp import read_sdst_pfsp
from prodsched.formats.shop import ShopInstance
from prodsched.heuristics.makespan_rules import (
    best_of_restarts,
    giffler_thompson,
    lower_bound,
    makespan_warm_starts,
)
from prodsched.lots.fixed import lots_per_order
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.formats.sdst_tiny import sdst_text


def random_jobs(rng: random.Random, n: int, m: int, flexible: bool) -> list:
    jobs = []
    for _ in range(n):
        ops = []
        for k in rng.sample(range(m), m):
            pool = [x for x in range(m) if x != k]
            others = rng.sample(pool, rng.randint(0, min(2, len(pool)))) if flexible else []
            ops.append([(x, rng.randint(1, 9)) for x in [k, *others]])
        jobs.append(ops)
    return jobs


def as_text(jobs, m: int, flexible: bool) -> str:
    if not flexible:
        return f"{len(jobs)} {m}\n" + "\n".join(
            " ".join(f"{x} {d}" for (x, d), in ops) for ops in jobs) + "\n"
    lines = [f"{len(jobs)} {m} 1"]
    for ops in jobs:
        parts = [str(len(ops))]
        for options in ops:
            parts.append(str(len(options)))
            parts += [f"{x + 1} {d}" for x, d in options]
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def test_schedules_pass_the_independent_check(tmp_path):
    rng = random.Random(5)
    for trial, flexible in itertools.product(range(10), (False, True)):
        jobs = random_jobs(rng, rng.randint(2, 6), rng.randint(2, 5), flexible)
        m = 1 + max(x for ops in jobs for options in ops for x, _ in options)
        path = tmp_path / f"{trial}{flexible}.txt"
        path.write_text(as_text(jobs, m, flexible))
        inst = (parse_fjsp if flexible else parse_jssp)(path)
        placement, span = giffler_thompson(jobs, m)
        assert check_solution(inst, placement, span) == []
        noisy, noisy_span = giffler_thompson(jobs, m, noise=0.5, rng=rng)
        assert check_solution(inst, noisy, noisy_span) == []


def test_mwkr_runs_the_long_job_first():
    # job 0: 1 on M0 then 9 on M1; job 1: 2 on M0. MWKR starts job 0 on M0: makespan 10.
    jobs = [[[(0, 1)], [(1, 9)]], [[(0, 2)]]]
    placement, span = giffler_thompson(jobs, 2)
    assert placement[0][0] == (0, 0, 1) and span == 10


def test_restarts_are_repeatable_and_at_least_as_good_as_the_plain_rule():
    rng = random.Random(2)
    jobs = random_jobs(rng, 8, 4, False)
    _, plain = giffler_thompson(jobs, 4)
    first = best_of_restarts(jobs, 4, Stop(), seed=3, max_restarts=40)
    assert first == best_of_restarts(jobs, 4, Stop(), seed=3, max_restarts=40)
    assert first[1] <= plain


def test_warm_start_is_a_valid_plant_schedule_and_skips_setup_plants(tmp_path):
    path = tmp_path / "js.txt"
    path.write_text("3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n")
    plant = read_jssp(path)
    [(name, ops)] = makespan_warm_starts(plant, 1.0)
    assert name == "mwkr"
    assert_valid(Schedule(plant, lots_per_order(plant), ops))
    sdst = tmp_path / "sdst.txt"
    sdst.write_text(sdst_text(seed=0))
    assert makespan_warm_starts(read_sdst_pfsp(sdst), 1.0) == []


def test_lower_bound_is_the_longest_job_or_the_busiest_machine():
    jobs = [[[(0, 4)], [(1, 1)]], [[(0, 3)]], [[(1, 2), (0, 9)]]]
    # job 0 takes 5; machine 0 has 4 + 3 = 7 fixed; spread (7 + 1 + 2) / 2 = 5
    assert lower_bound(jobs, 2) == 7
    _, span = best_of_restarts(jobs, 2, Stop(), max_restarts=10)
    assert span == 7


def test_operations_that_take_no_time_are_scheduled():
    # a zero-duration operation finishes as it starts: it must still be picked
    jobs = [[[(0, 0)], [(1, 2)]], [[(0, 3)]], [[(1, 0), (0, 0)]]]
    placement, span = giffler_thompson(jobs, 2)
    instance = ShopInstance(name="zero", n_machines=2,
                            jobs=tuple(tuple(tuple(o) for o in ops) for ops in jobs))
    assert check_solution(instance, placement, span) == []
    # MWKR puts job 1 (3 to do) before job 0 (2 to do) on machine 0
    assert placement[1][0] == (0, 0, 3) and span == 5
