"""CP-SAT re-sequences a schedule on its own machine assignment: shorter when it
can be, the machines unchanged, valid; the schedule as given when it cannot."""

from __future__ import annotations

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
    return plant, one_at_a_time(plant, first_machines(plant))


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


def test_a_stop_ends_the_live_search_even_between_solutions(tmp_path, monkeypatch):
    # CP-SAT asks ``stop`` only at a new solution; a search that finds none must still
    # end soon after Ctrl-C, not at its time limit
    import threading
    import time

    import prodsched.pipeline as pipeline

    plant, placed = serial_schedule(tmp_path)
    stopped = threading.Event()

    class SilentSolver:  # a live search that finds nothing more
        def stop_search(self):
            stopped.set()

    def solve_request(plant, request):
        request.solver_hook(SilentSolver())
        stopped.wait(request.time_limit)
        request.solver_hook(None)
        return Schedule(plant, lots_per_order(plant), request.warm_starts[0][1])

    monkeypatch.setattr(pipeline, "solve_request", solve_request)
    started = time.monotonic()
    stop = Stop.make(requested=lambda: time.monotonic() > started + 0.5)
    result = resequence(plant, placed, 30.0, stop=stop)
    assert stopped.is_set() and time.monotonic() - started < 5.0
    assert result is placed
