"""The plain CP-SAT model of OR-Tools' examples, built straight from an instance.

The yardstick every benchmark table shows beside prodsched:

- job shop: one interval per operation, route precedences, one no-overlap
  per machine, makespan as the maximum of the jobs' last ends;
- flexible job shop: per operation a start and end, an optional interval per
  eligible machine with exactly one present;
- setups (the SDST flow shop): in addition, a circuit per machine whose arc
  ``i → j`` forces ``start(j) >= end(i) + setup(i, j)``, and for permutation
  instances every machine's arc literals equal the first machine's.

No hint, no heuristics: what a user gets by writing the model of the examples
(solved by prodsched's one CP-SAT runner, :func:`prodsched.cpsat_runner.run_stages`,
with the user's workers and seed and nothing else).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from prodsched.bench.check import OpTime
from prodsched.cpsat_runner import SolverSettings, run_stages
from prodsched.formats.shop import ShopInstance
from prodsched.stop import Stop


@dataclass
class PlainModel:
    """The CP-SAT model and the variables needed to read a solution."""

    model: cp_model.CpModel
    starts: list[list[cp_model.IntVar]]
    ends: list[list[cp_model.IntVar]]
    presence: list[list[list[tuple[int, cp_model.IntVar | int]]]]
    makespan: cp_model.IntVar


@dataclass
class PlainResult:
    """Outcome of a plain solve."""

    status: str
    objective: int | None
    bound: float | None
    solution: list[list[OpTime]] | None


def _horizon(instance: ShopInstance) -> int:
    work = sum(max(d for _, d in options) for job in instance.jobs for options in job)
    if instance.setups is not None:
        worst = max((max(max(row) for row in block) for block in instance.setups), default=0)
        work += worst * instance.n_jobs * instance.n_machines
    return work


def build_plain(instance: ShopInstance) -> PlainModel:
    """The examples' model of ``instance`` (see the module)."""
    model = cp_model.CpModel()
    horizon = _horizon(instance)
    starts: list[list[cp_model.IntVar]] = []
    ends: list[list[cp_model.IntVar]] = []
    presence: list[list[list[tuple[int, cp_model.IntVar | int]]]] = []
    intervals: dict[int, list[cp_model.IntervalVar]] = {k: [] for k in range(instance.n_machines)}
    on_machine: dict[int, list[tuple[int, int, cp_model.IntVar | int]]] = {
        k: [] for k in range(instance.n_machines)}
    for j, job in enumerate(instance.jobs):
        starts.append([])
        ends.append([])
        presence.append([])
        for i, options in enumerate(job):
            start = model.new_int_var(0, horizon, f"s{j}_{i}")
            end = model.new_int_var(0, horizon, f"e{j}_{i}")
            chosen: list[tuple[int, cp_model.IntVar | int]] = []
            if len(options) == 1:
                machine, duration = options[0]
                intervals[machine].append(model.new_interval_var(start, duration, end,
                                                                 f"i{j}_{i}"))
                chosen.append((machine, 1))
            else:
                literals = []
                for machine, duration in options:
                    present = model.new_bool_var(f"p{j}_{i}_{machine}")
                    intervals[machine].append(model.new_optional_interval_var(
                        start, duration, end, present, f"i{j}_{i}_{machine}"))
                    chosen.append((machine, present))
                    literals.append(present)
                model.add_exactly_one(literals)
            for machine, lit in chosen:
                on_machine[machine].append((j, i, lit))
            if i > 0:
                model.add(start >= ends[j][-1])
            starts[j].append(start)
            ends[j].append(end)
            presence[j].append(chosen)
    for machine_intervals in intervals.values():
        model.add_no_overlap(machine_intervals)
    if instance.setups is not None:
        _add_circuits(model, instance, starts, ends, on_machine)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, [job_ends[-1] for job_ends in ends if job_ends])
    model.minimize(makespan)
    return PlainModel(model, starts, ends, presence, makespan)


def _add_circuits(model: cp_model.CpModel, instance: ShopInstance,
                  starts: list[list[cp_model.IntVar]], ends: list[list[cp_model.IntVar]],
                  on_machine: dict[int, list[tuple[int, int, cp_model.IntVar | int]]]) -> None:
    """A circuit per machine with setups between consecutive jobs; shared arcs for permutations."""
    first_arcs: dict[tuple[int, int], cp_model.IntVar] | None = None
    for machine, nodes in on_machine.items():
        arcs: list[tuple[int, int, cp_model.LiteralT]] = []
        by_jobs: dict[tuple[int, int], cp_model.IntVar] = {}
        for a, (j, i, lit) in enumerate(nodes, start=1):
            if not isinstance(lit, int):
                arcs.append((a, a, ~lit))
            arcs.append((0, a, model.new_bool_var(f"first{machine}_{j}")))
            arcs.append((a, 0, model.new_bool_var(f"last{machine}_{j}")))
            for b, (j2, i2, _) in enumerate(nodes, start=1):
                if a == b:
                    continue
                arc = model.new_bool_var(f"a{machine}_{j}_{j2}")
                arcs.append((a, b, arc))
                by_jobs[j, j2] = arc
                gap = instance.setup(machine, j, j2)
                model.add(starts[j2][i2] >= ends[j][i] + gap).only_enforce_if(arc)
        if all(not isinstance(lit, int) for _, _, lit in nodes):
            arcs.append((0, 0, model.new_bool_var(f"empty{machine}")))
        model.add_circuit(arcs)
        if instance.permutation:
            if first_arcs is None:
                first_arcs = by_jobs
            else:
                for key, arc in by_jobs.items():
                    model.add(arc == first_arcs[key])


def solve_plain(instance: ShopInstance, time_limit: float, workers: int, seed: int = 0,
                started_at: float | None = None) -> PlainResult:
    """Build and solve the plain model within ``time_limit`` seconds (building included).

    Parameters
    ----------
    started_at
        ``time.monotonic()`` at which the time limit started (default: now).
    """
    t0 = time.monotonic() if started_at is None else started_at
    plain = build_plain(instance)
    deadline = time.monotonic() + max(0.1, time_limit - (time.monotonic() - t0))
    run = run_stages(plain.model, [("makespan", plain.makespan, 1)],
                     SolverSettings(workers=workers, seed=seed), Stop(deadline))
    if run.values is None:
        return PlainResult(run.status, None, None, None)
    solution: list[list[OpTime]] = []
    for j, job_starts in enumerate(plain.starts):
        ops: list[OpTime] = []
        for i, start in enumerate(job_starts):
            machine = next(k for k, lit in plain.presence[j][i]
                           if isinstance(lit, int) or run.value(lit))
            ops.append((machine, run.value(start), run.value(plain.ends[j][i])))
        solution.append(ops)
    stage = run.stages[-1]
    assert stage.objective is not None
    return PlainResult(run.status, int(stage.objective), stage.bound, solution)
