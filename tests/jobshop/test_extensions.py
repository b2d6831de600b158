"""One job order on every machine: the permutation extension reaches exactly
the best permutation (found by enumeration), which is worse than the best
schedule without it on this instance."""

from __future__ import annotations

import itertools

import pytest

from prodsched.bench.check import check_solution
from prodsched.bench.run import solution_of_schedule
from prodsched.cpsat_runner import SolverSettings
from prodsched.formats.sdst_pfsp import parse_sdst_pfsp, read_sdst_pfsp
from prodsched.jobshop.extensions import same_job_order
from prodsched.objective import parse_objective
from prodsched.pipeline import SolveRequest, solve_request
from prodsched.plant import Machine, Mode, Order, Plant, Product, RoutingOption, Step
from tests.conftest import assert_valid
from tests.formats.sdst_tiny import brute_force_makespan, sdst_text


def solve(plant, extensions):
    request = SolveRequest(objective=parse_objective("makespan"), time_limit=20,
                           extensions=extensions, settings=SolverSettings(workers=2))
    schedule = solve_request(plant, request)
    assert_valid(schedule)
    return schedule


def test_permutation_optimum_matches_enumeration_of_all_orders(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(sdst_text(seed=0))
    inst = parse_sdst_pfsp(path)
    p = [[d for ((_, d),) in job] for job in inst.jobs]
    setups = [[list(row) for row in block] for block in inst.setups or ()]
    best = min(brute_force_makespan(p, setups, list(perm))
               for perm in itertools.permutations(range(inst.n_jobs)))
    plant = read_sdst_pfsp(path)

    with_order = solve(plant, [same_job_order])
    assert (with_order.status, with_order.kpis.makespan) == ("optimal", best)
    assert check_solution(inst, solution_of_schedule(inst, with_order)) == []

    free = solve(plant, [])
    assert free.status == "optimal" and free.kpis.makespan < best
    assert any("runs the jobs in the order" in v
               for v in check_solution(inst, solution_of_schedule(inst, free)))


def test_a_choice_of_machines_is_refused():
    plant = Plant(
        orders=(Order("a", "A", 1), Order("b", "B", 1)),
        products={"A": Product("A", "A", Mode.ONE_OFF), "B": Product("B", "B", Mode.ONE_OFF)},
        routings={"A": (Step(1, (RoutingOption("M1", 2), RoutingOption("M2", 3))),),
                  "B": (Step(1, (RoutingOption("M1", 2),)),)},
        machines={"M1": Machine("M1"), "M2": Machine("M2")})
    with pytest.raises(ValueError, match="several machines"):
        solve(plant, [same_job_order])
