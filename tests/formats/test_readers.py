"""The benchmark readers: the shared instances parse to the right counts and
values, and bad files name the exact line and column of every problem."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from prodsched.errors import PlantError
from prodsched.formats.fjsp import parse_fjsp, read_fjsp
from prodsched.formats.jssp import parse_jssp, read_jssp
from prodsched.formats.sdst_pfsp import parse_sdst_pfsp, read_sdst_pfsp
from prodsched.plant import Mode, SetupTable
from tests.conftest import SHARED_BENCHMARKS

needs_shared = pytest.mark.skipif(not SHARED_BENCHMARKS.is_dir(),
                                  reason=f"no shared benchmark folder at {SHARED_BENCHMARKS}")


def problems(parse, tmp_path: Path, text: str) -> list[tuple[int | None, int | None, str]]:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(PlantError) as info:
        parse(path)
    assert all(p.file == str(path) for p in info.value.problems)
    return [(p.line, p.column, p.message) for p in info.value.problems]


@needs_shared
def test_ft06_is_six_jobs_on_six_machines_with_its_routes():
    path = SHARED_BENCHMARKS / "jssp" / "instances" / "ft06.txt"
    inst = parse_jssp(path)
    assert (inst.n_jobs, inst.n_machines) == (6, 6)
    assert inst.jobs[0] == (((2, 1),), ((0, 3),), ((1, 6),), ((3, 7),), ((5, 3),), ((4, 6),))
    assert inst.jobs[5][5] == ((2, 1),)
    assert sum(d for job in inst.jobs for ((_, d),) in job) == 197
    plant = read_jssp(path)
    assert [o.order_id for o in plant.orders] == [f"J{j}" for j in range(6)]
    assert list(plant.machines) == [f"M{k}" for k in range(6)]
    assert all(o.quantity == 1 and plant.products[o.product].mode is Mode.ONE_OFF
               for o in plant.orders)
    steps = plant.routings["J1"]
    assert [(s.number, s.options[0].machine, s.options[0].time_per_unit) for s in steps[:2]] == [
        (1, "M1", Fraction(8)), (2, "M2", Fraction(5))]
    assert plant.setup_rules == ()


@needs_shared
def test_mk01_has_machine_alternatives_numbered_from_one():
    path = SHARED_BENCHMARKS / "fjsp" / "instances" / "mk01.fjs"
    inst = parse_fjsp(path)
    assert (inst.n_jobs, inst.n_machines) == (10, 6)
    assert [len(job) for job in inst.jobs] == [6, 5, 5, 5, 6, 6, 5, 5, 6, 6]
    # job 1: operation 1 on machine 1 for 5 or machine 3 for 4 (0-based 0 and 2)
    assert inst.jobs[0][0] == ((0, 5), (2, 4))
    assert inst.jobs[0][1] == ((4, 3), (2, 5), (1, 1))
    plant = read_fjsp(path)
    assert list(plant.machines) == [f"M{k}" for k in range(1, 7)]
    first = plant.routings["J1"][0]
    assert {(o.machine, o.time_per_unit) for o in first.options} == {
        ("M1", Fraction(5)), ("M3", Fraction(4))}


@needs_shared
def test_sdst10_ta001_has_times_and_one_setup_rule_per_positive_setup():
    path = SHARED_BENCHMARKS / "sdst_pfsp" / "instances" / "SDST10_ta001.txt"
    inst = parse_sdst_pfsp(path)
    assert (inst.n_jobs, inst.n_machines, inst.permutation) == (20, 5, True)
    assert [d for ((_, d),) in inst.jobs[0]] == [54, 79, 16, 66, 58]
    assert [d for ((_, d),) in inst.jobs[1]] == [83, 3, 89, 58, 56]
    assert [inst.setup(0, 0, j) for j in range(6)] == [0, 5, 8, 2, 7, 7]
    plant = read_sdst_pfsp(path)
    assert len(plant.setup_rules) == sum(
        1 for k in range(5) for i in range(20) for j in range(20)
        if i != j and inst.setup(k, i, j) > 0)
    table = SetupTable(plant)
    assert table.between("M0", "J0", "J1").time == 5
    assert table.between("M0", "J0", "J3").time == 2
    assert table.between("M4", "J7", "J2").time == inst.setup(4, 7, 2)
    assert table.initial("M0", "J5").time == 0


def test_jssp_too_few_numbers_points_at_the_end_of_the_file(tmp_path):
    found = problems(parse_jssp, tmp_path, "2 2\n0 5 1 3\n1 4 0\n")
    assert found == [(3, 6, "expected the duration of job 1 operation 1, "
                            "found the end of the file")]


def test_jssp_machine_out_of_range_and_negative_duration_are_all_reported(tmp_path):
    found = problems(parse_jssp, tmp_path, "2 2\n0 5  2 3\n1 -4 0 x\n")
    assert found == [
        (2, 6, "the machine of job 0 operation 1 must be >= 0 and <= 1, found 2"),
        (3, 3, "the duration of job 1 operation 0 must be >= 0, found -4"),
        (3, 8, "expected the duration of job 1 operation 1 (a whole number), found 'x'"),
    ]


def test_jssp_values_left_over_are_a_problem(tmp_path):
    found = problems(parse_jssp, tmp_path, "1 1\n0 5\n  7\n")
    assert found == [(3, 3, "unexpected value '7' after the end of the data "
                            "(1 value(s) left over)")]


def test_fjsp_machines_are_checked_against_one_based_range_and_duplicates(tmp_path):
    text = "1\t3\t1.5\n2  2 0 5 3 4  2 2 1 2 7\n"
    found = problems(parse_fjsp, tmp_path, text)
    assert found == [
        (2, 6, "a machine of job 1 operation 1 must be >= 1 and <= 3, found 0"),
        (2, 21, "machine 2 is listed twice for job 1 operation 2"),
    ]


def test_fjsp_reads_the_fractional_third_number_and_rejects_a_word(tmp_path):
    ok = tmp_path / "ok.fjs"
    ok.write_text("1 2 1.5\n1 2 1 3 2 4\n")
    assert parse_fjsp(ok).jobs == ((((0, 3), (1, 4)),),)
    found = problems(parse_fjsp, tmp_path, "1 2 many\n")
    assert found == [(1, 5, "expected the mean number of machines per operation (a number), "
                            "found 'many'")]


def test_sdst_negative_setup_is_reported_where_it_is(tmp_path):
    text = "2\n1\n5\n6\n0 3\n-2 0\n"
    found = problems(parse_sdst_pfsp, tmp_path, text)
    assert found == [(6, 1, "the setup on machine 0 from job 1 to job 0 must be >= 0, "
                            "found -2")]


def test_unreadable_file_is_a_plant_error(tmp_path):
    with pytest.raises(PlantError) as info:
        parse_jssp(tmp_path / "missing.txt")
    assert "cannot read the file" in str(info.value)
