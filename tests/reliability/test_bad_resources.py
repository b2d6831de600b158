"""Bad shared-resource input through the real command line (issue 21, item 5).

A resource named in a ``resources`` cell but not defined, or a capacity that is
not a whole number >= 1, is bad input: exit 2, the problem at its file, line and
column, nothing written. A row that holds more of a resource than exists makes
the plant infeasible: exit 4, naming the routing rows and setup rules, nothing
written. The same through ``compare-resources``.
"""

from __future__ import annotations

import pytest

from tests.reliability.conftest import BASE, cli, write_files
from tests.reliability.test_bad_input import check_bad_input

ROUTINGS = ("product,step,machine,time_per_unit,fixed_time,resources\n"
            "A,1,M1|M2,2,5,operator\nA,2,M3,1,0,\nB,1,M1,3,0,operator:2\n")
SETUPS = "machine,from,to,time,cost,resources\n*,*,*,5,1,setup_crew\nM1,fa,fb,10,2,\n"
RESOURCES = "resource,capacity\noperator,2\nsetup_crew,1\n"
GOOD = {**BASE, "routings.csv": ROUTINGS, "setups.csv": SETUPS, "resources.csv": RESOURCES}

CASES = [
    pytest.param({"routings.csv": ROUTINGS.replace("operator:2", "operator:2;mould_7")},
                 ["routings.csv:4:6: resources: unknown resource 'mould_7' (resources.csv has "
                  "no such resource)"], id="routing names an undefined resource"),
    pytest.param({"setups.csv": SETUPS.replace("setup_crew", "crew")},
                 ["setups.csv:2:6: resources: unknown resource 'crew' (resources.csv has no "
                  "such resource)"], id="setup rule names an undefined resource"),
    pytest.param({"resources.csv": None},
                 ["routings.csv:2:6: resources: unknown resource 'operator' (there is no "
                  "resources.csv)",
                  "setups.csv:2:6: resources: unknown resource 'setup_crew' (there is no "
                  "resources.csv)"], id="no resources.csv"),
    pytest.param({"resources.csv": "resource,capacity\noperator,0\nsetup_crew,1\n"},
                 ["resources.csv:2:2: capacity: '0' is not a whole number >= 1"],
                 id="capacity 0"),
    pytest.param({"resources.csv": "resource,capacity\noperator,2\nsetup_crew,1.5\n"},
                 ["resources.csv:3:2: capacity: '1.5' is not a whole number"],
                 id="fractional capacity"),
    pytest.param({"resources.csv": "resource,capacity\noperator,-2\nsetup_crew,1\n"},
                 ["resources.csv:2:2: capacity: '-2'"], id="negative capacity"),
    pytest.param({"resources.csv": "resource,capacity\noperator,two\nsetup_crew,1\n"},
                 ["resources.csv:2:2: capacity: 'two' is not a number"], id="capacity text"),
    pytest.param({"resources.csv": "resource,capacity\noperator,2\noperator,3\nsetup_crew,1\n"},
                 ["resources.csv:3:1: resource: duplicate resource 'operator' (first on "
                  "line 2)"], id="resource defined twice"),
    pytest.param({"routings.csv": ROUTINGS.replace("operator:2", "operator:0")},
                 ["routings.csv:4:6: resources: the amount '0' of resource 'operator' is not a "
                  "whole number >= 1"], id="amount 0"),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_bad_resources_exit_2_and_write_nothing(tmp_path, changes, expected):
    folder = write_files(tmp_path / "plant", {**GOOD, **changes})
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "5")
    check_bad_input(run, folder, out, [f"{folder}/{text}" for text in expected])


def test_compare_resources_reports_bad_resources_the_same_way(tmp_path):
    folder = write_files(tmp_path / "plant", {**GOOD, "setups.csv": SETUPS.replace(
        "setup_crew", "crew")})
    out = tmp_path / "out"
    run = cli("compare-resources", str(folder), "--resource", "setup_crew", "--capacity", "1,2",
              "--out", str(out))
    check_bad_input(run, folder, out, [f"{folder}/setups.csv:2:6: resources: unknown resource "
                                       "'crew' (resources.csv has no such resource)"])


def test_an_amount_above_capacity_is_infeasible_exit_4_naming_the_rows(tmp_path):
    folder = write_files(tmp_path / "plant", {
        **GOOD, "resources.csv": "resource,capacity\noperator,1\nsetup_crew,1\n"})
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "5")
    assert run.code == 4, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert ("o2: resource: the routing row of B step 1 on M1 holds 2 of operator (capacity 1): "
            "no run can use it") in text
    assert "Nothing was written" in text
    assert "Traceback" not in text
    assert not out.exists()


def test_a_setup_rule_above_capacity_is_infeasible_too(tmp_path):
    folder = write_files(tmp_path / "plant", {
        **GOOD, "setups.csv": SETUPS.replace("setup_crew", "setup_crew:2")})
    out = tmp_path / "out"
    run = cli("solve", str(folder), "--out", str(out), "--time-limit", "5")
    assert run.code == 4, run.stdout + run.stderr
    assert ("plant: resource: the setup rule machine *, from *, to * holds 2 of setup_crew "
            "(capacity 1): no changeover can use it") in run.stdout + run.stderr
    assert not out.exists()


def test_compare_resources_at_a_capacity_below_an_amount_says_no_schedule(tmp_path):
    """Capacity 1 of operator is infeasible (B needs 2): its row says why, exit 0."""
    folder = write_files(tmp_path / "plant", {**GOOD, "routings.csv": ROUTINGS.replace(
        "M1|M2", "M1")})
    run = cli("compare-resources", str(folder), "--resource", "operator", "--capacity", "1",
              "--time-limit", "5", "--workers", "1")
    assert run.code == 0, run.stderr
    assert "capacity 1: no schedule:" in run.stdout
    assert "holds 2 of operator (capacity 1)" in run.stdout
