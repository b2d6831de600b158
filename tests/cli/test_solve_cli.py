"""The command line end to end: every bundled plant solved and validated; bad
input exits 2 and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from prodsched.cli import main
from prodsched.examples import EXAMPLES

INSTANCES = Path(__file__).resolve().parents[2] / "instances"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


WITH_RESOURCES = {"crews"}   # instances with a resources.csv: they also get the resources view


@pytest.mark.parametrize("name", [
    p.name for p in sorted(INSTANCES.iterdir()) if p.is_dir()])
def test_every_instance_solves_and_validates(tmp_path, name):
    out = tmp_path / "out"
    code, stdout, stderr = run("solve", str(INSTANCES / name), "--out", str(out),
                               "--time-limit", "4", "--workers", "2")
    assert code == 0, stderr
    resources_view = {"resources.html", "resources.png"} if name in WITH_RESOURCES else set()
    assert {p.name for p in out.iterdir()} == {"schedule.csv", "orders_report.csv", "kpis.json",
                                               "products_report.csv", *resources_view}
    kpis = json.loads((out / "kpis.json").read_text())
    assert kpis["status"] in ("optimal", "feasible")
    assert kpis["bound"] is None or kpis["bound"] <= kpis["objective"] + 1e-9
    code, stdout, _ = run("validate", str(INSTANCES / name), str(out))
    assert code == 0, stdout
    assert "valid: no violations found" in stdout


def test_example_command_writes_each_bundled_plant(tmp_path):
    code, stdout, _ = run("example", "--list")
    assert code == 0 and all(name in stdout for name in EXAMPLES)
    for name in EXAMPLES:
        code, _, _ = run("example", name, str(tmp_path / name))
        assert code == 0
        for file in (INSTANCES / name).glob("*.csv"):
            assert (tmp_path / name / file.name).read_bytes() == file.read_bytes()
    assert run("example", "nope", str(tmp_path / "x"))[0] == 2


def test_generate_then_solve(tmp_path):
    plant = tmp_path / "gen"
    code, _, stderr = run("generate", str(plant), "--orders", "25", "--machines", "4",
                          "--calendar", "--datetimes", "--seed", "3")
    assert code == 0, stderr
    out = tmp_path / "out"
    code, _, stderr = run("solve", str(plant), "--out", str(out), "--time-limit", "5",
                          "--workers", "2", "--objective", "makespan")
    assert code == 0, stderr
    assert run("validate", str(plant), str(out))[0] == 0
    assert run("generate", str(tmp_path / "bad"), "--families", "0")[0] == 2


def test_bad_plant_exits_2_lists_every_problem_and_writes_nothing(make_plant, tmp_path):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\no1,A,x\no2,Z,3\n",
        "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,-1\n",
    })
    out = tmp_path / "out"
    code, stdout, stderr = run("solve", str(folder), "--out", str(out))
    assert code == 2
    assert f"{folder}/orders.csv:2:3: quantity:" in stderr
    assert f"{folder}/orders.csv:3:2: product:" in stderr
    assert f"{folder}/routings.csv:2:4: time_per_unit:" in stderr
    assert "3 problems" in stderr
    assert "Traceback" not in stderr + stdout
    assert not out.exists()


def test_failed_solve_leaves_earlier_output_untouched(make_plant, tmp_path):
    good = INSTANCES / "tiny"
    out = tmp_path / "out"
    assert run("solve", str(good), "--out", str(out), "--time-limit", "5")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = make_plant({"orders.csv": "order_id,product,quantity\no1,A,1\n",
                      "routings.csv": "product,step,machine\nA,1,M1\n"})
    assert run("solve", str(bad), "--out", str(out))[0] == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_objective_exits_2(tmp_path):
    code, _, stderr = run("solve", str(INSTANCES / "tiny"), "--out", str(tmp_path / "o"),
                          "--objective", "speed")
    assert code == 2 and "unknown criterion 'speed'" in stderr
    assert not (tmp_path / "o").exists()


def test_infeasible_deadline_exits_4(make_plant, tmp_path):
    folder = make_plant({
        "orders.csv": "order_id,product,quantity,deadline\na,P,1,5\nb,P,1,5\n",
        "routings.csv": "product,step,machine,time_per_unit\nP,1,M,4\n",
    })
    code, _, stderr = run("solve", str(folder), "--out", str(tmp_path / "o"),
                          "--time-limit", "5")
    assert code == 4 and "infeasible" in stderr
    assert not (tmp_path / "o").exists()


def test_validate_reports_a_broken_schedule(tmp_path):
    out = tmp_path / "out"
    assert run("solve", str(INSTANCES / "tiny"), "--out", str(out), "--time-limit", "5")[0] == 0
    lines = (out / "schedule.csv").read_text().splitlines()
    run_line = next(i for i, line in enumerate(lines) if ",run," in line)
    fields = lines[run_line].split(",")
    fields[-1] = str(int(fields[-2]) + 0)     # a run of length 0: shorter than its duration
    lines[run_line] = ",".join(fields)
    (out / "schedule.csv").write_text("\n".join(lines) + "\n")
    code, stdout, _ = run("validate", str(INSTANCES / "tiny"), str(out))
    assert code == 1 and "[2 duration]" in stdout


def test_a_plant_no_rule_can_place_exits_3_with_the_reason(make_plant, tmp_path, monkeypatch):
    """Dough mixed only in the first half of every 200 minutes, baked only in the last
    quarter, with 10 minutes it may wait: no rule places it (the timeline gives up
    after 20 rounds here). The command says so and writes nothing."""
    from click.testing import CliRunner

    from prodsched.cli import main
    from prodsched.timeline import steps

    down = "".join(f"MIX,{200 * d + 100},{200 * d + 200}\nOVEN,{200 * d},{200 * d + 150}\n"
                   for d in range(40))
    folder = make_plant({
        "orders.csv": "order_id,product,quantity\no,D,40\n",
        "routings.csv": "product,step,machine,time_per_unit,fixed_time,max_wait\n"
                        "D,1,MIX,1,0,\nD,2,OVEN,1,0,10\n",
        "calendar.csv": "machine,start,end\n" + down,
    })
    monkeypatch.setattr(steps, "MAX_DELAYS", 20)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "5", "--workers", "1"])
    assert result.exit_code == 3, result.output
    assert "max_wait" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
