"""Interruption: a stopped solve keeps its best schedule; Ctrl-C and SIGTERM exit 130 and 143.

The signal tests run ``prodsched solve --log`` as a real process and send the
signal once CP-SAT has started (its log says so), so they do not depend on
how fast the machine is.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from prodsched import load_plant, solve
from prodsched.cli.signals import Interrupt, Interrupted
from prodsched.cpsat_runner import SolverSettings
from prodsched.generate import GeneratorConfig, write_plant
from prodsched.objective import DEFAULT_OBJECTIVE, parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from tests.conftest import assert_valid
from tests.reliability.conftest import cli


@pytest.fixture(scope="module")
def busy_plant(tmp_path_factory) -> Path:
    """A plant CP-SAT cannot finish in seconds (changeovers, calendars, 60 orders), small
    enough for the full model (the large-plant route has its own interrupt tests)."""
    config = GeneratorConfig(orders=60, machines=4, max_steps=2, alternatives=2,
                             due_tightness=0.3, setup_ratio=0.5, calendar=True, seed=2)
    return write_plant(config, tmp_path_factory.mktemp("busy") / "plant")


def test_stop_before_the_search_returns_the_dispatch_schedule(busy_plant):
    schedule = solve(load_plant(busy_plant), time_limit=60, workers=2, stop=lambda: True)
    assert_valid(schedule)
    assert schedule.status == "feasible"
    assert schedule.info.interrupted is True
    assert schedule.info.details["source"] == "dispatch (interrupted before CP-SAT started)"


def test_stop_after_the_first_solution_keeps_it(busy_plant):
    seen: list[float] = []
    # the full model alone (large=False): with the hand-over, a machine on which presolve
    # takes the full model's whole share hands over before CP-SAT's first solution
    request = SolveRequest(objective=parse_objective(DEFAULT_OBJECTIVE), time_limit=60,
                           settings=SolverSettings(workers=2),
                           progress=lambda stage, t, obj, bound: seen.append(obj),
                           stop=lambda: bool(seen), large=False)
    schedule = solve_request(load_plant(busy_plant), request)
    assert_valid(schedule)
    assert schedule.info.interrupted is True
    assert schedule.status == "feasible"
    assert "source" not in schedule.info.details        # CP-SAT's schedule, not dispatch
    assert schedule.info.stages[0].limit == "stopped"


def _solve_until_cp_sat_starts(plant: Path, out: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "prodsched", "solve", str(plant), "--out", str(out),
         "--time-limit", "120", "--workers", "2", "--log"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "Starting CP-SAT solver" in line:
            break
    else:
        pytest.fail("CP-SAT never started: " + (process.stderr.read() if process.stderr else ""))
    threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe flowing
    return process


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_writes_the_best_schedule_and_exits_128_plus_it(busy_plant, tmp_path, signum,
                                                                   code):
    out = tmp_path / "out"
    process = _solve_until_cp_sat_starts(busy_plant, out)
    process.send_signal(signum)
    assert process.wait(timeout=60) == code
    stderr = process.stderr.read() if process.stderr else ""
    assert "Traceback" not in stderr
    assert f"prodsched: {signal.Signals(signum).name}: wrote the best schedule found so far" \
        in stderr
    assert {p.name for p in out.iterdir()} == {"schedule.csv", "orders_report.csv", "kpis.json",
                                               "products_report.csv"}
    kpis = json.loads((out / "kpis.json").read_text())
    assert kpis["interrupted"] == signal.Signals(signum).name
    assert kpis["status"] == "feasible"
    run = cli("validate", str(busy_plant), str(out))
    assert run.code == 0, run.stdout


def test_a_second_signal_aborts_at_once(monkeypatch):
    exits: list[int] = []

    def fake_exit(code: int) -> None:
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr("prodsched.cli.signals.os._exit", fake_exit)
    interrupt = Interrupt()
    interrupt.phase("search")
    interrupt._handle(signal.SIGTERM, None)
    assert interrupt.requested() and interrupt.name == "SIGTERM" and exits == []
    with pytest.raises(SystemExit):
        interrupt._handle(signal.SIGINT, None)
    assert exits == [130]


def test_a_signal_while_reading_the_plant_stops_at_once():
    interrupt = Interrupt()
    with pytest.raises(Interrupted):
        interrupt._handle(signal.SIGINT, None)


def test_the_solver_started_after_the_signal_is_stopped_too():
    class Solver:
        stopped = 0

        def stop_search(self) -> None:
            self.stopped += 1

    interrupt = Interrupt()
    interrupt.phase("search")
    interrupt._handle(signal.SIGINT, None)
    solver = Solver()
    interrupt.hook(solver)  # type: ignore[arg-type]
    assert solver.stopped == 1


def test_a_worker_that_cannot_stop_is_not_waited_for():
    interrupt = Interrupt()
    release = threading.Event()
    in_build = threading.Event()

    def work() -> str:
        interrupt.fallback(lambda: "dispatch schedule")  # type: ignore[arg-type,return-value]
        interrupt.phase("build")
        in_build.set()
        release.wait(30)
        return "cp-sat schedule"

    def signal_soon() -> None:
        in_build.wait(30)
        interrupt.signum = signal.SIGINT  # what the handler records

    threading.Thread(target=signal_soon, daemon=True).start()
    try:
        assert interrupt.run(work) == ("dispatch schedule", True)
    finally:
        release.set()


def test_a_worker_that_finishes_hands_over_its_result_or_error():
    interrupt = Interrupt()
    assert interrupt.run(lambda: 42) == (42, False)

    def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        interrupt.run(fails)
