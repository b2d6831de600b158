"""``prodsched compare-resources``: one table of the plant at several capacities of one
resource; bad input exits 2 and writes nothing; the bundled ``crews`` plant solved
with its resources."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import prodsched
from prodsched.cli import main
from prodsched.cpsat_runner import SolverSettings
from prodsched.errors import UsageError
from prodsched.resources_compare import (
    COLUMNS,
    compare_resources,
    parse_capacities,
    with_capacity,
)
from prodsched.validate import validate_dir
from tests.conftest import assert_valid

INSTANCES = Path(__file__).resolve().parents[2] / "instances"

# One press and one crew: setups and runs never overlap on one machine, so any valid
# job-shop schedule keeps within every capacity (a plant main's solver gets right today).
ONE_PRESS = {
    "orders.csv": "order_id,product,quantity,due\na,A,5,20\nb,B,4,30\nc,A,3,60\n",
    "products.csv": "product,family,mode\nA,X,one-off\nB,Y,one-off\n",
    "routings.csv": "product,step,machine,time_per_unit,resources\nA,1,P1,2,operator\n"
                    "B,1,P1,3,operator\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,6,0,setup_crew\n",
    "resources.csv": "resource,capacity\nsetup_crew,1\noperator,2\n",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_capacities():
    assert parse_capacities("1,2,3") == (1, 2, 3)
    assert parse_capacities(" 3, 1 ,3") == (3, 1)
    for bad in ("0", "1,x", "1.5", "", "1,,2", "-1"):
        with pytest.raises(UsageError, match="is not a whole number >= 1"):
            parse_capacities(bad)


def test_with_capacity_changes_that_resource_only(make_plant):
    plant = prodsched.load_plant(make_plant(ONE_PRESS))
    two = with_capacity(plant, "setup_crew", 2)
    assert {n: r.capacity for n, r in two.resources.items()} == {"setup_crew": 2, "operator": 2}
    assert plant.resources["setup_crew"].capacity == 1
    with pytest.raises(UsageError, match="no resource 'crew'; its resources are setup_crew, "
                                         "operator"):
        with_capacity(plant, "crew", 2)


def test_one_row_per_capacity(make_plant, tmp_path):
    folder = make_plant(ONE_PRESS)
    out = tmp_path / "cmp"
    code, stdout, stderr = run("compare-resources", str(folder), "--resource", "setup_crew",
                               "--capacity", "1,2", "--time-limit", "5", "--workers", "1",
                               "--out", str(out))
    assert code == 0, stderr
    header = stdout.splitlines()[1].split()
    assert header == list(COLUMNS)
    rows = list(csv.DictReader(io.StringIO((out / "compare_resources.csv").read_text())))
    assert [r["capacity"] for r in rows] == ["1", "2"]
    assert all(r["status"] in ("optimal", "feasible") for r in rows)
    # the same schedule (one press): the crew's utilisation halves with twice the crew
    assert float(rows[0]["utilization"]) == pytest.approx(2 * float(rows[1]["utilization"]),
                                                          abs=1e-3)
    assert rows[0]["peak"] == rows[1]["peak"] == "1"
    plant = prodsched.load_plant(folder)
    for capacity in (1, 2):
        folder_out = out / f"setup_crew-{capacity}"
        assert (folder_out / "resources.html").is_file()
        assert validate_dir(with_capacity(plant, "setup_crew", capacity), folder_out) == []
        kpis = json.loads((folder_out / "kpis.json").read_text())
        assert kpis["resources"]["setup_crew"]["capacity"] == capacity


@pytest.mark.parametrize(("args", "message"), [
    (("--resource", "crew", "--capacity", "1,2"),
     "prodsched: the plant has no resource 'crew'; its resources are setup_crew, operator; "
     "nothing was written"),
    (("--resource", "setup_crew", "--capacity", "1,two"),
     "prodsched: --capacity: 'two' is not a whole number >= 1 (write e.g. 1,2,3)"),
    (("--resource", "setup_crew", "--capacity", "0"),
     "prodsched: --capacity: '0' is not a whole number >= 1 (write e.g. 1,2,3)"),
    (("--resource", "setup_crew", "--capacity", "1", "--objective", "speed"), "speed"),
])
def test_bad_input_exits_2_and_writes_nothing(make_plant, tmp_path, args, message):
    folder = make_plant(ONE_PRESS)
    out = tmp_path / "cmp"
    code, stdout, stderr = run("compare-resources", str(folder), *args, "--out", str(out))
    assert code == 2, stdout + stderr
    assert message in stderr
    assert not out.exists()


def test_a_plant_without_resources_names_none(tmp_path):
    code, _, stderr = run("compare-resources", str(INSTANCES / "tiny"), "--resource",
                          "setup_crew", "--capacity", "1")
    assert code == 2
    assert "no resource 'setup_crew'; its resources are none (the plant has no " \
           "resources.csv)" in stderr


def test_crews_solves_and_its_crew_is_never_double_booked():
    plant = prodsched.load_plant(INSTANCES / "crews")
    schedule = prodsched.solve(plant, time_limit=4, workers=2)
    assert_valid(schedule)
    crew = schedule.resources["setup_crew"]
    assert crew.peak == 1 and crew.setups == schedule.kpis.setup_count
    assert schedule.resources["operator"].peak <= 3


def test_crews_compared_at_one_and_three_crews():
    plant = prodsched.load_plant(INSTANCES / "crews")
    one, three = compare_resources(plant, "setup_crew", (1, 3), time_limit=4,
                                   settings=SolverSettings(workers=2))
    assert one.schedule is not None and three.schedule is not None
    assert_valid(one.schedule)
    assert_valid(three.schedule)
    assert one.row()["utilization"] > three.row()["utilization"]


def test_more_of_a_resource_never_shows_a_worse_objective():
    plant = prodsched.load_plant(INSTANCES / "crews")
    results = compare_resources(plant, "setup_crew", (3, 1, 2), time_limit=3,
                                settings=SolverSettings(workers=2))
    assert [r.capacity for r in results] == [3, 1, 2]  # in the order asked for
    by_capacity = {r.capacity: r.schedule for r in results}
    for schedule in by_capacity.values():
        assert schedule is not None
        assert_valid(schedule)
    objective = {c: s.info.objective for c, s in by_capacity.items() if s is not None}
    assert objective[3] <= objective[2] <= objective[1]
    # each solve started from the schedules of the smaller capacities
    tried = {c: set(s.info.dispatch.objectives)
             for c, s in by_capacity.items() if s is not None}
    assert "setup_crew-1" not in tried[1]
    assert {"setup_crew-1"} <= tried[2] and {"setup_crew-1", "setup_crew-2"} <= tried[3]


def test_solve_writes_the_resources_view_with_the_other_files(make_plant, tmp_path):
    folder = make_plant(ONE_PRESS)
    out = tmp_path / "out"
    code, _, stderr = run("solve", str(folder), "--out", str(out), "--time-limit", "5",
                               "--workers", "1")
    assert code == 0, stderr
    assert {p.name for p in out.iterdir()} == {
        "schedule.csv", "orders_report.csv", "kpis.json", "products_report.csv",
        "resources.html", "resources.png"}
    kpis = json.loads((out / "kpis.json").read_text())
    assert set(kpis["resources"]) == {"setup_crew", "operator"}
    assert kpis["resources"]["operator"]["peak"] == 1
    assert run("validate", str(folder), str(out))[0] == 0
    assert "run of lot" in (out / "resources.html").read_text()


def test_the_resources_view_gets_its_share_of_the_time_limit():
    from prodsched.cli.anytime import extra_names
    from prodsched.cli.solve import output_reserve

    assert output_reserve(30, gantt=False, xlsx=False, parquet=False, resources=True) == 0.5
    assert output_reserve(30, gantt=True, xlsx=False, parquet=False, resources=True) == 2.0
    assert extra_names(gantt=False, xlsx=False, parquet=False, resources=True) == [
        "resources.html", "resources.png"]
