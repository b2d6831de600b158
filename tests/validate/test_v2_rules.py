"""The validator on spec v2 rules: runs that pause, max_wait, shared resources,
fixed rows and ``now``. A valid schedule is worked out by hand for each plant;
each mutation breaks one thing and the test asserts exactly which rules are
reported, on which lines.
"""

from __future__ import annotations

import pytest

from prodsched.plant.load import load_plant
from prodsched.validate import validate_texts

# ---------------------------------------------------------------------------
# Plant V (numbers). A and B are batch products of one lot each (a: 6 A,
# b: 4 B). A step 1 on M1 may pause and holds an operator; A step 2 on M2
# waits at most 3 after step 1 and holds an operator; B step 1 on M1 holds an
# operator; B step 2 on M2. Any changeover takes 2 and holds the setup crew;
# on M2, A -> B has a rule of its own without the crew (unless left out).
# op and crew: capacity 1 each. M1 is unavailable in [10, 15).
# ---------------------------------------------------------------------------
V = {
    "orders.csv": "order_id,product,quantity\na,A,6\nb,B,4\n",
    "products.csv": "product,mode\nA,batch\nB,batch\n",
    "routings.csv": "product,step,machine,time_per_unit,can_pause,resources,max_wait\n"
                    "A,1,M1,1,yes,op,\nA,2,M2,1,no,op,3\nB,1,M1,1,,op,\nB,2,M2,1,,,\n",
    "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,crew\nM2,A,B,2,0,\n",
    "resources.csv": "resource,capacity\nop,1\ncrew,1\n",
    "calendar.csv": "machine,start,end\nM1,10,15\n",
}
HEADER = "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
# M1: A#1 step 1 [5, 16) works 5 + 1 = 6 around the down row [10, 15) inside it;
#     setup to B [30, 32) (crew); B#1 step 1 [32, 36) (op).
# M2: A#1 step 2 [17, 23), 1 after step 1 (max_wait 3; op after step 1 released
#     it); setup A -> B [28, 30), not adjacent to its run (no crew: M2,A,B);
#     B#1 step 2 [38, 42).
ROWS = {
    "a1": "M1,run,A#1,A,batch,1,6,a:6,5,16",
    "down": "M1,down,,,,,,,10,15",
    "s1": "M1,setup,B#1,B,,,,,30,32",
    "b1": "M1,run,B#1,B,batch,1,4,b:4,32,36",
    "a2": "M2,run,A#1,A,batch,2,6,a:6,17,23",
    "s2": "M2,setup,B#1,B,,,,,28,30",
    "b2": "M2,run,B#1,B,batch,2,4,b:4,38,42",
}


def schedule(**changes: str | None) -> str:
    """schedule.csv of plant V with some rows replaced (or left out with None),
    sorted by machine then start as the file is."""
    rows = {**ROWS, **changes}
    lines = [r for r in rows.values() if r is not None]
    lines.sort(key=lambda r: (r.split(",")[0], int(r.split(",")[8]), int(r.split(",")[9])))
    return HEADER + "".join(line + "\n" for line in lines)


def line_of(text: str, row: str) -> int:
    return text.splitlines().index(row) + 1


def found(files: dict[str, str], text: str,
          make_plant) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    plant = load_plant(make_plant(files))
    return sorted(((v.rule, v.line) for v in validate_texts(plant, text)),
                  key=lambda x: (x[0], x[1] or 0))


def test_the_hand_made_schedule_is_valid(make_plant):
    plant = load_plant(make_plant(V))
    assert validate_texts(plant, schedule()) == []


def test_a_pausing_run_must_work_its_duration_outside_unavailable_time(make_plant):
    text = schedule(a1="M1,run,A#1,A,batch,1,6,a:6,6,16")
    plant = load_plant(make_plant(V))
    (v,) = validate_texts(plant, text)
    assert (v.rule, v.line) == ("2 duration", line_of(text, "M1,run,A#1,A,batch,1,6,a:6,6,16"))
    assert v.message == ("lot A#1 step 1 on M1 [6, 16) works 5 (5 of its 10 are unavailable "
                         "time); 6 units need 6")


@pytest.mark.parametrize(("a1", "a2", "where", "down_overlaps"), [
    ("M1,run,A#1,A,batch,1,6,a:6,14,21", "M2,run,A#1,A,batch,2,6,a:6,22,28", "starts", True),
    ("M1,run,A#1,A,batch,1,6,a:6,4,12", "M2,run,A#1,A,batch,2,6,a:6,14,20", "ends", True),
    ("M1,run,A#1,A,batch,1,6,a:6,3,15", "M2,run,A#1,A,batch,2,6,a:6,17,23", "ends", False),
])
def test_a_pausing_run_neither_starts_nor_ends_inside_unavailable_time(make_plant, a1, a2,
                                                                        where, down_overlaps):
    text = schedule(a1=a1, a2=a2)
    plant = load_plant(make_plant(V))
    violations = validate_texts(plant, text)
    pause = [v for v in violations if v.rule == "2 pause"]
    assert [v.line for v in pause] == [line_of(text, a1)]
    assert f" {where} inside the unavailable period [10, 15) of M1" in pause[0].message
    # a down row only partly inside the run is an overlap too (rule 3's exception is
    # for down rows inside the run); one wholly inside it is not
    overlaps = [v for v in violations if v.rule == "3 overlap"]
    assert len(overlaps) == down_overlaps and len(violations) == 1 + down_overlaps
    if down_overlaps:
        assert "run A#1" in overlaps[0].message and "down" in overlaps[0].message


def test_a_pausing_run_may_end_as_the_unavailable_time_begins(make_plant):
    # [4, 10): 6 units of work, then M1 is down; step 2 within its max_wait
    text = schedule(a1="M1,run,A#1,A,batch,1,6,a:6,4,10",
                    a2="M2,run,A#1,A,batch,2,6,a:6,12,18")
    assert found(V, text, make_plant) == []


def test_only_down_rows_may_lie_inside_a_pausing_run(make_plant):
    # a setup inside the pause overlaps the run and the downtime, and is not
    # between the previous run and its own
    setup = "M1,setup,B#1,B,,,,,11,13"
    text = schedule(s1=setup)
    assert found(V, text, make_plant) == [
        ("3 overlap", line_of(text, setup)), ("4 setup", line_of(text, ROWS["b1"])),
        ("calendar", line_of(text, setup))]


def test_a_run_that_cannot_pause_never_spans_unavailable_time(make_plant):
    files = {**V, "routings.csv": V["routings.csv"].replace("A,1,M1,1,yes", "A,1,M1,1,no")}
    text = schedule()
    # the run lasts 11 >= 6, so rule 2 holds; the overlap and the calendar do not
    assert found(files, text, make_plant) == [("3 overlap", line_of(text, ROWS["down"])),
                                              ("calendar", line_of(text, ROWS["a1"]))]


def test_max_wait_between_steps(make_plant):
    late = "M2,run,A#1,A,batch,2,6,a:6,20,26"
    text = schedule(a2=late)
    plant = load_plant(make_plant(V))
    (v,) = validate_texts(plant, text)
    assert (v.rule, v.line) == ("5 max_wait", line_of(text, late))
    assert v.message == ("lot A#1: step 2 [20, 26) starts 4 after step 1 ends at 16; the "
                         "max_wait of A step 2 on M2 is 3")
    assert found(V, schedule(a2="M2,run,A#1,A,batch,2,6,a:6,19,25"), make_plant) == []


def test_a_run_holds_its_routing_rows_resources(make_plant):
    # B step 1 moved to [18, 22) holds the operator while A step 2 [17, 23) does
    b1 = "M1,run,B#1,B,batch,1,4,b:4,18,22"
    text = schedule(s1="M1,setup,B#1,B,,,,,16,18", b1=b1)
    plant = load_plant(make_plant(V))
    (v,) = validate_texts(plant, text)
    assert (v.rule, v.line) == ("10 resource", line_of(text, b1))
    assert v.message == (
        f"resource op (capacity 1) is held 2 at 18 by run of lot B#1 step 1 on M1 (line "
        f"{line_of(text, b1)}, 1), run of lot A#1 step 2 on M2 (line "
        f"{line_of(text, ROWS['a2'])}, 1)")


def test_a_setup_holds_the_resources_of_the_rule_between_its_two_runs(make_plant):
    # M2's setup moved to [31, 33) overlaps M1's [30, 32): M1's rule (*,*,*) holds
    # the crew, M2's (M2,A,B) does not, so the crew is held once
    text = schedule(s2="M2,setup,B#1,B,,,,,31,33")
    assert found(V, text, make_plant) == []
    # without the rule of its own, M2's setup holds the crew too
    files = {**V, "setups.csv": "machine,from,to,time,cost,resources\n*,*,*,2,0,crew\n"}
    plant = load_plant(make_plant(files))
    (v,) = validate_texts(plant, text)
    assert (v.rule, v.line) == ("10 resource", line_of(text, "M2,setup,B#1,B,,,,,31,33"))
    assert v.message == (
        f"resource crew (capacity 1) is held 2 at 31 by setup of lot B#1 on M1 (line "
        f"{line_of(text, ROWS['s1'])}, 1), setup of lot B#1 on M2 (line "
        f"{line_of(text, 'M2,setup,B#1,B,,,,,31,33')}, 1)")
    # touching is not overlapping: one releases the crew as the other takes it
    assert found(files, schedule(s2="M2,setup,B#1,B,,,,,32,34"), make_plant) == []


def test_amounts_add_up_to_the_capacity(make_plant):
    files = {**V, "resources.csv": "resource,capacity\nop,3\ncrew,1\n",
             "routings.csv": V["routings.csv"].replace("A,2,M2,1,no,op,3", "A,2,M2,1,no,op:2,3")}
    b1 = "M1,run,B#1,B,batch,1,4,b:4,18,22"
    text = schedule(s1="M1,setup,B#1,B,,,,,16,18", b1=b1)
    assert found(files, text, make_plant) == []          # 1 + 2 = 3
    files["resources.csv"] = "resource,capacity\nop,2\ncrew,1\n"
    assert found(files, text, make_plant) == [("10 resource", line_of(text, b1))]


# ---------------------------------------------------------------------------
# Plant F (numbers): product A, lots L1 (a: 4) and L2 (b: 2), step 1 on M1,
# step 2 on M2, 1 per unit; any changeover takes 1. fixed.csv keeps L1's
# setup [0, 1) and step 1 [1, 5) on M1; now is 5.
# ---------------------------------------------------------------------------
F = {
    "orders.csv": "order_id,product,quantity\na,A,4\nb,A,2\n",
    "products.csv": "product,mode\nA,batch\n",
    "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,1\nA,2,M2,1\n",
    "setups.csv": "machine,from,to,time\n*,*,*,1\n",
    "fixed.csv": HEADER + "M1,setup,L1,A,,,,,0,1\nM1,run,L1,A,batch,1,4,a:4,1,5\n",
    "plant.csv": "now\n5\n",
}
F_SCHEDULE = HEADER + """\
M1,setup,L1,A,,,,,0,1
M1,run,L1,A,batch,1,4,a:4,1,5
M1,run,L2,A,batch,1,2,b:2,5,7
M2,run,L1,A,batch,2,4,a:4,5,9
M2,run,L2,A,batch,2,2,b:2,9,11
"""


def test_fixed_rows_kept_and_new_work_from_now_is_valid(make_plant):
    assert found(F, F_SCHEDULE, make_plant) == []
    # allocations may be written in another order, the row is still the same
    files = {**F, "orders.csv": "order_id,product,quantity\na,A,3\nc,A,1\nb,A,2\n",
             "fixed.csv": F["fixed.csv"].replace("a:4", "a:3;c:1")}
    text = F_SCHEDULE.replace("a:4", "c:1;a:3")
    assert found(files, text, make_plant) == []


def test_a_moved_fixed_run_is_reported(make_plant):
    text = F_SCHEDULE.replace("M1,run,L1,A,batch,1,4,a:4,1,5", "M1,run,L1,A,batch,1,4,a:4,1,6") \
        .replace("M1,run,L2,A,batch,1,2,b:2,5,7", "M1,run,L2,A,batch,1,2,b:2,6,8") \
        .replace("M2,run,L1,A,batch,2,4,a:4,5,9", "M2,run,L1,A,batch,2,4,a:4,6,10") \
        .replace("M2,run,L2,A,batch,2,2,b:2,9,11", "M2,run,L2,A,batch,2,2,b:2,10,12")
    plant = load_plant(make_plant(F))
    violations = validate_texts(plant, text)
    assert [(v.rule, v.line) for v in violations] == [("11 fixed", None), ("11 now", 3)]
    assert violations[0].message == (
        "the fixed run of lot L1 step 1 on M1 [1, 5) (fixed.csv line 3) is not kept "
        "unchanged; schedule.csv has it on M1 [1, 6) at line 3")
    assert violations[1].message == ("run of lot L1 on M1 starts at 1, before now (5), and "
                                     "is not in fixed.csv")


def test_a_dropped_fixed_setup_is_reported(make_plant):
    text = F_SCHEDULE.replace("M1,setup,L1,A,,,,,0,1\n", "")
    (v,) = validate_texts(load_plant(make_plant(F)), text)
    assert (v.rule, v.line) == ("11 fixed", None)
    assert v.message == ("the fixed setup of lot L1 on M1 [0, 1) (fixed.csv line 2) is not "
                         "kept unchanged; schedule.csv has no such row")


def test_new_runs_and_setups_start_no_earlier_than_now(make_plant):
    moved = "M1,run,L2,A,batch,1,2,b:2,4,6"
    text = F_SCHEDULE.replace("M1,run,L2,A,batch,1,2,b:2,5,7", moved)
    # [4, 6) overlaps the fixed run [1, 5) too
    assert found(F, text, make_plant) == [("11 now", line_of(text, moved)),
                                          ("3 overlap", line_of(text, moved))]
    files = {**F, "plant.csv": "now\n6\n"}
    text = F_SCHEDULE.replace("M1,run,L2,A,batch,1,2,b:2,5,7", "M1,setup,L2,A,,,,,5,6\n"
                              "M1,run,L2,A,batch,1,2,b:2,6,8") \
        .replace("M2,run,L1,A,batch,2,4,a:4,5,9", "M2,run,L1,A,batch,2,4,a:4,6,10") \
        .replace("M2,run,L2,A,batch,2,2,b:2,9,11", "M2,run,L2,A,batch,2,2,b:2,10,12")
    plant = load_plant(make_plant(files))
    (v,) = validate_texts(plant, text)
    assert (v.rule, v.line) == ("11 now", line_of(text, "M1,setup,L2,A,,,,,5,6"))
    assert v.message == ("setup of lot L2 on M1 starts at 5, before now (6), and is not in "
                         "fixed.csv")


F_REPORT = ("order_id,product,quantity,due,completion,tardiness,lots\n"
            "a,A,4,,9,0,L1\nb,A,2,,11,0,L2\n")
F_KPIS = ('{"status": "feasible", "objective": 0, "bound": 0, "makespan": 11, '
          '"total_setup_time": 1, "setup_count": 1, "total_setup_cost": 0, '
          '"total_tardiness": 0, "weighted_tardiness": 0, "late_orders": 0, '
          '"on_time_rate": 1.0, "solve_seconds": 0.1, "utilization": {"M1": 0.6, "M2": 0.5}}')


def test_validate_command_on_a_replanned_schedule(make_plant, tmp_path):
    from click.testing import CliRunner

    from prodsched.cli import main

    folder = make_plant(F)
    out = tmp_path / "out"
    out.mkdir()
    (out / "orders_report.csv").write_text(F_REPORT, encoding="utf-8")
    (out / "kpis.json").write_text(F_KPIS, encoding="utf-8")
    (out / "schedule.csv").write_text(F_SCHEDULE, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder), str(out)])
    assert result.exit_code == 0, result.output
    assert "valid: no violations found" in result.output
    (out / "schedule.csv").write_text(F_SCHEDULE.replace("M1,setup,L1,A,,,,,0,1\n", ""),
                                      encoding="utf-8")
    (out / "kpis.json").write_text(F_KPIS.replace('"total_setup_time": 1, "setup_count": 1',
                                                  '"total_setup_time": 0, "setup_count": 0'),
                                   encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder), str(out)])
    assert result.exit_code == 1
    assert ("schedule.csv: [11 fixed] the fixed setup of lot L1 on M1 [0, 1) (fixed.csv line 2) "
            "is not kept unchanged; schedule.csv has no such row") in result.output
    assert "1 violation: 1 [11 fixed]" in result.output
