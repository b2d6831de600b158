"""The independent feasibility check accepts solver solutions and catches every
kind of broken one."""

from __future__ import annotations

import pytest

from prodsched.bench.check import check_solution, makespan_of
from prodsched.bench.plain import solve_plain
from prodsched.formats.fjsp import parse_fjsp
from prodsched.formats.jssp import parse_jssp
from prodsched.formats.sdst_pfsp import parse_sdst_pfsp
from tests.formats.sdst_tiny import sdst_text

JSSP = "3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n"
FJSP = "2 2 1.5\n2 2 1 3 2 5 1 2 2\n1 1 1 4\n"


@pytest.fixture
def jssp(tmp_path):
    path = tmp_path / "js.txt"
    path.write_text(JSSP)
    inst = parse_jssp(path)
    result = solve_plain(inst, 10, 2)
    assert result.status == "optimal" and result.solution is not None
    return inst, result.solution, result.objective


def mutate(solution, job, op, machine=None, start=None, end=None):
    out = [list(ops) for ops in solution]
    m, s, e = out[job][op]
    out[job][op] = (m if machine is None else machine, s if start is None else start,
                    e if end is None else end)
    return out


def test_solver_solution_passes(jssp):
    inst, solution, objective = jssp
    assert check_solution(inst, solution, objective) == []
    assert makespan_of(solution) == objective


def test_wrong_duration_machine_precedence_overlap_and_makespan_are_caught(jssp):
    inst, solution, objective = jssp
    m, s, e = solution[0][0]
    assert any("lasts" in v for v in check_solution(inst, mutate(solution, 0, 0, end=e + 1)))
    assert any("not eligible" in v
               for v in check_solution(inst, mutate(solution, 0, 0, machine=(m + 1) % 3)))
    _, s1, e1 = solution[0][1]
    early = mutate(solution, 0, 1, start=s - 1, end=s - 1 + (e1 - s1))
    assert any("before operation 0 ends" in v for v in check_solution(inst, early))
    negative = mutate(solution, 0, 0, start=-1, end=e - s - 1)
    assert any("before time 0" in v for v in check_solution(inst, negative))
    # job 1's first operation also runs on machine 0: move it onto job 0's first run
    _, s2, e2 = solution[1][0]
    clash = mutate(solution, 1, 0, start=s, end=s + (e2 - s2))
    assert any("machine 0" in v and "before job" in v for v in check_solution(inst, clash))
    assert any("reported makespan" in v for v in check_solution(inst, solution, objective - 1))
    assert check_solution(inst, solution[:2])[0].startswith("2 jobs")
    assert "operations" in check_solution(inst, [solution[0][:2], *solution[1:]])[0]


def test_flexible_operation_may_use_any_eligible_machine_with_its_duration(tmp_path):
    path = tmp_path / "f.fjs"
    path.write_text(FJSP)
    inst = parse_fjsp(path)
    ok = [[(0, 0, 3), (1, 3, 5)], [(0, 3, 7)]]
    assert check_solution(inst, ok) == []
    slow = [[(1, 0, 3), (1, 3, 5)], [(0, 3, 7)]]   # machine 2 takes 5 for that operation
    assert any("needs 5" in v for v in check_solution(inst, slow))


def test_setups_and_one_job_order_are_checked(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("2\n2\n3 2\n1 4\n0 5\n6 0\n0 2\n1 0\n")
    inst = parse_sdst_pfsp(path)
    # order J0, J1: M0 J0 [0,3), setup 5 → J1 [8,9); M1 J0 [3,5), setup 2 → J1 [9,13)
    ok = [[(0, 0, 3), (1, 3, 5)], [(0, 8, 9), (1, 9, 13)]]
    assert check_solution(inst, ok, 13) == []
    no_setup = [[(0, 0, 3), (1, 3, 5)], [(0, 7, 8), (1, 8, 12)]]
    assert any("with the setup of 5" in v for v in check_solution(inst, no_setup))
    # J1 first on M0 (setup 6 before J0) but second on M1 (setup 2 after J0)
    crossed = [[(0, 7, 10), (1, 10, 12)], [(0, 0, 1), (1, 14, 18)]]
    assert check_solution(inst, crossed) == [
        "machine 1 runs the jobs in the order [0, 1], not [1, 0] as the first machine"]


def test_plain_model_keeps_one_order_on_every_machine(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(sdst_text(seed=0))
    inst = parse_sdst_pfsp(path)
    result = solve_plain(inst, 20, 2)
    assert result.status == "optimal" and result.solution is not None
    assert check_solution(inst, result.solution, result.objective) == []
    assert result.objective == 130   # the best permutation (enumerated in tests/jobshop)
