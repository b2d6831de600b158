"""Permutation schedules of a flow-shop plant are valid plant schedules with the
flow-shop makespan, and serve as warm starts."""

from __future__ import annotations

from prodsched.formats.jssp import read_jssp
from prodsched.formats.sdst_pfsp import read_sdst_pfsp
from prodsched.heuristics.flowshop import makespan
from prodsched.heuristics.permutation import (
    flow_shop_of,
    permutation_warm_starts,
    placed_permutation,
)
from prodsched.lots.fixed import lots_per_order
from prodsched.schedule.schedule import Schedule
from tests.conftest import assert_valid
from tests.formats.sdst_tiny import sdst_text


def sdst_plant(tmp_path, **kwargs):
    path = tmp_path / "shop.txt"
    path.write_text(sdst_text(**kwargs))
    return read_sdst_pfsp(path)


def test_placed_permutation_is_a_valid_schedule_with_the_computed_makespan(tmp_path):
    plant = sdst_plant(tmp_path, seed=4, n=6, m=4)
    flow = flow_shop_of(plant)
    assert flow is not None and flow.machines == ["M0", "M1", "M2", "M3"]
    for perm in ([0, 1, 2, 3, 4, 5], [5, 3, 1, 0, 2, 4]):
        ops = placed_permutation(plant, flow, perm)
        schedule = Schedule(plant, lots_per_order(plant), ops)
        assert_valid(schedule)
        assert schedule.kpis.makespan == makespan(flow.shop, perm)
        assert schedule.kpis.setup_count > 0


def test_job_shops_are_not_flow_shops(tmp_path):
    path = tmp_path / "js.txt"
    path.write_text("2 2\n0 3 1 2\n1 4 0 1\n")
    plant = read_jssp(path)
    assert flow_shop_of(plant) is None
    assert permutation_warm_starts(plant, 1.0) == []


def test_warm_starts_are_neh_then_a_no_worse_iterated_greedy(tmp_path):
    plant = sdst_plant(tmp_path, seed=2, n=7, m=3)
    starts = permutation_warm_starts(plant, 0.4)
    assert [name for name, _ in starts] == ["neh", "iterated-greedy"]
    lots = lots_per_order(plant)
    spans = []
    for _, ops in starts:
        schedule = Schedule(plant, lots, ops)
        assert_valid(schedule)
        spans.append(schedule.kpis.makespan)
    assert spans[1] <= spans[0]


def test_with_one_worker_the_iterated_greedy_does_not_depend_on_the_clock(tmp_path,
                                                                          monkeypatch,
                                                                          at_clock_speed):
    import prodsched.heuristics.permutation as permutation

    # few rounds per second, so that even a slow machine ends them before the clock
    monkeypatch.setattr(permutation, "IG_JOBS2_PER_SECOND", 2_000)
    plant = sdst_plant(tmp_path, seed=6, n=25, m=4)

    def run() -> list:
        return permutation_warm_starts(plant, 2.0, seed=3, workers=1)

    # the slow clock leaves four times the seconds
    normal, slow = at_clock_speed(1.0, run), at_clock_speed(0.25, run)
    assert [name for name, _ in normal] == ["neh", "iterated-greedy"]
    assert normal == slow
    for _, ops in normal:
        assert_valid(Schedule(plant, lots_per_order(plant), ops))
