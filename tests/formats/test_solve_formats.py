"""Benchmark files solved end to end: ft06 through the command line, mk01 and a
small SDST flow shop through the pipeline with the format's own extras."""

from __future__ import annotations

import itertools
import json
import signal
import time
from dataclasses import replace

import pytest
from click.testing import CliRunner

import prodsched.formats.builtin  # noqa: F401  (registers the formats)
from prodsched.cli import main
from prodsched.cli.signals import Interrupt
from prodsched.cli.solve import _Source, _with_warm_starts
from prodsched.cpsat_runner import SolverSettings
from prodsched.formats import FORMATS, get_format
from prodsched.formats.sdst_pfsp import parse_sdst_pfsp
from prodsched.io.read_schedule import read_schedule
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from tests.conftest import SHARED_BENCHMARKS, assert_valid
from tests.formats.sdst_tiny import brute_force_makespan, sdst_text

needs_shared = pytest.mark.skipif(not SHARED_BENCHMARKS.is_dir(),
                                  reason=f"no shared benchmark folder at {SHARED_BENCHMARKS}")


def test_the_three_formats_are_registered_for_makespan():
    assert {"jssp", "fjsp", "sdst-pfsp"} <= set(FORMATS)
    assert {FORMATS[name].objective for name in ("jssp", "fjsp", "sdst-pfsp")} == {"makespan"}


@needs_shared
def test_ft06_is_solved_to_its_optimum_55_by_the_command(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "solve", str(SHARED_BENCHMARKS / "jssp" / "instances" / "ft06.txt"),
        "--format", "jssp", "--out", str(out), "--time-limit", "20", "--workers", "2"])
    assert result.exit_code == 0, result.output
    kpis = json.loads((out / "kpis.json").read_text())
    assert (kpis["status"], kpis["objective"], kpis["makespan"]) == ("optimal", 55, 55)
    assert (out / "schedule.csv").read_text().count(",run,") == 36


@needs_shared
def test_mk01_is_solved_to_its_optimum_40():
    fmt = get_format("fjsp")
    plant = fmt.read(SHARED_BENCHMARKS / "fjsp" / "instances" / "mk01.fjs")
    schedule = solve_request(plant, SolveRequest(
        objective=parse_objective(fmt.objective), time_limit=20,
        settings=SolverSettings(workers=2)))
    assert_valid(schedule)
    assert (schedule.status, schedule.kpis.makespan) == ("optimal", 40)


def test_sdst_format_with_its_extension_and_warm_starts_proves_the_best_permutation(tmp_path):
    path = tmp_path / "shop.txt"
    path.write_text(sdst_text(seed=0, n=6, m=3))
    inst = parse_sdst_pfsp(path)
    p = [[d for ((_, d),) in job] for job in inst.jobs]
    setups = [[list(row) for row in block] for block in inst.setups or ()]
    best = min(brute_force_makespan(p, setups, list(x))
               for x in itertools.permutations(range(6)))
    fmt = get_format("sdst-pfsp")
    plant = fmt.read(path)
    warm = fmt.warm_starts(plant, 1.0)
    assert [name for name, _ in warm] == ["neh", "iterated-greedy"]
    schedule = solve_request(plant, SolveRequest(
        objective=parse_objective("makespan"), time_limit=20, extensions=fmt.extensions(plant),
        warm_starts=warm, settings=SolverSettings(workers=2)))
    assert_valid(schedule)
    assert (schedule.status, schedule.kpis.makespan) == ("optimal", best)


def test_a_flexible_job_shop_gets_its_warm_start_through_the_command(tmp_path):
    fjs = tmp_path / "f.fjs"
    fjs.write_text("3 3 2\n2 2 1 4 2 2 1 3 5\n2 1 2 3 2 1 2 3 4\n1 2 1 3 3 1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(fjs), "--format", "fjsp", "--out", str(out),
                                       "--time-limit", "4", "--workers", "2"])
    assert result.exit_code == 0, result.output
    kpis = json.loads((out / "kpis.json").read_text())
    # with 2 workers CP-SAT first gets the whole shop, and proves this small one at once
    assert kpis["dispatch"]["warm_start"] == "mwkr+cp-sat"
    assert kpis["status"] == "optimal"
    assert_valid(read_schedule(get_format("fjsp").read(fjs), out))


def test_a_signal_during_the_warm_start_ends_the_searches_at_once(tmp_path):
    fjs = tmp_path / "f.fjs"
    fjs.write_text("3 3 2\n2 2 1 4 2 2 1 3 5\n2 1 2 3 2 1 2 3 4\n1 2 1 3 3 1\n")
    fmt = get_format("fjsp")
    plant = fmt.read(fjs)
    interrupt = Interrupt()
    interrupt.signum = signal.SIGINT  # as the handler leaves it
    src = _Source(plant, parse_objective("makespan"), "jobshop", warm_starts=fmt.warm_starts)
    started = time.monotonic()
    # with 600 s the searches would run for 480 s; the signal ends them instead (all
    # cores: the tabu search's child is not waited for, the neighbourhood search's
    # schedule goes on)
    request = _with_warm_starts(SolveRequest(objective=src.objective), src, interrupt, 600)
    assert time.monotonic() - started < 60
    assert interrupt.phase_name == "warm start"
    [(name, ops)] = request.warm_starts
    assert name == "mwkr+lns" and len(ops) == 5
    # the solve then keeps that schedule without running the dispatch rules or CP-SAT
    schedule = solve_request(plant, replace(request, time_limit=600, stop=interrupt.requested))
    assert_valid(schedule)
    assert schedule.info.details["source"] == "dispatch (interrupted before CP-SAT started)"
    assert list(schedule.info.dispatch.objectives) == ["mwkr+lns"]


def test_the_warm_starts_get_the_solves_seed_and_worker_count(tmp_path):
    fjs = tmp_path / "f.fjs"
    fjs.write_text("3 3 2\n2 2 1 4 2 2 1 3 5\n2 1 2 3 2 1 2 3 4\n1 2 1 3 3 1\n")
    plant = get_format("fjsp").read(fjs)
    seen: list = []

    def recording(plant, time_limit, *, seed=0, workers=1, stop=None):
        seen.append((time_limit, seed, workers))
        return []

    src = _Source(plant, parse_objective("makespan"), "jobshop", warm_starts=recording)
    request = SolveRequest(objective=src.objective, settings=SolverSettings(workers=3, seed=5))
    _with_warm_starts(request, src, Interrupt(), 7)
    assert seen == [(7, 5, 3)]


def test_a_flexible_job_shop_with_one_worker_repeats_byte_for_byte(tmp_path):
    import random

    from tests.heuristics.test_makespan_rules import as_text
    from tests.heuristics.test_tabu_shop import flexible_jobs

    fjs = tmp_path / "f.fjs"
    # 20 jobs on 6 machines: not proved optimal in 3 s, so every phase uses its budget
    fjs.write_text(as_text(flexible_jobs(random.Random(12), 20, 6), 6, flexible=True))
    texts = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = CliRunner().invoke(main, ["solve", str(fjs), "--format", "fjsp", "--out",
                                           str(out), "--time-limit", "3", "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert_valid(read_schedule(get_format("fjsp").read(fjs), out))
        kpis = json.loads((out / "kpis.json").read_text())
        assert kpis["dispatch"]["warm_start"].startswith("mwkr+tabu")
        texts.append((out / "schedule.csv").read_bytes())
    assert texts[0] == texts[1]
