"""CP-SAT re-sequences a schedule on its own machine assignment: shorter when it
can be, the machines unchanged, valid; the schedule as given when it cannot."""

from __future__ import annotations

import random
import time
from dataclasses import replace

from prodsched.formats.fjsp import read_fjsp
from prodsched.heuristics.resequence import assigned_plant, makespan_of, resequence
from prodsched.lots.fixed import lots_per_order
from prodsched.schedule.rows import PlacedOp
from prodsched.schedule.schedule import Schedule
from prodsched.stop import Stop
from tests.conftest import assert_valid

# 3 jobs on 3 machines; every operation has two or three eligible machines
FJS = "3 3 2\n2 2 1 4 2 2 1 3 5\n2 1 2 3 2 1 2 3 4\n2 2 1 3 3 1 2 3 2 2 6\n"


def one_at_a_time(plant, machine_of):
    """A valid but poor schedule: every operation waits for the previous one to end."""
    ops, clock = [], 0
    for lot in lots_per_order(plant):
        for step in plant.routings[lot.product]:
            machine = machine_of[lot.product, step.number]
            end = clock + step.option(machine).duration(lot.quantity)
            ops.append(PlacedOp(lot, step.number, machine, clock, end))
            clock = end
    return ops


def first_machines(plant):
    return {(product, step.number): step.options[0].machine
            for product, steps in plant.routings.items() for step in steps}


def serial_schedule(tmp_path):
    """The plant of ``FJS`` and its one-at-a-time schedule on every step's first machine."""
    path = tmp_path / "f.fjs"
    path.write_text(FJS)
    plant = read_fjsp(path)
    placed = one_at_a_time(plant, first_machines(plant))
    assert_valid(Schedule(plant, lots_per_order(plant), placed))
    return plant, placed


def test_the_assigned_plant_keeps_only_the_machine_each_step_runs_on(tmp_path):
    plant, placed = serial_schedule(tmp_path)
    restricted = assigned_plant(plant, placed)
    assert restricted is not None
    for op in placed:
        [option] = restricted.routings[op.lot.product][op.step - 1].options
        assert option.machine == op.machine
    assert restricted.orders == plant.orders and restricted.machines == plant.machines
    # two lots of one product on different machines for one step: no such plant
    twin = replace(placed[0], lot=replace(placed[0].lot, lot_id="other"),
                   machine=plant.routings[placed[0].lot.product][0].options[1].machine)
    assert assigned_plant(plant, [*placed, twin]) is None
    # a step of a product that has lots is missing: no such plant
    assert assigned_plant(plant, placed[1:]) is None


def test_a_poor_sequence_is_shortened_on_the_same_machines(tmp_path):
    plant, placed = serial_schedule(tmp_path)
    better = resequence(plant, placed, 10.0, workers=1)
    assert makespan_of(better) < makespan_of(placed)
    assert ({(op.lot.lot_id, op.step): op.machine for op in better}
            == {(op.lot.lot_id, op.step): op.machine for op in placed})
    assert_valid(Schedule(plant, lots_per_order(plant), better))
    # its sequence is optimal for those machines: a second pass keeps it as it is
    assert resequence(plant, better, 10.0, workers=1) is better


def test_no_solve_without_time_or_once_stopped(tmp_path):
    plant, placed = serial_schedule(tmp_path)
    assert resequence(plant, placed, 0.1) is placed
    assert resequence(plant, placed, 10.0, stop=Stop.make(requested=lambda: True)) is placed


def test_with_one_worker_the_solve_is_limited_by_deterministic_time(tmp_path, monkeypatch):
    # a repeatable run (one worker) must not depend on the clock: CP-SAT gets a
    # deterministic budget per second of the solve; with more workers only the clock
    import prodsched.heuristics.shop_lns as shop_lns
    from prodsched.budget import DETERMINISTIC_PER_SECOND

    real_run_stages = shop_lns.run_stages
    budgets = []

    def run_stages(model, stages, settings, stop, **kwargs):
        budgets.append((settings.workers, stop.deterministic_seconds))
        return real_run_stages(model, stages, settings, stop, **kwargs)

    monkeypatch.setattr(shop_lns, "run_stages", run_stages)
    plant, placed = serial_schedule(tmp_path)
    for workers in (1, 2):
        better = resequence(plant, placed, 10.0, workers=workers)
        assert makespan_of(better) < makespan_of(placed)
        assert_valid(Schedule(plant, lots_per_order(plant), better))
    assert budgets == [(1, DETERMINISTIC_PER_SECOND * 10.0), (2, None)]


def square_job_shop(tmp_path, size, seed):
    """A ``size`` x ``size`` job shop (every job visits every machine once, 1 to 99
    time units) as a flexible job shop file, and its one-at-a-time schedule."""
    rng = random.Random(seed)
    lines = [f"{size} {size} 1"]
    for _ in range(size):
        route = rng.sample(range(1, size + 1), size)
        lines.append(" ".join([str(size), *(f"1 {m} {rng.randint(1, 99)}" for m in route)]))
    path = tmp_path / "square.fjs"
    path.write_text("\n".join(lines) + "\n")
    plant = read_fjsp(path)
    placed = one_at_a_time(plant, first_machines(plant))
    assert_valid(Schedule(plant, lots_per_order(plant), placed))
    return plant, placed


def test_a_stop_ends_the_live_search_even_between_solutions(tmp_path, monkeypatch):
    # CP-SAT asks ``stop`` only at a new solution; a search that reports none must
    # still end soon after Ctrl-C, not at its time limit. A 15 x 15 job shop is not
    # proved optimal in seconds; its solutions are kept from Python (no callback),
    # so only the polling of the stop flag can end the search.
    from ortools.sat.python import cp_model

    plant, placed = square_job_shop(tmp_path, 15, 1)
    real_solve, real_stop_search = cp_model.CpSolver.solve, cp_model.CpSolver.stop_search
    solves, stopped = [], []

    def silent_solve(self, model, solution_callback=None):
        solves.append(self)
        return real_solve(self, model)

    def stop_search(self):
        stopped.append(time.monotonic())
        real_stop_search(self)

    monkeypatch.setattr(cp_model.CpSolver, "solve", silent_solve)
    monkeypatch.setattr(cp_model.CpSolver, "stop_search", stop_search)
    asked = time.monotonic() + 0.5
    # two workers: the clock, 30 s, is the only limit besides the stop
    result = resequence(plant, placed, 30.0, workers=2,
                        stop=Stop.make(requested=lambda: time.monotonic() > asked))
    ended = time.monotonic()
    assert len(solves) == 1 and stopped and stopped[0] >= asked
    assert ended - asked < 4.0
    assert result is placed or makespan_of(result) < makespan_of(placed)
    assert_valid(Schedule(plant, lots_per_order(plant), result))
