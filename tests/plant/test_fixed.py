"""Loading fixed.csv: the rows a schedule keeps exactly, and every way a row can
contradict the plant (at fixed.csv's line and column)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from prodsched.cli import main
from prodsched.errors import PlantError
from prodsched.plant import Mode, load_plant
from prodsched.plant.model import FixedRow

# A batch (lots of 2..20 in multiples of 2), B mass, C one-off, D auto.
# A step 1 on M1 or M2 may pause; A step 2 on M3 waits at most 5 after step 1.
# M1 is unavailable in [20, 30).
PLANT = {
    "orders.csv": "order_id,product,quantity,release\no1,A,10,0\no2,A,6,0\no3,B,4,0\n"
                  "o4,C,3,0\no5,D,4,0\no6,D,4,0\no7,A,4,50\n",
    "products.csv": "product,mode,min_lot,max_lot,lot_multiple\nA,batch,2,20,2\nB,mass,1,,1\n"
                    "C,one-off,1,,1\nD,auto,1,,1\n",
    "routings.csv": "product,step,machine,time_per_unit,can_pause,max_wait\n"
                    "A,1,M1|M2,1,yes,\nA,2,M3,1,no,5\nB,1,M1,1,,\nB,2,M3,1,,\nC,1,M2,1,,\n"
                    "D,1,M2,1,,\n",
    "calendar.csv": "machine,start,end\nM1,20,30\n",
}
HEADER = "machine,kind,lot,product,mode,step,quantity,orders,start,end\n"
VALID = HEADER + """\
M1,setup,A#1,A,,,,,0,2
M1,run,A#1,A,batch,1,10,o1:10,2,12
M3,run,A#1,A,batch,2,10,o1:10,12,22
M2,run,o4,C,one-off,1,3,o4:3,0,3
M1,run,A#2,A,batch,1,6,o2:6,15,31
"""


def load_fixed(make_plant, text: str):  # type: ignore[no-untyped-def]
    return load_plant(make_plant({**PLANT, "fixed.csv": text}))


def problems(make_plant, text: str) -> list[str]:
    folder: Path = make_plant({**PLANT, "fixed.csv": text})
    with pytest.raises(PlantError) as info:
        load_plant(folder)
    prefix = f"{folder / 'fixed.csv'}:"
    return [str(p).removeprefix(prefix) for p in info.value.problems]


def test_fixed_rows_are_read_in_file_order(make_plant):
    plant = load_fixed(make_plant, VALID)
    assert plant.fixed == (
        FixedRow("M1", "setup", "A#1", "A", 0, 2, line=2),
        FixedRow("M1", "run", "A#1", "A", 2, 12, Mode.BATCH, 1, 10, (("o1", 10),), line=3),
        FixedRow("M3", "run", "A#1", "A", 12, 22, Mode.BATCH, 2, 10, (("o1", 10),), line=4),
        FixedRow("M2", "run", "o4", "C", 0, 3, Mode.ONE_OFF, 1, 3, (("o4", 3),), line=5),
        FixedRow("M1", "run", "A#2", "A", 15, 31, Mode.BATCH, 1, 6, (("o2", 6),), line=6),
    )
    assert plant.uses_v2_rules


def test_header_only_and_setup_cells_left_empty_or_filled(make_plant):
    assert load_fixed(make_plant, HEADER).fixed == ()
    # a setup row's mode, step, quantity and orders are not read (schedule.csv leaves them
    # empty); the kind is matched without regard to case
    text = HEADER + "M1,SETUP,A#1,A,batch,1,10,o1:10,0,2\nM1,Run,A#1,A,batch,1,10,o1:10,2,12\n"
    setup, run = load_fixed(make_plant, text).fixed
    assert setup == FixedRow("M1", "setup", "A#1", "A", 0, 2, line=2)
    assert run.kind == "run"


@pytest.mark.parametrize(("row", "expected"), [
    ("M9,run,L,A,batch,1,2,o1:2,0,2", ["2:1: machine: unknown machine 'M9'"]),
    ("M1,run,L,Z,batch,1,2,o1:2,0,2", ["2:4: product: product 'Z' has no routing"]),
    ("M1,run,L,A,batch,3,2,o1:2,0,2", ["2:6: step: product 'A' has no step 3 (its steps are "
                                       "1, 2)"]),
    ("M3,run,L,A,batch,1,2,o1:2,0,2", ["2:1: machine: machine 'M3' is not eligible for "
                                       "product 'A' step 1"]),
    ("M1,stop,L,A,batch,1,2,o1:2,0,2", ["2:2: kind: 'stop' is neither run nor setup"]),
    ("M1,run,L,A,batch,1,2,o9:2,0,2", ["2:8: orders: unknown order 'o9'"]),
    ("M1,run,L,A,batch,1,2,o3:2,0,2", ["2:8: orders: order 'o3' is for product 'B', not 'A'"]),
    ("M1,run,L,A,batch,1,4,o1:2,0,4", ["2:7: quantity: 4 units, but the allocations 'o1:2' "
                                       "add up to 2"]),
    ("M1,run,L,A,batch,1,2,o1:2;o1:1,0,2", ["2:8: orders: order 'o1' is allocated twice in "
                                            "'o1:2;o1:1'"]),
    ("M1,run,L,A,batch,1,2,o1,0,2", ["2:8: orders: 'o1' in 'o1' is not order_id:units with "
                                     "whole units >= 1"]),
    ("M1,run,L,A,auto,1,2,o1:2,0,2", ["2:5: mode: a fixed lot is one-off, batch or mass, not "
                                      "auto"]),
    ("M1,run,L,A,mass,1,2,o1:2,0,2", ["2:5: mode: mode mass, but product 'A' is made batch"]),
    ("M1,run,L,A,,1,2,o1:2,0,2", ["2:5: mode: required value is empty (a run row names its "
                                  "mode, step, quantity and orders)"]),
    ("M1,run,L,A,batch,,,,0,2", [
        f"2:{c}: {n}: required value is empty (a run row names its mode, step, quantity and "
        "orders)" for c, n in ((6, "step"), (7, "quantity"), (8, "orders"))]),
    ("M1,run,L,A,batch,1,2,o1:2,0.5,2.5", [
        "2:9: start: '0.5' is not a whole time unit; fixed rows are kept exactly, so their "
        "times must be",
        "2:10: end: '2.5' is not a whole time unit; fixed rows are kept exactly, so their "
        "times must be"]),
    ("M1,run,L,A,batch,1,2,o1:2,-2,0", ["2:9: start: '-2' is before time 0"]),
    ("M1,run,L,A,batch,1,2,o1:2,5,3", ["2:10: end: the end 3 is before the start 5"]),
    (",run,L,A,batch,1,2,o1:2,0,2", ["2:1: machine: required value is empty"]),
    ("M1,setup,,A,,,,,0,2", ["2:3: lot: required value is empty"]),
])
def test_a_bad_row_is_reported_at_its_cell(make_plant, row, expected):
    assert problems(make_plant, HEADER + row + "\n") == expected


def test_times_in_the_other_form_are_reported(make_plant):
    (got,) = problems(make_plant, HEADER + "M1,run,L,A,batch,1,2,o1:2,2026-03-02T08:00,2\n")
    assert got.startswith("2:9: start: a date-time, but the plant's times are numbers (as at ")


def test_run_too_short_and_pausing_runs(make_plant):
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,0,3\n") == [
        "2:10: end: the fixed run of lot L has 3 time units of work; 4 units need 4"]
    # a run that may pause spans the unavailable period [20, 30) of M1: 4 units of work
    assert load_fixed(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,18,32\n").fixed
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,18,31\n") == [
        "2:10: end: the fixed run of lot L has 3 time units of work; 4 units need 4"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,22,34\n") == [
        "2:9: start: the fixed run [22, 34) starts inside the unavailable period [20, 30) of M1"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,12,30\n") == [
        "2:10: end: the fixed run [12, 30) ends inside the unavailable period [20, 30) of M1"]


def test_rows_that_cannot_pause_never_overlap_unavailable_time(make_plant):
    assert problems(make_plant, HEADER + "M1,run,L,B,mass,1,4,o3:4,18,22\n") == [
        "2:9: start: the fixed run [18, 22) overlaps the unavailable period [20, 30) of M1 "
        "(its routing row cannot pause)"]
    assert problems(make_plant, HEADER + "M1,setup,L,A,,,,,19,21\n"
                                         "M1,run,L,A,batch,1,2,o1:2,30,32\n") == [
        "2:9: start: the fixed setup [19, 21) overlaps the unavailable period [20, 30) of M1"]


def test_fixed_rows_of_one_machine_never_overlap(make_plant):
    assert problems(make_plant, HEADER + "M2,run,o4,C,one-off,1,3,o4:3,0,3\n"
                                         "M2,run,L,A,batch,1,2,o1:2,2,4\n") == [
        "3:9: start: the fixed run [2, 4) overlaps the fixed run on line 2 [0, 3) on M2"]


def test_a_fixed_setup_needs_its_run(make_plant):
    assert problems(make_plant, HEADER + "M1,setup,A#1,A,,,,,0,2\n") == [
        "2:3: lot: a fixed setup must be followed on M1 by a fixed run of its lot A#1: no "
        "fixed run follows it"]
    assert problems(make_plant, HEADER + "M1,setup,A#1,A,,,,,0,2\n"
                                         "M1,run,A#2,A,batch,1,2,o1:2,2,4\n"
                                         "M1,run,A#1,A,batch,1,2,o1:2,4,6\n") == [
        "2:3: lot: a fixed setup must be followed on M1 by a fixed run of its lot A#1: the "
        "next fixed run is of lot A#2 (line 3)"]
    assert problems(make_plant, HEADER + "M1,setup,A#1,B,,,,,0,2\n"
                                         "M1,run,A#1,A,batch,1,2,o1:2,2,4\n") == [
        "2:4: product: the setup is for 'B', but its lot A#1 makes 'A' (line 3)"]
    # a setup may lie anywhere before its run (here with a gap)
    assert load_fixed(make_plant, HEADER + "M1,setup,A#1,A,,,,,0,2\n"
                                           "M1,run,A#1,A,batch,1,2,o1:2,5,7\n").fixed


def test_a_lot_keeps_product_mode_quantity_and_allocations(make_plant):
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,0,4\n"
                                         "M3,run,L,A,batch,2,4,o1:2;o2:2,4,8\n") == [
        "3:8: orders: lot L: 'o1:2;o2:2' differs from line 2 ('o1:4'); a lot keeps its product, "
        "mode, quantity and allocations across its steps"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:4,0,4\n"
                                         "M3,run,L,A,batch,2,2,o1:2,4,6\n") == [
        f"3:{c}: {n}: lot L: {new!r} differs from line 2 ({old!r}); a lot keeps its product, "
        "mode, quantity and allocations across its steps"
        for c, n, new, old in ((7, "quantity", "2", "4"), (8, "orders", "o1:2", "o1:4"))]
    # allocations in another order are the same allocations
    assert load_fixed(make_plant, HEADER + "M1,run,L,A,batch,1,4,o1:2;o2:2,0,4\n"
                                           "M3,run,L,A,batch,2,4,o2:2;o1:2,4,8\n").fixed


def test_fixed_steps_are_the_first_steps_of_the_routing(make_plant):
    assert problems(make_plant, HEADER + "M3,run,L,A,batch,2,2,o1:2,4,6\n") == [
        "2:6: step: lot L has step 2 fixed but not step 1: the fixed steps of a lot are the "
        "first steps of its routing"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,2,o1:2,0,2\n"
                                         "M2,run,L,A,batch,1,2,o1:2,0,2\n") == [
        "3:6: step: lot L has step 1 fixed twice (also on line 2)"]


def test_steps_follow_each_other_within_max_wait(make_plant):
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,2,o1:2,0,2\n"
                                         "M3,run,L,A,batch,2,2,o1:2,1,3\n") == [
        "3:9: start: lot L step 2 starts at 1, before step 1 ends at 2"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,2,o1:2,0,2\n"
                                         "M3,run,L,A,batch,2,2,o1:2,8,10\n") == [
        "3:9: start: lot L step 2 starts at 8, 6 time units after step 1 ends; its max_wait "
        "is 5"]
    assert load_fixed(make_plant, HEADER + "M1,run,L,A,batch,1,2,o1:2,0,2\n"
                                           "M3,run,L,A,batch,2,2,o1:2,7,9\n").fixed
    # mass lots stream: step 2 may start one unit after step 1 starts
    assert load_fixed(make_plant, HEADER + "M1,run,L,B,mass,1,4,o3:4,0,4\n"
                                           "M3,run,L,B,mass,2,4,o3:4,1,5\n").fixed
    assert problems(make_plant, HEADER + "M1,run,L,B,mass,1,4,o3:4,0,4\n"
                                         "M3,run,L,B,mass,2,4,o3:4,0,4\n") == [
        "3:9: start: lot L step 2 starts at 0, before step 1's start 0 + its unit time 1",
        "3:10: end: lot L step 2 ends at 4, before step 1's end 4 + its unit time 1"]


def test_lots_respect_release_and_lot_rules(make_plant):
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,4,o7:4,10,14\n") == [
        "2:9: start: lot L starts at 10, before the release 50 of order o7"]
    assert problems(make_plant, HEADER + "M2,run,o4,C,one-off,1,2,o4:2,0,2\n") == [
        "2:8: orders: one-off lot o4 must hold exactly one whole order; it holds 'o4:2'"]
    assert problems(make_plant, HEADER + "M1,run,L,A,batch,1,3,o1:3,0,3\n") == [
        "2:7: quantity: lot L: 3 units, not a multiple of lot_multiple 2"]
    assert problems(make_plant, HEADER + "M2,run,L1,D,batch,1,4,o5:4,0,4\n"
                                         "M2,run,L2,D,mass,1,4,o6:4,4,8\n") == [
        "3:5: mode: lot L2: auto product 'D' is made mass here but batch on line 2; an auto "
        "product is made in one mode"]


def test_no_order_has_more_units_fixed_than_ordered(make_plant):
    # each lot counts once, not once per fixed step
    assert load_fixed(make_plant, HEADER + "M1,run,L1,A,batch,1,10,o1:10,0,10\n"
                                           "M3,run,L1,A,batch,2,10,o1:10,10,20\n").fixed
    assert problems(make_plant, HEADER + "M1,run,L1,A,batch,1,8,o1:8,0,8\n"
                                         "M3,run,L1,A,batch,2,8,o1:8,8,16\n"
                                         "M2,run,L2,A,batch,1,4,o1:4,0,4\n") == [
        "4:8: orders: order o1 has 12 units in fixed lots (up to lot L2); it ordered 10"]


def test_date_time_fixed_rows_are_whole_minutes(make_plant):
    files = {"orders.csv": "order_id,product,quantity,due\no1,A,2,2026-03-02T12:00\n",
             "routings.csv": "product,step,machine,time_per_unit\nA,1,M1,1\n"}
    plant = load_plant(make_plant({**files, "fixed.csv": HEADER + (
        "M1,run,L,A,batch,1,2,o1:2,2026-03-02T08:00,2026-03-02T08:02\n")}))
    assert (plant.fixed[0].start, plant.fixed[0].end) == (0, 2)
    folder = make_plant({**files, "fixed.csv": HEADER + (
        "M1,run,L,A,batch,1,2,o1:2,2026-03-02T08:00:30,2026-03-02T08:03\n")})
    with pytest.raises(PlantError) as info:
        load_plant(folder)
    assert [str(p) for p in info.value.problems] == [
        f"{folder / 'fixed.csv'}:2:9: start: '2026-03-02T08:00:30' is not a whole minute; "
        "fixed rows are kept exactly, so their times must be"]


def test_cli_exits_2_and_writes_nothing_on_a_bad_fixed_row(make_plant, tmp_path):
    folder = make_plant({**PLANT, "fixed.csv": HEADER + "M1,setup,A#1,A,,,,,0,2\n"})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(folder), "--out", str(out),
                                       "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert (f"{folder / 'fixed.csv'}:2:3: lot: a fixed setup must be followed on M1 by a fixed "
            "run of its lot A#1") in result.output
