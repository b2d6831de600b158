"""Tabu search on (flexible) job shops: feasible, never worse than its start, optimal on
instances CP-SAT proves, stoppable, and the warm start of flexible benchmark plants."""

from __future__ import annotations

import random
import time

import pytest

from prodsched.bench.check import check_solution
from prodsched.bench.plain import solve_plain
from prodsched.formats.fjsp import read_fjsp
from prodsched.formats.jssp import read_jssp
from prodsched.formats.shop import ShopInstance
from prodsched.heuristics.makespan_rules import giffler_thompson, makespan_warm_starts
from prodsched.heuristics.tabu_shop import tabu_search
from prodsched.lots.fixed import lots_per_order
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid
from tests.heuristics.test_makespan_rules import as_text


def flexible_jobs(rng: random.Random, n: int, m: int, *, zero: bool = False) -> list:
    """Jobs whose operations may revisit a machine (consecutively too) and, with
    ``zero``, may take no time."""
    low = 0 if zero else 1
    jobs = []
    for _ in range(n):
        ops = []
        for _ in range(rng.randint(1, m + 1)):
            machines = rng.sample(range(m), rng.randint(1, m))
            ops.append([(x, rng.randint(low, 9)) for x in machines])
        jobs.append(ops)
    return jobs


def shop_jobs(plant) -> list:
    """The plant's lots as jobs of ``(machine index, duration)`` options, as the warm
    start sees them."""
    index = {m: k for k, m in enumerate(plant.machines)}
    return [[[(index[o.machine], o.duration(lot.quantity)) for o in step.options]
             for step in plant.routings[lot.product]] for lot in lots_per_order(plant)]


def instance_of(jobs: list, m: int) -> ShopInstance:
    return ShopInstance(name="t", n_machines=m,
                        jobs=tuple(tuple(tuple(o) for o in ops) for ops in jobs))


@pytest.mark.parametrize("zero", [False, True])
def test_results_are_feasible_and_never_worse_than_the_start(zero):
    rng = random.Random(11)
    for _ in range(40):
        m = rng.randint(1, 4)
        jobs = flexible_jobs(rng, rng.randint(1, 6), m, zero=zero)
        start, start_span = giffler_thompson(jobs, m)
        placement, span, _ = tabu_search(jobs, m, start, Stop(), max_iterations=300,
                                         seed=rng.randint(0, 99))
        assert check_solution(instance_of(jobs, m), placement, span) == []
        assert span == max((end for ops in placement for _, _, end in ops), default=0)
        assert span <= start_span


def proven_optima(count: int) -> list[tuple[list, ShopInstance, int]]:
    """Small flexible job shops (5 jobs, 3 machines) with the optimum CP-SAT proves."""
    rng = random.Random(4)
    out = []
    for _ in range(count):
        jobs = flexible_jobs(rng, 5, 3)
        instance = instance_of(jobs, 3)
        proven = solve_plain(instance, time_limit=20, workers=2)
        assert proven.status == "optimal" and proven.objective is not None
        out.append((jobs, instance, int(proven.objective)))
    return out


def test_reaches_the_optimum_cp_sat_proves():
    improved = 0
    for jobs, instance, optimum in proven_optima(8):
        start, start_span = giffler_thompson(jobs, 3)
        placement, span, _ = tabu_search(jobs, 3, start, Stop(), max_iterations=2000,
                                         floor=optimum, seed=1)
        assert check_solution(instance, placement, span) == []
        assert span == optimum
        improved += span < start_span
    assert improved > 0  # the instances are not all solved by the start already


def test_is_repeatable_for_a_seed():
    rng = random.Random(8)
    jobs = flexible_jobs(rng, 6, 4)
    start, _ = giffler_thompson(jobs, 4)
    runs = [tabu_search(jobs, 4, start, Stop(), max_iterations=500, seed=3) for _ in range(2)]
    assert runs[0] == runs[1]


def test_stop_returns_the_start_at_once():
    rng = random.Random(9)
    jobs = flexible_jobs(rng, 6, 4)
    start, start_span = giffler_thompson(jobs, 4)
    placement, span, iterations = tabu_search(jobs, 4, start,
                                              Stop.make(requested=lambda: True))
    assert (span, iterations) == (start_span, 0)
    assert check_solution(instance_of(jobs, 4), placement, span) == []


def test_a_start_against_the_job_order_is_rejected():
    # one machine, one job of two operations, the second placed first
    jobs = [[[(0, 2)], [(0, 3)]]]
    with pytest.raises(ValueError, match="cycle"):
        tabu_search(jobs, 1, [[(0, 3, 5), (0, 0, 3)]], Stop(), max_iterations=1)


def test_flexible_plants_get_the_tabu_warm_start_and_plain_job_shops_do_not(tmp_path):
    rng = random.Random(3)
    jobs = flexible_jobs(rng, 6, 3)
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(jobs, 3, flexible=True))
    plant = read_fjsp(fjs)
    [(name, ops)] = makespan_warm_starts(plant, 2.0)
    assert name == "mwkr+tabu"
    assert_valid(Schedule(plant, lots_per_order(plant), ops))
    js = tmp_path / "j.txt"
    js.write_text("2 2\n0 3 1 2\n1 4 0 1\n")
    [(name, _)] = makespan_warm_starts(read_jssp(js), 2.0)
    assert name == "mwkr"


def test_the_tabu_schedule_is_resequenced_and_kept_when_shorter(tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    rng = random.Random(3)
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(flexible_jobs(rng, 6, 3), 3, flexible=True))
    plant = read_fjsp(fjs)
    calls: list = []

    def one_at_a_time(jobs, n_machines, start, stop, **kwargs):
        # a stand-in for tabu search with a poorly sequenced schedule: the start's
        # machines, every operation after the previous one has ended
        clock, out = 0, []
        for ops in start:
            out.append([])
            for machine, s, e in ops:
                out[-1].append((machine, clock, clock + e - s))
                clock += e - s
        calls.append((kwargs["seed"], kwargs["workers"], clock))
        return out, clock

    monkeypatch.setattr(rules, "parallel_tabu_search", one_at_a_time)
    [(name, ops)] = rules.makespan_warm_starts(plant, 20.0, seed=7, workers=1)
    [(seed, workers, serial)] = calls
    assert (seed, workers) == (7, 1)
    assert name == "mwkr+tabu+resequenced"
    assert max(op.end for op in ops) < serial
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_a_tabu_schedule_at_the_lower_bound_is_not_resequenced(tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    def must_not_run(*args, **kwargs):
        raise AssertionError("no re-sequencing of a schedule at its lower bound")

    monkeypatch.setattr(rules, "resequence", must_not_run)
    fjs = tmp_path / "f.fjs"
    # two jobs, each one operation on either of two machines: the bound (5) is reached
    fjs.write_text("2 2 2\n1 2 1 5 2 5\n1 2 1 5 2 5\n")
    plant = read_fjsp(fjs)
    [(name, ops)] = rules.makespan_warm_starts(plant, 20.0)
    assert name == "mwkr+tabu" and max(op.end for op in ops) == 5
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_one_worker_the_warm_start_does_not_depend_on_the_clock(tmp_path, monkeypatch,
                                                                     at_clock_speed):
    import prodsched.heuristics.makespan_rules as rules

    # little work per second, so that even a slow machine ends it before the clock
    monkeypatch.setattr(rules, "RESTART_OPS_PER_SECOND", 2_000)
    monkeypatch.setattr(rules, "TABU_OPS_PER_SECOND", 10_000)
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(flexible_jobs(random.Random(8), 12, 4), 4, flexible=True))
    plant = read_fjsp(fjs)

    def run() -> list:
        return rules.makespan_warm_starts(plant, 4.0, seed=3, workers=1)

    # the slow clock leaves four times the seconds
    normal, slow = at_clock_speed(1.0, run), at_clock_speed(0.25, run)
    assert normal == slow
    [(name, ops)] = normal
    assert name.startswith("mwkr+tabu")
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


@pytest.mark.parametrize("ahead", ["lns", "tabu", "tie", "no child"])
def test_with_more_workers_the_search_ahead_runs_on_with_all_of_them(tmp_path, monkeypatch,
                                                                      ahead):
    import prodsched.heuristics.makespan_rules as rules

    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(flexible_jobs(random.Random(3), 6, 3), 3, flexible=True))
    plant = read_fjsp(fjs)
    jobs = shop_jobs(plant)
    tabu_found = tabu_search(jobs, 3, giffler_thompson(jobs, 3)[0], Stop(),
                             max_iterations=50)[:2]
    lns_span = tabu_found[1] + {"lns": -1, "tabu": 1, "tie": 0, "no child": 0}[ahead]
    runs_on: list = []

    def race(jobs, n_machines, start, stop, other, **kwargs):
        other(Stop.make(requested=lambda: True))  # the caller's LNS, stopped at once
        return (None if ahead == "no child" else tabu_found), (tabu_found[0], lns_span)

    def recording(name):
        def run(jobs, n_machines, start, stop, **kwargs):
            runs_on.append((name, start, kwargs["workers"]))
            return start, max(end for ops in start for _, _, end in ops)
        return run

    monkeypatch.setattr(rules, "solve_whole", lambda *args, **kwargs: None)  # not proved
    monkeypatch.setattr(rules, "tabu_beside", race)
    monkeypatch.setattr(rules, "parallel_tabu_search", recording("tabu"))
    real_lns = rules.shop_lns
    monkeypatch.setattr(rules, "shop_lns", lambda *a, **kw: (
        real_lns(*a, **kw) if kw["workers"] == 1 else recording("lns")(*a, **kw)))
    [(name, ops)] = rules.makespan_warm_starts(plant, 2.0, workers=2)
    winner = "tabu" if ahead == "tabu" else "lns"
    assert runs_on == [(winner, tabu_found[0], 2)]
    assert name.startswith(f"mwkr+{winner}")
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_two_workers_the_warm_start_is_a_valid_schedule(tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    monkeypatch.setattr(rules, "PROBE_SHARE", 0.0)  # no CP-SAT first: the two searches
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(flexible_jobs(random.Random(5), 10, 4), 4, flexible=True))
    plant = read_fjsp(fjs)
    [(name, ops)] = makespan_warm_starts(plant, 3.0, seed=2, workers=2)
    assert name.split("+")[:2] in (["mwkr", "lns"], ["mwkr", "tabu"])
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_more_workers_an_optimum_cp_sat_proves_at_once_skips_both_searches(
        tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    def must_not_run(*args, **kwargs):
        raise AssertionError("no search after CP-SAT proved the optimum")

    for name in ("tabu_beside", "shop_lns", "parallel_tabu_search", "resequence"):
        monkeypatch.setattr(rules, name, must_not_run)
    [(jobs, _, optimum)] = proven_optima(1)
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(jobs, 3, flexible=True))
    plant = read_fjsp(fjs)
    [(name, ops)] = rules.makespan_warm_starts(plant, 20.0, workers=2)
    assert name == "mwkr+cp-sat" and max(op.end for op in ops) == optimum
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_two_workers_a_stop_ends_both_searches_at_once(tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    monkeypatch.setattr(rules, "PROBE_SHARE", 0.0)  # straight to the two searches
    fjs = tmp_path / "f.fjs"
    fjs.write_text(as_text(flexible_jobs(random.Random(6), 30, 6), 6, flexible=True))
    plant = read_fjsp(fjs)
    asked = time.monotonic() + 1.0
    # with 600 s the searches would run for minutes; the stop ends them instead
    [(name, ops)] = rules.makespan_warm_starts(
        plant, 600.0, workers=2, stop=Stop.make(requested=lambda: time.monotonic() > asked))
    assert time.monotonic() - asked < 5.0
    assert name in ("mwkr+lns", "mwkr+tabu")
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def plain_job_shop(tmp_path, seed: int, n: int, m: int):
    from tests.heuristics.test_makespan_rules import random_jobs

    path = tmp_path / "j.txt"
    path.write_text(as_text(random_jobs(random.Random(seed), n, m, flexible=False), m,
                            flexible=False))
    return read_jssp(path)


@pytest.mark.parametrize("ahead", ["cp-sat", "tabu", "tie", "no child"])
def test_with_more_workers_a_plain_job_shop_races_tabu_search_against_cp_sat(
        tmp_path, monkeypatch, ahead):
    import prodsched.heuristics.makespan_rules as rules

    plant = plain_job_shop(tmp_path, 3, 6, 3)
    jobs = shop_jobs(plant)
    start = giffler_thompson(jobs, 3)[0]
    tabu_found = tabu_search(jobs, 3, start, Stop(), max_iterations=50)[:2]
    whole_span = tabu_found[1] + {"cp-sat": -1, "tabu": 1, "tie": 0, "no child": 0}[ahead]
    raced: list = []
    runs_on: list = []

    def race(jobs, n_machines, start, stop, other, **kwargs):
        raced.append(other)
        return (None if ahead == "no child" else tabu_found), (start, whole_span)

    def recording(jobs, n_machines, start, stop, **kwargs):
        runs_on.append((start, kwargs["workers"]))
        return start, max(end for ops in start for _, _, end in ops)

    def must_not_run(*args, **kwargs):
        raise AssertionError("a plain job shop has no machine choices for the LNS")

    monkeypatch.setattr(rules, "solve_whole", lambda *args, **kwargs: None)  # not proved
    monkeypatch.setattr(rules, "tabu_beside", race)
    monkeypatch.setattr(rules, "parallel_tabu_search", recording)
    monkeypatch.setattr(rules, "shop_lns", must_not_run)
    monkeypatch.setattr(rules, "resequence", must_not_run)
    [(name, ops)] = rules.makespan_warm_starts(plant, 2.0, workers=2)
    assert len(raced) == 1
    if ahead == "tabu":
        assert runs_on == [(tabu_found[0], 2)] and name == "mwkr+tabu"
    else:  # CP-SAT on the whole shop goes on from its own schedule: nothing runs on here
        assert runs_on == [] and name == "mwkr+cp-sat"
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_one_worker_a_plain_job_shop_goes_to_cp_sat_after_the_restarts(
        tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    def must_not_run(*args, **kwargs):
        raise AssertionError("one worker: no search before CP-SAT on a plain job shop")

    for name in ("tabu_beside", "solve_whole", "parallel_tabu_search", "shop_lns"):
        monkeypatch.setattr(rules, name, must_not_run)
    plant = plain_job_shop(tmp_path, 4, 5, 3)
    [(name, ops)] = rules.makespan_warm_starts(plant, 2.0, workers=1)
    assert name == "mwkr"
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_with_two_workers_a_plain_job_shop_gets_a_valid_warm_start(tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    monkeypatch.setattr(rules, "PROBE_SHARE", 0.0)  # straight to the race
    plant = plain_job_shop(tmp_path, 5, 10, 5)
    [(name, ops)] = rules.makespan_warm_starts(plant, 3.0, seed=2, workers=2)
    assert name in ("mwkr+cp-sat", "mwkr+tabu")
    assert_valid(Schedule(plant, lots_per_order(plant), ops))


def test_a_plain_job_shop_optimum_cp_sat_proves_in_the_race_ends_it_at_once(
        tmp_path, monkeypatch):
    import prodsched.heuristics.makespan_rules as rules

    calls: list[int] = []

    def proved_in_the_race(jobs, n_machines, start, seconds, **kwargs):
        calls.append(kwargs["workers"])
        return None if len(calls) == 1 else (start, True)  # the probe finds nothing

    def must_not_run(*args, **kwargs):
        raise AssertionError("no tabu search after CP-SAT proved the optimum")

    monkeypatch.setattr(rules, "solve_whole", proved_in_the_race)
    monkeypatch.setattr(rules, "parallel_tabu_search", must_not_run)
    plant = plain_job_shop(tmp_path, 6, 8, 4)
    began = time.monotonic()
    # with 600 s the race would wait 150 s for the tabu search; the proof ends it
    [(name, ops)] = rules.makespan_warm_starts(plant, 600.0, workers=2)
    assert time.monotonic() - began < 60.0
    assert calls == [2, 1] and name == "mwkr+cp-sat"
    assert_valid(Schedule(plant, lots_per_order(plant), ops))
